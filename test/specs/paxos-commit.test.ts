// specs/paxos-commit.ts: golden counts of small configurations (the standard model, TLC's
// 1,321,761 / 16,959,159 / 28, takes minutes and is a benchmark, not a test) and the exact
// shortest counterexamples of its bug variants.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import paxosCommit from '../../specs/paxos-commit.js';

// PaxosCommit.cfg declares no SYMMETRY: TLC-comparable counts need reduction off.
const noSymmetry = { symmetry: false };

describe('paxos-commit (PaxosCommit.tla)', () => {
  it('defaults (rm=2, 1 acceptor, ballots 0..1): 1,425 distinct / 9,961 generated / depth 16', async () => {
    const r = await check(compileSpec(paxosCommit), noSymmetry);
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 1425, 9961, 16]);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someCommit', 7]]);
    // Every action fires; Phase1a's resend is the stuttering step that keeps TLC deadlock-free.
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
  });

  it('defaults with symmetry of RM and Acceptor: 735 orbits, depth 16', async () => {
    const r = await check(compileSpec(paxosCommit));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 735, 5141, 16]);
  });

  it('rm=1 with 3 acceptors (Majority = the three pairs): 1,461 / 9,936 / 15', async () => {
    const spec = compileSpec(paxosCommit, { params: { rm: 1, acceptors: 3 } });
    const majority = (spec.types as any).Majority.map((ms: any) => [...ms]);
    expect(majority).toEqual([['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3']]);
    const r = await check(spec, noSymmetry);
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 1461, 9936, 15]);
  });

  it.each([
    ['commitOnOne', 6],
    ['skipPhase1', 11],
  ])('variant %s: an RM commits while another aborts, shortest trace %i states', async (variant, length) => {
    const r = await check(compileSpec(paxosCommit, { variant }), noSymmetry);
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['consistent', 'invariant', length]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect([...last.rmState.values()].sort()).toEqual(['aborted', 'committed']);
  });
});
