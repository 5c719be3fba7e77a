// specs/ewd840.ts against TLC's numbers for Merz's EWD840 (EWD840.cfg, and the same spec with
// N = 4), its liveness property, and the exact shortest counterexample of its bug variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import ewd840 from '../../specs/ewd840.js';

describe('ewd840 (EWD840.tla, termination detection on a ring)', () => {
  it('EWD840.cfg (N = 3): TLC 302 distinct / 2,001 generated / depth 9; Liveness holds under WF(System)', async () => {
    const r = await check(compileSpec(ewd840));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 302, 2001, 9]);
    expect(r.liveness!.properties.map((p) => [p.property, p.holds])).toEqual([['liveness', true]]);
    // The 192 initial states: every activity and colouring, any token position, a black token.
    expect(compileSpec(ewd840).initStates()).toHaveLength(192);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['detects', 4]]);
    expect(r.coverage.filter((c) => c.distinct === 0)).toEqual([]);
  });

  it('N = 4 (TLC: 1,566 / 15,986 / 12) and N = 5 (TLC: 7,742 / 114,211 / 15), safety only', async () => {
    const four = await check(compileSpec(ewd840, { params: { n: 4 } }), { liveness: false });
    expect([four.verdict, four.distinctStates, four.totalStates, four.stateDepth]).toEqual(['ok', 1566, 15986, 12]);
    const five = await check(compileSpec(ewd840, { params: { n: 5 } }), { liveness: false });
    expect([five.verdict, five.distinctStates, five.totalStates, five.stateDepth]).toEqual(['ok', 7742, 114211, 15]);
  });

  it('variant sendNoBlacken: termination detected while a node is active, shortest trace 6 states', async () => {
    const r = await check(compileSpec(ewd840, { variant: 'sendNoBlacken' }), { liveness: false });
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['terminationDetection', 'invariant', 6]]);
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as any;
    expect([last.tpos, last.tcolor, [...last.active.values()].some(Boolean)]).toEqual([0, 'white', true]);
  });
});
