// specs/multipaxos-smr.ts against TLC's numbers for Hu's MultiPaxos_MC with smaller constant
// sets than MultiPaxos_MC_small.cfg (343,796 / 736,012 / 28, equal in synod too, takes minutes:
// a benchmark), and the shortest counterexample of its bug variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import multiPaxos from '../../specs/multipaxos-smr.js';

const counts = (r: { verdict: string; distinctStates: number; totalStates: number; stateDepth: number }) =>
  [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('multipaxos-smr (MultiPaxos.tla, SMR style)', () => {
  it('defaults (3 replicas, w1, no reads), SYMMETRY on replicas: TLC 2,628 distinct / 4,697 generated / depth 19', async () => {
    const r = await check(compileSpec(multiPaxos)); // the defaults
    expect(counts(r)).toEqual(['ok', 2628, 4697, 19]);
    expect(r.symmetry?.states).toBe(15709);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['terminates', 7]]);
  });

  it('2 replicas, w1, r1: TLC 1,163 / 1,905 / 20, the unreduced counts (TLC applied no symmetry there)', async () => {
    // TLC 2.20 warned that the symmetry set "contains less than two elements" and reported the
    // counts of the full state space; with reduction synod finds 582 orbits of those 1,163.
    const spec = compileSpec(multiPaxos, { params: { replicas: 2, reads: 1 } });
    expect(counts(await check(spec, { symmetry: false }))).toEqual(['ok', 1163, 1905, 20]);
    const sym = await check(spec);
    expect([sym.distinctStates, sym.symmetry?.states]).toEqual([582, 1163]);
    expect(sym.coverage.filter((c) => c.distinct === 0).map((c) => c.action)).toEqual(['Terminating']);
  });

  it('variant minorityQuorum (2 replicas): w1 acknowledged, then r1 reads nil; shortest trace 9 states', async () => {
    const r = await check(compileSpec(multiPaxos, { variant: 'minorityQuorum' }));
    expect(r.violations.map((v) => [v.property, v.kind])).toEqual([['linearizability', 'invariant']]);
    expect(r.violations[0]!.trace!.steps.length).toBe(9);
  });
});
