// specs/paxos-lamport.ts against TLC's numbers for Lamport's MCPaxos (MCPaxosTiny.cfg), and the
// exact shortest counterexamples of its bug variants.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import paxos from '../../specs/paxos-lamport.js';

// TLC ran MCPaxos without a SYMMETRY declaration, so compare with symmetry reduction off.
const noSymmetry = { symmetry: false };

describe('paxos-lamport (Paxos.tla, How to Win a Turing Award)', () => {
  it('MCPaxosTiny (3 acceptors, 2 values, ballots 0..1): TLC 3,921 distinct / 23,563 generated / depth 17', async () => {
    const r = await check(compileSpec(paxos), noSymmetry);
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 3921, 23563, 17]);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someChosen', 7]]);
    // Every action fires, and Phase1a's resend is the stuttering step that keeps TLC deadlock-free.
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
  });

  it.each([
    ['ignore1bValues', 13],
    ['voteBelowPromise', 13],
  ])('variant %s: two values chosen, shortest trace %i states', async (variant, length) => {
    const r = await check(compileSpec(paxos, { variant }), noSymmetry);
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['chosenUnique', 'invariant', length]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    const votes = last.msgs.filter((m: any) => m.type === '2b');
    expect(new Set(votes.map((m: any) => m.val)).size).toBe(2);
  });
});
