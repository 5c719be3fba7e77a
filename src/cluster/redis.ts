// The connection to the Redis that carries a cluster's work (ioredis: pipelining, Lua, Redis
// Cluster). One URL names it: redis://[user:password@]host:port, or rediss:// for TLS. A password
// is never printed: every message names the URL with it redacted. A Redis Cluster is found by
// asking the first node (INFO cluster); all keys of one run share a hash tag, so they live on
// one node and a run's commands never cross slots.
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { createRequire } from 'node:module';
import { codes, SpecError } from '../spec/errors.js';

export type RedisClient = Redis | Cluster;

/** The URL as it may be printed: any password (or user:password) replaced by '***'. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '' || u.username !== '') {
      u.username = u.password !== '' && u.username !== '' ? u.username : '';
      u.password = '***';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Any occurrence of the URL's password in a message (ioredis may echo it) is redacted too. */
export function redactText(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  try {
    const pw = decodeURIComponent(new URL(url).password);
    if (pw.length > 0) out = out.split(pw).join('***');
  } catch { /* not a URL: nothing more to hide */ }
  return out;
}

function parse(url: string): { host: string; port: number; options: RedisOptions } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SpecError(codes.clusterUnreachable, `--cluster expects a Redis URL like redis://host:6379, got '${redactUrl(url)}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new SpecError(codes.clusterUnreachable, `--cluster expects a redis:// or rediss:// URL, got '${redactUrl(url)}'`);
  }
  const options: RedisOptions = {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? { servername: u.hostname } : undefined,
    lazyConnect: true,
    enableAutoPipelining: true,
    // Commands wait while a lost connection is retried for a few seconds, then fail: a run that
    // lost its Redis ends incomplete instead of hanging.
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => (times > 10 ? null : Math.min(100 * times, 1000)),
  };
  return { host: u.hostname, port: Number(u.port || 6379), options };
}

/** Connects (and authenticates) now; a Redis that cannot be reached or refuses is a coded error (exit 2). */
export async function connectRedis(url: string): Promise<RedisClient> {
  // Loaded here, not at start-up (every other command would pay for it), through require() (see tsup.config.ts).
  const { Cluster, Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const { host, port, options } = parse(url);
  const first = new Redis(port, host, { ...options, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  // A refused AUTH closes the connection: the promise then only says so; the event says why.
  let why: unknown = null;
  first.on('error', (e) => { why ??= e; });
  try {
    await first.connect();
    const info = await first.info('cluster');
    if (!/cluster_enabled:1/.test(info)) {
      first.disconnect();
      const redis = new Redis(port, host, options);
      redis.on('error', () => {}); // failed commands reject; the caller decides
      await redis.connect();
      return redis;
    }
    first.disconnect();
    const { lazyConnect: _, ...nodeOptions } = options;
    const cluster = new Cluster([{ host, port }], { redisOptions: nodeOptions, lazyConnect: true, enableAutoPipelining: true, clusterRetryStrategy: options.retryStrategy });
    cluster.on('error', () => {});
    await cluster.connect();
    return cluster;
  } catch (e) {
    first.disconnect();
    throw unreachable(url, why ?? e);
  }
}

export function unreachable(url: string, e: unknown): SpecError {
  const why = redactText((e as Error)?.message ?? String(e), url);
  const auth = /WRONGPASS|NOAUTH|invalid password|invalid username|AUTH/i.test(why);
  return new SpecError(codes.clusterUnreachable,
    auth ? `Redis at ${redactUrl(url)} refused the credentials: ${why}` : `cannot reach Redis at ${redactUrl(url)}: ${why}`,
    auth ? 'give the password in the URL: redis://:PASSWORD@host:6379 (or redis://USER:PASSWORD@host:6379)'
      : 'start redis-server there (or check host, port and firewall); for TLS use rediss://');
}
