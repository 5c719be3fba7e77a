// specs/majority-naive.ts: majority writes without an order diverge (the shortest interleaving),
// and a sequencer fixes it.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import { checkSymmetry } from '../../src/check/symmetry-check.js';
import mn from '../../specs/majority-naive.js';

const counts = (r: Awaited<ReturnType<typeof check>>) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('majority-naive (writes and reads on more than N/2 replicas, no order)', () => {
  it('replicas=3, clients=2: two replicas apply the two writes in opposite orders (7 states)', async () => {
    const r = await check(compileSpec(mn));
    expect(counts(r)).toEqual(['violation', 18, 40, 7]);
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['sameOrderWhereBoth', 'invariant', 7]]);
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'ClientWrite', 'ClientWrite', 'ReceiveWrite', 'ReceiveWrite', 'ReceiveWrite', 'ReceiveWrite']);
    const last = steps.at(-1)!.state as any;
    const [a, b] = [(steps[3]!.args[0] as any).to, (steps[5]!.args[0] as any).to];
    expect(a).not.toBe(b);
    // Both writes are on a majority (2 of 3), and the two replicas hold them in opposite orders.
    expect(last.log.get(a).toArray()).toEqual(last.log.get(b).reverse().toArray());
    expect(last.log.get(a).size).toBe(2);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['bothComplete', 7]]);
  });

  it('without symmetry: 78 distinct / 155 generated / depth 7 at the violation', async () => {
    expect(counts(await check(compileSpec(mn), { symmetry: false }))).toEqual(['violation', 78, 155, 7]);
  });

  it('the whole space: 24 orbits of 142 states (142 / 343 / depth 9 without symmetry)', async () => {
    const r = await check(compileSpec(mn), { continueAfterViolation: true });
    expect(counts(r)).toEqual(['violation', 24, 61, 9]);
    expect(r.symmetry?.states).toBe(142);
    expect(counts(await check(compileSpec(mn), { continueAfterViolation: true, symmetry: false }))).toEqual(['violation', 142, 343, 9]);
  });

  it('sequencer: replicas apply in sequence order and agree; 15 orbits of 71 states', async () => {
    const r = await check(compileSpec(mn, { variant: 'sequencer' }));
    expect(counts(r)).toEqual(['ok', 15, 33, 9]);
    expect(r.symmetry?.states).toBe(71);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['bothComplete', 7]]);
    expect(counts(await check(compileSpec(mn, { variant: 'sequencer' }), { symmetry: false }))).toEqual(['ok', 71, 151, 9]);
  });

  it('with one client there is nothing to reorder: the naive scheme passes', async () => {
    expect((await check(compileSpec(mn, { params: { clients: 1 } }))).verdict).toBe('ok');
  });

  it.each([['base', undefined], ['sequencer', 'sequencer']])('%s is symmetric in replicas and clients', (_name, variant) => {
    expect(checkSymmetry(compileSpec(mn, { variant })).problem).toBeNull();
  });
});
