// Lowe's memoisation for the consistency searches: a configuration (which operations are done,
// and the model's state after them) seen once need not be searched again, whatever order of
// operations led to it. States compare by value (Immutable's hash and is).
import { hash, is } from 'immutable';

/** A set of operation ids, as 32-bit words (histories are small, but not limited to 32). */
export class Bits {
  readonly words: Uint32Array;
  constructor(n: number) {
    this.words = new Uint32Array(Math.ceil(n / 32) || 1);
  }
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }
  key(): string {
    return this.words.join(',');
  }
}

/** Configurations (a key for what is done, plus a model state) already searched. */
export class Seen {
  private readonly buckets = new Map<string, unknown[]>();
  /** Adds the configuration; false if it was there already. */
  add(done: string, state: unknown): boolean {
    const k = `${done}|${hash(state)}`;
    const bucket = this.buckets.get(k);
    if (bucket === undefined) {
      this.buckets.set(k, [state]);
      return true;
    }
    if (bucket.some((x) => is(x, state))) return false;
    bucket.push(state);
    return true;
  }
}
