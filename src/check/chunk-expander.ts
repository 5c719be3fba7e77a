// The work of one thread in a parallel search: expand a chunk of states of one BFS level. A
// successor that no earlier level holds is offered to the level table under its parent's index;
// while it holds the smallest one it is written out as a candidate, with its fingerprint, the
// action, its orbit's size and which invariants it breaks and which witnesses it meets. Whether
// it was the one-thread search's new state is only known when the level is over; the
// coordinator settles that (level-settle.ts). Events that do not depend on it (step properties,
// deadlocks, states outside the constraint, errors) are reported with their position. One
// difference remains: a property that throws on a candidate that a smaller parent then takes
// over stops the search, where bfs.ts would not have evaluated it there; without a view, and with
// properties symmetric as --check-symmetry demands, that parent's state throws too, and earlier.
import type { Fingerprinter } from '../state/fingerprint.js';
import type { SharedFingerprintSet } from '../store/shared-fingerprint-set.js';
import type { LevelTable } from '../store/level-table.js';
import { NO_PARENT } from '../store/state-graph.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import type { Failure, ViolationKind } from '../report/model.js';
import { expand, type Emit } from './successors.js';
import { checkDeterminism, describeFailure, type Phase } from './failures.js';
import { ChunkReader, ChunkWriter, type StateChunk } from './state-chunk.js';
import { StateKeys } from './state-keys.js';
import { BEFORE_SUCCESSOR, SuccessorSteps, type Position } from './search-order.js';

/** A property found violated at a position that does not depend on which thread won a state. */
export interface Found {
  property: string;
  kind: ViolationKind;
  at: Position;
}

/** Header fields of a candidate record; the flag words follow (bit i: invariant i broken, then bit per witness met). */
export const PARENT = 0, ORDINAL = 1, ACTION = 2, ORBIT = 3, HI = 4, LO = 5, FLAGS = 6;
export const NO_ACTION = 0xffffffff;

export function flagWords(spec: CompiledSpec): number {
  return Math.ceil((spec.invariants.length + spec.witnesses.length) / 32);
}

export interface ChunkResult {
  candidates: StateChunk;
  generated: number;
  /** Most successors of one state in the chunk (bounds what a chunk in flight can add). */
  maxBranch: number;
  enabled: number[];
  fired: number[];
  /** In search order; each property once (without --continue: only the first event, where the chunk stopped). */
  found: Found[];
  /** The index of the first state left unexpanded because the level table was nearly full (-1: none left). */
  resumeAt: number;
  /** The chunk stopped here; `path` is still empty (the coordinator knows the paths). */
  failure: (Failure & { at: Position }) | null;
}

export interface ExpanderOptions {
  symmetry: boolean;
  deadlock: boolean;
  continueAfterViolation: boolean;
}

export interface SharedTables {
  seen: SharedFingerprintSet;
  level: LevelTable;
}

/** Stops a chunk from inside an emit (an event without --continue). */
class Stop {}
const STOP = new Stop();

export class ChunkExpander {
  private readonly keys: StateKeys;
  private readonly order: SuccessorSteps;
  private readonly out: ChunkWriter;
  private readonly flagBits: Uint32Array;

  constructor(
    private readonly spec: CompiledSpec,
    private readonly fp: Fingerprinter,
    public tables: SharedTables,
    private readonly options: ExpanderOptions,
  ) {
    this.keys = new StateKeys(spec, fp, options.symmetry);
    this.order = new SuccessorSteps(spec);
    this.out = new ChunkWriter(FLAGS + flagWords(spec));
    this.flagBits = new Uint32Array(flagWords(spec));
  }

