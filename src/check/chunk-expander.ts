// An expander of the one engine (engine.ts): it runs spec code on a chunk of states of one BFS level. A
// successor that no earlier level holds is offered to the level table under its parent's index;
// while it holds the smallest one it is written out as a candidate, with its fingerprint, the
// action, its orbit's size and which invariants it breaks and which witnesses it meets. Whether
// it was the one-thread search's new state is only known when the level is over; the
// supervisor settles that (level-settle.ts). Events that do not depend on it (step properties,
// deadlocks, states outside the constraint, errors) are reported with their position. One
// difference remains: a property that throws on a candidate that a smaller parent then takes
// over stops the search, where a one-state-at-a-time search would not have evaluated it there;
// without a view, and with properties symmetric as --check-symmetry demands, that parent's state
// throws too, and earlier. While it works, it publishes what it is doing (status.ts), so the
// supervisor can say which action or property did not return when it has to end the thread.
import type { Fingerprinter } from '../state/fingerprint.js';
import type { FingerprintSet } from '../store/fingerprint-set.js';
import type { LevelTable } from '../store/level-table.js';
import { NO_PARENT } from '../store/state-graph.js';
import { STUTTER_BIT } from '../store/edge-list.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import type { Failure, ViolationKind } from '../report/model.js';
import { expand, type Emit } from './successors.js';
import { checkDeterminism, describeFailure, type Phase } from './failures.js';
import { ChunkReader, ChunkWriter, type StateChunk } from './state-chunk.js';
import { StateKeys } from '../state/state-keys.js';
import { BEFORE_SUCCESSOR, SuccessorSteps, type Position } from './search-order.js';
import { Busy, createStatus, PHASE, PROPERTY, STATE, type Status } from './status.js';
import { labelsOf, predicatesOf, type Labels } from '../liveness/labels.js';
import { formatAction } from '../report/format.js';
import { packRenaming, renamingShape, type RenamingShape } from '../liveness/renaming.js';
import { compareBytes, Writer } from '../state/codec.js';

/** A property found violated at a position that does not depend on which thread won a state. */
export interface Found {
  property: string;
  kind: ViolationKind;
  at: Position;
}

/** Header fields of a candidate record; the flag words follow (bit i: invariant i broken, then bit per witness met). */
export const PARENT = 0, ORDINAL = 1, ACTION = 2, ORBIT = 3, HI = 4, LO = 5, FLAGS = 6;
export const NO_ACTION = 0xffffffff;

/** Flag bits of a candidate: invariants broken, witnesses met, then (when edges are recorded) the liveness predicates' truth. */
export function flagWords(spec: CompiledSpec, edges = false): number {
  return Math.ceil((spec.invariants.length + spec.witnesses.length + (edges ? predicatesOf(spec).length : 0)) / 32);
}

/** In an edge stream, the target of a successor outside the state constraint (fingerprints are never 0). */
export const OUTSIDE_FP = 0;

export interface ChunkResult {
  candidates: StateChunk;
  generated: number;
  /** Most successors of one state in the chunk (bounds what a chunk in flight can add). */
  maxBranch: number;
  enabled: number[];
  fired: number[];
  /** In search order; each property once (without --continue: only the first event, where the chunk stopped). */
  found: Found[];
  /** The index of the first state (the initial state, for the initial chunk) left unexpanded because the level table was nearly full (-1: none left). */
  resumeAt: number;
  /**
   * Per expanded state (none for the initial states): its successor count n, then n words, each
   * the action's index times 2, plus 1 for the first successor of an action instance. What the
   * supervisor counts when the search stops inside the chunk, without running spec code.
   */
  firings: Uint32Array;
  /**
   * With edge recording: per expanded state, its successor count n, then n (hi, lo, label)
   * triples (hi = lo = OUTSIDE_FP: outside the constraint; label | STUTTER_BIT: the state itself),
   * in successor order. Under symmetry the count is followed by the renaming that maps the
   * state to its orbit's canonical form, and each triple by the successor's (renaming.ts).
   */
  edges: Uint32Array | null;
  /** The chunk stopped here; `path` is still empty (the coordinator knows the paths). */
  failure: (Failure & { at: Position }) | null;
}

export interface ExpanderOptions {
  symmetry: boolean;
  deadlock: boolean;
  continueAfterViolation: boolean;
  /** Record every edge and the liveness predicates of new states (liveness checking). */
  edges?: boolean;
}

export interface SharedTables {
  seen: FingerprintSet;
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
  private readonly labels: Labels | null;
  private edgeWords = new Uint32Array(1 << 12);
  private firingWords = new Uint32Array(1 << 12);
  /** Under symmetry with edge recording: how renamings are packed (null: not sent). */
  private readonly shape: RenamingShape | null;
  private readonly scratch = new Writer();
  /** What this expander is doing, for the supervisor (a SharedArrayBuffer when it runs on a thread). */
  readonly status: Status;

