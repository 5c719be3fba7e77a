// The visited set: open addressing over a Uint32Array of (hi, lo) fingerprint pairs, linear
// probing, doubling at 3/4 load. Zero marks an empty slot (fingerprints are never 0). A flat
// typed array (not a JS Set, which stops at 2^24 entries) can later live in shared memory.

export interface FingerprintSet {
  /** Adds a fingerprint; true when it was not there before. */
  add(hi: number, lo: number): boolean;
  has(hi: number, lo: number): boolean;
  readonly size: number;
  /** Bytes held by the table. */
  readonly bytes: number;
}

/**
 * The slot of (hi, lo) in a table of (hi, lo) pairs with `mask + 1` slots: where it is, or the
 * empty slot where it would go (linear probing from (lo ^ hi) & mask). Shared by the sets below.
 */
export function probe(slots: Uint32Array, mask: number, hi: number, lo: number): number {
  let i = (lo ^ hi) & mask;
  for (;;) {
    const h = slots[2 * i]!;
    const l = slots[2 * i + 1]!;
    if ((h === 0 && l === 0) || (h === hi && l === lo)) return i;
    i = (i + 1) & mask;
  }
}

/** Whether slot i of a table of pairs is empty. */
export function isEmpty(slots: Uint32Array, i: number): boolean {
  return slots[2 * i] === 0 && slots[2 * i + 1] === 0;
}

export class OpenAddressingSet implements FingerprintSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  add(hi: number, lo: number): boolean {
    const slots = this.slots;
    const i = probe(slots, this.mask, hi, lo);
    if (!isEmpty(slots, i)) return false;
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    if (++this.count * 4 > (this.mask + 1) * 3) this.grow();
    return true;
  }

  has(hi: number, lo: number): boolean {
    return !isEmpty(this.slots, probe(this.slots, this.mask, hi, lo));
  }

  /** Bytes the next doubling allocates (while the old table is still held). */
  get growthBytes(): number {
    return this.slots.byteLength * 2;
  }

  /** True when fewer than `margin` more adds would make the table double. */
  growsWithin(margin: number): boolean {
    return (this.count + margin) * 4 > (this.mask + 1) * 3;
  }

  /** The table's slots as they are, for a checkpoint; `restore` rebuilds the set from them. */
  serialize(): { slots: Uint32Array; count: number } {
    return { slots: this.slots, count: this.count };
  }

  static restore(slots: Uint32Array, count: number): OpenAddressingSet {
    const cap = slots.length / 2;
    if (cap < 16 || (cap & (cap - 1)) !== 0) throw new Error(`fingerprint table of ${cap} slots is not a power of two`);
    const set = new OpenAddressingSet(16);
    set.slots = slots;
    set.mask = cap - 1;
    set.count = count;
    return set;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i]!, old[i + 1]!);
    }
  }
}
