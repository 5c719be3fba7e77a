// The visited set of a parallel search: open addressing over 64-bit (hi, lo) slots in a
// SharedArrayBuffer, linear probing, 0 = empty (fingerprints are never 0). During a level the
// worker threads only read it (the states of earlier levels); the coordinator adds a level's new
// states when the level is over, and rebuilds it twice as large before it could pass 3/4 full.
// So no slot is ever written while another thread reads: no atomics but for the count.
import { isEmpty, OpenAddressingSet, probe } from './fingerprint-set.js';

export interface SharedSetBuffers {
  slots: SharedArrayBuffer;
  /** Int32 [count] */
  count: SharedArrayBuffer;
}

export class SharedFingerprintSet {
  /** (hi, lo) pairs, as the one-thread OpenAddressingSet lays them out and probes them. */
  private readonly pairs: Uint32Array;
  private readonly counter: Int32Array;
  private readonly mask: number;

  constructor(readonly buffers: SharedSetBuffers) {
    this.pairs = new Uint32Array(buffers.slots);
    this.counter = new Int32Array(buffers.count);
    this.mask = this.pairs.length / 2 - 1;
  }

  static create(capacity = 1 << 18): SharedFingerprintSet {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    return new SharedFingerprintSet({ slots: new SharedArrayBuffer(cap * 8), count: new SharedArrayBuffer(4) });
  }

  get size(): number {
    return Atomics.load(this.counter, 0);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.pairs.byteLength;
  }

  /** True when the fingerprint is in the set; only while no thread adds. */
  has(hi: number, lo: number): boolean {
    return !isEmpty(this.pairs, probe(this.pairs, this.mask, hi, lo));
  }

  /** True when `more` further fingerprints would take the set past 3/4 full. */
  needsGrowth(more: number): boolean {
    return (this.size + more) * 4 > this.capacity * 3;
  }

  /** Adds a fingerprint that is not in the set (a new state); only while no other thread reads or adds. */
  addAbsent(hi: number, lo: number): void {
    const i = probe(this.pairs, this.mask, hi, lo);
    this.pairs[2 * i] = hi;
    this.pairs[2 * i + 1] = lo;
    this.counter[0]!++;
  }

  /** A table of twice the capacity with the same fingerprints; only while no thread adds. */
  grown(): SharedFingerprintSet {
    const next = SharedFingerprintSet.create(this.capacity * 2);
    const pairs = this.pairs;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] !== 0 || pairs[i + 1] !== 0) next.addAbsent(pairs[i]!, pairs[i + 1]!);
    }
    return next;
  }

  /** A one-thread copy (for a checkpoint); only while no thread adds. */
  toSet(): OpenAddressingSet {
    return OpenAddressingSet.restore(this.pairs.slice(), this.size);
  }

  /** A shared copy of a one-thread set (a resumed checkpoint); the layouts are the same. */
  static from(set: OpenAddressingSet): SharedFingerprintSet {
    const { slots, count } = set.serialize();
    const shared = SharedFingerprintSet.create(Math.max(slots.length / 2, 1 << 16));
    if (shared.pairs.length === slots.length) shared.pairs.set(slots);
    else for (let i = 0; i < slots.length; i += 2) if (slots[i] !== 0 || slots[i + 1] !== 0) shared.addAbsent(slots[i]!, slots[i + 1]!);
    shared.counter[0] = count;
    return shared;
  }
}
