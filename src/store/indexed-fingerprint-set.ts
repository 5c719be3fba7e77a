// The visited set for liveness runs: like OpenAddressingSet, but each fingerprint also keeps the
// index of its state (the order it was added in, which is the state graph's index), so that an
// edge to an already-seen state can name its target. Twelve bytes a slot instead of eight.
import { isEmpty, probe, type FingerprintSet } from './fingerprint-set.js';

export class IndexedFingerprintSet implements FingerprintSet {
  private slots: Uint32Array;
  private indexes: Uint32Array;
  private mask: number;
  private count = 0;
  /** The state index of the fingerprint that the last add() found or inserted. */
  lastIndex = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.indexes = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.slots.byteLength + this.indexes.byteLength;
  }

  add(hi: number, lo: number): boolean {
    const i = probe(this.slots, this.mask, hi, lo);
    if (!isEmpty(this.slots, i)) {
      this.lastIndex = this.indexes[i]!;
      return false;
    }
    this.put(i, hi, lo, this.count);
    this.lastIndex = this.count;
    if (++this.count * 4 > (this.mask + 1) * 3) this.grow();
    return true;
  }

  /** Bytes the next doubling allocates (while the old table is still held). */
  get growthBytes(): number {
    return this.bytes * 2;
  }

  /** True when fewer than `margin` more adds would make the table double. */
  growsWithin(margin: number): boolean {
    return (this.count + margin) * 4 > (this.mask + 1) * 3;
  }

  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) >= 0;
  }

  /** The state index of a fingerprint, or -1. */
  find(hi: number, lo: number): number {
    const i = probe(this.slots, this.mask, hi, lo);
    return isEmpty(this.slots, i) ? -1 : this.indexes[i]!;
  }

  private put(i: number, hi: number, lo: number, index: number): void {
    this.slots[2 * i] = hi;
    this.slots[2 * i + 1] = lo;
    this.indexes[i] = index;
  }

  private grow(): void {
    const old = this.slots;
    const oldIndexes = this.indexes;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 2);
    this.indexes = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldIndexes.length; j++) {
      const hi = old[2 * j]!;
      const lo = old[2 * j + 1]!;
      if (hi === 0 && lo === 0) continue;
      this.put(probe(this.slots, this.mask, hi, lo), hi, lo, oldIndexes[j]!);
    }
  }
}