  /**
   * The initial states (chunk === null), or the successors of a frontier chunk's states from
   * index `start` on; `pending[i]`: witness i is still sought.
   */
  run(chunk: StateChunk | null, start: number, pending: readonly boolean[]): ChunkResult {
    const { spec, fp, keys, order, out } = this;
    const { seen } = this.tables;
    let level = this.tables.level;
    const { invariants, steps, witnesses, constraint } = spec;
    const keepGoing = this.options.continueAfterViolation;
    const nA = spec.actions.length;
    const result: ChunkResult = {
      candidates: null!, resumeAt: -1, generated: 0, maxBranch: 0, found: [], failure: null,
      enabled: new Array<number>(nA).fill(0), fired: new Array<number>(nA).fill(0),
    };
    const header = out.header;
    const flagBits = this.flagBits;
    const mark = (bit: number): void => {
      const word = bit >>> 5;
      flagBits[word]! |= 1 << (bit & 31);
      out.setLast(FLAGS + word, flagBits[word]!);
    };
    const reported = new Set<string>();
    const report = (property: string, kind: ViolationKind, parent: number, ordinal: number, seq: number): void => {
      if (reported.has(property)) return;
      reported.add(property);
      result.found.push({ property, kind, at: { parent, ordinal, seq } });
      if (!keepGoing) throw STOP;
    };

    let curIndex = NO_PARENT;
    let curState: unknown;
    let ordinal = 0; // successors of curIndex so far
    let seq = BEFORE_SUCCESSOR; // of successor ordinal - 1, or BEFORE_SUCCESSOR between successors
    let phase: Phase = 'init';
    let phaseProperty = '';
    let phaseAction: CompiledAction | null = null;
    let phaseArgs: readonly unknown[] = [];

    const visit = (next: unknown, parent: number, ord: number, action: CompiledAction | null): void => {
      result.generated++;
      seq = order.encode;
      if (next === curState) return; // the parent itself (bfs.ts says why)
      phase = 'encode'; // the phase and the value are then the keys' own
      keys.encode(next);
      if (constraint !== null) {
        phase = 'constraint';
        if (!constraint(next)) {
          for (let i = 0; i < invariants.length; i++) {
            seq = order.invariant(i);
            phase = 'invariant';
            phaseProperty = invariants[i]!.name;
            if (!invariants[i]!.check(next)) report(invariants[i]!.name, 'invariant', parent, ord, seq);
          }
          return;
        }
      }
      phase = 'encode';
      const orbit = keys.fingerprint(next);
      if (seen.has(fp.hi, fp.lo)) return;
      if (!level.offer(fp.hi, fp.lo, parent === NO_PARENT ? 0 : parent)) return;
      header[PARENT] = parent;
      header[ORDINAL] = ord;
      header[ACTION] = action === null ? NO_ACTION : action.index;
      header[ORBIT] = orbit;
      header[HI] = fp.hi;
      header[LO] = fp.lo;
      header.fill(0, FLAGS);
      out.push(keys.own.buf, keys.own.pos);
      // Flags are set once the record is out: if a property throws, the state still counts, as in bfs.ts.
      flagBits.fill(0);
      for (let i = 0; i < invariants.length; i++) {
        seq = order.invariant(i);
        phase = 'invariant';
        phaseProperty = invariants[i]!.name;
        if (!invariants[i]!.check(next)) mark(i);
      }
      for (let w = 0; w < witnesses.length; w++) {
        if (!pending[w]) continue;
        seq = order.witness(w);
        phase = 'witness';
        phaseProperty = witnesses[w]!.name;
        if (witnesses[w]!.check(next)) mark(invariants.length + w);
      }
    };

    const emit: Emit = (next, action, args, k) => {
      const ord = ordinal++;
      phaseAction = action;
      phaseArgs = args;
      result.fired[action.index]!++;
      if (k === 0) result.enabled[action.index]!++;
      for (let i = 0; i < steps.length; i++) {
        seq = order.step(i);
        phase = 'step';
        phaseProperty = steps[i]!.name;
        if (!steps[i]!.check(curState, next)) report(steps[i]!.name, 'step', curIndex, ord, seq);
      }
      visit(next, curIndex, ord, action);
      seq = BEFORE_SUCCESSOR;
    };

    try {
      if (chunk === null) {
        phase = 'init';
        keys.clearParent();
        const inits = spec.initStates();
        for (let i = 0; i < inits.length; i++) {
          // Only the coordinator makes the initial states, so the table may grow as it goes.
          if (level.size * 4 > level.capacity * 3) level = this.tables.level = level.grown();
          ordinal = i + 1;
          visit(inits[i], NO_PARENT, i, null);
          seq = BEFORE_SUCCESSOR;
        }
      } else {
        const r = new ChunkReader(chunk);
        for (let index = chunk.base; r.next(); index++) {
          if (index < start) continue;
          // A lock-free table cannot grow while threads offer: hand back the rest so it can.
          if (level.size * 8 > level.capacity * 7) { result.resumeAt = index; break; }
          curState = keys.decodeParent(r.bytes);
          curIndex = index;
          phaseAction = null;
          ordinal = 0;
          seq = BEFORE_SUCCESSOR;
          if (index < 16 || (index & 4095) === 0) {
            const problem = checkDeterminism(spec, curState);
            if (problem) {
              result.failure = { ...problem, path: [], at: { parent: index, ordinal: 0, seq } };
              break;
            }
          }
          expand(spec, curState, emit);
          if (ordinal > result.maxBranch) result.maxBranch = ordinal;
          if (ordinal === 0 && this.options.deadlock) {
            phase = 'terminal';
            if (spec.terminal === null || !spec.terminal(curState)) report('deadlock', 'deadlock', index, 0, BEFORE_SUCCESSOR);
          }
        }
      }
    } catch (e) {
      if (e !== STOP) {
        const inKeys = (phase as Phase) === 'encode';
        const failure = describeFailure(e, { spec, phase: inKeys ? keys.phase : phase, property: phaseProperty, action: phaseAction, args: phaseArgs, state: keys.focus, parentPath: [] });
        // Between successors, a throw is in computing the next one: before it in the order.
        const at = seq === BEFORE_SUCCESSOR ? { parent: curIndex, ordinal, seq } : { parent: curIndex, ordinal: ordinal - 1, seq };
        result.failure = { ...failure, at };
      }
    }
    result.candidates = out.take();
    return result;
  }

