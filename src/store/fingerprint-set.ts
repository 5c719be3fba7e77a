// The visited set: open addressing over a Uint32Array of (hi, lo) fingerprint pairs, linear
// probing, 0 = empty (fingerprints are never 0), at most 3/4 full. One class for every use: in
// plain memory for one thread (simulation, checkpoints), in a SharedArrayBuffer that expander
// threads read while the supervisor alone adds (the engine), and indexed, where each slot also
// keeps the order its fingerprint was added in, which is the state graph's index (liveness: an
// edge to a seen state names its target). A flat typed array, not a JS Set (2^24 entries at most).

/** The memory of a set, enough to open it on another thread. */
export interface FingerprintSetBuffers {
  /** (hi, lo) pairs; a power of two of them. */
  slots: ArrayBufferLike;
  /** Int32 [count]. */
  count: ArrayBufferLike;
  /** Uint32 state index per slot, for an indexed set. */
  indexes: ArrayBufferLike | null;
}

export interface SetShape {
  /** In SharedArrayBuffers, for threads that read while this thread adds. */
  shared?: boolean;
  /** Keep each fingerprint's insertion index (find() answers it). */
  indexed?: boolean;
}

/** The smallest power of two of at least `n` and 16. */
const powerOfTwo = (n: number): number => {
  let cap = 16;
  while (cap < n) cap *= 2;
  return cap;
};

export class FingerprintSet {
  private pairs: Uint32Array;
  private indexes: Uint32Array | null;
  private readonly counter: Int32Array;
  private mask: number;
  /** In SharedArrayBuffers (threads may read it). */
  readonly shared: boolean;
  /** The insertion index of the fingerprint that the last add() found or inserted (indexed sets). */
  lastIndex = 0;

  /** Opens a set in these buffers (another thread's, when they are shared). */
  constructor(buffers: FingerprintSetBuffers) {
    this.pairs = new Uint32Array(buffers.slots);
    this.counter = new Int32Array(buffers.count);
    this.indexes = buffers.indexes === null ? null : new Uint32Array(buffers.indexes);
    this.mask = this.pairs.length / 2 - 1;
    this.shared = buffers.slots instanceof SharedArrayBuffer;
  }

