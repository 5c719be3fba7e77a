// specs/paxos.ts (basic Paxos, Paxos Made Simple): golden counts of the default model with and
// without symmetry reduction, the witnesses, and the exact shortest counterexamples of the
// bug variants.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import paxos from '../../specs/paxos.js';

const labels = (trace: { steps: readonly { label: string }[] } | null | undefined) => trace?.steps.map((s) => s.label);

describe('paxos (basic Paxos: proposers, acceptors, learners)', () => {
  it('defaults (3 acceptors, 2 proposers, 2 learners, 2 values, ballots 1..2): 2,968 orbits / 9,606 generated / depth 23', async () => {
    const r = await check(compileSpec(paxos));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 2968, 9606, 23]);
    expect(r.symmetry?.states).toBe(34848);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someChosen', 10], ['dueling', 10]]);
    // The shortest run to a learned value: one proposer, a majority of two acceptors.
    expect(labels(r.witnesses[0]!.trace)).toEqual([
      'Initial predicate',
      'Prepare(p1)',
      'ReceivePrepare(Prepare(bal: 1, acc: a1))',
      'ReceivePrepare(Prepare(bal: 1, acc: a2))',
      'ReceivePromise(Promise(acc: a1, bal: 1, last: none))',
      'ReceivePromise(Promise(acc: a2, bal: 1, last: none))',
      'Accept(p1)',
      'ReceiveAccept(Accept(bal: 1, val: v1, acc: a1))',
      'ReceiveAccept(Accept(bal: 1, val: v1, acc: a2))',
      'Learn(l1, v1)',
    ]);
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
  });

  it('defaults without symmetry: 34,848 distinct / 111,516 generated / depth 23', async () => {
    const r = await check(compileSpec(paxos), { symmetry: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 34848, 111516, 23]);
  });

  // What each shortest trace must show besides two values accepted by majorities.
  const shows: Record<string, (labels: string[], last: any) => void> = {
    // Both acceptors of ballot 1's majority had promised ballot 2 when they accepted ballot 1.
    acceptLowerBallot: (_labels, last) => expect([...last.promised.values()].filter((b: number) => b === 2)).toHaveLength(2),
    // The second proposer is told of v1 and proposes v2 anyway.
    ignorePromisedValues: (ls) => {
      expect(ls).toContain('ReceivePromise(Promise(acc: a2, bal: 2, last: [bal: 1, val: v1]))');
      expect(ls).toContain('ReceiveAccept(Accept(bal: 2, val: v2, acc: a2))');
    },
    // One promise is a "quorum": learner l1 learns v1, then v2.
    minorityQuorum: (ls) => expect(ls.filter((l) => l.startsWith('Learn'))).toEqual(['Learn(l1, v1)', 'Learn(l1, v2)']),
  };

  it.each([
    ['acceptLowerBallot', 'chosenUnique', 17],
    ['ignorePromisedValues', 'chosenUnique', 17],
    ['minorityQuorum', 'learnersAgree', 13],
  ])('variant %s breaks %s, shortest trace %i states', async (variant, property, length) => {
    const r = await check(compileSpec(paxos, { variant }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([[property, 'invariant', length]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    const accepted = last.msgs.filter((m: any) => m.type === 'Accepted');
    expect(new Set(accepted.map((m: any) => m.val)).size).toBe(2);
    shows[variant]!(labels(r.violations[0]!.trace)!, last);
  });
});
