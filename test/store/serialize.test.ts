// The stores' serialize/restore pairs (used by checkpoints): a restored store holds the same
// entries in the same order and keeps working (adds, pops, growth) as the original would.
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../src/store/fingerprint-set.js';
import { Frontier } from '../../src/store/frontier.js';
import { NO_PARENT, StateGraph } from '../../src/store/state-graph.js';

describe('serialize / restore', () => {
  it('fingerprint set: same members, and it still grows', () => {
    const a = FingerprintSet.create(16);
    for (let i = 1; i <= 100; i++) a.add(i * 7919, i);
    const { slots, count } = a.serialize();
    const b = FingerprintSet.restore(slots.slice(), count);
    expect(b.size).toBe(100);
    for (let i = 1; i <= 100; i++) expect(b.has(i * 7919, i)).toBe(true);
    expect(b.has(1, 1)).toBe(false);
    for (let i = 101; i <= 1000; i++) expect(b.add(i * 7919, i)).toBe(true);
    expect(b.add(7919, 1)).toBe(false);
    expect(b.size).toBe(1000);
    expect(() => FingerprintSet.restore(new Uint32Array(6), 0)).toThrow(/not a power of two/);
  });

  it('state graph: same paths, and new states follow', () => {
    const a = new StateGraph();
    a.add(NO_PARENT, 0);
    for (let i = 1; i < 70_000; i++) a.add(i - 1, i % 5);
    const { parents, ordinals } = a.serialize();
    const b = StateGraph.restore(parents.slice(), ordinals.slice());
    expect(b.size).toBe(70_000);
    expect(b.pathTo(69_999)).toEqual(a.pathTo(69_999));
    expect(b.add(69_999, 3)).toBe(70_000);
    expect(b.pathTo(70_000).slice(-2)).toEqual([4, 3]);
  });

  it('frontier: the entries not yet popped, in order, then new pushes after them', () => {
    const a = new Frontier();
    const bytes = (n: number) => Uint8Array.from({ length: n % 7 }, (_, i) => (n + i) & 255);
    for (let i = 0; i < 50; i++) a.push(i, bytes(i), i % 7);
    for (let i = 0; i < 20; i++) a.pop();
    const { pieces, count } = a.serialize();
    const joined = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) { joined.set(p, at); at += p.length; }
    const b = Frontier.restore(joined, count);
    b.push(50, bytes(50), 50 % 7);
    expect(b.length).toBe(31);
    for (let i = 20; i <= 50; i++) {
      expect(b.pop()).toBe(i);
      expect([...b.popped]).toEqual([...bytes(i)]);
    }
    expect(b.length).toBe(0);
  });
});
