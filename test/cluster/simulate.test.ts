// `synod simulate --cluster` through a real redis-server on loopback: the walks run on worker
// processes in batches, and the result is the one a local run with the same seeds gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { killWhileHolding, startRedis, synod, until, type Proc, type RedisServer } from './servers.js';

const summary = (p: Proc): any => JSON.parse(p.out());
/** A summary without what depends on the clock or on where the walks ran. */
const walked = (s: any) => ({ ...s, durationMs: 0, stepsPerSecond: 0, workers: 0 });

describe('synod simulate --cluster', () => {
  let redis: RedisServer;
  let workers: Proc[] = [];
  const procs: Proc[] = [];
  const start = (args: string[]): Proc => {
    const p = synod(args);
    procs.push(p);
    return p;
  };
  const simulate = (args: string[]): Proc => start(['simulate', ...args, '--json']);

  beforeAll(async () => {
    redis = await startRedis();
    // Two workers for the whole file: each test's run is a new run they join.
    workers = [start(['worker', '--cluster', redis.url]), start(['worker', '--cluster', redis.url])];
  });
  afterAll(() => {
    for (const p of procs) p.kill();
    redis?.stop();
  });

  it('raft-election votesTwice: found on the workers, shrunk to the violation a local run with the same seed shows', async () => {
    const args = ['specs/raft-election.ts', '--variant', 'votesTwice', '--seed', '1'];
    const alone = simulate(args);
    const clustered = simulate([...args, '--cluster', redis.url]);
    expect(await alone.exited).toBe(1);
    expect(await clustered.exited).toBe(1);
    const [one, many] = [summary(alone), summary(clustered)];
    expect(many.violations[0]).toMatchObject({ property: 'singleLeaderPerTerm' });
    expect(many.violations).toEqual(one.violations);
    expect(many.stopReason).toBe('violation');
    expect(clustered.err()).toMatch(/cluster: \d+ walk batches of up to 100 walks sent, 1 counted/);
  }, 90_000);

  it('a safe spec: the same walks, walk count and distinct states as a local swarm with the same seeds (exit 3)', async () => {
    // Batches of 51 walks: batch 0 walks 51 with seed 9, batch 1 walks 50 with walker 1's seed,
    // as two local walkers share 101 walks.
    const local = simulate(['specs/two-phase-commit.ts', '--runs', '101', '--seed', '9', '--workers', '2']);
    const clustered = simulate(['specs/two-phase-commit.ts', '--runs', '101', '--seed', '9', '--walks-per-seed', '51', '--cluster', redis.url]);
    expect(await local.exited).toBe(3);
    expect(await clustered.exited).toBe(3);
    expect(summary(clustered)).toMatchObject({ verdict: 'incomplete', runs: 101, steps: 10_100, stopReason: 'runs' });
    expect(walked(summary(clustered))).toEqual(walked(summary(local)));
  }, 90_000);

  it('--time-limit without --runs: the workers walk until it, then stop (exit 3)', async () => {
    const clustered = simulate(['specs/two-phase-commit.ts', '--param', 'rm=5', '--time-limit', '3', '--seed', '2', '--cluster', redis.url]);
    expect(await clustered.exited).toBe(3);
    const s = summary(clustered);
    expect(s).toMatchObject({ verdict: 'incomplete', stopReason: 'time-limit', violations: [] });
    expect(s.runs).toBeGreaterThan(100);
    expect(s.durationMs).toBeLessThan(3000 + 2500);
  }, 90_000);

  it('a guard that throws on a worker is the coded error with the walk, batch and seed (exit 2)', async () => {
    const r = simulate(['test/fixtures/counter.ts', '--variant', 'guardThrows', '--seed', '1', '--cluster', redis.url]);
    expect(await r.exited).toBe(2);
    expect(r.err()).toContain('error[SYN302]: the guard (when) of inc threw: boom at two');
    expect(r.err()).toMatch(/during random walk 1 \(seed 1\), at replay path 0\/0\/0 \(walk batch 0, seed 1, on worker \S+:\d+\)/);
  }, 60_000);

  it('--workers with --cluster is a usage error: the cluster\'s workers walk', async () => {
    const r = simulate(['specs/die-hard.ts', '--workers', '2', '--cluster', redis.url]);
    expect(await r.exited).toBe(2);
    expect(r.err()).toMatch(/error\[SYN104\]: --workers starts walker threads on this machine/);
  }, 30_000);

  it('a worker killed with SIGKILL while it walks a batch: another takes the batch over, and the result is still the local swarm\'s', async () => {
    const client = new Redis(redis.port, '127.0.0.1');
    try {
      const victim = start(['worker', '--cluster', redis.url]);
      await until(() => /waiting for runs/.test(victim.err()), 30_000, 'the third worker to start');
      const args = ['specs/two-phase-commit.ts', '--param', 'rm=6', '--runs', '6000', '--seed', '3'];
      const clustered = simulate([...args, '--walks-per-seed', '1000', '--reclaim-after', '1s', '--cluster', redis.url]);
      await until(() => /joined run/.test(victim.err()), 30_000, 'the third worker to join');
      await killWhileHolding(client, victim);
      expect(await clustered.exited).toBe(3);
      expect(workers.map((w) => w.err()).join('')).toMatch(/took over a walk batch another worker did not answer within 1000 ms/);
      const local = simulate([...args, '--workers', '6']);
      expect(await local.exited).toBe(3);
      expect(walked(summary(clustered))).toEqual(walked(summary(local)));
    } finally {
      client.disconnect();
    }
  }, 120_000);

  it('no worker at all: --time-limit still ends the run (exit 3) and says that no worker answered', async () => {
    const empty = await startRedis();
    try {
      const r = start(['simulate', 'specs/two-phase-commit.ts', '--time-limit', '1', '--seed', '1', '--cluster', empty.url]);
      expect(await r.exited).toBe(3);
      expect(r.out()).toMatch(/no violation found in 0 random walks/);
      expect(r.out()).toMatch(/64 walk batches \(0-63\) had not answered when the walks stopped \(no worker answered at all: start some with `synod worker --cluster URL`\)/);
    } finally {
      empty.stop();
    }
  }, 30_000);

  it('the workers outlive every run above (a run that ends while they walk or wait is no error to them)', () => {
    for (const w of workers) {
      expect(w.child.exitCode).toBeNull();
      expect(w.err()).toMatch(/run \S+ over, \d+ walk batches here/);
      expect(w.err()).not.toMatch(/error\[/);
    }
  });
});
