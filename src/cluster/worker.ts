// `synod worker --cluster URL`: waits for a run to be announced, loads its spec from the job
// (the bundle travels in Redis: no spec file is needed here), and expands chunks from the run's
// stream as one consumer of its group until the run's keys are gone; then waits for the next.
// A chunk another worker took and has not answered for the job's reclaim time is taken over
// (XAUTOCLAIM): a dead worker loses nothing, and answering a chunk twice is harmless. A job made
// by another synod version is refused, with a note the coordinator prints.
import { hostname } from 'node:os';
import { createFingerprinter } from '../state/fingerprint.js';
import type { CompiledSpec } from '../spec/compile.js';
import { SpecError } from '../spec/errors.js';
import { causeOf } from '../check/failures.js';
import type { RedisClient } from './redis.js';
import { encodeResult, GROUP, JOBS, keysOf, readChunk, type Job } from './wire.js';
import { WorkerExpander } from './worker-expander.js';

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
  const recent = (await redis.xrevrange(JOBS, '+', '-', 'COUNT', 5)) as Array<[string, string[]]>;
  if (recent.length > 0) last = recent[0]![0];
  const candidates = recent.map(([, f]) => f[1]!);
  while (!s.stop.stop && (s.runs === undefined || done < s.runs)) {
    const run = candidates.shift();
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
    s.log(`worker ${me}: joined run ${run} (${spec.name}${spec.variant ? ` variant ${spec.variant}` : ''})`);
    const expander = new WorkerExpander(spec, await createFingerprinter(), job.options);
    const n = await work(s, job, expander, me);
    s.log(`worker ${me}: run ${run} over, ${n} chunks expanded here (${expander.known} states known here)`);
    done++;
  }
}

/** Expands the run's chunks until its keys are gone; the number of chunks answered. */
async function work(s: WorkerSetup, job: Job, expander: WorkerExpander, me: string): Promise<number> {
  const { redis } = s;
  const k = keysOf(job.run);
  let answered = 0;
  const answer = async ([id, fields]: Entry): Promise<void> => {
    const c = readChunk(fields);
    const result = expander.run(c);
    await redis.multi().lpush(k.results, encodeResult(c.id, result)).pexpire(k.results, 60_000).xack(k.chunks, GROUP, id).xdel(k.chunks, id).exec();
    answered++;
  };
  while (!s.stop.stop) {
    let got: Array<[Buffer, Entry[]]> | null;
    try {
      got = (await (redis as unknown as BufferStreams).xreadgroupBuffer('GROUP', GROUP, me, 'COUNT', 1, 'BLOCK', 500, 'STREAMS', k.chunks, '>')) as Array<[Buffer, Entry[]]> | null;
    } catch (e) {
      if (/NOGROUP|UNBLOCKED/.test(String(e))) return answered; // the run ended: its stream is gone
      throw e;
    }
    const entry = got?.[0]?.[1]?.[0];
    if (entry) {
      await answer(entry);
      continue;
    }
    // Nothing new: the run may be over, or a chunk may wait on a worker that went quiet.
    if ((await redis.exists(k.job)) === 0) return answered;
    const claimed = (await (redis as unknown as BufferStreams).xautoclaimBuffer(k.chunks, GROUP, me, job.reclaimAfterMs, '0-0', 'COUNT', 1)) as [Buffer, Array<Entry | null>];
    const taken = claimed[1].find((e): e is Entry => e !== null && e[1] !== null);
    if (taken) {
      s.log(`worker ${me}: took over a chunk another worker did not answer within ${job.reclaimAfterMs} ms`);
      await answer(taken);
    }
  }
  return answered;
}
