// A run's life in Redis, the same for a search and for a swarm of walks: the coordinator names
// it, creates its work stream with the workers' consumer group, stores its job and announces it;
// while it lives the coordinator's heartbeat keeps its keys from expiring (a killed coordinator's
// run expires, and its workers go back to waiting); at the end its keys go.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisClient } from './redis.js';
import { GROUP, JOBS, keysOf, type CheckJob, type WalkJob } from './wire.js';

/** How long run keys live without the coordinator's heartbeat (a killed coordinator's run expires). */
export const RUN_TTL_MS = 20_000;
const HEARTBEAT_MS = 4_000;

/** A job without its run name, as a coordinator prepares it. */
export type JobDraft = Omit<CheckJob, 'run'> | Omit<WalkJob, 'run'>;

export class RunKeys {
  readonly keys: ReturnType<typeof keysOf>;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(private readonly redis: RedisClient, readonly run: string, private readonly onLost: (e: unknown) => void, private readonly extra: string[]) {
    this.keys = keysOf(run);
    this.heartbeat = setInterval(() => this.touch(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Creates the run's stream and group, stores the job and announces the run to idle workers. */
  /** `extra(run)`: more keys of the run (with hash tags of their own) to keep alive and remove with it. */
  static async open(redis: RedisClient, draft: JobDraft, onLost: (e: unknown) => void, extra: (run: string) => string[] = () => []): Promise<RunKeys> {
    const run = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const k = keysOf(run);
    await redis.xgroup('CREATE', k.chunks, GROUP, '$', 'MKSTREAM');
    await redis.set(k.job, JSON.stringify({ ...draft, run }), 'PX', RUN_TTL_MS);
    await redis.xadd(JOBS, 'MAXLEN', '~', '1000', '*', 'run', run);
    const r = new RunKeys(redis, run, onLost, extra(run));
    r.touch();
    return r;
  }

  private touch(): void {
    for (const key of [...Object.values(this.keys), ...this.extra]) this.redis.pexpire(key, RUN_TTL_MS).catch((e) => this.onLost(e));
  }

  /** Ends the run: its keys go (unless Redis is lost), so workers return to waiting for the next one. */
  async close(lost: boolean): Promise<void> {
    clearInterval(this.heartbeat);
    if (lost) return;
    await this.redis.del(...Object.values(this.keys)).catch(() => {});
    await Promise.all(this.extra.map((key) => this.redis.del(key).catch(() => {}))); // one by one: other hash tags
  }
}
