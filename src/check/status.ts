// What an expander is doing right now, published in a few shared words that the supervisor can
// read while the expander's thread is stuck in spec code: the state being expanded, the action
// instance, and the phase (guard, effect, a property...). Plain stores, no atomics: the words are
// read only to name the culprit once the supervisor has decided to end the thread.
import type { CompiledSpec } from '../spec/compile.js';
import { NO_PARENT } from '../store/state-graph.js';
import { formatAction } from '../report/format.js';
import { predicatesOf } from '../liveness/labels.js';

/** Word offsets. */
export const STATE = 0, ACTION = 1, INSTANCE = 2, PHASE = 3, PROPERTY = 4;
const WORDS = 5;

/** Phases (PHASE word). */
export const Busy = {
  idle: 0, init: 1, domain: 2, guard: 3, effect: 4, step: 5, encode: 6, constraint: 7,
  invariant: 8, witness: 9, terminal: 10, liveness: 11, determinism: 12,
} as const;

export type Status = Int32Array;

export function createStatus(): Status {
  const s = new Int32Array(new SharedArrayBuffer(WORDS * 4));
  s[STATE] = -1;
  return s;
}

/** What the status says the expander was doing: a sentence, and the index of the state (-1: computing the initial states). */
export function describeStatus(spec: CompiledSpec, s: Status): { what: string; state: number } {
  const state = s[STATE]! === -1 || s[STATE]! >>> 0 === NO_PARENT ? -1 : s[STATE]! >>> 0;
  const action = spec.actions[s[ACTION]!];
  const instance = action?.instances?.[s[INSTANCE]!];
  const act = action ? (instance ? formatAction(action.name, instance) : action.name) : 'an action';
  const prop = (names: readonly { name: string }[]): string => `property '${names[s[PROPERTY]!]?.name ?? '?'}'`;
  switch (s[PHASE]) {
    case Busy.init: return { what: 'init', state };
    case Busy.domain: return { what: `the parameter domain of ${action?.name ?? 'an action'}`, state };
    case Busy.guard: return { what: `the guard (when) of ${act}`, state };
    case Busy.effect: return { what: `the effect (then) of ${act}`, state };
    case Busy.step: return { what: `${prop(spec.steps)} on a step of ${act}`, state };
    case Busy.invariant: return { what: `${prop(spec.invariants)} on a successor by ${act}`, state };
    case Busy.witness: return { what: `${prop(spec.witnesses)} on a successor by ${act}`, state };
    case Busy.liveness: return { what: `property '${predicatesOf(spec)[s[PROPERTY]!]?.property ?? '?'}' on a successor by ${act}`, state };
    case Busy.constraint: return { what: `the state constraint on a successor by ${act}`, state };
    case Busy.encode: return { what: `encoding (view, symmetry) a successor by ${act}`, state };
    case Busy.terminal: return { what: 'the terminal predicate', state };
    case Busy.determinism: return { what: 'the actions (determinism check)', state };
    default: return { what: 'spec code', state };
  }
}
