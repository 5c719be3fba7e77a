// specs/fast-paxos.ts against TLC's numbers for SimplifiedFastPaxos (FastPaxos.cfg and two
// smaller configurations of the same module, each run by TLC with and without SYMMETRY), the
// quorum sizes, and the exact shortest counterexamples of its bug variants.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import fastPaxos from '../../specs/fast-paxos.js';

const counts = (r: { verdict: string; distinctStates: number; totalStates: number; stateDepth: number }) =>
  [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('fast-paxos (SimplifiedFastPaxos, FastPaxos.tla)', () => {
  // TLC 2.18, -workers 1. "SYMMETRY" is the cfg's PaxosSymmetry (Permutations(Values) \union
  // Permutations(Replicas)); a product of the two groups gave TLC the same counts here.
  it.each([
    ['3 acceptors, 2 values, ballots 0..2 (fast {1})', { acceptors: 3, values: 2, fastBallots: 1, classicBallots: 2 }, [102, 535, 10], [17, 86, 10]],
    ['4 acceptors, 2 values, ballots 0..2 (fast {1})', { acceptors: 4, values: 2, fastBallots: 1, classicBallots: 2 }, [1112, 8945, 12], [57, 485, 12]],
  ])('%s: TLC without and with SYMMETRY', async (_name, params, plain, sym) => {
    const spec = compileSpec(fastPaxos, { params });
    expect(counts(await check(spec, { symmetry: false }))).toEqual(['ok', ...plain]);
    const r = await check(spec);
    expect(counts(r)).toEqual(['ok', ...sym]);
    expect(r.symmetry?.states).toBe(plain[0]);
  });

  it('FastPaxos.cfg (4 acceptors, 3 values, ballots 0..4, fast {1, 3}): TLC 25,617 / 320,053 / 22 with SYMMETRY', { timeout: 300_000 }, async () => {
    const r = await check(compileSpec(fastPaxos));
    expect(counts(r)).toEqual(['ok', 25617, 320053, 22]);
    // About 10 s of CPU (the timeout is for a loaded machine). TLC without SYMMETRY: 3,043,684
    // distinct / 36,868,401 generated / depth 22 (35 minutes on a loaded machine); the orbits
    // stand for the same 3,043,684 states.
    expect(r.symmetry?.states).toBe(3043684);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['fastChosen', 6], ['collisionRecovered', 10]]);
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
    // The recovery witness really recovers from a collision: two values voted in the fast round.
    const last = r.witnesses[1]!.trace!.steps.at(-1)!.state as any;
    const fastVotes = last.msgs.filter((m: any) => m.type === '2b' && m.bal === 1);
    expect(new Set(fastVotes.map((m: any) => m.val)).size).toBe(2);
  });

  it('quorums: fast quorums are 3 of 3, 3 of 4, 4 of 5; any classic and two fast quorums share an acceptor', () => {
    const sizes = [3, 4, 5].map((n) => (compileSpec(fastPaxos, { params: { acceptors: n } }).types as any).FastQuorums[0].size);
    expect(sizes).toEqual([3, 3, 4]);
    for (let n = 1; n <= 7; n++) {
      const T = compileSpec(fastPaxos, { params: { acceptors: n } }).types as any;
      for (const q of T.Quorums) for (const r of T.FastQuorums) for (const s of T.FastQuorums) {
        expect(q.intersect(r).intersect(s).size).toBeGreaterThan(0);
      }
    }
    // A simple majority breaks it: with 3 acceptors, {a1,a2}, {a2,a3}, {a1,a3} share no one.
    const T = compileSpec(fastPaxos, { variant: 'majorityFastQuorum' }).types as any;
    expect(T.FastQuorums.map((q: any) => [...q])).toEqual([['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3']]);
  });

  it('ballots alternate classic and fast from classic 0', () => {
    const T = compileSpec(fastPaxos, { params: { fastBallots: 3, classicBallots: 2 } }).types as any;
    expect([T.ClassicBallots, T.FastBallots]).toEqual([[0, 2], [1, 3, 4]]);
  });

  it.each([
    ['majorityFastQuorum', 10],
    ['recoverAnyValue', 12],
  ])('variant %s: the decision changes, shortest trace %i states', async (variant, length) => {
    const r = await check(compileSpec(fastPaxos, { variant }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['consistency', 'step', length]]);
    const steps = r.violations[0]!.trace!.steps;
    const [before, after] = steps.slice(-2).map((st) => (st.state as any).decision);
    expect(before).not.toBeNull();
    expect(after).not.toBe(before);
    // A fast quorum chose the first value; the recovery round proposed the other.
    expect(steps.map((st) => st.action).filter((a) => a === 'FastDecide' || a === 'ClassicDecide').sort())
      .toEqual(['ClassicDecide', 'FastDecide']);
  });
});
