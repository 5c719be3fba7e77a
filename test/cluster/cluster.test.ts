// One search over several processes through a real redis-server on loopback: the counts and
// shortest traces of one machine, a worker killed with SIGKILL losing nothing, and the errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { killWhileHolding, startRedis, startRedisCluster, synod, until, freePort, type Proc, type RedisServer } from './servers.js';

const twoPhase = (rm: number): string[] => ['check', 'specs/two-phase-commit.ts', '--param', `rm=${rm}`, '--no-symmetry', '--no-liveness', '--json'];
const TWO_PHASE_7 = twoPhase(7);
const TWO_PHASE_8 = twoPhase(8);
/** Distinct states settled so far, from the last progress line a check printed on stderr (--progress). */
const distinctSoFar = (p: Proc): number => {
  const all = [...p.err().matchAll(/([\d,]+) distinct,/g)];
  return all.length === 0 ? 0 : Number(all.at(-1)![1]!.replace(/,/g, ''));
};
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

  it('two workers finish TwoPhase rm=7 with TLC\'s counts (296,448 / 2,744,706 / 23)', async () => {
    const [a, b] = [worker(), worker()];
    const run = start([...TWO_PHASE_7, '--cluster', redis.url, '--no-local-expand']);
    expect(await run.exited).toBe(0);
    expect(counts(run)).toEqual(['ok', 296_448, 2_744_706, 23]);
    // Only workers expand (--no-local-expand): both did, and both owned partitions and decided new states.
    for (const w of [a, b]) expect(w.err()).toMatch(/run .* over, [1-9]\d* chunks expanded here .*, [1-9]\d* new states decided/);
    // States are owned by partition: the coordinator keeps no visited set (its table stays at its
    // first 8 KiB; one machine's holds 296,448 fingerprints, 4 MiB); every new state came from an owner.
    expect(JSON.parse(run.out()).memory.fingerprintBytes).toBeLessThanOrEqual(8192);
    expect(run.err()).toMatch(/with 296448 new states from 16 partitions/);
    for (const w of [a, b]) w.kill();
  }, 150_000);

  // The test: two workers start TwoPhase rm=8, one is killed with SIGKILL in the middle
  // of the search (past half of its distinct states) while it holds a chunk; the other takes
  // that chunk over and finishes with TLC's exact counts.
  it('kill -9 of a worker in the middle of TwoPhase rm=8: the other finishes with TLC\'s counts (1,745,408 / 18,507,778 / 26)', async () => {
    const [a, b] = [worker(), worker()];
    const run = start([...TWO_PHASE_8, '--cluster', redis.url, '--no-local-expand', '--reclaim-after', '1s', '--progress']);
    await until(() => [a, b].every((w) => /joined run/.test(w.err())), 60_000, 'the workers to join');
    await until(() => distinctSoFar(run) > 1_745_408 / 2, 400_000, 'the middle of the search');
    await killWhileHolding(client, a);
    expect(await run.exited).toBe(0);
    expect(counts(run)).toEqual(['ok', 1_745_408, 18_507_778, 26]);
    expect(b.err()).toMatch(/took over a chunk another worker did not answer/);
    // The killed worker's partitions went to the other, which loaded their slices from Redis.
    expect(Number(/(\d+) partitions handed over/.exec(run.err())?.[1])).toBeGreaterThan(0);
    await until(() => /partitions loaded/.test(b.err()), 30_000, 'the worker to finish');
    expect(Number(/(\d+) partitions loaded/.exec(b.err())?.[1])).toBeGreaterThan(8);
    b.kill();
  }, 600_000);

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

  it('without --no-local-expand the coordinator starts a worker of its own, which alone finishes TwoPhase rm=5', async () => {
    const run = start(['check', 'specs/two-phase-commit.ts', '--param', 'rm=5', '--no-symmetry', '--no-liveness', '--json', '--cluster', redis.url]);
    expect(await run.exited).toBe(0);
    expect(counts(run)).toEqual(['ok', 8_832, 58_146, 17]);
    expect(run.err()).toMatch(/with 8832 new states from 16 partitions/);
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
