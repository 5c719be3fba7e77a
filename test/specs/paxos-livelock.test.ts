// specs/paxos-livelock.ts (dueling Paxos proposers with renumbered ballots): golden counts, the
// witnesses, and the soundness of the ballot abstraction: renaming the ballots of any
// reachable state by an order-preserving map changes neither what is enabled nor where it
// leads. (The liveness verdicts and lassos are in test/liveness/specs.test.ts.)
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import { explicitGraph, fairSuccessors } from '../reference/liveness.js';
import { canonical } from '../reference/explorer.js';
import livelock, { ballotsIn, mapBallots } from '../../specs/paxos-livelock.js';

describe('paxos-livelock (basic Paxos with unbounded, renumbered ballots)', () => {
  it('defaults (3 acceptors, 2 proposers, FIFO inboxes): 131 orbits of 333 states / 307 generated / depth 17', async () => {
    const r = await check(compileSpec(livelock), { liveness: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth, r.symmetry?.states]).toEqual(['ok', 131, 307, 17, 333]);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someChosen', 8], ['acceptRejected', 9]]);
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
  });

  it('reordering: 5,183 orbits of 27,581 states; safety holds', async () => {
    const r = await check(compileSpec(livelock, { variant: 'reordering' }), { liveness: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth, r.symmetry?.states]).toEqual(['ok', 5183, 16337, 45, 27581]);
  });

  it('ballots stay few although unbounded: renumbered, at most 2 are live at once (the type allows 10)', () => {
    const graph = explicitGraph(compileSpec(livelock), 5000)!;
    expect(Math.max(...[...graph.values()].map((n) => ballotsIn(n.state as any).size))).toBe(2);
  });

  // The abstraction's claim: states equal up to an order-preserving renaming of ballots behave
  // the same. Spread the ballots of every reachable state apart (b -> b(b+2): gaps of growing
  // size) and compare the successors, with their fairness classes: every action renumbers its
  // result, so they must be identical, and so must be what is enabled.
  it.each([
    ['defaults', undefined, {}],
    ['reordering, 2 acceptors', 'reordering', { acceptors: '2' }],
  ])('renaming ballots in order commutes with every step (%s)', (_name, variant, params) => {
    const compiled = compileSpec(livelock, { variant, params });
    const graph = explicitGraph(compiled, 5000)!;
    const steps = (s: unknown) => fairSuccessors(compiled, s).map((x) => `${x.cls} ${x.key}`);
    let spreadOut = 0;
    for (const { state } of graph.values()) {
      const spread = mapBallots(state as any, (b) => b * (b + 2));
      if (canonical(spread) !== canonical(state)) spreadOut++;
      expect(steps(spread)).toEqual(steps(state));
    }
    expect(spreadOut).toBeGreaterThan(graph.size / 2);
  });
});