  static create(capacity = 1 << 16, shape: SetShape = {}): FingerprintSet {
    const cap = powerOfTwo(capacity);
    const alloc = (bytes: number): ArrayBufferLike => (shape.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    return new FingerprintSet({ slots: alloc(cap * 8), count: alloc(4), indexes: shape.indexed ? alloc(cap * 4) : null });
  }

  /** A set over these slots (a checkpoint's), unshared and unindexed. */
  static restore(slots: Uint32Array, count: number): FingerprintSet {
    const cap = slots.length / 2;
    if (cap < 16 || (cap & (cap - 1)) !== 0) throw new Error(`fingerprint table of ${cap} slots is not a power of two`);
    const set = new FingerprintSet({ slots: slots.buffer.slice(slots.byteOffset, slots.byteOffset + slots.byteLength), count: new ArrayBuffer(4), indexes: null });
    set.counter[0] = count;
    return set;
  }

  get buffers(): FingerprintSetBuffers {
    return { slots: this.pairs.buffer, count: this.counter.buffer, indexes: this.indexes?.buffer ?? null };
  }

  get size(): number {
    return this.counter[0]!;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.pairs.byteLength + (this.indexes?.byteLength ?? 0);
  }

  /** Bytes the next doubling allocates (while the old table is still held). */
  get growthBytes(): number {
    return this.bytes * 2;
  }

  /** True when `more` further fingerprints would take the set past 3/4 full. */
  growsWithin(more: number): boolean {
    return (this.size + more) * 4 > this.capacity * 3;
  }

  has(hi: number, lo: number): boolean {
    return !this.emptyAt(this.probe(hi, lo));
  }

  /** The insertion index of a fingerprint (indexed sets), or -1 when it is not in the set. */
  find(hi: number, lo: number): number {
    const i = this.probe(hi, lo);
    return this.emptyAt(i) ? -1 : this.indexes![i]!;
  }

  /**
   * Adds a fingerprint; true when it was not there before. Past 3/4 full the table doubles in
   * place, which gives a shared set new buffers: its owner adds only while no thread reads, and
   * hands the new `buffers` to the readers (or calls grown() beforehand, see growsWithin()).
   */
  add(hi: number, lo: number): boolean {
    const i = this.probe(hi, lo);
    if (!this.emptyAt(i)) {
      if (this.indexes !== null) this.lastIndex = this.indexes[i]!;
      return false;
    }
    const index = this.size;
    this.put(i, hi, lo, index);
    this.lastIndex = index;
    this.counter[0] = index + 1;
    if (this.growsWithin(0)) this.growInPlace();
    return true;
  }

  /** A set of the same shape with twice the capacity and the same fingerprints (and indexes). */
  grown(): FingerprintSet {
    const next = FingerprintSet.create(this.capacity * 2, { shared: this.shared, indexed: this.indexes !== null });
    next.copyFrom(this);
    return next;
  }

  /** An unshared copy (for a checkpoint); only while no thread adds. */
  copy(): FingerprintSet {
    const next = FingerprintSet.create(this.capacity, { indexed: this.indexes !== null });
    next.pairs.set(this.pairs);
    next.indexes?.set(this.indexes!);
    next.counter[0] = this.size;
    return next;
  }

  /** A shared copy with room for at least `capacity` fingerprints (a resumed checkpoint's set, for the engine). */
  toShared(capacity = 1 << 16): FingerprintSet {
    const next = FingerprintSet.create(Math.max(capacity, this.capacity), { shared: true, indexed: this.indexes !== null });
    next.copyFrom(this);
    return next;
  }

  /** The slots as they are, for a checkpoint; restore() rebuilds the set from them. */
  serialize(): { slots: Uint32Array; count: number } {
    return { slots: this.pairs, count: this.size };
  }

  /** An indexed set's fingerprints as (hi, lo) pairs in insertion order (for a checkpoint: add them back in order). */
  inOrder(): Uint32Array {
    if (this.indexes === null) throw new Error('inOrder() needs an indexed set');
    const out = new Uint32Array(2 * this.size);
    const p = this.pairs;
    for (let j = 0; j < p.length / 2; j++) {
      if (p[2 * j] === 0 && p[2 * j + 1] === 0) continue;
      const k = this.indexes[j]!;
      out[2 * k] = p[2 * j]!;
      out[2 * k + 1] = p[2 * j + 1]!;
    }
    return out;
  }

  /** Calls `f` with every fingerprint, in slot order. */
  forEach(f: (hi: number, lo: number) => void): void {
    const p = this.pairs;
    for (let i = 0; i < p.length; i += 2) if (p[i] !== 0 || p[i + 1] !== 0) f(p[i]!, p[i + 1]!);
  }

  private probe(hi: number, lo: number): number {
    const slots = this.pairs;
    const mask = this.mask;
    let i = (lo ^ hi) & mask;
    for (;;) {
      const h = slots[2 * i]!;
      const l = slots[2 * i + 1]!;
      if ((h === 0 && l === 0) || (h === hi && l === lo)) return i;
      i = (i + 1) & mask;
    }
  }

  private emptyAt(i: number): boolean {
    return this.pairs[2 * i] === 0 && this.pairs[2 * i + 1] === 0;
  }

  private put(i: number, hi: number, lo: number, index: number): void {
    this.pairs[2 * i] = hi;
    this.pairs[2 * i + 1] = lo;
    if (this.indexes !== null) this.indexes[i] = index;
  }

  /** Copies every fingerprint (and index) of `from` into this empty, larger set. */
  private copyFrom(from: FingerprintSet): void {
    const p = from.pairs;
    for (let j = 0; j < p.length / 2; j++) {
      const hi = p[2 * j]!;
      const lo = p[2 * j + 1]!;
      if (hi !== 0 || lo !== 0) this.put(this.probe(hi, lo), hi, lo, from.indexes?.[j] ?? 0);
    }
    this.counter[0] = from.size;
  }

  private growInPlace(): void {
    const next = this.grown();
    this.pairs = next.pairs;
    this.indexes = next.indexes;
    this.mask = next.mask;
    // The count stays in this set's own counter (a reader opened on the old buffers sees it go stale).
  }
}
