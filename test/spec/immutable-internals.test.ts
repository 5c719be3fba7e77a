// synod reaches inside Immutable (src/spec/fast-record.ts, src/state/provenance.ts) for speed.
// Those internals are not Immutable's public API, so package.json pins its version exactly and
// this test fails loudly when an upgrade changes what the fast paths rely on (they would
// otherwise fall back silently and every check would just get slower).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Map as IMap, Set as ISet } from 'immutable';
import { t } from 'synod';
import { stepFrom } from '../../src/state/provenance.js';

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

  it('Set.add and Map.set remember the collection they were made from', () => {
    const s = ISet([1, 2]);
    expect(stepFrom(s.add(3), s)).toBe(3);
    const m = IMap<string, number>({ x: 1 });
    expect(stepFrom(m.set('y', 2), m)).toBe('y');
  });
});
