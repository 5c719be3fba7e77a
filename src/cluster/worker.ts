// `synod worker --cluster URL`: waits for a run to be announced, loads its spec from the job
// (the bundle travels in Redis: no spec file is needed here), and takes the run's work from its
// stream as one consumer of its group until the run's keys are gone; then waits for the next.
// The work is chunks of a search to expand, or batches of random walks (walks.ts). An entry
// another worker took and has not answered for the job's reclaim time is taken over
// (XAUTOCLAIM): a dead worker loses nothing, and answering an entry twice is harmless. A job
// made by another synod version is refused, with a note the coordinator prints.
import { hostname } from 'node:os';
import { createFingerprinter } from '../state/fingerprint.js';
import type { CompiledSpec } from '../spec/compile.js';
import { SpecError } from '../spec/errors.js';
import { causeOf } from '../check/failures.js';
import type { RedisClient } from './redis.js';
import { aliveKey, encodeResult, GROUP, JOBS, keysOf, readChunk, type CheckJob, type Job, type WalkJob } from './wire.js';
import { FLAGS, flagWords } from '../check/chunk-expander.js';
import { encodeBatch, partitionKeys, splitByPartition } from './partition.js';
import { Owners } from './owner.js';
import { WorkerExpander } from './worker-expander.js';
import { encodeAnswer, readBatch, walkBatch } from './walks.js';

/** How often a worker walking a batch looks at the coordinator's stop mark. */
const STOP_POLL_MS = 200;
/** How often a worker looks for batches in the inboxes of the partitions it owns. */
const OWNER_POLL_MS = 10;

export interface WorkerSetup {
  redis: RedisClient;
  /** `synod <version>` of this installation. */
  version: string;
  /** Builds the compiled spec of a job (the CLI loads the bundle). */
  load: (job: Job) => Promise<CompiledSpec>;
  log: (line: string) => void;
  /** Set to end the loop between chunks. */
  stop: { stop: boolean };
  /** End after this many runs (tests, scripts); default: never. */
  runs?: number;
  /** Join this run only (the worker a coordinator starts beside it). */
  only?: string;
}

type Entry = [Buffer, Buffer[]];
/** ioredis has these at run time, not in its types (and its call() misbehaves under auto-pipelining). */
interface BufferStreams {
  xreadgroupBuffer(...args: Array<string | number>): Promise<unknown>;
  xautoclaimBuffer(...args: Array<string | number>): Promise<unknown>;
}

export async function runWorker(s: WorkerSetup): Promise<void> {
  const { redis } = s;
  const me = `${hostname()}:${process.pid}`;
  const refused = new Set<string>();
  let last = '0-0';
  let done = 0;
  // A run announced before this worker started may still be going: the newest few are looked at first.
  const recent = s.only !== undefined ? [] : (await redis.xrevrange(JOBS, '+', '-', 'COUNT', 5)) as Array<[string, string[]]>;
  if (recent.length > 0) last = recent[0]![0];
  const candidates = s.only !== undefined ? [s.only] : recent.map(([, f]) => f[1]!);
  while (!s.stop.stop && (s.runs === undefined || done < s.runs)) {
    const run = candidates.shift();
    if (run === undefined && s.only !== undefined) return;
    if (run === undefined) {
      const got = (await redis.xread('COUNT', 10, 'BLOCK', 1000, 'STREAMS', JOBS, last)) as Array<[string, Array<[string, string[]]>]> | null;
      for (const [, entries] of got ?? []) for (const [id, f] of entries) { last = id; candidates.push(f[1]!); }
      continue;
    }
    if (refused.has(run)) continue;
    const text = await redis.get(keysOf(run).job);
    if (text === null) continue; // over already
    const job = JSON.parse(text) as Job;
    if (job.version !== s.version) {
      refused.add(run);
      const why = `worker ${me} refuses run ${run}: it was made by ${job.version}, this worker is ${s.version}; install the same synod version on every machine`;
      s.log(`error[SYN402]: ${why}`);
      await redis.lpush(keysOf(run).notes, why);
      continue;
    }
    let spec: CompiledSpec;
    try {
      spec = await s.load(job);
    } catch (e) {
      refused.add(run);
      const why = `worker ${me} cannot load the spec of run ${run}: ${e instanceof SpecError ? e.message : causeOf(e)}`;
      s.log(`error[SYN402]: ${why}`);
      await redis.lpush(keysOf(run).notes, why);
      continue;
    }
    s.log(`worker ${me}: joined run ${run} (${job.kind === 'simulate' ? 'random walks of ' : ''}${spec.name}${spec.variant ? ` variant ${spec.variant}` : ''})`);
    if (job.kind === 'simulate') {
      const n = await walk(s, job, spec, me);
      s.log(`worker ${me}: run ${run} over, ${n} walk batches here`);
    } else {
      await search(s, job, spec, me);
    }
    done++;
  }
}

/**
 * Expands the run's chunks until its keys are gone, and owns the partitions the coordinator gives
 * this worker (owner.ts) on a connection of their own (the chunk stream's reads block). A chunk's
 * candidates go to their partitions' inboxes before its answer goes to the coordinator, so a chunk
 * answered has all its batches in.
 */
