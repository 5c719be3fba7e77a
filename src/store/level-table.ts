// The candidates of one BFS level in a parallel search: fingerprint -> the smallest parent index
// that reached it, in a SharedArrayBuffer that every thread writes at once. A slot's fingerprint
// is claimed by compare-and-swap (0 = empty; fingerprints are never 0), its key lowered by an
// atomic-min loop. When the level is over, the key left in a slot names the one parent whose
// successor the one-thread search would have kept, whatever order the threads ran in.

export interface LevelTableBuffers {
  fingerprints: SharedArrayBuffer;
  /** Int32 per slot: the smallest parent key so far (as uint32; 0xffffffff = none). */
  keys: SharedArrayBuffer;
  /** Int32 [count] */
  count: SharedArrayBuffer;
}

const NONE = -1; // 0xffffffff as an Int32
const wide = new BigInt64Array(1);
const halves = new Uint32Array(wide.buffer);

export class LevelTable {
  private readonly slots: BigInt64Array;
  /** The same slots as (lo, hi) pairs, for reads that need no BigInt. */
  private readonly pairs: Uint32Array;
  private readonly keys: Int32Array;
  private readonly counter: Int32Array;
  private readonly mask: number;

  constructor(readonly buffers: LevelTableBuffers) {
    this.slots = new BigInt64Array(buffers.fingerprints);
    this.pairs = new Uint32Array(buffers.fingerprints);
    this.keys = new Int32Array(buffers.keys);
    this.counter = new Int32Array(buffers.count);
    this.mask = this.slots.length - 1;
  }

  static create(capacity = 1 << 14): LevelTable {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    const t = new LevelTable({ fingerprints: new SharedArrayBuffer(cap * 8), keys: new SharedArrayBuffer(cap * 4), count: new SharedArrayBuffer(4) });
    t.keys.fill(NONE);
    return t;
  }

  get size(): number {
    return Atomics.load(this.counter, 0);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.slots.byteLength + this.keys.byteLength;
  }

  /**
   * Offers a candidate reached from parent `key`; true when it now holds the smallest key, so
   * the caller keeps it for now (a smaller key may still replace it). An equal key is the same
   * parent, expanded by this very thread, reaching the state again: the earlier successor wins.
   */
  offer(hi: number, lo: number, key: number): boolean {
    const { pairs, mask } = this;
    let i = lo & mask;
    for (let probes = 0; ; i = (i + 1) & mask) {
      if (++probes > mask) throw new Error('level table is full');
      // Plain reads (no BigInt): a slot goes from 0 to its fingerprint once, so a half-written
      // one shows a zero half; only then, or to claim an empty slot, do atomics decide.
      const l = pairs[2 * i]!;
      const h = pairs[2 * i + 1]!;
      if (l === lo && h === hi && lo !== 0 && hi !== 0) break;
      if (l !== 0 && h !== 0) continue;
      if (this.claim(i, hi, lo)) break;
    }
    let least = Atomics.load(this.keys, i) >>> 0;
    while (key < least) {
      const was = Atomics.compareExchange(this.keys, i, least | 0, key | 0) >>> 0;
      if (was === least) return true;
      least = was;
    }
    return false;
  }

  /** True when slot i holds this fingerprint, claimed now or by another thread before. */
  private claim(i: number, hi: number, lo: number): boolean {
    halves[0] = lo;
    halves[1] = hi;
    const fp = wide[0]!; // one BigInt, as Atomics on 64-bit slots need
    const cur = Atomics.compareExchange(this.slots, i, 0n, fp);
    if (cur === 0n) Atomics.add(this.counter, 0, 1);
    return cur === 0n || cur === fp;
  }

  /** The smallest key offered with this fingerprint (which must have been offered). */
  keyOf(hi: number, lo: number): number {
    const pairs = this.pairs;
    let i = lo & this.mask;
    while (pairs[2 * i] !== lo || pairs[2 * i + 1] !== hi) i = (i + 1) & this.mask;
    return Atomics.load(this.keys, i) >>> 0;
  }

  /** Calls `f` with every fingerprint offered; only while no thread offers. */
  forEach(f: (hi: number, lo: number) => void): void {
    const pairs = this.pairs;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] !== 0 || pairs[i + 1] !== 0) f(pairs[i + 1]!, pairs[i]!);
    }
  }

  /** Empties the table for the next level; only while no thread offers. */
  clear(): void {
    this.slots.fill(0n);
    this.keys.fill(NONE);
    this.counter[0] = 0;
  }

  /** A table of twice the capacity with the same entries; only while no thread offers. */
  grown(): LevelTable {
    const next = LevelTable.create(this.capacity * 2);
    const { pairs, keys } = this;
    for (let i = 0; i < this.capacity; i++) {
      const lo = pairs[2 * i]!;
      const hi = pairs[2 * i + 1]!;
      if (lo === 0 && hi === 0) continue;
      let j = lo & next.mask;
      while (next.pairs[2 * j] !== 0 || next.pairs[2 * j + 1] !== 0) j = (j + 1) & next.mask;
      next.pairs[2 * j] = lo;
      next.pairs[2 * j + 1] = hi;
      next.keys[j] = keys[i]!;
    }
    next.counter[0] = this.size;
    return next;
  }
}
