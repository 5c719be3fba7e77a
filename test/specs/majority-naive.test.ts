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
    expect(counts(r)).toEqual(['violation', 39, 74, 7]);
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['sameOrderWhereBoth', 'invariant', 7]]);
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'ClientWrite', 'ClientWrite', 'ReceiveWrite', 'ReceiveWrite', 'ReceiveWrite', 'ReceiveWrite']);
    expect(r.violations[0]!.explanation).toBeUndefined(); // a plain invariant explains nothing
    const last = steps.at(-1)!.state as any;
    const [a, b] = [(steps[3]!.args[0] as any).to, (steps[5]!.args[0] as any).to];
    expect(a).not.toBe(b);
    // Both writes are on a majority (2 of 3), and the two replicas hold them in opposite orders.
    expect(last.log.get(a).toArray()).toEqual(last.log.get(b).reverse().toArray());
    expect(last.log.get(a).size).toBe(2);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['bothComplete', 7]]);
  });

  // The reads and the history (issue 19) are new state: before them 18 / 40 / 7 here, 78 / 155
  // without symmetry, 24 orbits of 142 states in all, and sequencer 15 orbits of 71.
  it('without symmetry: 197 distinct / 357 generated / depth 7 at the violation', async () => {
    expect(counts(await check(compileSpec(mn), { symmetry: false }))).toEqual(['violation', 197, 357, 7]);
  });

  it('the whole space: 1,091 orbits of 9,381 states (9,381 / 18,213 / depth 11 without symmetry)', async () => {
    const r = await check(compileSpec(mn), { continueAfterViolation: true });
    expect(counts(r)).toEqual(['violation', 1091, 2014, 11]);
    expect(r.symmetry?.states).toBe(9381);
    expect(r.violations.map((v) => [v.property, v.trace?.steps.length])).toEqual([['sameOrderWhereBoth', 7], ['sequentiallyConsistent', 7]]);
    expect(counts(await check(compileSpec(mn), { continueAfterViolation: true, symmetry: false }))).toEqual(['violation', 9381, 18213, 11]);
  });

  it('sequentiallyConsistent fails in 7 states: c1 reads a majority and gets c2\'s log, without its own write', async () => {
    const r = await check(compileSpec(mn, { properties: ['sequentiallyConsistent'] }));
    expect(counts(r)).toEqual(['violation', 44, 89, 7]);
    const v = r.violations[0]!;
    expect([v.property, v.trace?.steps.length, v.trace?.steps.at(-1)?.action]).toEqual(['sequentiallyConsistent', 7, 'Read']);
    const last = v.trace!.steps.at(-1)!.state as any;
    const [c, replica] = v.trace!.steps.at(-1)!.args as [string, string];
    expect(last.log.get(replica).includes(c)).toBe(false); // the log it got lacks its own write
    expect(v.explanation).toContain(`Append(${c}) by ${c} comes before Read -> [`);
    expect(v.explanation!.replace(/\s+/g, ' ')).toContain('so the history is not sequentially consistent');
    expect(counts(await check(compileSpec(mn, { properties: ['sequentiallyConsistent'] }), { symmetry: false }))).toEqual(['violation', 215, 387, 7]);
  });

  it('sequencer: replicas apply in sequence order and agree, reads are sequentially consistent; 94 orbits of 485 states', async () => {
    const r = await check(compileSpec(mn, { variant: 'sequencer' }));
    expect(counts(r)).toEqual(['ok', 94, 238, 11]);
    expect(r.symmetry?.states).toBe(485);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['bothComplete', 7]]);
    expect(counts(await check(compileSpec(mn, { variant: 'sequencer' }), { symmetry: false }))).toEqual(['ok', 485, 1233, 11]);
  });

  it('with one client there is nothing to reorder: the naive scheme passes', async () => {
    expect((await check(compileSpec(mn, { params: { clients: 1 } }))).verdict).toBe('ok');
  });

  it.each([['base', undefined], ['sequencer', 'sequencer']])('%s is symmetric in replicas and clients', (_name, variant) => {
    expect(checkSymmetry(compileSpec(mn, { variant })).problem).toBeNull();
  });
});
