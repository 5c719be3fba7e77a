// Replay paths of random walks: the walk records actions and arguments, not successor
// ordinals; the ordinals are worked out (by replaying from the canonical initial state) only for
// the walks that are reported.
import { is } from 'immutable';
import type { CompiledSpec } from '../spec/compile.js';
import { canonicalize } from './replay.js';
import { expand } from './successors.js';

/**
 * The replay path of a walk: from the canonical initial state, each step's ordinal is that of
 * the successor of the same action and arguments equal to the walked state (the walk itself
 * does not canonicalise, so its Set iteration order may differ from the explorer's).
 */
export function ordinalPath(spec: CompiledSpec, init: number, actions: number[], args: unknown[][], states: unknown[]): number[] {
  const path = [init];
  let s = canonicalize(spec, spec.initStates()[init]);
  for (let i = 0; i < actions.length; i++) {
    let n = 0;
    let found = -1;
    let next: unknown;
    expand(spec, s, (x, a, xs, _k) => {
      const ord = n++;
      if (found < 0 && a.index === actions[i] && xs.length === args[i]!.length && xs.every((v, j) => is(v, args[i]![j])) && is(x, states[i + 1])) {
        found = ord;
        next = x;
      }
    });
    if (found < 0) throw new Error(`simulate: step ${i + 1} of a walk is not a successor in the explorer's order`);
    path.push(found);
    s = canonicalize(spec, next);
  }
  return path;
}
