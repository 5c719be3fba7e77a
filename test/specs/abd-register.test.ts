// specs/abd-register.ts: ABD is linearizable; without the read's write-back, a new-old inversion.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import { checkSymmetry } from '../../src/check/symmetry-check.js';
import abd from '../../specs/abd-register.js';

const counts = (r: Awaited<ReturnType<typeof check>>) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('abd-register (majority quorums, a writer and two readers)', () => {
  it('servers=3, writes=1, readers=2: linearizable holds; 3,246 orbits of 23,735 states', async () => {
    const r = await check(compileSpec(abd));
    expect(counts(r)).toEqual(['ok', 3246, 14083, 16]);
    expect(r.symmetry?.states).toBe(23735);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['readSeesPendingWrite', 8]]);
    expect(r.coverage.every((c) => c.enabled > 0)).toBe(true);
  });

  it('without symmetry: 23,735 distinct / 110,243 generated / depth 16', async () => {
    expect(counts(await check(compileSpec(abd), { symmetry: false }))).toEqual(['ok', 23735, 110243, 16]);
  });

  it('noWriteBack: the new-old inversion in 9 states, explained', async () => {
    const r = await check(compileSpec(abd, { variant: 'noWriteBack' }));
    expect(counts(r)).toEqual(['violation', 511, 1501, 9]);
    const v = r.violations[0]!;
    expect([v.property, v.kind, v.trace?.steps.length]).toEqual(['linearizable', 'invariant', 9]);
    expect(v.trace!.steps.map((s) => s.action)).toEqual([null, 'StartWrite', 'Store', 'StartRead', 'Reply', 'Reply', 'StartRead', 'Reply', 'Reply']);
    const last = v.trace!.steps.at(-1)!.state as any;
    // The write is still in progress; the first reader returned 1, the second, later, 0.
    expect(last.writing).toBe(true);
    const rets = last.hist.filter((e: any) => e.event === 'Ret').map((e: any) => [e.process.id, e.result]).toArray();
    expect(rets.map(([, x]: [string, number]) => x)).toEqual([1, 0]);
    const text = v.explanation!.replace(/\s+/g, ' ');
    const [first, second] = rets.map(([id]: [string]) => `Reader(${id})`);
    expect(text).toContain(`Read -> 1 by ${first} returned (event 2) before Read -> 0 by ${second} was called (event 3)`);
    expect(text).toContain(`Read -> 1 by ${first} is explained only with Write(1) by Writer (pending) before it`);
    expect(text).toContain(`Read -> 0 by ${second} is explained only with Write(1) by Writer (pending) not before it`);
    expect(v.explanation!.split('\n').slice(1, 4).map((l) => l.trim().split(/\s+/)[0])).toEqual(['Writer', first, second]);
    expect(counts(await check(compileSpec(abd, { variant: 'noWriteBack' }), { symmetry: false }))).toEqual(['violation', 3368, 9413, 9]);
  });

  it.each([['base', undefined], ['noWriteBack', 'noWriteBack']])('%s is symmetric in servers and readers', (_name, variant) => {
    expect(checkSymmetry(compileSpec(abd, { variant })).problem).toBeNull();
  });
});
