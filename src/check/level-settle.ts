// Settles one level of the search as a one-state-at-a-time breadth-first search would have run
// it. The expanders' results are taken in chunk order, which is the order in which such a search
// expands the level's states; once every earlier chunk is in, the level table's smallest key for a
// candidate's fingerprint is final, so a candidate is the state that search would have recorded
// iff its parent holds that key. Those are numbered in order, counted, checked against the
// properties they were flagged for, and queued for the next level; events are taken in search
// order, and the first that stops the search (a violation without --continue, an error,
// --max-states) fixes every count at that point.
import { NO_PARENT, type StateGraph } from '../store/state-graph.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { Failure, StopReason, ViolationKind } from '../report/model.js';
import type { FoundViolation } from './exploration.js';
import { ACTION, FLAGS, HI, LO, NO_ACTION, ORBIT, ORDINAL, PARENT, type ChunkResult, type Found } from './chunk-expander.js';
import type { LevelTable } from '../store/level-table.js';
import { ChunkReader, ChunkWriter, type StateChunk } from './state-chunk.js';
import { BEFORE_PARENT, compare, SuccessorSteps, type Position } from './search-order.js';

/** After every position of a level. */
const END: Position = { parent: NO_PARENT - 1, ordinal: 0, seq: BEFORE_PARENT };

/** States per frontier chunk: the unit of work handed to a thread. */
export const CHUNK_STATES = 256;

/** What the whole search has counted and found so far. */
export class Tally {
  generated = 0;
  orbitStates = 0;
  depth = 0;
  readonly enabled: Float64Array;
  readonly fired: Float64Array;
  readonly fresh: Float64Array;
  readonly violated = new Set<string>();
  readonly violations: FoundViolation[] = [];
  readonly witnessPaths: Array<number[] | null>;
  failure: Failure | null = null;
  stopReason: StopReason | null = null;

  constructor(spec: CompiledSpec) {
    const nA = spec.actions.length;
    this.enabled = new Float64Array(nA);
    this.fired = new Float64Array(nA);
    this.fresh = new Float64Array(nA);
    this.witnessPaths = spec.witnesses.map(() => null);
  }

  add(counts: Pick<ChunkResult, 'generated' | 'enabled' | 'fired'>): void {
    this.generated += counts.generated;
    for (let i = 0; i < this.enabled.length; i++) {
      this.enabled[i]! += counts.enabled[i]!;
      this.fired[i]! += counts.fired[i]!;
    }
  }

  /** Witnesses still sought. */
  pending(): boolean[] {
    return this.witnessPaths.map((p) => p === null);
  }
}

/**
 * The counts of a chunk's result from its state `start` up to position `stop` (what comes after
 * it excluded), as a one-state-at-a-time search has them when an event there stops it; from the
 * firings the expander recorded, so the supervisor runs no spec code for it.
 */
export function countUpTo(r: ChunkResult, chunk: StateChunk | null, start: number, stop: Position, actions: number, order: SuccessorSteps): Pick<ChunkResult, 'generated' | 'enabled' | 'fired'> {
  const counts = { generated: 0, enabled: new Array<number>(actions).fill(0), fired: new Array<number>(actions).fill(0) };
  if (chunk === null) {
    counts.generated = stop.ordinal - start + (stop.seq >= order.encode ? 1 : 0);
    return counts;
  }
  const f = r.firings;
  for (let index = start, at = 0; index <= stop.parent && at < f.length; index++) {
    const n = f[at++]!;
    for (let o = 0; o < n; o++) {
      const last = index === stop.parent && o >= stop.ordinal;
      if (last && (o > stop.ordinal || stop.seq < 0)) return counts;
      const word = f[at + o]!;
      counts.fired[word >>> 1]!++;
      if (word & 1) counts.enabled[word >>> 1]!++;
      if (!last || stop.seq >= order.encode) counts.generated++;
      if (last) return counts;
    }
    at += n;
  }
  return counts;
}

