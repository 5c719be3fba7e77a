// Random simulation: reproducible by seed, finds the bundled bugs, and shrinks their traces to
// (near) the breadth-first shortest.
import { describe, expect, it } from 'vitest';
import { check, compileSpec, defineSpec, t } from 'synod';
import { random, simulate } from '../../src/check/simulate.js';
import { shrink } from '../../src/check/shrink.js';
import dieHard from '../../specs/die-hard.js';
import twoPhase from '../../specs/two-phase-commit.js';
import counter from '../fixtures/counter.js';
import raft from '../../specs/raft-election.js';
import { replay } from '../../src/check/replay.js';

describe('simulate', () => {
  it('the same seed gives the same walks', async () => {
    const spec = compileSpec(twoPhase, { variant: 'commitEarly' });
    const a = await simulate(spec, { seed: 7, runs: 200 });
    const b = await simulate(spec, { seed: 7, runs: 200 });
    expect(a.violation).not.toBeNull();
    expect({ ...a, durationMs: 0 }).toEqual({ ...b, durationMs: 0 });
    const c = await simulate(spec, { seed: 8, runs: 200 });
    expect(c.violation!.path).not.toEqual(a.violation!.path);
  });

  it('the generator is uniform enough: each of 10 buckets gets 8-12% of 100,000 draws', () => {
    const r = random(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r() * 10)]++;
    for (const b of buckets) {
      expect(b).toBeGreaterThan(8000);
      expect(b).toBeLessThan(12000);
    }
  });

  for (const [name, spec, variant] of [['die-hard', dieHard, null], ['two-phase-commit', twoPhase, 'commitEarly']] as const) {
    it(`${name}${variant ? ` ${variant}` : ''}: found, and shrunk to at most twice the shortest trace`, async () => {
      const compiled = compileSpec(spec, { variant });
      const shortest = (await check(compiled)).violations[0]!.trace!.steps.length;
      for (const seed of [1, 2, 3]) {
        const sim = await simulate(compiled, { seed, runs: 1000 });
        expect(sim.violation).not.toBeNull();
        const shrunk = await shrink(compiled, sim.violation!, { deadlock: true });
        expect(shrunk.path.length).toBeLessThanOrEqual(sim.violation!.path.length);
        expect(shrunk.path.length).toBeLessThanOrEqual(2 * shortest);
        expect(shrunk.path.length).toBeGreaterThanOrEqual(shortest);
      }
    });
  }

  it('reports deadlocks and respects terminal states', async () => {
    const stuck = await simulate(compileSpec(counter, { variant: 'stuck' }), { seed: 1, runs: 10 });
    expect(stuck.violation).toMatchObject({ property: 'deadlock', kind: 'deadlock', path: [0, 0, 0, 0] });
    const fine = await simulate(compileSpec(counter), { seed: 1, runs: 10 });
    expect([fine.violation, fine.stopReason, fine.runs]).toEqual([null, 'runs', 10]);
  });

  it('stops at the first property a walk breaks', async () => {
    const sim = await simulate(compileSpec(counter, { variant: 'twoBugs' }), { seed: 1, runs: 10 });
    expect(sim.violation!.property).toBe('notOne');
  });

  // The issue's bar: `synod simulate specs/raft-election.ts --variant V --seed 1` (1000 walks of
  // at most 100 steps) finds every bug, shrunk to at most twice the shortest trace. Measured:
  // votesTwice 13 -> 7 (shortest 7), countsStaleVotes 9 -> 8 (8), noStepDown 11 -> 7 (7).
  // (The liveness variants splitVotes and noFairness break no invariant: simulation finds
  // safety bugs, and their lassos come from `synod check`.)
  for (const variant of ['votesTwice', 'countsStaleVotes', 'noStepDown']) {
    it(`raft-election ${variant}: seed 1 finds it, shrunk to at most twice the shortest trace`, async () => {
      const spec = compileSpec(raft, { variant });
      const shortest = (await check(spec)).violations[0]!.trace!.steps.length;
      const sim = await simulate(spec, { seed: 1 });
      expect(sim.violation?.property).toBe('singleLeaderPerTerm');
      const shrunk = await shrink(spec, sim.violation!, { deadlock: true });
      expect(shrunk.path.length).toBeGreaterThanOrEqual(shortest);
      expect(shrunk.path.length).toBeLessThanOrEqual(2 * shortest);
    });
  }

  it('violation and witness paths replay to states that break or satisfy the property', async () => {
    const spec = compileSpec(raft, { variant: 'noStepDown' });
    const sim = await simulate(spec, { seed: 3 });
    const last = (path: number[]) => replay(spec, path).steps.at(-1)!.state;
    expect(spec.invariants.find((p) => p.name === sim.violation!.property)!.check(last(sim.violation!.path))).toBe(false);
    const reached = sim.witnesses.filter((w) => w.path !== null);
    expect(reached.length).toBeGreaterThan(0);
    for (const w of reached) expect(spec.witnesses.find((p) => p.name === w.property)!.check(last(w.path!))).toBe(true);
  });

  it('--weight 0 never picks an action: without aborts commitEarly cannot go wrong', async () => {
    const spec = compileSpec(twoPhase, { variant: 'commitEarly' });
    const noAbort = await simulate(spec, { seed: 1, runs: 300, weights: { TMAbort: 0, RMChooseToAbort: 0 } });
    expect([noAbort.violation, noAbort.runs]).toEqual([null, 300]);
    expect((await simulate(spec, { seed: 1, runs: 300 })).violation).not.toBeNull();
  });

  it('a walk that only a weight-0 action could continue ends without a deadlock', async () => {
    const sim = await simulate(compileSpec(raft), { seed: 1, runs: 5, weights: { Timeout: 0 } });
    expect([sim.violation, sim.steps, sim.runs]).toEqual([null, 0, 5]);
  });

  it('spec code that throws is a coded spec error with the replay path of the walk', async () => {
    const guard = simulate(compileSpec(counter, { variant: 'guardThrows' }), { seed: 1, runs: 5 });
    await expect(guard).rejects.toMatchObject({ code: 'SYN302' });
    await expect(guard).rejects.toThrow(/guard \(when\) of inc threw: boom at two[\s\S]*during random walk 1 \(seed 1\), at replay path 0\/0\/0$/);
    const type = simulate(compileSpec(counter, { variant: 'overflow' }), { seed: 1, runs: 5 });
    await expect(type).rejects.toMatchObject({ code: 'SYN304' });
    await expect(type).rejects.toThrow(/state\.x: expected int 0\.\.3, got 4\n  during random walk 1 \(seed 1\), at replay path 0\/0\/0\/0$/);
  });

  describe('a step is uniform over the enabled instances (by weight)', () => {
    // From x = 0: A, and B(1) .. B(4) where B(2)'s guard is false and B(3)'s effect yields
    // nothing; so A, B(1) and B(4) are enabled. Effects count how often they are chosen.
    const chosen = new Map<string, number>();
    const count = (k: string) => chosen.set(k, (chosen.get(k) ?? 0) + 1);
    const choice = defineSpec({
      name: 'choice',
      types: () => ({ state: t.record({ x: t.int(0, 5) }) }),
      init: (T) => T.state.make({ x: 0 }),
      actions: () => ({
        A: { when: (s) => s.x === 0, then: (s) => { count('A'); return s.set('x', 5); } },
        B: { over: [[1, 2, 3, 4]], when: (s, i) => s.x === 0 && i !== 2, then: (s, i) => { count(`B${i}`); return i === 3 ? null : s.set('x', i); } },
      }),
      terminal: () => true,
    });
    const shares = async (weights?: Record<string, number>) => {
      chosen.clear();
      await simulate(compileSpec(choice), { seed: 11, runs: 6000, weights });
      return ['A', 'B1', 'B4'].map((k) => (chosen.get(k) ?? 0) / 6000);
    };

    it('equal weights: a third each', async () => {
      for (const share of await shares()) {
        expect(share).toBeGreaterThan(0.3);
        expect(share).toBeLessThan(0.37);
      }
    });

    it('A=2: a half for A, a quarter for each B', async () => {
      const [a, b1, b4] = await shares({ A: 2 });
      expect(a).toBeGreaterThan(0.46);
      expect(a).toBeLessThan(0.54);
      for (const b of [b1!, b4!]) {
        expect(b).toBeGreaterThan(0.21);
        expect(b).toBeLessThan(0.29);
      }
    });
  });
});
