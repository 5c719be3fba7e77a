// The visited set: add/has against a JS Set oracle, growth by doubling, probe chains that wrap
// around the table, the size and bytes it reports; shared and indexed sets.
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../src/store/fingerprint-set.js';

/** Deterministic uint32 stream (xorshift32). */
function uint32s(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

/** Slots the table should have after `n` adds, starting from `initial` (doubling at 3/4 load). */
function expectedCapacity(initial: number, n: number): number {
  let cap = 16;
  while (cap < initial) cap *= 2;
  while (n * 4 > cap * 3) cap *= 2;
  return cap;
}

describe('FingerprintSet', () => {
  it('adds once, then reports duplicates', () => {
    const s = FingerprintSet.create(16);
    expect(s.has(1, 2)).toBe(false);
    expect(s.add(1, 2)).toBe(true);
    expect(s.add(1, 2)).toBe(false);
    expect(s.has(1, 2)).toBe(true);
    // The halves are not interchangeable, and a zero half is a real value.
    expect(s.has(2, 1)).toBe(false);
    expect(s.add(2, 1)).toBe(true);
    expect(s.add(0, 3)).toBe(true);
    expect(s.add(3, 0)).toBe(true);
    expect(s.add(0xffffffff, 0xffffffff)).toBe(true);
    expect(s.add(0xffffffff, 0xffffffff)).toBe(false);
    expect(s.has(0, 3) && s.has(3, 0) && s.has(0xffffffff, 0xffffffff)).toBe(true);
    expect(s.size).toBe(5);
  });

  it('tells apart pairs that share one half', () => {
    const s = FingerprintSet.create(16);
    for (let i = 1; i <= 6; i++) expect(s.add(7, i)).toBe(true); // same hi
    for (let i = 1; i <= 5; i++) expect(s.add(i + 100, 7)).toBe(true); // same lo
    expect(s.has(7, 9)).toBe(false);
    expect(s.has(99, 7)).toBe(false);
    expect(s.add(7, 3)).toBe(false);
    expect(s.add(103, 7)).toBe(false);
    expect(s.size).toBe(11);
  });

  it('agrees with a JS Set through 200k random pairs and many doublings', () => {
    const s = FingerprintSet.create(16);
    const oracle = new Set<string>();
    const next = uint32s(12345);
    const pairs: Array<[number, number]> = [];
    let duplicates = 0;
    for (let i = 0; i < 200_000; i++) {
      // Every fifth add repeats an earlier pair; the rest are fresh (very likely) random pairs.
      const [hi, lo] = i % 5 === 4 ? pairs[next() % pairs.length]! : [next(), (next() | 1) >>> 0];
      pairs.push([hi, lo]);
      const key = `${hi}:${lo}`;
      const fresh = !oracle.has(key);
      if (!fresh) duplicates++;
      oracle.add(key);
      if (s.add(hi, lo) !== fresh) throw new Error(`add(${hi}, ${lo}) returned ${!fresh} at step ${i}`);
      if (i % 1000 === 0) {
        expect(s.size).toBe(oracle.size);
        expect(s.bytes).toBe(8 * expectedCapacity(16, oracle.size));
      }
    }
    expect(duplicates).toBeGreaterThan(30_000);
    expect(s.size).toBe(oracle.size);
    expect(s.bytes).toBe(8 * expectedCapacity(16, oracle.size));
    expect(s.bytes).toBeGreaterThanOrEqual(8 * 256 * 1024); // grew through 14 doublings from 16 slots
    let misses = 0;
    for (const [hi, lo] of pairs) if (!s.has(hi, lo)) misses++;
    expect(misses).toBe(0);
    const probe = uint32s(999);
    let falseHits = 0;
    for (let i = 0; i < 50_000; i++) {
      const hi = probe();
      const lo = probe();
      if (s.has(hi, lo) !== oracle.has(`${hi}:${lo}`)) falseHits++;
    }
    expect(falseHits).toBe(0);
  });

  it('keeps colliding pairs apart, including probe chains that wrap past the last slot', () => {
    const s = FingerprintSet.create(16); // 16 slots, mask 15
    // lo ^ hi = 15 for all of them: all start probing at the last slot.
    const colliding = Array.from({ length: 11 }, (_, i) => [i + 1, (i + 1) ^ 15] as [number, number]);
    for (const [hi, lo] of colliding) expect(s.add(hi, lo)).toBe(true);
    for (const [hi, lo] of colliding) {
      expect(s.has(hi, lo)).toBe(true);
      expect(s.add(hi, lo)).toBe(false);
    }
    expect(s.has(100, 100 ^ 15)).toBe(false); // same start slot, not present
    expect(s.size).toBe(11);
    expect(s.bytes).toBe(16 * 8);
    expect(s.add(200, 200 ^ 15)).toBe(true); // the 13th would pass 3/4 load: 12 still fits
    expect(s.add(300, 300 ^ 15)).toBe(true);
    expect(s.bytes).toBe(32 * 8);
    for (const [hi, lo] of [...colliding, [200, 200 ^ 15], [300, 300 ^ 15]]) expect(s.has(hi!, lo!)).toBe(true);
  });

  it('rounds its initial capacity up to a power of two (at least 16 slots)', () => {
    expect(FingerprintSet.create(1).bytes).toBe(16 * 8);
    expect(FingerprintSet.create(1000).bytes).toBe(1024 * 8);
    expect(FingerprintSet.create(1024).bytes).toBe(1024 * 8);
    expect(FingerprintSet.create().bytes).toBe((1 << 16) * 8);
    expect(FingerprintSet.create().size).toBe(0);
  });
});

describe('FingerprintSet, shared and indexed', () => {
  const fps = Array.from({ length: 200 }, (_, i) => [(i * 2654435761) >>> 0 || 1, (i * 40503 + 7) >>> 0] as const);

  it('a shared set opened on its buffers sees what the owner added; grown() keeps every fingerprint', () => {
    let set = FingerprintSet.create(16, { shared: true });
    expect(set.shared).toBe(true);
    for (const [hi, lo] of fps.slice(0, 8)) set.add(hi, lo);
    const reader = new FingerprintSet(set.buffers); // as an expander thread opens it
    expect(reader.has(fps[3]![0], fps[3]![1])).toBe(true);
    set = set.grown().grown().grown().grown();
    expect(set.shared).toBe(true);
    for (const [hi, lo] of fps.slice(0, 8)) expect(set.has(hi, lo)).toBe(true);
    for (const [hi, lo] of fps.slice(8, 100)) expect(set.has(hi, lo)).toBe(false);
    for (const [hi, lo] of fps.slice(8)) set.add(hi, lo);
    expect(set.size).toBe(200);
    for (const [hi, lo] of fps) expect(set.has(hi, lo)).toBe(true);
    const copy = set.copy();
    expect([copy.shared, copy.size, copy.has(fps[150]![0], fps[150]![1])]).toEqual([false, 200, true]);
    expect(copy.toShared().shared).toBe(true);
  });

  it('an indexed set answers each fingerprint with the order it was added in, across doublings', () => {
    const set = FingerprintSet.create(16, { indexed: true });
    fps.forEach(([hi, lo], i) => {
      expect(set.add(hi, lo)).toBe(true);
      expect(set.lastIndex).toBe(i);
    });
    expect(set.add(fps[42]![0], fps[42]![1])).toBe(false);
    expect(set.lastIndex).toBe(42);
    fps.forEach(([hi, lo], i) => expect(set.find(hi, lo)).toBe(i));
    expect(set.find(12345, 6789)).toBe(-1);
    expect(set.bytes).toBe(set.capacity * 12);
  });
});
