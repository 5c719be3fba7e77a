// Liveness checking after exploration: each temporal property becomes a search for a fair
// lasso on the recorded graph (src/liveness/search.ts); a lasso found becomes a replay path.
// Symmetry: when the spec passed the symmetry check, the graph is the reduced one, its edges
// annotated with renamings (liveness/quotient.ts judges fairness on it, lift-lasso.ts turns a
// lasso into a real execution); otherwise a second exploration without symmetry builds the
// plain graph, and the report says why. A spec with a view is refused (a view merges states that
// are really different, which can invent or hide cycles).
import type { CompiledLiveness, CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { EdgeRecorder } from '../liveness/recorder.js';
import { findLasso, type Problem } from '../liveness/search.js';
import { instanceRenamer, quotientFairness, type InstanceRenamer } from '../liveness/quotient.js';
import { labelsOf } from '../liveness/labels.js';
import type { RenamingShape } from '../liveness/renaming.js';
import { formatAction } from '../report/format.js';
import { liftLasso } from './lift-lasso.js';

export interface FoundLasso {
  property: string;
  /** Replay path: the initial-state index, then successor ordinals (prefix, then cycle). */
  path: number[];
  /** Index (in the trace's states) of the state the cycle returns to. */
  loop: number;
}

export function refuseView(spec: CompiledSpec): void {
  if (spec.view !== null && spec.liveness.length > 0) {
    throw new SpecError(codes.badSpec,
      `spec '${spec.name}' has a view and liveness properties (${spec.liveness.map((l) => l.name).join(', ')}): synod cannot check liveness through a view`,
      'a view merges states that differ, which can make up cycles or hide them: drop the view for liveness, or check safety only with --no-liveness');
  }
}

function problemOf(l: CompiledLiveness, rec: EdgeRecorder): Problem {
  const n = rec.size;
  const not = (a: Uint8Array): Uint8Array => a.map((x) => 1 - x);
  const p = rec.truth(l.name, 0);
  switch (l.form) {
    case 'eventually': {
      const keep = not(p);
      return { keep, start: keep, anyPrefix: false, accept: null };
    }
    case 'leadsTo': {
      const keep = not(rec.truth(l.name, 1));
      return { keep, start: keep.map((k, i) => k & p[i]!), anyPrefix: true, accept: null };
    }
    case 'alwaysEventually': {
      const keep = not(p);
      return { keep, start: keep, anyPrefix: true, accept: null };
    }
    case 'eventuallyAlways': {
      const all = new Uint8Array(n).fill(1);
      return { keep: all, start: all, anyPrefix: true, accept: not(p) };
    }
  }
}

/** Searches each liveness property; returns the lassos found (one per violated property). */
export async function findLassos(spec: CompiledSpec, rec: EdgeRecorder): Promise<FoundLasso[]> {
  const out: FoundLasso[] = [];
  const g = { edges: rec.edges, labels: rec.labels, states: rec.size, inits: rec.inits };
  if (rec.edges.expanded !== rec.size) throw new Error(`liveness: ${rec.size - rec.edges.expanded} states were not expanded`);
  const reduced = rec.shape !== null;
  const fairness = reduced ? quotientFairness(rec.edges, rec.labels, { ofState: (v) => rec.renamingOf(v), ofEdge: (e) => rec.renamingOfEdge(e) }, renamerOf(spec, rec), rec.shape!.ids) : undefined;
  for (const l of spec.liveness) {
    const problem = problemOf(l, rec);
    const lasso = findLasso(g, problem, fairness, !reduced);
    if (lasso === null) continue;
    const init = rec.initOrdinals[rec.inits.indexOf(lasso.init)]!;
    if (reduced) {
      const real = await liftLasso(spec, rec.labels, rec.fingerprints, init, lasso, lasso.prefix.map((s) => rec.edges.target(s.edge)), problem);
      out.push({ property: l.name, ...real });
      continue;
    }
    const ordinal = (s: { from: number; edge: number }) => s.edge - rec.edges.start(s.from);
    const path = [init, ...lasso.prefix.map(ordinal), ...lasso.cycle!.map(ordinal)];
    out.push({ property: l.name, path, loop: lasso.prefix.length });
  }
  return out;
}

function renamerOf(spec: CompiledSpec, rec: EdgeRecorder): InstanceRenamer {
  const r = instanceRenamer(spec, rec.labels, rec.shape!);
  if (typeof r === 'string') throw new Error(`liveness on the reduced graph: ${r}`);
  return r;
}

/**
 * Why liveness cannot be checked on the symmetry-reduced graph (null: it can). The soundness
 * check (symmetry-check.ts) must have passed, which covers the liveness properties' predicates
 * and each fair '-each' action instance by instance; the instances must be renamable.
 */
export function unreducedBecause(spec: CompiledSpec, shape: RenamingShape, checked: boolean): string | null {
  if (!checked) return 'the symmetry check was skipped (--no-check-symmetry)';
  const r = instanceRenamer(spec, labelsOf(spec, formatAction), shape);
  return typeof r === 'string' ? r : null;
}
