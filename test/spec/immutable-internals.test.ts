// synod reaches inside Immutable (src/spec/fast-record.ts, src/state/provenance.ts) for speed,
// in its own values only (test/state/provenance.test.ts checks that nothing else changes).
// Those internals are not Immutable's public API, so package.json pins its version exactly and
// this test fails loudly when an upgrade changes what the fast paths rely on (they would
// otherwise fall back silently and every check would just get slower).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { List, Map as IMap, Set as ISet } from 'immutable';
import { t } from 'synod';
import { ownMap, ownSet, stepFrom } from '../../src/state/provenance.js';
import { ownList } from '../../src/state/owned-list.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const installed = createRequire(import.meta.url)('immutable/package.json').version as string;

describe('the Immutable internals synod relies on', () => {
  it('is the exact version package.json pins', () => {
    expect(pkg.dependencies.immutable).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pkg.dependencies.immutable);
  });

  it('records of declared types take the fast path (their prototype is patched)', () => {
    const R = t.record({ a: t.int(0, 3), b: t.bool() });
    const r = R.make({ a: 1, b: true });
    expect(Object.getPrototypeOf(r).__synodKeys).toEqual(['a', 'b']);
    expect(r.set('a', 2).a).toBe(2);
  });

  it('Sets and Maps have the slots that synod\'s own copies of them are given', () => {
    // ownSet and ownMap build a set or map as Immutable's makeSet and makeMap do.
    expect(Object.keys(ISet([1]))).toEqual(['size', '_map', '__ownerID']);
    expect(Object.keys(IMap({ x: 1 }))).toEqual(['size', '_root', '__ownerID', '__hash', '__altered']);
  });

  it('short Lists keep their values in one leaf array, as synod\'s own Lists are built', () => {
    const l = List([1, 2, 3]) as any;
    expect(Object.keys(l)).toEqual(['size', '_origin', '_capacity', '_level', '_root', '_tail', '__ownerID', '__hash', '__altered']);
    expect([l._origin, l._capacity, l._level, l._root, l._tail.array]).toEqual([0, 3, 5, undefined, [1, 2, 3]]);
    const own = ownList([1, 2, 3]);
    expect(Object.keys(own)).toEqual(Object.keys(l));
    expect(own.equals(l) && l.equals(own) && own.hashCode() === l.hashCode()).toBe(true);
    expect([own.get(2), own.push(4).toArray(), own.set(0, 9).toArray(), own.reverse().toArray()]).toEqual([3, [1, 2, 3, 4], [9, 2, 3], [3, 2, 1]]);
  });

  it('synod\'s own Sets and Maps remember the one step made from them', () => {
    const s = ownSet(ISet([1, 2]));
    const more = s.add(3);
    expect(stepFrom(more, s)).toBe(3);
    expect(more.equals(ISet([1, 2, 3]))).toBe(true);
    const m = ownMap(IMap<string, number>({ x: 1 }));
    const set = m.set('y', 2);
    expect(stepFrom(set, m)).toBe('y');
    expect(set.equals(IMap({ x: 1, y: 2 }))).toBe(true);
  });
});
