// specs/zab.ts (ZooKeeper Atomic Broadcast): golden counts with and without symmetry, the
// witnesses, each bug variant's shortest counterexample, and the FIFO assumption at work.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import zab from '../../specs/zab.js';

const counts = (r: Awaited<ReturnType<typeof check>>) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];
const labels = (trace: { steps: readonly { label: string }[] } | null | undefined) => trace?.steps.map((s) => s.label);
/** A delivered sequence as [epoch, counter, write] triples. */
const txns = (d: any) => d.toArray().map((x: any) => [x.epoch, x.counter, x.write]);

describe('zab (3 servers, epochs 1..2, 2 writes, FIFO channels)', () => {
  it('holds: 3,025 orbits of 17,725 states / 13,834 generated / depth 18; every witness reached', async () => {
    const r = await check(compileSpec(zab));
    expect(counts(r)).toEqual(['ok', 3025, 13834, 18]);
    expect(r.symmetry?.states).toBe(17725);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([
      ['deliveredByQuorum', 7],
      ['secondEpochBroadcast', 7],
      ['proposalDiscarded', 9],
    ]);
    expect(r.coverage.map((c) => c.action)).toEqual(['NewEpoch', 'Join', 'Sync', 'Propose', 'ReceivePropose', 'ReceiveAck', 'ReceiveCommit']);
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
    // The discarded proposal: n1, leader of epoch 1 after n2 started epoch 2, takes write 1;
    // it joins epoch 2, and n2's NEWLEADER replaces n1's history with write 2, which n1's
    // acknowledgement commits.
    const trace = r.witnesses.find((w) => w.property === 'proposalDiscarded')!.trace!;
    expect(labels(trace)).toEqual([
      'Initial predicate',
      'NewEpoch(n1, ["n1","n2"])',
      'Sync(n1, n2)',
      'NewEpoch(n2, ["n2","n3"])',
      'Sync(n2, n3)',
      'Propose(n1)',
      'Join(n2, n1)',
      'Propose(n2)',
      'Sync(n2, n1)',
    ]);
    const last = trace.steps.at(-1)!.state as any;
    expect(txns(last.history.get('n1'))).toEqual([[2, 1, 2]]);
    expect(txns(last.delivered.get('n2'))).toEqual([[2, 1, 2]]);
    expect(txns(last.proposed)).toEqual([[1, 1, 1], [2, 1, 2]]);
  });

  it('without symmetry: 17,725 distinct / 80,614 generated / depth 18', async () => {
    const r = await check(compileSpec(zab), { symmetry: false });
    expect(counts(r)).toEqual(['ok', 17725, 80614, 18]);
  });

  it('variant skipSync: primaryIntegrity fails in 7 states; the new leader broadcasts before delivering write 1', async () => {
    const r = await check(compileSpec(zab, { variant: 'skipSync' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['primaryIntegrity', 'invariant', 7]]);
    const steps = r.violations[0]!.trace!.steps;
    expect(labels(r.violations[0]!.trace)).toEqual([
      'Initial predicate',
      'NewEpoch(n1, ["n1","n2"])',
      'Propose(n1)',
      'ReceivePropose(Propose(from: n1, to: n2, txn: Txn(epoch: 1, counter: 1, write: 1)))',
      'ReceiveAck(Ack(from: n2, to: n1, epoch: 1, counter: 1))',
      'NewEpoch(n2, ["n1","n2"])',
      'Propose(n2)',
    ]);
    const last = steps.at(-1)!.state as any;
    expect(txns(last.delivered.get('n1'))).toEqual([[1, 1, 1]]);
    expect(txns(last.delivered.get('n2'))).toEqual([]);
  });

  it('skipSync breaks totalOrder too, one step later: a follower delivers write 2 without write 1', async () => {
    const spec = compileSpec(zab, { variant: 'skipSync' });
    const r = await check({ ...spec, invariants: spec.invariants.filter((i) => i.name !== 'primaryIntegrity') });
    expect(r.violations.map((v) => [v.property, v.trace?.steps.length])).toEqual([['totalOrder', 8]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect(txns(last.delivered.get('n1'))).toEqual([[1, 1, 1], [2, 1, 2]]);
    expect(txns(last.delivered.get('n2'))).toEqual([[2, 1, 2]]);
  });

  it('variant minorityQuorum: zxidAgreement fails in 5 states; two leaders of epoch 1 deliver different writes as (1, 1)', async () => {
    const r = await check(compileSpec(zab, { variant: 'minorityQuorum' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['zxidAgreement', 'invariant', 5]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect([txns(last.delivered.get('n1')), txns(last.delivered.get('n2'))]).toEqual([[[1, 1, 1]], [[1, 1, 2]]]);
  });

  it('variant unorderedChannels: primaryOrder fails in 8 states; (1, 2) overtakes (1, 1) and recovery delivers it alone', async () => {
    const r = await check(compileSpec(zab, { variant: 'unorderedChannels' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['primaryOrder', 'invariant', 8]]);
    expect(labels(r.violations[0]!.trace)).toContain('ReceivePropose(Propose(from: n1, to: n2, txn: Txn(epoch: 1, counter: 2, write: 2)))');
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect(txns(last.delivered.get('n1'))).toEqual([[1, 2, 2]]);
  });

  it('the same reordering is harmless under FIFO: a follower receives proposals only in zxid order', () => {
    const spec = compileSpec(zab);
    const action = new Map(spec.actions.map((a) => [a.name, a]));
    let s: any = spec.initStates()[0];
    const run = (name: string, ...args: unknown[]) => {
      const a = action.get(name)!;
      expect(a.when?.(s, ...args) ?? true, `${name} is enabled`).toBe(true);
      const next = a.then(s, ...args);
      s = Array.isArray(next) ? next[0] : next;
    };
    run('NewEpoch', 'n1', ['n1', 'n2']);
    run('Sync', 'n1', 'n2');
    run('Propose', 'n1');
    run('Propose', 'n1');
    // Both proposals are in flight to n2, but only the head of the channel n1 -> n2 can arrive.
    const queue = [...s.net.entries()].find(([c]: [any]) => c.from === 'n1' && c.to === 'n2')![1];
    expect(queue.map((m: any) => m.txn.counter).toArray()).toEqual([1, 2]);
    const arriving = [...(action.get('ReceivePropose')!.domains[0] as (s: unknown) => Iterable<any>)(s)];
    expect(arriving.map((m) => [m.to, m.txn.counter])).toEqual([['n2', 1]]);
  });

  it('maxDown must not exceed nodes', () => {
    expect(() => compileSpec(zab, { params: { maxDown: 4 } })).toThrow(/maxDown=4 must be at most nodes=3/);
  });
});
