// Liveness within the one engine's run: a separate liveness pass (under symmetry, when liveness
// cannot use the reduced graph: here the symmetry check is skipped) shares the first run's
// limits, and when it is cut the result says why, instead of "INCOMPLETE (null)".
import { describe, expect, it } from 'vitest';
import { compileSpec } from 'synod';
// The engine's own check: these tests hand it checkpoints and an interrupt flag, which the public API does not take.
import { check } from '../../src/check/check.js';
import twoPhase from '../../specs/two-phase-commit.js';

describe('liveness under the run\'s limits', () => {
  const spec = compileSpec(twoPhase, { params: { rm: '5' } });

  it('--max-states cuts the unreduced liveness pass: incomplete, stopped by max-states, liveness unchecked', async () => {
    const whole = await check(spec, { maxStates: 1000, checkSymmetry: false });
    expect(whole.distinctStates).toBeLessThan(1000); // the reduced safety run is complete...
    expect([whole.verdict, whole.complete, whole.stopReason]).toEqual(['incomplete', false, 'max-states']); // ...the liveness pass is not
    expect(whole.liveness!.properties.every((p) => p.holds === null)).toBe(true);
    expect(whole.liveness!.unreducedBecause).toBe('the symmetry check was skipped (--no-check-symmetry)');
  });

  it('without a cut, the same run checks liveness (the budget is the same, not a fresh one)', async () => {
    const r = await check(spec, { checkSymmetry: false });
    expect([r.verdict, r.stopReason]).toEqual(['ok', null]);
    expect(r.liveness!.properties.every((p) => p.holds === true)).toBe(true);
  });

  it('--time-limit counts from the start of the run: the liveness pass gets what is left, not a fresh limit', async () => {
    const bigger = compileSpec(twoPhase, { params: { rm: '6' } }); // its unreduced liveness pass takes seconds
    const t0 = performance.now();
    await check(bigger, { checkSymmetry: false, liveness: false }); // the first pass alone (and warm)
    const firstPass = performance.now() - t0;
    // The first pass is made to take 1.5 s more; the limit leaves it room to finish. A fresh
    // limit for the second pass would end the run at least 1.5 s past the limit.
    const limit = 2 * firstPass + 2000;
    let slowed = false;
    let lastStep = 0;
    const slowFirstPass = (p: { phase?: { step: number } }): void => {
      lastStep = p.phase?.step ?? 0;
      if (slowed || lastStep !== 1) return;
      slowed = true;
      for (const end = performance.now() + 1500; performance.now() < end;);
    };
    const started = performance.now();
    const r = await check(bigger, { checkSymmetry: false, timeLimitMs: limit, progressIntervalMs: 0, onProgress: slowFirstPass });
    const wall = performance.now() - started;
    expect([slowed, lastStep]).toEqual([true, 2]); // the second pass ran
    expect([r.verdict, r.stopReason, r.liveness!.separatePass]).toEqual(['incomplete', 'time-limit', true]);
    expect(r.liveness!.properties.every((p) => p.holds === null)).toBe(true);
    expect(wall).toBeLessThan(limit + 1000); // a chunk under way when the limit comes may finish
  });

  it('a Ctrl-C request during the liveness pass stops it, and says so', async () => {
    const reduced = (await check(spec, { liveness: false })).distinctStates;
    const interrupt = { stop: false };
    // More states than the reduced run has: the unreduced liveness pass is under way.
    const r = await check(spec, { checkSymmetry: false, interrupt, progressIntervalMs: 0, onProgress: (p) => { if (p.distinct > reduced) interrupt.stop = true; } });
    expect(interrupt.stop).toBe(true);
    expect([r.verdict, r.stopReason, r.distinctStates]).toEqual(['incomplete', 'interrupted', reduced]);
  });

  it('with the symmetry check (the default) liveness runs on the reduced graph in the same run: a cut there is the search\'s own', async () => {
    const r = await check(spec, { maxStates: 100 });
    expect([r.verdict, r.stopReason, r.liveness!.separatePass]).toEqual(['incomplete', 'max-states', false]);
    const whole = await check(spec, {});
    expect([whole.verdict, whole.liveness!.reduced, whole.liveness!.states]).toEqual(['ok', true, whole.distinctStates]);
  });
});