  constructor(
    readonly spec: CompiledSpec,
    private readonly fp: Fingerprinter,
    public tables: SharedTables,
    private readonly options: ExpanderOptions,
    status?: Status,
  ) {
    this.keys = new StateKeys(spec, fp, options.symmetry);
    this.order = new SuccessorSteps(spec);
    this.out = new ChunkWriter(FLAGS + flagWords(spec, options.edges));
    this.flagBits = new Uint32Array(flagWords(spec, options.edges));
    this.labels = options.edges ? labelsOf(spec, formatAction) : null;
    this.shape = options.edges && this.keys.canonicalizer !== null ? renamingShape(this.keys.canonicalizer.scalarsets) : null;
    if (options.edges && this.keys.canonicalizer !== null && this.shape === null) throw new Error('edges under symmetry: more than 255 symmetric ids');
    this.status = status ?? createStatus();
  }

  /**
   * The initial states (chunk === null) from initial state `start` on, or the successors of a
   * frontier chunk's states from index `start` on; `pending[i]`: witness i is still sought.
   */
  run(chunk: StateChunk | null, start: number, pending: readonly boolean[]): ChunkResult {
    const { spec, fp, keys, order, out, status, labels, shape, scratch } = this;
    const canon = keys.canonicalizer;
    const W = shape?.words ?? 0;
    const { seen, level } = this.tables;
    const { invariants, steps, witnesses, constraint } = spec;
    const keepGoing = this.options.continueAfterViolation;
    const preds = labels !== null ? predicatesOf(spec) : [];
    const nA = spec.actions.length;
    const result: ChunkResult = {
      candidates: null!, firings: null!, resumeAt: -1, generated: 0, maxBranch: 0, found: [], failure: null, edges: null,
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
    // The edge stream: per state, a count word, then (hi, lo, label) per successor.
    let ew = this.edgeWords;
    let en = 0;
    let countAt = 0;
    const room = (words: number): void => {
      if (en + words <= ew.length) return;
      const grown = new Uint32Array(ew.length * 2);
      grown.set(ew);
      ew = this.edgeWords = grown;
    };
    // The firings stream: per state, a count word, then one word per successor.
    let fw = this.firingWords;
    let fn = 0;
    let firingsAt = 0;
    const firingRoom = (): void => {
      if (fn < fw.length) return;
      const grown = new Uint32Array(fw.length * 2);
      grown.set(fw);
      fw = this.firingWords = grown;
    };
    const fire = (word: number): void => {
      firingRoom();
      fw[fn++] = word;
      fw[firingsAt]!++;
    };
    // The state being expanded: its bytes and its canonical fingerprint (under symmetry).
    let parentBytes: Uint8Array | null = null;
    let parentHi = 0;
    let parentLo = 0;
    const edge = (hi: number, lo: number, label: number): void => {
      room(3 + W);
      ew[en++] = hi;
      ew[en++] = lo;
      const own = keys.own;
      const stutter = hi === parentHi && lo === parentLo && parentBytes !== null && own.pos === parentBytes.length
        && compareBytes(own.buf.subarray(0, own.pos), parentBytes) === 0;
      ew[en++] = stutter ? (label | STUTTER_BIT) >>> 0 : label;
      if (W > 0) {
        if (hi === OUTSIDE_FP && lo === OUTSIDE_FP) ew.fill(0, en, en + W);
        else packRenaming(shape!, canon!.renaming, ew, en);
        en += W;
      }
      ew[countAt]!++;
    };

    let curIndex = NO_PARENT;
    let curState: unknown;
    let ordinal = 0; // successors of curIndex so far
    let seq = BEFORE_SUCCESSOR; // of successor ordinal - 1, or BEFORE_SUCCESSOR between successors
    let phase: Phase = 'init';
    let phaseProperty = '';
    let phaseAction: CompiledAction | null = null;
    let phaseArgs: readonly unknown[] = [];
    const at = (busy: number, property: number, p: Phase, name: string): void => {
      status[PHASE] = busy;
      status[PROPERTY] = property;
      phase = p;
      phaseProperty = name;
    };

    const visit = (next: unknown, parent: number, ord: number, action: CompiledAction | null): void => {
      result.generated++;
      seq = order.encode;
      if (next === curState && labels === null) return; // the parent itself: an unchanged state is the same object (Immutable)
      at(Busy.encode, 0, 'encode', ''); // the phase and the value are then the keys' own
      keys.encode(next);
      if (constraint !== null) {
        at(Busy.constraint, 0, 'constraint', '');
        if (!constraint(next)) {
          if (labels !== null && action !== null) edge(OUTSIDE_FP, OUTSIDE_FP, labels.of(action, phaseArgs));
          for (let i = 0; i < invariants.length; i++) {
            seq = order.invariant(i);
            at(Busy.invariant, i, 'invariant', invariants[i]!.name);
            if (!invariants[i]!.check(next)) report(invariants[i]!.name, 'invariant', parent, ord, seq);
          }
          return;
        }
      }
      at(Busy.encode, 0, 'encode', '');
      const orbit = keys.fingerprint(next);
      if (labels !== null && action !== null) edge(fp.hi, fp.lo, labels.of(action, phaseArgs));
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
      // Flags are set once the record is out: if a property throws, the state still counts.
      flagBits.fill(0);
      for (let i = 0; i < invariants.length; i++) {
        seq = order.invariant(i);
        at(Busy.invariant, i, 'invariant', invariants[i]!.name);
        if (!invariants[i]!.check(next)) mark(i);
      }
      for (let w = 0; w < witnesses.length; w++) {
        if (!pending[w]) continue;
        seq = order.witness(w);
        at(Busy.witness, w, 'witness', witnesses[w]!.name);
        if (witnesses[w]!.check(next)) mark(invariants.length + w);
      }
      for (let k = 0; k < preds.length; k++) {
        at(Busy.liveness, k, 'witness', preds[k]!.property);
        if (preds[k]!.fn(next)) mark(invariants.length + witnesses.length + k);
      }
    };

    const emit: Emit = (next, action, args, k) => {
      const ord = ordinal++;
      phaseAction = action;
      phaseArgs = args;
      result.fired[action.index]!++;
      if (k === 0) result.enabled[action.index]!++;
      fire(action.index * 2 + (k === 0 ? 1 : 0));
      for (let i = 0; i < steps.length; i++) {
        seq = order.step(i);
        at(Busy.step, i, 'step', steps[i]!.name);
        if (!steps[i]!.check(curState, next)) report(steps[i]!.name, 'step', curIndex, ord, seq);
      }
      visit(next, curIndex, ord, action);
      seq = BEFORE_SUCCESSOR;
    };

    try {
      if (chunk === null) {
        keys.clearParent();
        status[STATE] = -1;
        at(Busy.init, 0, 'init', '');
        const inits = spec.initStates();
        for (let i = start; i < inits.length; i++) {
          // A lock-free table cannot grow while threads offer: hand back the rest so it can.
          if (level.size * 8 > level.capacity * 7) { result.resumeAt = i; break; }
          ordinal = i + 1;
          visit(inits[i], NO_PARENT, i, null);
          seq = BEFORE_SUCCESSOR;
        }
      } else {
        const r = new ChunkReader(chunk);
        for (let index = chunk.base; r.next(); index++) {
          if (index < start) continue;
          if (level.size * 8 > level.capacity * 7) { result.resumeAt = index; break; }
          curState = keys.decodeParent(r.bytes);
          curIndex = index;
          status[STATE] = index;
          phaseAction = null;
          ordinal = 0;
          seq = BEFORE_SUCCESSOR;
          firingRoom();
          firingsAt = fn;
          fw[fn++] = 0;
          if (labels !== null) {
            room(1 + W);
            countAt = en;
            ew[en++] = 0;
            parentBytes = r.bytes;
            if (canon !== null) {
              // The state's own renaming to its canonical form, and its orbit's fingerprint.
              at(Busy.encode, 0, 'symmetry', '');
              canon.canonicalize(curState, r.bytes, r.bytes.length, scratch);
              fp.hash(scratch.buf, scratch.pos);
              parentHi = fp.hi;
              parentLo = fp.lo;
              packRenaming(shape!, canon.renaming, ew, en);
              en += W;
            } else {
              fp.hash(r.bytes, r.bytes.length);
              [parentHi, parentLo] = [fp.hi, fp.lo];
            }
          }
          if (index < 16 || (index & 4095) === 0) {
            status[PHASE] = Busy.determinism;
            const problem = checkDeterminism(spec, curState);
            if (problem) {
              result.failure = { ...problem, path: [], at: { parent: index, ordinal: 0, seq } };
              break;
            }
          }
          expand(spec, curState, emit, status);
          if (ordinal > result.maxBranch) result.maxBranch = ordinal;
          if (ordinal === 0 && this.options.deadlock) {
            at(Busy.terminal, 0, 'terminal', '');
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
    status[PHASE] = Busy.idle;
    result.candidates = out.take();
    result.firings = fw.slice(0, fn);
    if (labels !== null) result.edges = ew.slice(0, en);
    return result;
  }
}
