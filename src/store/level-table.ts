// The candidates of one BFS level in a parallel search: fingerprint -> the smallest parent index
// that reached it, in a SharedArrayBuffer that every thread writes at once. A slot's fingerprint
// is claimed by compare-and-swap (0 = empty; fingerprints are never 0), its key lowered by an
// atomic-min loop. When the level is over, the key left in a slot names the one parent whose
// successor the one-thread search would have kept, whatever order the threads ran in.
// A slot is 16 bytes: the fingerprint (lo, hi), the key, 4 spare, so an offer touches one cache line.
/** Slots and an Int32 count. */
export interface LevelTableBuffers {
  slots: SharedArrayBuffer;
  count: SharedArrayBuffer;
}

const wide = new BigInt64Array(1);
const halves = new Uint32Array(wide.buffer);

export class LevelTable {
  /** Slot i's fingerprint at [2i], for the atomics that need a BigInt. */
  private readonly fingerprints: BigInt64Array;
  /** Slot i as words: lo at [4i], hi at [4i + 1], the key at [4i + 2] (as uint32). */
  private readonly words: Uint32Array;
  private readonly keys: Int32Array;
  private readonly counter: Int32Array;
  private readonly mask: number;

  constructor(readonly buffers: LevelTableBuffers) {
    this.fingerprints = new BigInt64Array(buffers.slots);
    this.words = new Uint32Array(buffers.slots);
    this.keys = new Int32Array(buffers.slots);
    this.counter = new Int32Array(buffers.count);
    this.mask = this.words.length / 4 - 1;
  }

  static create(capacity = 1 << 14): LevelTable {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    const t = new LevelTable({ slots: new SharedArrayBuffer(cap * 16), count: new SharedArrayBuffer(4) });
    t.clear();
    return t;
  }

  get size(): number {
    return Atomics.load(this.counter, 0);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  /**
   * Offers a candidate reached from parent `key`; true when it now holds the smallest key, so
   * the caller keeps it for now (a smaller key may still replace it). An equal key is the same
   * parent, expanded by this very thread, reaching the state again: the earlier successor wins.
   */
  offer(hi: number, lo: number, key: number): boolean {
    const { words, mask } = this;
    let i = lo & mask;
    for (let probes = 0; ; i = (i + 1) & mask) {
      if (++probes > mask) throw new Error('level table is full');
      // Plain reads (no BigInt): a slot goes from 0 to its fingerprint once, so a half-written
      // one shows a zero half; only then, or to claim an empty slot, do atomics decide.
      const l = words[4 * i]!;
      const h = words[4 * i + 1]!;
      if (l === lo && h === hi && lo !== 0 && hi !== 0) break;
      if (l !== 0 && h !== 0) continue;
      if (this.claim(i, hi, lo)) break;
    }
    const at = 4 * i + 2;
    let least = Atomics.load(this.keys, at) >>> 0;
    while (key < least) {
      const was = Atomics.compareExchange(this.keys, at, least | 0, key | 0) >>> 0;
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
    const cur = Atomics.compareExchange(this.fingerprints, 2 * i, 0n, fp);
    if (cur === 0n) Atomics.add(this.counter, 0, 1);
    return cur === 0n || cur === fp;
  }

  /** The smallest key offered with this fingerprint (which must have been offered). */
  keyOf(hi: number, lo: number): number {
    const words = this.words;
    let i = lo & this.mask;
    while (words[4 * i] !== lo || words[4 * i + 1] !== hi) i = (i + 1) & this.mask;
    return Atomics.load(this.keys, 4 * i + 2) >>> 0;
  }

  /** Calls `f` with every fingerprint offered; only while no thread offers. */
  forEach(f: (hi: number, lo: number) => void): void {
    const words = this.words;
    for (let i = 0; i < words.length; i += 4) {
      if (words[i] !== 0 || words[i + 1] !== 0) f(words[i + 1]!, words[i]!);
    }
  }

  /** Empties the table for the next level; only while no thread offers. */
  clear(): void {
    const words = this.words;
    words.fill(0);
    for (let i = 2; i < words.length; i += 4) words[i] = 0xffffffff; // no parent yet
    this.counter[0] = 0;
  }

  /** A table of twice the capacity with the same entries; only while no thread offers. */
  grown(): LevelTable {
    const next = LevelTable.create(this.capacity * 2);
    const from = this.words;
    const to = next.words;
    for (let i = 0; i < from.length; i += 4) {
      const lo = from[i]!;
      const hi = from[i + 1]!;
      if (lo === 0 && hi === 0) continue;
      let j = lo & next.mask;
      while (to[4 * j] !== 0 || to[4 * j + 1] !== 0) j = (j + 1) & next.mask;
      to[4 * j] = lo;
      to[4 * j + 1] = hi;
      to[4 * j + 2] = from[i + 2]!;
    }
    next.counter[0] = this.size;
    return next;
  }
}
