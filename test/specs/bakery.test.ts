// specs/bakery.ts against TLC's numbers for Lamport and Merz's Bakery.tla with MCBakery's
// Nat <- 0..MaxNat: Spec from its Init, and ISpec (every state satisfying Inv is initial; the
// full MCBakery.cfg, 655,200 states, is a benchmark); and the shortest trace of the bug variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import bakery from '../../specs/bakery.js';

const counts = (r: { verdict: string; distinctStates: number; totalStates: number; stateDepth: number }) =>
  [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('bakery (Bakery.tla, MCBakery)', () => {
  it('Spec, N = 2, MaxNat = 2: TLC 2,303 distinct / 10,659 generated / depth 39', async () => {
    const r = await check(compileSpec(bakery));
    expect(counts(r)).toEqual(['ok', 2303, 10659, 39]);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someoneEnters', 10]]);
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
  });

  it('Spec, N = 2, MaxNat = 3: TLC 7,161 / 40,819 / 39', async () => {
    expect(counts(await check(compileSpec(bakery, { params: { maxNat: 3 } })))).toEqual(['ok', 7161, 40819, 39]);
  });

  it('ISpec, N = 1, MaxNat = 1: Inv is inductive, TLC 84 / 236 / depth 1', async () => {
    const spec = compileSpec(bakery, { params: { n: 1, maxNat: 1, init: 'inv' } });
    expect(spec.initStates()).toHaveLength(84);
    expect(counts(await check(spec))).toEqual(['ok', 84, 236, 1]);
  });

  it('variant noWaitForChoosing: two processes in cs, shortest trace 19 states', async () => {
    const r = await check(compileSpec(bakery, { variant: 'noWaitForChoosing' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['mutualExclusion', 'invariant', 19]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect([...last.pc.values()]).toEqual(['cs', 'cs']);
  });
});
