// The BFS frontier: FIFO order and exact bytes over interleaved pushes and pops across chunk
// boundaries, entries larger than a chunk, length, and chunks released once drained.
import { describe, expect, it } from 'vitest';
import { Frontier } from '../../src/store/frontier.js';

const MiB = 1 << 20;

/** 4 MiB of deterministic noise; entry `id` is a slice of it (checkable without storing it). */
const pool = new Uint8Array(4 * MiB);
for (let i = 0, x = 1; i < pool.length; i++) {
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  pool[i] = x & 0xff;
}

function entry(id: number, len: number): Uint8Array {
  const at = (id * 7919) % (pool.length - len + 1);
  return pool.subarray(at, at + len);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

describe('Frontier', () => {
  it('is FIFO with exact bytes over many interleaved pushes and pops', () => {
    const q = new Frontier();
    const lens: number[] = [];
    let head = 0;
    let seed = 1;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let maxBytes = 0;
    // About 7 MiB passes through, so entries straddle many chunk boundaries.
    for (let step = 0; step < 60_000; step++) {
      const pushes = rand(3);
      for (let k = 0; k < pushes; k++) {
        const id = lens.length;
        const len = rand(10) === 0 ? 0 : rand(240);
        // Only buf[0, len) is queued: pass a longer buffer with junk after it.
        const buf = new Uint8Array(len + 5).fill(0xee);
        buf.set(entry(id, len));
        q.push(id, buf, len);
        lens.push(len);
      }
      maxBytes = Math.max(maxBytes, q.bytes);
      if (q.length > 0 && rand(2) === 0) {
        const id = q.pop();
        if (id !== head) throw new Error(`popped ${id}, expected ${head}`);
        if (!same(q.popped, entry(id, lens[id]!))) throw new Error(`bytes of entry ${id} differ`);
        head++;
      }
      if (q.length !== lens.length - head) throw new Error(`length ${q.length} at step ${step}`);
    }
    expect(lens.length - head).toBeGreaterThan(1000);
    let bad = 0;
    while (q.length > 0) {
      const id = q.pop();
      if (id !== head || !same(q.popped, entry(id, lens[id]!))) bad++;
      head++;
    }
    expect(bad).toBe(0);
    expect(head).toBe(lens.length);
    expect(() => q.pop()).toThrow(/empty/);
    expect(maxBytes).toBeGreaterThanOrEqual(2 * MiB);
    expect(q.bytes).toBeLessThanOrEqual(MiB); // drained: at most the last chunk is kept
  });

  it('holds entries larger than a chunk between small ones', () => {
    const q = new Frontier();
    const sizes = [10, MiB + 1, 3, 3 * MiB, MiB - 8, MiB - 7, 0, 2 * MiB + 3, 17];
    sizes.forEach((len, id) => q.push(id, entry(id, len), len));
    expect(q.length).toBe(sizes.length);
    expect(q.bytes).toBeGreaterThanOrEqual(sizes.reduce((a, b) => a + b + 8, 0));
    sizes.forEach((len, id) => {
      expect(q.pop()).toBe(id);
      expect(q.popped.length).toBe(len);
      expect(same(q.popped, entry(id, len))).toBe(true);
    });
    expect(q.length).toBe(0);
  });

  it('fills a chunk exactly, and opens a new one only when an entry does not fit', () => {
    for (const spare of [0, 1, 4, 7, 8, 9, 20]) {
      const q = new Frontier();
      q.push(0, new Uint8Array(0), 0);
      const chunk = q.bytes; // one chunk, holding one 8-byte header
      const len = chunk - 8 - 8 - spare; // leaves `spare` bytes free after it
      q.push(1, entry(1, len), len);
      expect(q.bytes).toBe(chunk);
      q.push(2, entry(2, 0), 0); // an 8-byte header: fits only if spare >= 8
      expect(q.bytes).toBe(spare >= 8 ? chunk : 2 * chunk);
      q.push(3, entry(3, 5), 5);
      expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([0, 1, 2, 3]);
      expect(same(q.popped, entry(3, 5))).toBe(true);
    }
  });

  it('frees drained chunks: bytes go down as the queue empties', () => {
    const q = new Frontier();
    const len = 1000;
    for (let id = 0; id < 5000; id++) q.push(id, entry(id, len), len); // about 5 MiB
    const full = q.bytes;
    expect(full).toBeGreaterThanOrEqual(5000 * (len + 8));
    for (let id = 0; id < 2500; id++) q.pop();
    const half = q.bytes;
    expect(half).toBeLessThan(full);
    expect(half).toBeLessThanOrEqual(full - 2 * MiB);
    const rest = Array.from({ length: 2500 }, () => q.pop());
    expect(rest).toEqual(Array.from({ length: 2500 }, (_, i) => 2500 + i));
    expect(q.bytes).toBeLessThanOrEqual(MiB);
    // Still usable after draining.
    q.push(7, entry(7, 5), 5);
    expect(q.pop()).toBe(7);
    expect(same(q.popped, entry(7, 5))).toBe(true);
  });

  it('keeps the popped bytes intact while later states are pushed', () => {
    const q = new Frontier();
    q.push(1, entry(1, 64), 64);
    q.push(2, entry(2, 64), 64);
    expect(q.pop()).toBe(1);
    const popped = q.popped;
    // Push enough to open new chunks (a BFS pushes successors while expanding the popped state).
    for (let id = 3; id < 3 + 3000; id++) q.push(id, entry(id, 1000), 1000);
    expect(same(popped, entry(1, 64))).toBe(true);
    expect(q.pop()).toBe(2);
    expect(same(q.popped, entry(2, 64))).toBe(true);
    expect(q.length).toBe(3000);
  });

  it('round trips state indices across the uint32 range', () => {
    const q = new Frontier();
    const ids = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe];
    for (const id of ids) q.push(id, new Uint8Array(0), 0);
    expect(ids.map(() => q.pop())).toEqual(ids);
  });
});
