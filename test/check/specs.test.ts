import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import dieHard from '../../specs/die-hard.js';
import tcommit from '../../specs/tcommit.js';
import twoPhase from '../../specs/two-phase-commit.js';

describe('bundled specs match TLC', () => {
  it('two-phase-commit rm=3: 288 distinct, 1146 generated, depth 11', async () => {
    const r = await check(compileSpec(twoPhase), { symmetry: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 288, 1146, 11]);
  });
  it('tcommit rm=3: 34 / 94 / 7', async () => {
    const r = await check(compileSpec(tcommit), { symmetry: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 34, 94, 7]);
  });
  it('die-hard: notSolved fails with a 7-state trace', async () => {
    const r = await check(compileSpec(dieHard));
    expect(r.verdict).toBe('violation');
    expect(r.violations[0]!.property).toBe('notSolved');
    expect(r.violations[0]!.trace!.steps.length).toBe(7);
  });
});

describe('two-phase-commit coordinatorCrash (the seed: prepared RMs block)', () => {
  it('blocks with every RM prepared and the TM crashed: allDecide fails, 5 states then stuttering', async () => {
    const r = await check(compileSpec(twoPhase, { variant: 'coordinatorCrash' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace!.steps.length, v.trace!.loop])).toEqual([['allDecide', 'liveness', 5, 4]]);
    expect(r.violations[0]!.trace!.steps.at(-1)!.label).toBe('TMCrash');
  });
});