export interface SettleContext {
  spec: CompiledSpec;
  graph: StateGraph;
  tally: Tally;
  /** The level table of the moment (it is replaced when it grows). */
  levelTable: () => LevelTable;
  maxStates: number;
  continueAfterViolation: boolean;
  /** Told of each new state, in index order, with its candidate header (fingerprint, flags). */
  added: (index: number, header: Uint32Array) => void;
  /** Flag words of a candidate record. */
  flagWords: number;
  /** Every candidate is a new state from its smallest parent (decided by the owners of the visited set). */
  final: boolean;
}

export class LevelSettle {
  /** Where the search stopped in this level, if it did. */
  stop: Position | null = null;
  readonly next: StateChunk[] = [];
  private readonly out = new ChunkWriter(0, 1 << 12); // grows by doubling: most levels of small models are small
  private outBase = 0;
  private queued = 0;
  private readonly order: SuccessorSteps;
  private readonly fields: number;
  /** Set when --max-states is reached by a new state of this parent: the search stops before the next. */
  private limitAfter: number | null = null;

  /** Index of the next state whose successors are to be settled. */
  private done: number;

  /**
   * `from`, `to`: the indices of the states this level expands (from = to = 0 for the initial
   * states); `depth`: the depth of the states it finds.
   */
  constructor(private readonly ctx: SettleContext, from: number, private readonly to: number, private readonly depth: number) {
    this.done = from;
    this.order = new SuccessorSteps(ctx.spec);
    this.fields = FLAGS + ctx.flagWords;
  }

  /** Index of the next state whose successors are to be settled (where a checkpoint resumes the level). */
  get settled(): number {
    return this.done;
  }

  /** Where a checkpoint taken now resumes the level: the first state whose successors are not all settled. */
  get resumeFrom(): number {
    const s = this.stop;
    return s !== null && s.seq === BEFORE_PARENT && s.parent !== NO_PARENT ? s.parent : this.done;
  }

  /** Queues a state of the next level found before (a resumed checkpoint's). */
  carry(index: number, bytes: Uint8Array): void {
    if (this.out.states === 0) this.outBase = index;
    this.out.push(bytes, bytes.length);
    this.queued++;
    if (this.out.states >= CHUNK_STATES) this.next.push(this.out.take(this.outBase));
  }

  /** The next level's states so far, in order (copies; for a checkpoint). */
  queuedChunks(): StateChunk[] {
    return this.out.states > 0 ? [...this.next, this.out.peek(this.outBase)] : [...this.next];
  }

