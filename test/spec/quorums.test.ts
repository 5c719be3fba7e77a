// subsetsOfSize, majority and majorityQuorums against brute force (every bitmask), and the
// property majority protocols rely on: any two majority quorums intersect.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majority, majorityQuorums, subsetsOfSize } from 'synod';

/** Every subset of xs of size k by bitmask, each in position order, sorted lexicographically by position. */
function bruteForce<X>(xs: readonly X[], k: number): X[][] {
  const byPosition: number[][] = [];
  for (let mask = 0; mask < 1 << xs.length; mask++) {
    const idx = xs.map((_, i) => i).filter((i) => mask & (1 << i));
    if (idx.length === k) byPosition.push(idx);
  }
  byPosition.sort((a, b) => {
    for (let i = 0; i < k; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  return byPosition.map((idx) => idx.map((i) => xs[i]!));
}

describe('subsetsOfSize', () => {
  it('lists the k-subsets in lexicographic order', () => {
    expect(subsetsOfSize(['a', 'b', 'c', 'd'], 2)).toEqual([['a', 'b'], ['a', 'c'], ['a', 'd'], ['b', 'c'], ['b', 'd'], ['c', 'd']]);
    expect(subsetsOfSize(['a', 'b'], 0)).toEqual([[]]);
    expect(subsetsOfSize(['a', 'b'], 3)).toEqual([]);
    expect(subsetsOfSize([], 0)).toEqual([[]]);
  });

  it('equals brute force on random lists and sizes', () => {
    fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 9 }), fc.nat(10), (xs, k) => {
      expect(subsetsOfSize(xs, k)).toEqual(bruteForce(xs, k));
    }));
  });

  it('refuses a size that is not a whole number >= 0', () => {
    expect(() => subsetsOfSize([1, 2], -1)).toThrow(/whole number/);
    expect(() => subsetsOfSize([1, 2], 1.5)).toThrow(/whole number/);
  });
});

describe('majority quorums', () => {
  it('majority(n) is the least count above half', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(majority)).toEqual([1, 2, 2, 3, 3, 4, 4]);
    expect(() => majority(-1)).toThrow(/whole number/);
  });

  it('are the minimal majorities, as Immutable Sets, and any two intersect', () => {
    for (let n = 1; n <= 7; n++) {
      const members = Array.from({ length: n }, (_, i) => `a${i + 1}`);
      const qs = majorityQuorums(members);
      expect(qs.map((q) => q.toArray())).toEqual(bruteForce(members, majority(n)));
      for (const q of qs) for (const r of qs) expect(q.intersect(r).size).toBeGreaterThan(0);
    }
    expect(majorityQuorums(['a1', 'a2', 'a3']).map((q) => q.toArray().join(''))).toEqual(['a1a2', 'a1a3', 'a2a3']);
  });
});
