// specs/nwr-quorum.ts: pinned counts, each variant's shortest counterexample, and the whole
// N = 3 grid against the rule W + R > N (the N = 5 grid is in test/bench/nwr-grid.bench.ts).
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import nwr from '../../specs/nwr-quorum.js';

const counts = (r: Awaited<ReturnType<typeof check>>) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('nwr-quorum (N replicas, W to write, R to read)', () => {
  it('n=3, w=2, r=2: no stale read; 256 orbits of 1,030 states', async () => {
    const r = await check(compileSpec(nwr));
    expect(counts(r)).toEqual(['ok', 256, 817, 13]);
    expect(r.symmetry?.states).toBe(1030);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['readsLatest', 6]]);
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
  });

  it('without symmetry: 1,030 distinct / 3,321 generated / depth 13', async () => {
    const r = await check(compileSpec(nwr), { symmetry: false });
    expect(counts(r)).toEqual(['ok', 1030, 3321, 13]);
  });

  it.each([
    ['staleQuorum', 'noStaleRead', 6],
    ['lastReplyWins', 'noStaleRead', 8],
    ['readGoesBack', 'monotonicReads', 9],
  ])('variant %s: %s violated, shortest trace %i states', async (variant, property, length) => {
    const r = await check(compileSpec(nwr, { variant }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([[property, 'invariant', length]]);
  });

  it('staleQuorum: the write lands on one replica, the read asks another', async () => {
    const r = await check(compileSpec(nwr, { variant: 'staleQuorum' }));
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'StartWrite', 'Store', 'CompleteWrite', 'StartRead', 'Reply']);
    expect(steps[2]!.args[0]).not.toBe(steps[5]!.args[0]);
    const last = steps.at(-1)!.state as any;
    expect([last.readAfter, last.readValue]).toEqual([1, 0]);
  });

  it('readGoesBack: every read is fresh (noStaleRead holds), yet the second read goes back', async () => {
    const r = await check(compileSpec(nwr, { variant: 'readGoesBack' }), { continueAfterViolation: true });
    expect(r.violations.map((v) => v.property)).toEqual(['monotonicReads']);
  });

  it('refuses w or r larger than n', () => {
    expect(() => compileSpec(nwr, { params: { w: 4 } })).toThrow(/w=4 must be at most n=3/);
    expect(() => compileSpec(nwr, { params: { n: 2, r: 3, w: 1 } })).toThrow(/r=3 must be at most n=2/);
  });

  it('the N = 3 grid: noStaleRead holds exactly when W + R > N; a stale read takes W + R + 4 states', async () => {
    const n = 3;
    const grid: string[] = [];
    const expected: string[] = [];
    for (let w = 1; w <= n; w++) {
      for (let r = 1; r <= n; r++) {
        const res = await check(compileSpec(nwr, { params: { n, w, r, writes: 1 } }));
        const stale = res.violations.map((v) => `${v.property}:${v.trace?.steps.length}`).join(',');
        grid.push(`W=${w} R=${r} ${res.verdict} ${stale}`);
        expected.push(`W=${w} R=${r} ${w + r > n ? 'ok ' : `violation noStaleRead:${w + r + 4}`}`);
      }
    }
    expect(grid).toEqual(expected);
  });

  describe('history=true: the client operations are recorded and linearizable is checked', () => {
    const lin = (params: Record<string, number | boolean>, variant?: string) =>
      check(compileSpec(nwr, { params: { history: true, ...params }, variant, properties: ['linearizable'] }));

    it('one read with W + R > N is linearizable: 688 orbits of 2,926 states (without history: 256 of 1,030)', async () => {
      const r = await check(compileSpec(nwr, { params: { history: true } }));
      expect(counts(r)).toEqual(['ok', 688, 1943, 13]);
      expect(r.symmetry?.states).toBe(2926);
    });

    it('W + R <= N (staleQuorum) is not: the stale read, 6 states', async () => {
      const r = await lin({}, 'staleQuorum');
      expect([r.verdict, r.violations[0]?.trace?.steps.length]).toEqual(['violation', 6]);
      expect(r.violations[0]!.explanation!.replace(/\s+/g, ' ')).toMatch(/Write\(1\) by writer returned \(event 1\) before Read -> 0 by reader was called/);
    });

    it('lastReplyWins is not: 8 states', async () => {
      const r = await lin({}, 'lastReplyWins');
      expect([r.verdict, r.violations[0]?.trace?.steps.length]).toEqual(['violation', 8]);
    });

    it('two reads (readGoesBack) are not, even with W + R > N: the new-old inversion, 9 states', async () => {
      const r = await lin({}, 'readGoesBack');
      expect([r.verdict, r.violations[0]?.trace?.steps.length]).toEqual(['violation', 9]);
      const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
      expect([last.previous, last.readValue]).toEqual([1, 0]);
    });
  });
});
