// specs/multi-paxos.ts (Multi-Paxos: phase 1 once for all slots, phase 2 per slot, leader
// change): golden counts with and without symmetry reduction, the witnesses (two leaders at
// once, a chosen command carried over by the next leader), and the exact shortest
// counterexample of the bug variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import multiPaxos from '../../specs/multi-paxos.js';

const labels = (trace: { steps: readonly { label: string }[] } | null | undefined) => trace?.steps.map((s) => s.label);

describe('multi-paxos (leader, per-slot phase 2, leader change)', () => {
  it('defaults (3 acceptors, 2 nodes, 2 slots, 2 commands, ballots 1..2): 9,136 orbits / 34,441 generated / depth 26', async () => {
    const r = await check(compileSpec(multiPaxos));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 9136, 34441, 26]);
    // The orbits stand for the 94,019 states that --no-symmetry finds (358,151 generated;
    // checked once from the CLI, too slow for the suite).
    expect(r.symmetry?.states).toBe(94019);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['twoLeaders', 7], ['reproposed', 9], ['fullLog', 9]]);
    // Two leaders at once: n1 (ballot 1, no phase 1 needed) and n2 (ballot 2, promised by a1, a2).
    expect(labels(r.witnesses[0]!.trace)).toEqual([
      'Initial predicate',
      'Prepare(n2)',
      'Propose(n1, c1)',
      'ReceivePrepare(Prepare(bal: 2, acc: a1))',
      'ReceivePrepare(Prepare(bal: 2, acc: a2))',
      'BecomeLeader(n2, {a1, a2})',
      'Propose(n2, c1)',
    ]);
    // n2 is told that a2 accepted c1 at slot 1 in ballot 1 and proposes c1 again; a3's vote
    // then chooses c1 in ballot 1, and ballot 2 carries it over.
    expect(labels(r.witnesses[1]!.trace)).toContain('ReceiveAccept(Accept(bal: 1, slot: 1, cmd: c1, acc: a3))');
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
  });

  it('one slot, with and without symmetry: 383 orbits of 2,883 states (7,991 generated, depth 16)', async () => {
    const params = { slots: 1 };
    const sym = await check(compileSpec(multiPaxos, { params }));
    expect([sym.verdict, sym.distinctStates, sym.totalStates, sym.stateDepth, sym.symmetry?.states]).toEqual(['ok', 383, 1065, 16, 2883]);
    const plain = await check(compileSpec(multiPaxos, { params }), { symmetry: false });
    expect([plain.verdict, plain.distinctStates, plain.totalStates, plain.stateDepth]).toEqual(['ok', 2883, 7991, 16]);
  });

  it('variant ignorePromises breaks slotAgreement, shortest trace 11 states', async () => {
    const r = await check(compileSpec(multiPaxos, { variant: 'ignorePromises' }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['slotAgreement', 'invariant', 11]]);
    // a2 accepts c1 for slot 1 in ballot 1 and reports it to n2, which proposes c2 anyway:
    // {a2, a3} accept c1 in ballot 1 and c2 in ballot 2.
    expect(labels(r.violations[0]!.trace)).toEqual([
      'Initial predicate',
      'Prepare(n2)',
      'Propose(n1, c1)',
      'ReceivePrepare(Prepare(bal: 2, acc: a1))',
      'ReceiveAccept(Accept(bal: 1, slot: 1, cmd: c1, acc: a2))',
      'ReceivePrepare(Prepare(bal: 2, acc: a2))',
      'BecomeLeader(n2, {a1, a2})',
      'Propose(n2, c2)',
      'ReceiveAccept(Accept(bal: 2, slot: 1, cmd: c2, acc: a2))',
      'ReceiveAccept(Accept(bal: 1, slot: 1, cmd: c1, acc: a3))',
      'ReceiveAccept(Accept(bal: 2, slot: 1, cmd: c2, acc: a3))',
    ]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect(last.reported.get('n2').get(1).cmd).toBe('c1');
  });
});
