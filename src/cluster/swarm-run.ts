// The coordinator of `synod simulate --cluster`: a swarm whose walkers are the cluster's workers.
// The walks are cut into batches of --walks-per-seed walks; batch i has walker i's seed (the
// master seed for batch 0), so the result depends on the seed and the batch size alone, not on
// how many workers there are or which one walked what: as a local swarm's does on its walkers.
// Batches go out in index order, a window at a time. The violation shown is the lowest batch's:
// once batch b has one, the batches after it are told to stop (the stop mark) and the run waits
// only for those before it. A time limit or Ctrl-C stops every batch; what they walked counts.
import { walkerSeed, type Simulation } from '../check/simulate.js';
import { SpecError, type ErrorCode } from '../spec/errors.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import type { RedisClient } from './redis.js';
import { RunKeys } from './run.js';
import { batchFields, decodeAnswer, type BatchAnswer } from './walks.js';
import type { WalkJob } from './wire.js';

/** Batches in flight at once: enough for many workers; a violation leaves the rest to be skipped. */
const WINDOW = 64;
/** How long the batches get to answer after the time limit or Ctrl-C. */
const GRACE_MS = 2000;
/** Batches waiting this long without any answer: the coordinator says that no worker seems to be there. */
const QUIET_MS = 30_000;

export interface SwarmSetup {
  redis: RedisClient;
  job: Omit<WalkJob, 'run' | 'kind'>;
  seed: number;
  /** Walks in all (undefined: until the time limit). */
  runs: number | undefined;
  perSeed: number;
  timeLimitMs?: number;
  interrupt: { readonly stop: boolean };
  onNote: (note: string) => void;
}

export interface ClusterSimulation extends Simulation {
  /** Batches that had not answered when the walks stopped (left out). */
  stuck: number[];
  /** The workers whose batches count. */
  workers: string[];
  /** Batches sent, and those whose walks count (up to the first violation). */
  batches: number;
  counted: number;
  bytesIn: number;
  /** Why Redis was lost, when it was (the walks stopped then). */
  lost: string | null;
}

type Walked = Extract<BatchAnswer, { kind: 'walked' }>;

export async function clusterSwarm(s: SwarmSetup): Promise<ClusterSimulation> {
  const started = performance.now();
  const deadline = started + (s.timeLimitMs ?? Infinity);
  let lost: unknown = null;
  const run = await RunKeys.open(s.redis, { ...s.job, kind: 'simulate' }, (e) => { lost ??= e; });
  const k = run.keys;
  const reader = s.redis.duplicate();
  reader.on('error', () => {});
  const total = s.runs === undefined ? Infinity : Math.ceil(s.runs / s.perSeed);
  const answers = new Map<number, Walked>();
  const pending = new Set<number>();
  let failed: Extract<BatchAnswer, { kind: 'failed' }> | null = null;
  let next = 0;
  /** Batches from here on do not count: they come after the first that ended in a violation or failure. */
  let limit = total;
  let stoppedAt = Infinity;
  let stopReason: Simulation['stopReason'] = 'runs';
  let bytesIn = 0;
  let heard = Date.now();
  let toldQuiet = false;
  const mark = (from: number): void => { s.redis.set(k.stop, String(from)).catch((e) => { lost ??= e; }); };
  try {
    for (;;) {
      while (stoppedAt === Infinity && lost === null && next < limit && pending.size < WINDOW) {
        const b = next++;
        pending.add(b);
        s.redis.xadd(k.chunks, '*', ...batchFields({ index: b, seed: walkerSeed(s.seed, b), runs: Math.min(s.perSeed, (s.runs ?? Infinity) - b * s.perSeed) }))
          .catch((e) => { lost ??= e; });
      }
      const now = performance.now();
      if (lost !== null) break;
      if (stoppedAt === Infinity && (s.interrupt.stop || now > deadline)) {
        stopReason = s.interrupt.stop ? 'interrupted' : 'time-limit';
        stoppedAt = now;
        mark(0);
      }
      const waited = [...pending].some((b) => b < limit);
      if (!waited || now - stoppedAt > GRACE_MS) break;
      let got: [Buffer, Buffer] | null;
      try {
        got = await reader.brpopBuffer(k.results, k.notes, 0.2);
      } catch (e) {
        lost ??= e;
        break;
      }
      if (got === null) {
        if (!toldQuiet && Date.now() - heard > QUIET_MS) {
          toldQuiet = true;
          s.onNote(`no worker has answered for ${QUIET_MS / 1000} s; start workers with: synod worker --cluster URL (the URL given to --cluster)`);
        }
        continue;
      }
      heard = Date.now();
      if (got[0].toString() === k.notes) {
        s.onNote(got[1].toString());
        continue;
      }
      bytesIn += got[1].length;
      const a = decodeAnswer(got[1]);
      if (!pending.delete(a.index) || a.kind === 'skipped') continue; // a batch answered twice, or stopped before it began
      if (a.kind === 'walked') answers.set(a.index, a);
      else if (failed === null || a.index < failed.index) failed = a;
      if ((a.kind === 'failed' || a.sim.violation !== null) && a.index < limit) {
        limit = a.index + 1;
        mark(limit);
      }
    }
  } finally {
    reader.disconnect();
    await run.close(lost !== null);
  }
  const counted = [...answers.values()].filter((a) => a.index < limit).sort((x, y) => x.index - y.index);
  if (failed !== null && failed.index < limit) {
    const where = ` (walk batch ${failed.index}, seed ${walkerSeed(s.seed, failed.index)}, on worker ${failed.worker})`;
    if (failed.code) throw new SpecError(failed.code as ErrorCode, `${failed.message}${where}`, failed.hint);
    throw new Error(`a walk batch failed${where}: ${failed.message}`);
  }
  const seen = FingerprintSet.create(1 << 12);
  for (const { fingerprints: f } of counted) for (let j = 0; j < f.length; j += 2) seen.add(f[j]!, f[j + 1]!);
  const found = counted.find((a) => a.sim.violation !== null)?.sim.violation ?? null;
  const sims = counted.map((a) => a.sim);
  return {
    seed: s.seed,
    runs: sims.reduce((n, r) => n + r.runs, 0),
    steps: sims.reduce((n, r) => n + r.steps, 0),
    distinct: seen.size,
    durationMs: performance.now() - started,
    violation: found,
    witnesses: (sims[0]?.witnesses ?? []).map((w, i) => ({ property: w.property, path: sims.map((r) => r.witnesses[i]!.path).find((p) => p !== null) ?? null })),
    stopReason: found ? 'violation' : lost !== null ? 'interrupted' : stopReason,
    fingerprints: seen,
    stuck: [...pending].filter((b) => b < limit).sort((x, y) => x - y),
    workers: [...new Set(counted.map((a) => a.worker))].sort(),
    batches: next,
    counted: counted.length,
    bytesIn,
    lost: lost === null ? null : (lost as Error)?.message ?? String(lost),
  };
}
