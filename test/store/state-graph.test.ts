// The state graph: indices in order, parent links, replay paths, and growth past its initial
// capacity of 65536 states.
import { describe, expect, it } from 'vitest';
import { NO_PARENT, StateGraph } from '../../src/store/state-graph.js';

describe('StateGraph', () => {
  it('numbers states in order and rebuilds replay paths', () => {
    const g = new StateGraph();
    expect(g.size).toBe(0);
    const a = g.add(NO_PARENT, 0); // initial state 0
    const b = g.add(NO_PARENT, 1); // initial state 1
    const c = g.add(a, 2); // third successor of a
    const d = g.add(c, 0);
    const e = g.add(b, 5);
    const f = g.add(d, 3);
    expect([a, b, c, d, e, f]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(g.size).toBe(6);
    expect([a, b, c, d, e, f].map((i) => g.parentOf(i))).toEqual([NO_PARENT, NO_PARENT, a, c, b, d]);
    expect(g.pathTo(a)).toEqual([0]);
    expect(g.pathTo(b)).toEqual([1]);
    expect(g.pathTo(f)).toEqual([0, 2, 0, 3]);
    expect(g.pathTo(e)).toEqual([1, 5]);
  });

  it('keeps ordinals across the uint32 range', () => {
    const g = new StateGraph();
    const root = g.add(NO_PARENT, 0xfffffffe);
    const child = g.add(root, 0x80000001);
    expect(g.pathTo(child)).toEqual([0xfffffffe, 0x80000001]);
  });

  it('grows past its initial capacity and keeps every link', () => {
    const g = new StateGraph();
    const initialBytes = g.bytes;
    expect(initialBytes).toBe(8 * 65_536);
    const n = 200_000;
    const parent = new Uint32Array(n);
    const ordinal = new Uint32Array(n);
    let x = 7;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // The first 3 are initial states; later ones hang off a random earlier state.
      parent[i] = i < 3 ? NO_PARENT : x % i;
      ordinal[i] = i < 3 ? i : (x >>> 16) % 50;
      if (g.add(parent[i]!, ordinal[i]!) !== i) throw new Error(`add #${i} returned another index`);
    }
    expect(g.size).toBe(n);
    expect(g.bytes).toBe(8 * 262_144); // two doublings
    let wrong = 0;
    for (let i = 0; i < n; i++) if (g.parentOf(i) !== parent[i]) wrong++;
    expect(wrong).toBe(0);
    for (const i of [0, 2, 3, 65_535, 65_536, 65_537, 131_072, n - 1]) {
      const path: number[] = [];
      for (let j = i; j !== NO_PARENT; j = parent[j]!) path.push(ordinal[j]!);
      expect(g.pathTo(i)).toEqual(path.reverse());
      expect(g.pathTo(i)[0]).toBeLessThan(3); // every path starts at an initial state
    }
  });
});
