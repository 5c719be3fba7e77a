// Liveness checking after exploration: each temporal property becomes a search for a fair
// lasso on the recorded graph (src/liveness/search.ts); a lasso found becomes a replay path.
// Symmetry: the graph is built without symmetry reduction (a cycle in the quotient graph is not
// always a cycle of the real system, and lifting it is future work), by a second exploration
// when the safety run used symmetry. A spec with a view is refused (a view merges states that
// are really different, which can invent or hide cycles).
import type { CompiledLiveness, CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { EdgeRecorder } from '../liveness/recorder.js';
import { findLasso, type Problem } from '../liveness/search.js';

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
export function findLassos(spec: CompiledSpec, rec: EdgeRecorder): FoundLasso[] {
  const out: FoundLasso[] = [];
  const g = { edges: rec.edges, labels: rec.labels, states: rec.size, inits: rec.inits };
  if (rec.edges.expanded !== rec.size) throw new Error(`liveness: ${rec.size - rec.edges.expanded} states were not expanded`);
  for (const l of spec.liveness) {
    const lasso = findLasso(g, problemOf(l, rec));
    if (lasso === null) continue;
    const ordinal = (s: { from: number; edge: number }) => s.edge - rec.edges.start(s.from);
    const path = [rec.initOrdinals[rec.inits.indexOf(lasso.init)]!, ...lasso.prefix.map(ordinal), ...lasso.cycle.map(ordinal)];
    out.push({ property: l.name, path, loop: lasso.prefix.length });
  }
  return out;
}
