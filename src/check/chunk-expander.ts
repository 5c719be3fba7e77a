// The work of one thread in a parallel search: expand a chunk of states of one BFS level and
// keep the successors that no thread has seen (the shared set decides), checking properties
// on them as the sequential search does. It reports what it found by (parent, ordinal); the
// coordinator, which owns the state graph, turns that into replay paths.
import type { Fingerprinter } from '../state/fingerprint.js';
import type { SharedFingerprintSet } from '../store/shared-fingerprint-set.js';
import { NO_PARENT } from '../store/state-graph.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import type { Failure, ViolationKind } from '../report/model.js';
import { expand, type Emit } from './successors.js';
import { checkDeterminism, describeFailure, type Phase } from './failures.js';
import { ChunkReader, ChunkWriter, type StateChunk } from './state-chunk.js';
import { StateKeys } from './state-keys.js';

/** A property found violated (or a witness found) at the successor `ordinal` of `parent`. */
export interface Found {
  property: string;
  kind: ViolationKind | 'witness';
  parent: number;
  ordinal: number;
  /** For a deadlock: the state itself has no successor, so `parent` is that state. */
  atParent: boolean;
}

export interface ChunkResult {
  /** The new states, in the order found; the coordinator numbers them. */
  fresh: StateChunk[];
  generated: number;
  /** Most successors of one state in the chunk (bounds what a chunk in flight can add). */
  maxBranch: number;
  /** States the new orbits stand for (symmetry), else the number of new states. */
  orbitStates: number;
  enabled: number[];
  fired: number[];
  distinct: number[];
  found: Found[];
  /** With the index of the state being expanded (NO_PARENT for initial states) in `path[0]`. */
  failure: Failure | null;
}

export interface ExpanderOptions {
  symmetry: boolean;
  deadlock: boolean;
}

/** States per output chunk, so the next level is split into pieces of similar work. */
const OUT_CHUNK_STATES = 256;

export class ChunkExpander {
  private readonly keys: StateKeys;
  /** Properties this thread already reported: each is reported once per thread. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly spec: CompiledSpec,
    private readonly fp: Fingerprinter,
    public seen: SharedFingerprintSet,
    private readonly options: ExpanderOptions,
  ) {
    this.keys = new StateKeys(spec, fp, options.symmetry);
  }

  /** The initial states (chunk === null) or the successors of a chunk's states. */
  run(chunk: StateChunk | null): ChunkResult {
    const { spec, fp, keys, reported } = this;
    const { invariants, steps, witnesses, constraint } = spec;
    const nA = spec.actions.length;
    const out = new ChunkWriter();
    const result: ChunkResult = {
      fresh: [], generated: 0, maxBranch: 0, orbitStates: 0, found: [], failure: null,
      enabled: new Array<number>(nA).fill(0), fired: new Array<number>(nA).fill(0), distinct: new Array<number>(nA).fill(0),
    };
    const report = (property: string, kind: Found['kind'], parent: number, ordinal: number, atParent = false): void => {
      if (reported.has(property)) return;
      reported.add(property);
      result.found.push({ property, kind, parent, ordinal, atParent });
    };

    let curIndex = NO_PARENT;
    let curState: unknown;
    let ordinal = 0;
    let phase: Phase = 'init';
    let phaseProperty = '';
    let phaseAction: CompiledAction | null = null;
    let phaseArgs: readonly unknown[] = [];

    const checkInvariants = (s: unknown, parent: number, ord: number): void => {
      for (const inv of invariants) {
        phase = 'invariant';
        phaseProperty = inv.name;
        if (!inv.check(s)) report(inv.name, 'invariant', parent, ord);
      }
    };

    const visit = (next: unknown, parent: number, ord: number, action: CompiledAction | null): void => {
      result.generated++;
      if (next === curState) return; // the parent itself (bfs.ts says why)
      phase = 'encode'; // the phase and the value are then the keys' own
      keys.encode(next);
      if (constraint !== null) {
        phase = 'constraint';
        if (!constraint(next)) {
          checkInvariants(next, parent, ord);
          return;
        }
      }
      phase = 'encode';
      const orbit = keys.fingerprint(next);
      if (!this.seen.add(fp.hi, fp.lo)) return;
      result.orbitStates += orbit;
      if (action !== null) result.distinct[action.index]!++;
      checkInvariants(next, parent, ord);
      for (const wp of witnesses) {
        if (reported.has(wp.name)) continue;
        phase = 'witness';
        phaseProperty = wp.name;
        if (wp.check(next)) report(wp.name, 'witness', parent, ord);
      }
      out.push(parent, ord, keys.own.buf, keys.own.pos);
      if (out.states >= OUT_CHUNK_STATES) result.fresh.push(out.take());
    };

    const emit: Emit = (next, action, args, k) => {
      const ord = ordinal++;
      phaseAction = action;
      phaseArgs = args;
      result.fired[action.index]!++;
      if (k === 0) result.enabled[action.index]!++;
      for (const sp of steps) {
        phase = 'step';
        phaseProperty = sp.name;
        if (!sp.check(curState, next)) report(sp.name, 'step', curIndex, ord);
      }
      visit(next, curIndex, ord, action);
    };

    try {
      if (chunk === null) {
        phase = 'init';
        keys.clearParent();
        const inits = spec.initStates();
        for (let i = 0; i < inits.length; i++) visit(inits[i], NO_PARENT, i, null);
      } else {
        const r = new ChunkReader(chunk);
        for (let index = chunk.base; r.next(); index++) {
          curState = keys.decodeParent(r.bytes);
          curIndex = index;
          phaseAction = null;
          ordinal = 0;
          if (index < 16 || (index & 4095) === 0) {
            const problem = checkDeterminism(spec, curState);
            if (problem) {
              result.failure = { ...problem, path: [index] };
              break;
            }
          }
          expand(spec, curState, emit);
          if (ordinal > result.maxBranch) result.maxBranch = ordinal;
          if (ordinal === 0 && this.options.deadlock) {
            phase = 'terminal';
            if (spec.terminal === null || !spec.terminal(curState)) report('deadlock', 'deadlock', index, 0, true);
          }
        }
      }
    } catch (e) {
      const inKeys = (phase as Phase) === 'encode';
      const failure = describeFailure(e, { spec, phase: inKeys ? keys.phase : phase, property: phaseProperty, action: phaseAction, args: phaseArgs, state: keys.focus, parentPath: [] });
      result.failure = { ...failure, path: [curIndex] };
    }
    if (out.states > 0) result.fresh.push(out.take());
    return result;
  }
}
