// Scale-out over Redis on one machine: TwoPhase rm=7 checked by the one-process engine (one
// thread) and by a coordinator that leaves all expansion to 1, 2 and 4 `synod worker` processes
// (--no-local-expand), each through a fresh redis-server on loopback. Per run: wall time,
// distinct states a second, the CPU time of the coordinator, the workers and Redis, and Redis'
// own counters (commands, bytes in and out) per distinct state. Counts are asserted; times only
// recorded, in results/scale-out.json (results/scale-out.md reads them).
// Run: npm run bench -- cluster    (BENCH_CLUSTER_RM=6 for a quick pass)
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { root, startRedis } from '../cluster/servers.js';

const RM = Number(process.env.BENCH_CLUSTER_RM ?? 7);
const EXPECT: Record<number, [number, number, number]> = { 6: [50_816, 402_306, 20], 7: [296_448, 2_744_706, 23] };
const CHECK = ['check', 'specs/two-phase-commit.ts', '--param', `rm=${RM}`, '--no-symmetry', '--no-liveness', '--json'];

interface Proc { code: number | null; cpuS: number; stdout: string; stderr: string }

/** A synod process under /usr/bin/time, for its CPU time. */
function run(args: string[]): { done: Promise<Proc>; pid: () => number | undefined } {
  const timeFile = join(os.tmpdir(), `synod-cluster-bench-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, 'bin/synod.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise<Proc>((resolve) => child.on('close', (code) => {
    const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    rmSync(timeFile, { force: true });
    resolve({ code, cpuS: u! + s!, stdout, stderr });
  }));
  return { done, pid: () => child.pid };
}

async function redisCounters(r: Redis): Promise<{ commands: number; inBytes: number; outBytes: number; cpuS: number }> {
  const info = await r.info();
  const num = (k: string): number => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)![1]);
  return { commands: num('total_commands_processed'), inBytes: num('total_net_input_bytes'), outBytes: num('total_net_output_bytes'), cpuS: num('used_cpu_user') + num('used_cpu_sys') };
}

type Row = Record<string, number | string | null>;

async function measure(workers: number): Promise<Row> {
  if (workers === 0) {
    const start = performance.now();
    const p = await run([...CHECK, '--workers', '1']).done;
    const wallS = (performance.now() - start) / 1000;
    const s = JSON.parse(p.stdout);
    expect([s.distinctStates, s.totalStates, s.stateDepth]).toEqual(EXPECT[RM]);
    return { setup: 'one process, one thread (--workers 1)', wallS, statesPerS: s.distinctStates / wallS, coordinatorCpuS: p.cpuS };
  }
  const redis = await startRedis();
  const client = new Redis(redis.port, '127.0.0.1');
  try {
    const ws = Array.from({ length: workers }, () => run(['worker', '--cluster', redis.url, '--runs', '1']));
    await new Promise((r) => setTimeout(r, 1500)); // workers up before the run: time the search, not their start
    const before = await redisCounters(client);
    const start = performance.now();
    const p = await run([...CHECK, '--cluster', redis.url, '--no-local-expand']).done;
    const wallS = (performance.now() - start) / 1000;
    const after = await redisCounters(client);
    const done = await Promise.all(ws.map((w) => w.done));
    const s = JSON.parse(p.stdout);
    expect([s.distinctStates, s.totalStates, s.stateDepth]).toEqual(EXPECT[RM]);
    const d = s.distinctStates as number;
    return {
      setup: `${workers} worker process${workers > 1 ? 'es' : ''} (--no-local-expand)`, wallS, statesPerS: d / wallS,
      coordinatorCpuS: p.cpuS, workersCpuS: done.reduce((n, w) => n + w.cpuS, 0), redisCpuS: after.cpuS - before.cpuS,
      redisOpsPerState: (after.commands - before.commands) / d,
      redisBytesInPerState: (after.inBytes - before.inBytes) / d, redisBytesOutPerState: (after.outBytes - before.outBytes) / d,
      coordinator: /cluster: .*/.exec(p.stderr)?.[0] ?? null,
    };
  } finally {
    client.disconnect();
    redis.stop();
  }
}

it(`scale-out: TwoPhase rm=${RM} on 1, 2 and 4 worker processes against the one-process engine`, async () => {
  const rows: Row[] = [];
  for (const workers of [0, 1, 2, 4]) {
    rows.push(await measure(workers));
    process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
  }
  const load = os.loadavg()[0]!.toFixed(1);
  writeFileSync(join(root, 'results/scale-out.json'), `${JSON.stringify({ model: `two-phase-commit rm=${RM} --no-symmetry --no-liveness`, cores: os.availableParallelism(), loadAverage1m: Number(load), rows }, null, 2)}\n`);
});
