// Turns a lasso found on the symmetry-reduced graph into a real execution. The prefix follows
// the orbits of the reduced path: from the real state reached so far, a successor in the next
// orbit always exists (the spec commutes with renamings), and the first one is taken. The
// cycle: the real states over a fair component of the reduced graph that are reachable from
// the prefix's last state form one real strongly connected component (every reduced cycle,
// repeated as many times as its composed renaming's order, returns to its real start). It is
// explored here, real state by real state, and the plain fair-cycle search (search.ts) finds
// the cycle in it, so the lasso honours every fairness condition of the real system.
import type { CompiledSpec } from '../spec/compile.js';
import { codecOf, IDENTITY, Writer } from '../state/codec.js';
import { createFingerprinter } from '../state/fingerprint.js';
import { StateKeys } from '../state/state-keys.js';
import { EdgeList, OUTSIDE, STUTTER_BIT } from '../store/edge-list.js';
import { canonicalize } from './replay.js';
import { expand } from './successors.js';
import type { FingerprintSet } from '../store/fingerprint-set.js';
import type { Labels } from '../liveness/labels.js';
import { findLasso, type Lasso, type Problem } from '../liveness/search.js';

/** A real lasso as a replay path (initial state, then successor ordinals) and where its cycle starts. */
export interface RealLasso {
  path: number[];
  loop: number;
}

export async function liftLasso(
  spec: CompiledSpec,
  labels: Labels,
  orbits: FingerprintSet,
  initOrdinal: number,
  lasso: Lasso,
  targets: number[],
  problem: Problem,
): Promise<RealLasso> {
  const keys = new StateKeys(spec, await createFingerprinter(), true);
  const orbitOf = (s: unknown): number => {
    keys.encode(s);
    keys.fingerprint(s);
    return orbits.find(keys.fp.hi, keys.fp.lo);
  };
  let x = canonicalize(spec, spec.initStates()[initOrdinal]);
  const path = [initOrdinal];
  for (const want of targets) {
    let ordinal = 0;
    let next: unknown = undefined;
    expand(spec, x, (s) => {
      if (next === undefined && orbitOf(s) === want && (spec.constraint === null || spec.constraint(s))) {
        next = s;
        path.push(ordinal);
      }
      ordinal++;
    });
    if (next === undefined) throw new Error(`liveness: no real successor in orbit ${want}`);
    x = canonicalize(spec, next);
  }
  if (lasso.component === null) return { path, loop: targets.length };
  const cycle = realCycle(spec, labels, x, new Set(lasso.component), orbitOf, problem);
  return { path: [...path, ...cycle.path], loop: targets.length + cycle.loop };
}

/** Explores the real states over `component` reachable from x and finds a fair lasso from x in them. */
function realCycle(spec: CompiledSpec, labels: Labels, x: unknown, component: Set<number>, orbitOf: (s: unknown) => number, problem: Problem): RealLasso {
  const codec = codecOf(spec.stateType);
  const w = new Writer();
  const keyOf = (s: unknown): string => {
    w.reset();
    codec.encode(w, s, IDENTITY);
    return Buffer.from(w.buf.buffer, w.buf.byteOffset, w.pos).toString('latin1');
  };
  const index = new Map<string, number>([[keyOf(x), 0]]);
  const states: unknown[] = [x];
  const orbit: number[] = [orbitOf(x)];
  const edges = new EdgeList();
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const own = keyOf(s);
    edges.begin(i);
    expand(spec, s, (next, action, args) => {
      const label = labels.of(action, args);
      const k = keyOf(next);
      if (k === own) return edges.add(i, (label | STUTTER_BIT) >>> 0);
      let t = index.get(k);
      if (t === undefined) {
        const o = spec.constraint === null || spec.constraint(next) ? orbitOf(next) : -1;
        if (!component.has(o)) return edges.add(OUTSIDE, label);
        t = states.length;
        index.set(k, t);
        states.push(canonicalize(spec, next));
        orbit.push(o);
      }
      edges.add(t, label);
    });
  }
  const n = states.length;
  const pick = (a: Uint8Array | null): Uint8Array | null => a && Uint8Array.from(orbit, (o) => a[o]!);
  const start = new Uint8Array(n);
  start[0] = 1;
  const real: Problem = { keep: new Uint8Array(n).fill(1), start, anyPrefix: false, accept: pick(problem.accept) };
  const found = findLasso({ edges, labels, states: n, inits: [0] }, real);
  if (found === null || found.cycle === null) throw new Error('liveness: a fair component of the reduced graph has no fair real cycle');
  const ordinal = (st: { from: number; edge: number }) => st.edge - edges.start(st.from);
  return { path: [...found.prefix.map(ordinal), ...found.cycle.map(ordinal)], loop: found.prefix.length };
}
