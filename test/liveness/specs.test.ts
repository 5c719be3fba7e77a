// Liveness verdicts and lasso shapes of the bundled specs and the lossy-channel fixture; every
// lasso is checked by the reference validator (a real cycle, the property violated, fair).
import { describe, expect, it } from 'vitest';
import { check, compileSpec, type CheckResult, type Spec } from 'synod';
import { summaryJSON, traceITF } from '../../src/report/summary.js';
import { formatTrace } from '../../src/report/text.js';
import { lassoProblem } from '../reference/liveness.js';
import lossy from '../fixtures/lossy-channel.js';
import twoPhase from '../../specs/two-phase-commit.js';
import gossip from '../../specs/gossip.js';
import pb from '../../specs/primary-backup.js';
import raft from '../../specs/raft-election.js';
import livelock from '../../specs/paxos-livelock.js';

async function run(spec: Spec, options: { variant?: string; params?: Record<string, string> } = {}): Promise<{ r: CheckResult; compiled: ReturnType<typeof compileSpec> }> {
  const compiled = compileSpec(spec, options);
  const r = await check(compiled);
  expect(r.error).toBeNull();
  // Every lasso is a fair behaviour that violates its property.
  for (const v of r.violations.filter((x) => x.kind === 'liveness')) {
    const l = compiled.liveness.find((x) => x.name === v.property)!;
    expect(lassoProblem(compiled, v.trace!, l), v.property).toBeNull();
  }
  return { r, compiled };
}
const verdicts = (r: CheckResult) => r.liveness!.properties.map((p) => [p.property, p.holds]);
const lasso = (r: CheckResult, property: string) => {
  const t = r.violations.find((v) => v.property === property)!.trace!;
  return { actions: t.steps.slice(1).map((s) => s.label), loop: t.loop };
};

describe('why fairness matters: a sender retransmitting over a lossy channel', () => {
  it('no fairness: the behaviour may stop in the initial state', async () => {
    const { r } = await run(lossy, { params: { fairness: 'none' } });
    expect(verdicts(r)).toEqual([['delivered', false], ['sentLeadsToDelivered', false], ['quietInTheEnd', false]]);
    expect(lasso(r, 'delivered')).toEqual({ actions: [], loop: 0 });
  });
  it('weak fairness: send and lose for ever (deliver is enabled only now and then)', async () => {
    const { r } = await run(lossy, { params: { fairness: 'weak' } });
    expect(lasso(r, 'delivered')).toEqual({ actions: ['send', 'lose'], loop: 0 });
    expect(lasso(r, 'sentLeadsToDelivered')).toEqual({ actions: ['send', 'lose', 'send'], loop: 1 });
    expect(formatTrace(r.violations[0]!.trace!).at(-1)).toContain('Back to state 1');
  });
  it('strong fairness of deliver: every property holds', async () => {
    const { r } = await run(lossy, { params: { fairness: 'strong' } });
    expect([r.verdict, verdicts(r)]).toEqual(['ok', [['delivered', true], ['sentLeadsToDelivered', true], ['quietInTheEnd', true]]]);
  });
  it('[]<>inFlight fails once the message is delivered and the channel stays quiet', async () => {
    const { r } = await run(lossy, { params: { fairness: 'strong' }, variant: 'busy' });
    expect(lasso(r, 'busy')).toEqual({ actions: ['send', 'deliver'], loop: 2 });
  });
  it('JSON gives the loop; ITF leaves out the repeated state and sets loop', async () => {
    const { r, compiled } = await run(lossy, { params: { fairness: 'weak' } });
    const json = summaryJSON(r, { timings: false }) as any;
    expect(json.violations[0]).toMatchObject({ property: 'delivered', kind: 'liveness', replayPath: '0/0/0', loop: 0 });
    expect(json.liveness).toEqual({
      properties: [
        { property: 'delivered', form: 'eventually', holds: false },
        { property: 'sentLeadsToDelivered', form: 'leadsTo', holds: false },
        { property: 'quietInTheEnd', form: 'eventuallyAlways', holds: false },
      ],
      fairness: ['WF(send)', 'WF(deliver)'], separatePass: false, reduced: false, unreducedBecause: null, states: 3, edges: 3,
    });
    const itf = traceITF(r.violations[0]!.trace!, compiled.stateType, {}) as any;
    expect([itf.loop, itf.states.length]).toEqual([0, 2]);
  });
});

