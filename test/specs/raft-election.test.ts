// specs/raft-election.ts: the default model's golden counts (with and without symmetry), its
// witnesses, and the exact shortest two-leaders trace of each bug variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import raft from '../../specs/raft-election.js';

/** Terms that have two or more leaders in a state. */
function sharedLeaderTerms(s: any): number[] {
  const terms = [...s.role.entries()].filter(([, r]: [string, string]) => r === 'leader').map(([n]: [string]) => s.term.get(n));
  return terms.filter((t: number, i: number) => terms.indexOf(t) !== i);
}

describe('raft-election (Raft leader election, nodes=3, maxTerm=2)', () => {
  it('holds: 1,214 orbits / 4,442 generated / depth 13; every witness reached', async () => {
    const r = await check(compileSpec(raft));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 1214, 4442, 13]);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([
      ['leaderElected', 4],
      ['allFollow', 6],
      ['staleLeader', 7],
    ]);
    expect(r.coverage.map((c) => c.action)).toEqual(['Timeout', 'BecomeLeader', 'ReceiveRequestVote', 'ReceiveRequestVoteResponse', 'ReceiveAppendEntries']);
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
  });

  it('without symmetry: 7,105 distinct / 26,011 generated / depth 13', async () => {
    const r = await check(compileSpec(raft), { symmetry: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 7105, 26011, 13]);
  });

  it.each([
    ['votesTwice', 7],
    ['countsStaleVotes', 8],
    ['noStepDown', 7],
  ])('variant %s: two leaders of one term, shortest trace %i states', async (variant, length) => {
    const r = await check(compileSpec(raft, { variant }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['singleLeaderPerTerm', 'invariant', length]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state;
    expect(sharedLeaderTerms(last)).toHaveLength(1);
  });

  it('votesTwice breaks voteOncePerTerm first, after 4 states, when that property is kept', async () => {
    const { variants, ...base } = raft as any;
    const keep = { ...base, variants: { votesTwice: { ...variants.votesTwice, properties: undefined } } };
    const r = await check(compileSpec(keep, { variant: 'votesTwice' }));
    expect(r.violations.map((v) => [v.property, v.trace?.steps.length])).toEqual([['voteOncePerTerm', 4]]);
  });
});
