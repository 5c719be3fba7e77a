// Processes the cluster tests start: a redis-server on a free loopback port (no persistence) and
// synod workers; each is stopped by its process id, also when a test fails.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const SYNOD = ['bin/synod.js'];
const REDIS_SERVER = '/usr/bin/redis-server';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

export interface RedisServer {
  port: number;
  url: string;
  pid: number;
  stop: () => void;
}

/** A redis-server of our own; fails (no skip) when the package is not installed. */
export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: install Debian's redis-server package (.ci/run does)`);
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], { stdio: 'ignore' });
  const stop = (): void => {
    try { if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await accepts(port))) { stop(); throw new Error(`redis-server did not start on port ${port}`); }
  return { port, url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop };
}

/** A Redis Cluster of three masters on loopback (redis-cli --cluster create), in a folder of its own. */
export async function startRedisCluster(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'synod-redis-cluster-'));
  const nodes: RedisServer[] = [];
  const stop = (): void => {
    for (const n of nodes) n.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--dir', dir]));
    execFileSync('/usr/bin/redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
    await until(() => /cluster_state:ok/.test(execFileSync('/usr/bin/redis-cli', ['-p', String(nodes[0]!.port), 'cluster', 'info']).toString()), 20_000, 'the Redis Cluster to be ready');
  } catch (e) {
    stop();
    throw e;
  }
  return { ...nodes[0]!, stop };
}

export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => void;
}

export function synod(args: string[]): Proc {
  const child = spawn(process.execPath, [...SYNOD, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child, out: () => out, err: () => err, exited,
    kill: (signal = 'SIGKILL') => {
      try { if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, signal); } catch { /* already gone */ }
    },
  };
}

/** Waits until `f` holds (polling), or fails after `ms`. */
export async function until(f: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Freezes worker `w` (SIGSTOP) at a moment it holds an entry of its run's stream that it has not
 * answered (a chunk or a walk batch), then kills it with SIGKILL: the entry stays pending.
 */
export async function killWhileHolding(client: Redis, w: Proc): Promise<void> {
  const stream = `synod:{${/joined run (\S+)/.exec(w.err())![1]!}}:chunks`;
  await until(async () => {
    w.child.kill('SIGSTOP');
    const pending = (await client.xpending(stream, 'workers')) as [number, string, string, Array<[string, string]> | null];
    const held = (pending[3] ?? []).some(([consumer, n]) => consumer.endsWith(`:${w.child.pid}`) && Number(n) > 0);
    if (!held) w.child.kill('SIGCONT');
    return held;
  }, 60_000, 'the worker to hold an entry');
  w.kill('SIGKILL');
}