  /** Takes the next part of the level in order: the result of `chunk` from its state `start` on. True when the search stops in it. */
  settle(chunk: StateChunk | null, start: number, r: ChunkResult): boolean {
    const { graph, tally, spec } = this.ctx;
    const { order } = this;
    const found = r.found;
    let fi = 0;
    let failureSeen = false;
    const stopAt = (at: Position): true => {
      this.stop = at;
      tally.add(countUpTo(r, chunk, start, at, spec.actions.length, order));
      return true;
    };
    /** Handles what comes before `at` in search order; true when the search stops there. */
    const until = (at: Position): boolean => {
      for (;;) {
        const event: Found | null = fi < found.length ? found[fi]! : null;
        const next = event ? event.at : r.failure && !failureSeen ? r.failure.at : null;
        if (this.limitAfter !== null) {
          const limit = { parent: this.limitAfter + 1, ordinal: 0, seq: BEFORE_PARENT };
          if (compare(limit, at) <= 0 && (next === null || compare(limit, next) <= 0)) {
            tally.stopReason = 'max-states';
            return stopAt(limit);
          }
        }
        if (next === null || compare(next, at) >= 0) return false;
        if (event) {
          fi++;
          const e = event.at;
          const path = event.kind === 'deadlock' ? graph.pathTo(e.parent) : this.pathOf(e.parent, e.ordinal);
          if (this.violation(event.property, event.kind, path)) return stopAt(e);
        } else {
          failureSeen = true;
          const { at: e, ...failure } = r.failure!;
          tally.failure = { ...failure, path: e.parent === NO_PARENT ? [] : graph.pathTo(e.parent) };
          tally.stopReason = 'error';
          return stopAt(e);
        }
      }
    };

    const level = this.ctx.levelTable();
    const rd = new ChunkReader(r.candidates, this.fields);
    const h = rd.header;
    const nInv = spec.invariants.length;
    while (rd.next()) {
      const parent = h[PARENT]!;
      const ordinal = h[ORDINAL]!;
      if (!this.ctx.final && level.keyOf(h[HI]!, h[LO]!) !== (parent === NO_PARENT ? 0 : parent)) continue; // a smaller parent reached it
      if (until({ parent, ordinal, seq: order.add })) return true;
      const index = graph.add(parent, ordinal);
      this.ctx.added(index, h);
      if (h[ACTION] !== NO_ACTION) tally.fresh[h[ACTION]!]!++;
      tally.orbitStates += h[ORBIT]!;
      if (this.depth > tally.depth) tally.depth = this.depth;
      if (graph.size >= this.ctx.maxStates && this.limitAfter === null && parent !== NO_PARENT && parent + 1 < this.to) this.limitAfter = parent;
      for (let bit = 0; bit < nInv + spec.witnesses.length; bit++) {
        if ((h[FLAGS + (bit >>> 5)]! & (1 << (bit & 31))) === 0) continue;
        const seq = bit < nInv ? order.invariant(bit) : order.witness(bit - nInv);
        if (until({ parent, ordinal, seq })) return true;
        if (bit < nInv) {
          if (this.violation(spec.invariants[bit]!.name, 'invariant', graph.pathTo(index))) return stopAt({ parent, ordinal, seq });
        } else if (tally.witnessPaths[bit - nInv] === null) {
          tally.witnessPaths[bit - nInv] = graph.pathTo(index);
        }
      }
      if (until({ parent, ordinal, seq: order.push })) return true;
      if (this.out.states === 0) this.outBase = index;
      this.out.push(rd.bytes, rd.bytes.length);
      this.queued++;
      if (this.out.states >= CHUNK_STATES) this.next.push(this.out.take(this.outBase));
    }
    if (until(END)) return true;
    tally.add(r);
    this.done = chunk === null ? 0 : r.resumeAt >= 0 ? r.resumeAt : chunk.base + chunk.count;
    return false;
  }

  /** A limit not tied to a state (time, memory, Ctrl-C) stops the search where the settled part ends. */
  stopHere(reason: StopReason): void {
    this.stop = { parent: this.done, ordinal: 0, seq: BEFORE_PARENT };
    this.ctx.tally.stopReason = reason;
  }

  /** Bytes of the next level's frontier so far. */
  get bytes(): number {
    return this.next.reduce((n, c) => n + c.length, this.out.bytes);
  }

  /** States waiting so far: those of this level not settled yet, and the new ones. */
  get waiting(): number {
    return this.to - this.done + this.queued;
  }

  /** The frontier of the next level (call once, at the end). */
  finish(): StateChunk[] {
    if (this.out.states > 0) this.next.push(this.out.take(this.outBase));
    return this.next;
  }

  /** States waiting when the search stops: those of this level not yet expanded, then the new ones. */
  get queue(): number {
    const s = this.stop;
    const left = s === null || s.parent === NO_PARENT ? 0 : this.to - s.parent - (s.seq === BEFORE_PARENT ? 0 : 1);
    return left + this.queued;
  }

  private pathOf(parent: number, ordinal: number): number[] {
    return parent === NO_PARENT ? [ordinal] : [...this.ctx.graph.pathTo(parent), ordinal];
  }

  /** Records a violation (each property once); true when it stops the search. */
  private violation(property: string, kind: ViolationKind, path: number[]): boolean {
    const t = this.ctx.tally;
    if (t.violated.has(property)) return false;
    t.violated.add(property);
    t.violations.push({ property, kind, path });
    if (this.ctx.continueAfterViolation) return false;
    t.stopReason = 'violation';
    return true;
  }
}