  /**
   * The counts of `run` on this chunk (from its state `start`) up to position `stop` (exclusive of what comes after it),
   * as bfs.ts has them when an event there stops the search: expands the chunk's states again
   * without looking anything up. Cold: once per search, on at most one chunk.
   */
  countUpTo(chunk: StateChunk | null, start: number, stop: Position): Pick<ChunkResult, 'generated' | 'enabled' | 'fired'> {
    const { spec, keys, order } = this;
    const nA = spec.actions.length;
    const counts = { generated: 0, enabled: new Array<number>(nA).fill(0), fired: new Array<number>(nA).fill(0) };
    if (chunk === null) {
      counts.generated = stop.ordinal + (stop.seq >= order.encode ? 1 : 0);
      return counts;
    }
    const r = new ChunkReader(chunk);
    for (let index = chunk.base; index <= stop.parent && r.next(); index++) {
      if (index < start) continue;
      const state = keys.decodeParent(r.bytes);
      let ordinal = 0;
      try {
        expand(spec, state, (_next, action, _args, k) => {
          const o = ordinal++;
          const last = index === stop.parent && o >= stop.ordinal;
          if (last && (o > stop.ordinal || stop.seq < 0)) throw STOP;
          counts.fired[action.index]!++;
          if (k === 0) counts.enabled[action.index]!++;
          if (!last || stop.seq >= order.encode) counts.generated++;
          if (last) throw STOP;
        });
      } catch (e) {
        if (index !== stop.parent) throw e; // the stop is the first throw
      }
    }
    return counts;
  }
}
