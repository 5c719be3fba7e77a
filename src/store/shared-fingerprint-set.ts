// The visited set of a parallel search: open addressing over 64-bit slots in a
// SharedArrayBuffer, linear probing, 0 = empty (fingerprints are never 0). During a level the
// worker threads only read it (the states of earlier levels); the coordinator adds a level's new
// states when the level is over, and rebuilds it twice as large before it could pass 3/4 full.
// A slot is claimed by compare-and-swap, so threads may also add at once.

export interface SharedSetBuffers {
  slots: SharedArrayBuffer;
  /** Int32 [count] */
  count: SharedArrayBuffer;
}

const wide = new BigInt64Array(1);
const halves = new Uint32Array(wide.buffer);

export class SharedFingerprintSet {
  private readonly slots: BigInt64Array;
  /** The same slots as (lo, hi) pairs, for reads that need no BigInt. */
  private readonly pairs: Uint32Array;
  private readonly counter: Int32Array;
  private readonly mask: number;

  constructor(readonly buffers: SharedSetBuffers) {
    this.slots = new BigInt64Array(buffers.slots);
    this.pairs = new Uint32Array(buffers.slots);
    this.counter = new Int32Array(buffers.count);
    this.mask = this.slots.length - 1;
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
    return this.slots.byteLength;
  }

  /** True when the fingerprint is in the set; only while no thread adds. */
  has(hi: number, lo: number): boolean {
    const pairs = this.pairs;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const l = pairs[2 * i]!;
      const h = pairs[2 * i + 1]!;
      if (l === lo && h === hi) return true;
      if (l === 0 && h === 0) return false;
    }
  }

  /** True when `more` further fingerprints would take the set past 3/4 full. */
  needsGrowth(more: number): boolean {
    return (this.size + more) * 4 > this.capacity * 3;
  }

  /** Adds a fingerprint; true for exactly one of the threads that add the same one. */
  add(hi: number, lo: number): boolean {
    halves[0] = lo;
    halves[1] = hi;
    const key = wide[0]!; // one BigInt, as Atomics on 64-bit slots need
    const slots = this.slots;
    for (let i = lo & this.mask, probes = 0; probes <= this.mask; i = (i + 1) & this.mask, probes++) {
      let cur = Atomics.load(slots, i);
      if (cur === 0n) {
        cur = Atomics.compareExchange(slots, i, 0n, key);
        if (cur === 0n) {
          Atomics.add(this.counter, 0, 1);
          return true;
        }
      }
      if (cur === key) return false;
    }
    throw new Error('shared fingerprint set is full');
  }

  /** Adds a fingerprint that is not in the set (a new state), without atomics; only while no other thread reads or adds. */
  addAbsent(hi: number, lo: number): void {
    const pairs = this.pairs;
    let i = lo & this.mask;
    while (pairs[2 * i] !== 0 || pairs[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    pairs[2 * i] = lo;
    pairs[2 * i + 1] = hi;
    this.counter[0]!++;
  }

  /** A table of twice the capacity with the same fingerprints; only while no thread adds. */
  grown(): SharedFingerprintSet {
    const next = SharedFingerprintSet.create(this.capacity * 2);
    const pairs = this.pairs;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] !== 0 || pairs[i + 1] !== 0) next.addAbsent(pairs[i + 1]!, pairs[i]!);
    }
    return next;
  }
}
