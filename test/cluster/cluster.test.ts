// One search over several processes through a real redis-server on loopback: the counts and
// shortest traces of one machine, a worker killed with SIGKILL losing nothing, and the errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, startRedisCluster, synod, until, freePort, type Proc, type RedisServer } from './servers.js';

const TWO_PHASE_7 = ['check', 'specs/two-phase-commit.ts', '--param', 'rm=7', '--no-symmetry', '--no-liveness', '--json'];
const counts = (p: Proc): unknown => {
  const s = JSON.parse(p.out());
  return [s.verdict, s.distinctStates, s.totalStates, s.stateDepth];
};

describe('synod check --cluster', () => {
  let redis: RedisServer;
  let client: Redis;
  const procs: Proc[] = [];
  const start = (args: string[]): Proc => {
    const p = synod(args);
    procs.push(p);
    return p;
  };
  const worker = (url = redis.url): Proc => start(['worker', '--cluster', url]);

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.port, '127.0.0.1');
  });
  afterAll(() => {
    for (const p of procs) p.kill();
    client?.disconnect();
    redis?.stop();
  });

  // One TwoPhase rm=7 run shows both (the issue asks rm=8 for the kill; rm=7 keeps this file near
  // two minutes on a loaded 2-core machine): three workers start, one is killed with SIGKILL while
  // it holds a chunk, and the other two finish with TLC's exact counts.
  it('two workers finish TwoPhase rm=7 with TLC\'s counts (296,448 / 2,744,706 / 23) after a third is killed with SIGKILL holding a chunk', async () => {
    const [a, b, c] = [worker(), worker(), worker()];
    const run = start([...TWO_PHASE_7, '--cluster', redis.url, '--no-local-expand', '--reclaim-after', '1s']);
    await until(() => [a, b, c].every((w) => /joined run/.test(w.err())), 60_000, 'the workers to join');
    const chunks = `synod:{${/joined run (\S+)/.exec(a.err())![1]!}}:chunks`;
    const mine = `:${a.child.pid}`;
    // Freeze the victim while it holds a chunk it has not answered, then kill it.
    await until(async () => {
      a.child.kill('SIGSTOP');
      const pending = (await client.xpending(chunks, 'workers')) as [number, string, string, Array<[string, string]> | null];
      const held = (pending[3] ?? []).some(([consumer, n]) => consumer.endsWith(mine) && Number(n) > 0);
      if (!held) a.child.kill('SIGCONT');
      return held;
    }, 60_000, 'the worker to hold a chunk');
    a.kill('SIGKILL');
    expect(await run.exited).toBe(0);
    expect(counts(run)).toEqual(['ok', 296_448, 2_744_706, 23]);
    // Only workers expand (--no-local-expand): both survivors did, and one took the dead one's chunk over.
    for (const w of [b, c]) expect(w.err()).toMatch(/run .* over, [1-9]\d* chunks expanded here/);
    expect(b.err() + c.err()).toMatch(/took over a chunk another worker did not answer/);
    for (const w of [b, c]) w.kill();
  }, 150_000);

  it('raft-election votesTwice: the same shortest trace as one machine', async () => {
    const args = ['check', 'specs/raft-election.ts', '--variant', 'votesTwice', '--json'];
    const alone = start(args);
    const w = worker();
    const clustered = start([...args, '--cluster', redis.url, '--no-local-expand']);
    expect(await alone.exited).toBe(1);
    expect(await clustered.exited).toBe(1);
    const one = JSON.parse(alone.out()).violations[0];
    const many = JSON.parse(clustered.out()).violations[0];
    expect(many.property).toBe(one.property);
    expect(one.trace).toHaveLength(7);
    expect(many.trace).toEqual(one.trace);
    expect(many.replayPath).toBe(one.replayPath);
    w.kill();
  }, 120_000);

  it('liveness through the cluster (edges travel with the answers): paxos-livelock\'s lasso equals one machine\'s', async () => {
    const args = ['check', 'specs/paxos-livelock.ts', '--json'];
    const alone = start(args);
    const w = worker();
    const clustered = start([...args, '--cluster', redis.url, '--no-local-expand']);
    expect(await alone.exited).toBe(1);
    expect(await clustered.exited).toBe(1);
    const [one, many] = [JSON.parse(alone.out()), JSON.parse(clustered.out())];
    expect(one.violations.map((v: { kind: string }) => v.kind)).toContain('liveness');
    expect(many.violations).toEqual(one.violations);
    expect([many.distinctStates, many.totalStates, many.liveness.edges]).toEqual([one.distinctStates, one.totalStates, one.liveness.edges]);
    w.kill();
  }, 120_000);

  it('a coordinator\'s checkpoint resumes through the cluster with the exact counts (TwoPhase rm=6)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-cluster-ck-'));
    try {
      const w = worker();
      const base = ['check', 'specs/two-phase-commit.ts', '--param', 'rm=6', '--no-symmetry', '--no-liveness', '--json', '--cluster', redis.url, '--no-local-expand'];
      const first = start([...base, '--max-states', '20000', '--checkpoint', dir]);
      expect(await first.exited).toBe(3);
      expect(JSON.parse(first.out()).distinctStates).toBeLessThan(50_816);
      const rest = start([...base, '--resume', dir]);
      expect(await rest.exited).toBe(0);
      expect(counts(rest)).toEqual(['ok', 50_816, 402_306, 20]);
      w.kill();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a worker refuses a job from another synod version, and the coordinator hears why', async () => {
    const w = worker();
    await until(() => /waiting for runs/.test(w.err()), 30_000, 'the worker to start');
    const run = 'test-version';
    await client.set(`synod:{${run}}:job`, JSON.stringify({ run, version: 'synod 0.0.0-other' }), 'PX', 30_000);
    await client.xadd('synod:jobs', '*', 'run', run);
    await until(() => /SYN402/.test(w.err()), 30_000, 'the refusal');
    expect(w.err()).toMatch(/made by synod 0\.0\.0-other, this worker is synod \d/);
    expect(await client.lrange(`synod:{${run}}:notes`, 0, -1)).toContainEqual(expect.stringMatching(new RegExp(`worker \\S+:${w.child.pid} refuses run test-version`)));
    w.kill();
  }, 60_000);
});

