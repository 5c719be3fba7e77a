// `synod simulate --workers K` and `--weight`, run as a user would: a swarm's result depends on
// --seed alone, its walks add up, and every raft-election bug is found with --seed 1.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function simulate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; summary: any }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', 'simulate', ...args, '--json'], (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr, summary: stdout ? JSON.parse(stdout) : null });
    });
  });
}

const timeless = (s: any) => ({ ...s, durationMs: 0, stepsPerSecond: 0 });

describe('synod simulate --workers', () => {
  it('two walkers: the same seed gives the same merged result; the runs are shared out', async () => {
    const args = ['specs/two-phase-commit.ts', '--workers', '2', '--runs', '101', '--seed', '9'];
    const [a, b] = [await simulate(...args), await simulate(...args)];
    expect(a.code).toBe(3);
    expect(timeless(a.summary)).toEqual(timeless(b.summary));
    expect(a.summary).toMatchObject({ workers: 2, runs: 101, steps: 10_100 });
    expect(a.summary.distinctStates).toBeGreaterThan(0);
    expect(a.summary.distinctStates).toBeLessThanOrEqual(288); // the union, not the sum
  });

  it('a swarm finds a raft-election bug and shrinks it', async () => {
    const r = await simulate('specs/raft-election.ts', '--variant', 'noStepDown', '--seed', '1', '--workers', '3');
    expect(r.code).toBe(1);
    expect(r.summary.violations[0]).toMatchObject({ property: 'singleLeaderPerTerm' });
    expect(r.summary.violations[0].shrunkLength).toBeLessThanOrEqual(14);
  });

  it('a guard that throws in a walker is a coded error naming the walk (exit 2)', async () => {
    const r = await simulate('test/fixtures/counter.ts', '--variant', 'guardThrows', '--seed', '1', '--workers', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[SYN302]: the guard (when) of inc threw: boom at two');
    expect(r.stderr).toContain('at when (test/fixtures/counter.ts:');
    expect(r.stderr).toContain('during random walk 1 (seed 1), at replay path 0/0/0 (walker 0)');
  });

  it('--weight names an action of the spec', async () => {
    const r = await simulate('specs/raft-election.ts', '--weight', 'Vote=2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[SYN104]: --weight: spec 'raft-election' has no action 'Vote'");
  });
});

describe('synod simulate specs/raft-election.ts --variant V --seed 1', () => {
  // Shortest (synod check): votesTwice 7, countsStaleVotes 8, noStepDown 7 states.
  for (const [variant, shortest] of [['votesTwice', 7], ['countsStaleVotes', 8], ['noStepDown', 7]] as const) {
    it(`${variant}: found, shrunk to at most ${2 * shortest} states`, async () => {
      const r = await simulate('specs/raft-election.ts', '--variant', variant, '--seed', '1');
      expect(r.code).toBe(1);
      const v = r.summary.violations[0];
      expect(v.property).toBe('singleLeaderPerTerm');
      expect(v.shrunkLength).toBeGreaterThanOrEqual(shortest);
      expect(v.shrunkLength).toBeLessThanOrEqual(2 * shortest);
    });
  }
});
