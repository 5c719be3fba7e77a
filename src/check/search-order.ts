// Where an event happens in the one-thread search's order, so a parallel search can settle
// what its threads found exactly as bfs.ts would have: the state being expanded (its index),
// which of its successors (the ordinal), and the step of handling that successor (seq): step
// properties, encoding, recording the new state, invariants, witnesses, enqueueing.
import { NO_PARENT } from '../store/state-graph.js';
import type { CompiledSpec } from '../spec/compile.js';

export interface Position {
  /** Index of the state being expanded; NO_PARENT while making the initial states. */
  parent: number;
  /** The successor (or initial state) concerned. */
  ordinal: number;
  seq: number;
}

/** Before the state `parent` is expanded at all (where a limit stops the search). */
export const BEFORE_PARENT = -2;
/** Before successor `ordinal` is computed (a guard that throws; a deadlock, with ordinal 0). */
export const BEFORE_SUCCESSOR = -1;

/** The seq numbers of the steps of handling one successor, for a spec's properties. */
export class SuccessorSteps {
  readonly encode: number;
  readonly add: number;
  readonly push: number;
  private readonly steps: number;
  private readonly invariants: number;

  constructor(spec: CompiledSpec) {
    this.steps = spec.steps.length;
    this.invariants = spec.invariants.length;
    this.encode = this.steps;
    this.add = this.steps + 1;
    this.push = this.steps + 2 + this.invariants + spec.witnesses.length;
  }

  step(i: number): number {
    return i;
  }

  invariant(i: number): number {
    return this.steps + 2 + i;
  }

  witness(i: number): number {
    return this.steps + 2 + this.invariants + i;
  }
}

const rank = (parent: number): number => (parent === NO_PARENT ? -1 : parent);

export function compare(a: Position, b: Position): number {
  return rank(a.parent) - rank(b.parent) || a.ordinal - b.ordinal || a.seq - b.seq;
}