describe('bundled specs', () => {
  it('two-phase-commit: allDecide holds under weak fairness', async () => {
    const { r } = await run(twoPhase);
    // Checked on the symmetry-reduced graph: its 80 orbits (288 states without symmetry).
    expect([r.verdict, verdicts(r), r.liveness!.states, r.liveness!.reduced]).toEqual(['ok', [['allDecide', true]], 80, true]);
  });
  it('two-phase-commit coordinatorCrash: prepared RMs block for ever', async () => {
    const { r } = await run(twoPhase, { variant: 'coordinatorCrash' });
    expect(lasso(r, 'allDecide')).toEqual({ actions: ['RMPrepare(r1)', 'RMPrepare(r2)', 'RMPrepare(r3)', 'TMCrash'], loop: 4 });
  });
  it('gossip: anti-entropy converges under weak fairness; rumour mongering may not', async () => {
    expect(verdicts((await run(gossip)).r)).toEqual([['allConverge', true]]);
    const { r } = await run(gossip, { variant: 'rumor' });
    expect(lasso(r, 'allConverge')).toEqual({ actions: ['Update(n1, k1)', 'Tell(n1, n2, k1)', 'Tell(n1, n2, k1)', 'Tell(n2, n1, k1)'], loop: 4 });
  });
  it('primary-backup: every write is acknowledged, unless a backup may crash', async () => {
    expect(verdicts((await run(pb)).r)).toEqual([['everyWriteAcked', true]]);
    const { r } = await run(pb, { variant: 'backupCrash' });
    expect(lasso(r, 'everyWriteAcked').actions.at(-1)).toBe('Crash(n3)');
  });
  it('raft-election: no leader is guaranteed, with or without fairness', async () => {
    expect((await run(raft)).r.verdict).toBe('ok'); // the base spec states no liveness property
    const fair = (await run(raft, { variant: 'splitVotes' })).r;
    expect(verdicts(fair)).toEqual([['eventuallyLeader', false]]);
    // Split votes up to maxTerm: every node a candidate, nobody can win or time out again.
    const last = fair.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect([...last.role.values()]).toEqual(['candidate', 'candidate', 'candidate']);
    expect(lasso((await run(raft, { variant: 'noFairness' })).r, 'eventuallyLeader')).toEqual({ actions: [], loop: 0 });
  });
});

describe('paxos-livelock: dueling proposers (the seed\'s "paxos活锁"), ballots unbounded by renumbering', () => {
  /** In the cycle of a lasso: each step's label and the phase changes it makes. */
  const cycleOf = (r: CheckResult) => {
    const steps = r.violations[0]!.trace!.steps;
    const loop = r.violations[0]!.trace!.loop!;
    return steps.slice(loop + 1).map((st, i) => {
      const before = steps[loop + i]!.state as any;
      const after = st.state as any;
      const moved = ['p1', 'p2'].filter((q) => before.phase.get(q) !== after.phase.get(q)).map((q) => `${q} ${before.phase.get(q)}->${after.phase.get(q)}`);
      return { label: st.label, moved };
    });
  };
  it('no fairness: the behaviour may stop before anyone proposes', async () => {
    const { r } = await run(livelock, { variant: 'noFairness' });
    expect(lasso(r, 'eventuallyChosen')).toEqual({ actions: [], loop: 0 });
  });
  it('weak fairness, two proposers free to start ballots: the seed\'s duel, each accept rejected by the other\'s newer prepare', async () => {
    const { r } = await run(livelock);
    expect(r.violations.map((v) => [v.property, v.kind])).toEqual([['eventuallyChosen', 'liveness']]);
    expect(lasso(r, 'eventuallyChosen')).toEqual({
      actions: [
        'Prepare(p1)', 'Prepare(p2)', 'ReceiveNext(a1)', 'ReceiveNext(a2)',
        // the cycle: p1's accept(1) is rejected by prepare(2), p2's accept(2) by prepare(3), ...
        'ReceiveNext(a3)', 'Accept(p1)', 'ReceiveNext(a1)', 'ReceiveNext(a2)', 'ReceiveNext(a3)',
        'ReceiveNext(a1)', 'ReceiveNext(a2)', 'ReceiveNext(a3)', 'Prepare(p1)', 'Accept(p2)',
        'ReceiveNext(a1)', 'ReceiveNext(a1)', 'ReceiveNext(a2)', 'ReceiveNext(a2)', 'ReceiveNext(a3)', 'ReceiveNext(a3)', 'Prepare(p2)',
      ],
      loop: 5,
    });
    // Both proposers reach phase 2 and are rejected there, then start again, in every round.
    const moves = cycleOf(r).flatMap((c) => c.moved);
    for (const q of ['p1', 'p2']) {
      expect(moves).toContain(`${q} prepare->accept`);
      expect(moves).toContain(`${q} accept->rejected`);
      expect(moves).toContain(`${q} rejected->prepare`);
    }
    expect(moves.filter((m) => m.endsWith('prepare->rejected'))).toEqual([]);
  });
  it('a distinguished proposer (only p1 starts ballots) with the same fairness: a value is chosen', async () => {
    const { r } = await run(livelock, { variant: 'distinguishedProposer' });
    expect([r.verdict, verdicts(r), r.liveness!.states]).toEqual(['ok', [['eventuallyChosen', true]], 9]); // orbits of 17 states
  });
  it('reordering: the duel may also be fought in phase 1 (a prepare rejected)', async () => {
    const { r } = await run(livelock, { variant: 'reordering' });
    const l = lasso(r, 'eventuallyChosen');
    expect([l.actions.length, l.loop, r.liveness!.states]).toEqual([13, 5, 5183]); // orbits of 27,581 states
    expect(cycleOf(r).flatMap((c) => c.moved).filter((m) => m.endsWith('prepare->rejected')).sort()).toEqual(['p1 prepare->rejected', 'p2 prepare->rejected']);
  });
});