async function search(s: WorkerSetup, job: CheckJob, spec: CompiledSpec, me: string): Promise<void> {
  const { redis } = s;
  const k = keysOf(job.run);
  const expander = new WorkerExpander(spec, await createFingerprinter(), job.options);
  const fields = FLAGS + flagWords(spec, job.options.edges);
  const own = redis.duplicate();
  own.on('error', () => {});
  const owners = new Owners(own, job.run, me, fields);
  let failed: unknown = null;
  const beat = async (): Promise<void> => { await own.set(aliveKey(job.run, me), '1', 'PX', job.reclaimAfterMs); };
  await own.sadd(k.members, me);
  await beat();
  const heart = setInterval(() => { beat().catch(() => {}); }, Math.max(100, Math.min(1000, job.reclaimAfterMs / 3)));
  const pump = setInterval(() => { owners.pump().catch((e) => { failed ??= e; }); }, OWNER_POLL_MS);
  try {
    const n = await work(s, job, me, async (f) => {
      if (failed !== null) throw failed;
      const c = readChunk(f);
      const r = expander.run(c);
      const parts = splitByPartition(r.candidates, fields);
      await Promise.all(parts.map((part, p) => redis.rpush(partitionKeys(job.run, p).in, encodeBatch({ level: c.level, seq: c.seq, ...part }))));
      return encodeResult(c.id, { ...r, candidates: { buffer: new ArrayBuffer(0), length: 0, count: 0, base: -1 } });
    });
    const o = owners.stats;
    s.log(`worker ${me}: run ${job.run} over, ${n} chunks expanded here (${expander.known} states known here), ${o.decided} new states decided in ${o.decisions} decisions, ${o.loaded} partitions loaded`);
  } finally {
    clearInterval(heart);
    clearInterval(pump);
    own.disconnect();
  }
}

/**
 * Walks the run's batches until its keys are gone. While a batch walks, the worker looks at the
 * stop mark (a run whose keys are gone stops everything) and claims the batch again, so that a
 * long batch is not handed to another worker as if this one were dead. The number answered.
 */
async function walk(s: WorkerSetup, job: WalkJob, spec: CompiledSpec, me: string): Promise<number> {
  const { redis } = s;
  const k = keysOf(job.run);
  let stopFrom = Infinity;
  let holding: Buffer | null = null;
  const look = async (): Promise<void> => {
    const [stop, live] = (await redis.pipeline().get(k.stop).exists(k.job).exec()) ?? [];
    stopFrom = live?.[1] === 0 ? 0 : stop?.[1] == null ? Infinity : Number(stop[1]);
    if (holding !== null) await redis.xclaim(k.chunks, GROUP, me, 0, holding, 'JUSTID');
  };
  const poll = setInterval(() => { look().catch(() => {}); }, STOP_POLL_MS);
  try {
    return await work(s, job, me, async (fields, id) => {
      const b = readBatch(fields);
      holding = id;
      await look();
      const answer = await walkBatch(spec, job.walks, b, me, () => b.index >= stopFrom);
      holding = null;
      return encodeAnswer(answer);
    });
  } finally {
    clearInterval(poll);
  }
}

/** Answers the run's stream entries until its keys are gone; the number answered. */
async function work(s: WorkerSetup, job: Job, me: string, reply: (fields: Buffer[], id: Buffer) => Buffer | Promise<Buffer>): Promise<number> {
  const { redis } = s;
  const k = keysOf(job.run);
  let answered = 0;
  const answer = async ([id, fields]: Entry): Promise<void> => {
    const result = await reply(fields, id);
    await redis.multi().lpush(k.results, result).pexpire(k.results, 60_000).xack(k.chunks, GROUP, id).xdel(k.chunks, id).exec();
    answered++;
  };
  /** The next entry for this worker: a new one, or one another worker left unanswered; 'over' when the run is. */
  const next = async (): Promise<Entry | null | 'over'> => {
    const got = (await (redis as unknown as BufferStreams).xreadgroupBuffer('GROUP', GROUP, me, 'COUNT', 1, 'BLOCK', 500, 'STREAMS', k.chunks, '>')) as Array<[Buffer, Entry[]]> | null;
    const entry = got?.[0]?.[1]?.[0];
    if (entry) return entry;
    // Nothing new: the run may be over, or an entry may wait on a worker that went quiet.
    if ((await redis.exists(k.job)) === 0) return 'over';
    const claimed = (await (redis as unknown as BufferStreams).xautoclaimBuffer(k.chunks, GROUP, me, job.reclaimAfterMs, '0-0', 'COUNT', 1)) as [Buffer, Array<Entry | null>];
    const taken = claimed[1].find((e): e is Entry => e !== null && e[1] !== null);
    if (taken) s.log(`worker ${me}: took over ${job.kind === 'simulate' ? 'a walk batch' : 'a chunk'} another worker did not answer within ${job.reclaimAfterMs} ms`);
    return taken ?? null;
  };
  while (!s.stop.stop) {
    try {
      const entry = await next();
      if (entry === 'over') return answered;
      if (entry !== null) await answer(entry);
    } catch (e) {
      // The run ended between two commands: its stream is gone.
      if (/NOGROUP|UNBLOCKED/.test(String(e))) return answered;
      throw e;
    }
  }
  return answered;
}