describe('over a Redis Cluster of three nodes', () => {
  const procs: Proc[] = [];
  let redis: RedisServer | undefined;
  afterAll(() => {
    for (const p of procs) p.kill();
    redis?.stop();
  });

  it('is recognized from one node\'s URL and gives the same counts (TwoPhase rm=5)', async () => {
    redis = await startRedisCluster();
    const w = synod(['worker', '--cluster', redis.url]);
    const run = synod(['check', 'specs/two-phase-commit.ts', '--param', 'rm=5', '--no-symmetry', '--no-liveness', '--json', '--cluster', redis.url, '--no-local-expand']);
    procs.push(w, run);
    expect(await run.exited).toBe(0);
    expect(counts(run)).toEqual(['ok', 8_832, 58_146, 17]);
    expect(w.err()).toMatch(/over, [1-9]\d* chunks expanded here/);
  }, 90_000);
});

describe('cluster failures', () => {
  const procs: Proc[] = [];
  const servers: RedisServer[] = [];
  afterAll(() => {
    for (const p of procs) p.kill();
    for (const s of servers) s.stop();
  });

  it('an unreachable Redis is error SYN401 naming the URL, exit 2, for check and worker', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const check = synod(['check', 'specs/die-hard.ts', '--cluster', url]);
    const worker = synod(['worker', '--cluster', url]);
    procs.push(check, worker);
    expect(await check.exited).toBe(2);
    expect(await worker.exited).toBe(2);
    for (const p of [check, worker]) expect(p.err()).toMatch(new RegExp(`error\\[SYN401\\]: cannot reach Redis at ${url.replace(/\./g, '\\.')}`));
  }, 60_000);

  it('a wrong password is error SYN401, exit 2, and the password is never printed', async () => {
    const redis = await startRedis(['--requirepass', 'right-secret']);
    servers.push(redis);
    const url = `redis://:not-the-secret@127.0.0.1:${redis.port}`;
    const check = synod(['check', 'specs/die-hard.ts', '--cluster', url]);
    procs.push(check);
    expect(await check.exited).toBe(2);
    expect(check.err()).toMatch(/error\[SYN401\]: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the credentials/);
    expect(check.err() + check.out()).not.toMatch(/not-the-secret/);
    // The right password works.
    const good = synod(['worker', '--cluster', `redis://:right-secret@127.0.0.1:${redis.port}`]);
    procs.push(good);
    await until(() => /waiting for runs at redis:\/\/:\*\*\*@/.test(good.err()), 30_000, 'the worker to connect');
    expect(good.err()).not.toMatch(/right-secret/);
  }, 60_000);

  it('Redis lost in the middle of a run: incomplete, exit 3, SYN403 with what to do', async () => {
    const redis = await startRedis();
    servers.push(redis);
    const client = new Redis(redis.port, '127.0.0.1');
    // No worker and no local expansion: the run waits on Redis when it goes away.
    const run = synod([...TWO_PHASE_7, '--cluster', redis.url, '--no-local-expand']);
    procs.push(run);
    await until(async () => (await client.xlen('synod:jobs')) > 0, 60_000, 'the run to be announced');
    client.disconnect();
    redis.stop();
    expect(await run.exited).toBe(3);
    expect(JSON.parse(run.out()).verdict).toBe('incomplete');
    expect(run.err()).toMatch(/error\[SYN403\]: lost Redis at redis:\/\/127\.0\.0\.1:\d+ in the middle of the run/);
    expect(run.err()).toMatch(/hint: bring Redis back/);
  }, 90_000);
});
