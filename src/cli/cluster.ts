// `synod check --cluster URL` and `synod simulate --cluster URL` (the coordinator's options and
// its run through Redis) and `synod worker --cluster URL`. The cluster itself lives in
// src/cluster/; this wires it to the command line: connecting (exit 2 when Redis cannot be
// reached), the job a worker needs to load the spec without its file, and what to say when
// Redis is lost in the middle of a run.
import type { Argv, CommandModule } from 'yargs';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import type { RemoteExpanders } from '../check/exploration.js';
import { connectRedis, redactText, redactUrl, type RedisClient } from '../cluster/redis.js';
import { ClusterRun, type RunStats } from '../cluster/coordinator.js';
import { PARTITIONS } from '../cluster/partition.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { clusterSwarm, type ClusterSimulation } from '../cluster/swarm-run.js';
import { runWorker } from '../cluster/worker.js';
import type { Job, WalkSettings } from '../cluster/wire.js';
import { loadSpecCode } from './load-code.js';
import { sharedModules } from './load.js';
import { engineVersion } from './resume.js';
import { parseDuration } from './options.js';
import { printSpecError } from './io.js';

/** Chunks in flight through Redis at once: enough to keep many workers busy while owners decide. */
const WINDOW = 64;
/** The cluster's URL for a worker the coordinator starts (see startLocalWorker). */
const URL_ENV = 'SYNOD_CLUSTER_URL';

export interface ClusterArgs {
  cluster?: string;
  localExpand: boolean;
  /** With --cluster: worker processes to start beside the coordinator (default one). */
  workers?: number;
  reclaimAfter?: string;
}

/** --cluster and --reclaim-after, for check and simulate. */
function sharedOptions<T>(y: Argv<T>, work: string) {
  return y
    .option('cluster', { type: 'string', describe: `${work} (redis://[:password@]host:6379, rediss:// for TLS); start workers with \`synod worker --cluster URL\`` })
    .option('reclaim-after', { type: 'string', describe: 'with --cluster: hand work to another worker when the one that took it has not answered for this long (default 10s)' })
    .requiresArg(['cluster', 'reclaim-after']);
}

export function clusterOptions<T>(y: Argv<T>) {
  return sharedOptions(y, 'coordinate the search over the workers of this Redis')
    .option('local-expand', { type: 'boolean', default: true, describe: 'with --cluster: also start worker processes on this machine for the run, --workers of them (default 1; --no-local-expand: only the workers started with synod worker expand)' });
}

/** Walks per batch (one seed each) by default: a run of the default 1000 walks is ten batches. */
const WALKS_PER_SEED = 100;

export function walkClusterOptions<T>(y: Argv<T>) {
  return sharedOptions(y, 'walk on the workers of this Redis instead of threads here')
    .option('walks-per-seed', { type: 'number', default: WALKS_PER_SEED, describe: 'with --cluster: walks in each batch a worker takes; batch i has walker i\'s seed, so the same --seed and --walks-per-seed give the same result on any number of workers' })
    .requiresArg('walks-per-seed');
}

export interface Coordinator {
  remote: RemoteExpanders;
  /** Why the run stopped early, when Redis was lost (printed, exit 3). */
  lost: () => string | null;
  stats: RunStats[];
  /** One line on what went through Redis (stderr, after the report). */
  summary: () => string;
  close: () => Promise<void>;
}

/** What every job carries: this synod's version, the spec's bundle and where its imports led here. */
function jobBase(args: ClusterArgs, spec: CompiledSpec, sourceHash: string) {
  const source = spec.source;
  if (source === null || source.code === undefined) throw new Error('a cluster run needs the spec\'s bundled code');
  const reclaimAfterMs = args.reclaimAfter === undefined ? 10_000 : parseDuration('reclaim-after', args.reclaimAfter);
  return { version: engineVersion(), source: { ...source, code: source.code }, sourceHash, modules: sharedModules(), reclaimAfterMs };
}

/**
 * The coordinator's machine expands too: a `synod worker` process for this run only. The URL
 * travels in its environment, not its arguments (which any user of the machine can list).
 */
function startLocalWorker(url: string, run: string): ChildProcess {
  const child = spawn(process.execPath, [process.argv[1]!, 'worker', '--only-run', run, '--runs', '1'], {
    env: { ...process.env, [URL_ENV]: url }, stdio: 'ignore',
  });
  child.on('error', () => {});
  return child;
}

function stopLocalWorker(child: ChildProcess): void {
  try { if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM'); } catch { /* gone already */ }
}

/** SYN403: Redis went away in the middle of a run, which stopped incomplete. */
function lostMessage(url: string, why: string, what: string): string {
  return `error[${codes.clusterLost}]: lost Redis at ${redactUrl(url)} in the middle of the run (${redactText(why, url)}): the ${what}`;
}

/** Connects to the cluster's Redis (a coded error, exit 2, when it cannot) and prepares the coordinator. */
export async function coordinate(args: ClusterArgs, spec: CompiledSpec, sourceHash: string, interrupt: { stop: boolean }): Promise<Coordinator> {
  const url = args.cluster!;
  const base = jobBase(args, spec, sourceHash);
  const redis = await connectRedis(url);
  let lostWhy: string | null = null;
  const stats: RunStats[] = [];
  let run: ClusterRun | null = null;
  const local: ChildProcess[] = [];
  const remote: RemoteExpanders = {
    // The coordinator's own expansion is a worker process beside it (it owns partitions like any
    // other), not threads reading a visited set of their own.
    local: false,
    ownsVisited: true,
    start: async (_tables, options) => {
      run = await ClusterRun.start({
        redis, spec, window: WINDOW, job: base,
        onLost: (e) => {
          lostWhy ??= (e as Error)?.message ?? String(e);
          interrupt.stop = true;
        },
        onNote: (note) => process.stderr.write(`note: ${note}\n`),
      }, options);
      stats.push(run.stats);
      if (args.localExpand) for (let i = 0; i < (args.workers ?? 1); i++) local.push(startLocalWorker(url, run.name));
      return run.slots();
    },
    beginLevel: (depth, chunks, seen, stopping) => run!.beginLevel(depth, chunks, seen, stopping),
  };
  return {
    remote,
    stats,
    lost: () => lostWhy && lostMessage(url, lostWhy, 'search stopped incomplete.\n'
      + '  hint: bring Redis back (or fix the network) and run the check again; with --checkpoint DIR the coordinator saved the search there, and --resume DIR --cluster URL continues it'),
    summary: () => {
      const t = stats.reduce((a, r) => ({
        chunks: a.chunks + r.chunks, bytesOut: a.bytesOut + r.bytesOut, bytesIn: a.bytesIn + r.bytesIn, decided: a.decided + r.decided,
        decisions: a.decisions + r.decisions, duplicates: a.duplicates + r.duplicates, handedOver: a.handedOver + r.handedOver,
      }));
      const mb = (n: number): string => (n / 2 ** 20).toFixed(1);
      return `cluster: ${t.chunks} chunks to workers (${mb(t.bytesOut)} MB); answers and decisions ${mb(t.bytesIn)} MB with ${t.decided} new states `
        + `from ${PARTITIONS} partitions (${t.decisions} decisions), ${t.duplicates} duplicate answers, ${t.handedOver} partitions handed over`;
    },
    close: async () => {
      for (const child of local) stopLocalWorker(child);
      redis.disconnect();
    },
  };
}

export interface WalkArgs extends ClusterArgs {
  walksPerSeed: number;
}

/**
 * `synod simulate --cluster URL`: the walks in batches over the cluster's workers (a coded
 * error, exit 2, when Redis cannot be reached). What went through Redis, or that Redis was lost
 * (SYN403), is said on stderr.
 */
export async function walkCluster(args: WalkArgs, spec: CompiledSpec, sourceHash: string, walks: WalkSettings & { seed: number; runs?: number; timeLimitMs?: number }, interrupt: { stop: boolean }): Promise<ClusterSimulation> {
  const url = args.cluster!;
  const base = jobBase(args, spec, sourceHash);
  const redis = await connectRedis(url);
  try {
    const { seed, runs, timeLimitMs, ...settings } = walks;
    const sim = await clusterSwarm({
      redis, job: { ...base, walks: settings }, seed, perSeed: args.walksPerSeed, timeLimitMs, interrupt,
      runs: runs ?? (timeLimitMs === undefined ? 1000 : undefined),
      onNote: (note) => process.stderr.write(`note: ${note}\n`),
    });
    if (sim.lost !== null) {
      process.stderr.write(`${lostMessage(url, sim.lost, 'walks stopped.\n  hint: bring Redis back (or fix the network) and run the simulation again')}\n`);
    } else {
      process.stderr.write(`cluster: ${sim.batches} walk batches of up to ${args.walksPerSeed} walks sent, ${sim.counted} counted, answers ${(sim.bytesIn / 2 ** 20).toFixed(1)} MB, from ${sim.workers.length} worker${sim.workers.length === 1 ? '' : 's'}\n`);
    }
    return sim;
  } finally {
    redis.disconnect();
  }
}

/** A job's spec, from the bundle it carries: its imports of synod and immutable lead to this installation. */
export async function loadJob(job: Job): Promise<CompiledSpec> {
  let code = job.source.code;
  const here = sharedModules();
  for (const [name, path] of Object.entries(job.modules)) {
    if (here[name] !== undefined) code = code.split(JSON.stringify(path)).join(JSON.stringify(here[name]));
  }
  const loaded = await loadSpecCode(code, job.source.file);
  return compileSpec(loaded, { ...job.source.options, source: { file: job.source.file, code } });
}

interface WorkerArgs {
  cluster?: string;
  runs?: number;
  onlyRun?: string;
}

export const workerCommand = (setExit: (code: number) => void): CommandModule<object, WorkerArgs> => ({
  command: 'worker',
  describe: 'join a cluster: expand the chunks of every search coordinated through this Redis (synod check --cluster URL)',
  builder: ((y: Argv) => y
    .option('cluster', { type: 'string', describe: `the Redis the coordinator uses: redis://[:password@]host:6379 (rediss:// for TLS; or in $${URL_ENV})` })
    .option('runs', { type: 'number', describe: 'leave after this many runs (default: keep waiting for runs)' })
    .option('only-run', { type: 'string', hidden: true, describe: 'join this run only (the worker a coordinator starts beside it)' })
    .check((a) => {
      if (a.cluster === undefined && process.env[URL_ENV] === undefined) throw new Error('Missing required argument: cluster');
      return true;
    })
    .example('$0 worker --cluster redis://10.0.0.5:6379', 'expand for every search coordinated through that Redis')) as unknown as CommandModule<object, WorkerArgs>['builder'],
  handler: async (args) => {
    const url = args.cluster ?? process.env[URL_ENV]!;
    const redis: RedisClient = await connectRedis(url);
    const stop = { stop: false };
    const quit = (): void => { stop.stop = true; };
    process.once('SIGINT', quit).once('SIGTERM', quit);
    process.stderr.write(`worker: waiting for runs at ${redactUrl(url)}\n`);
    try {
      await runWorker({ redis, version: engineVersion(), load: loadJob, log: (l) => process.stderr.write(`${l}\n`), stop, runs: args.runs, only: args.onlyRun });
      setExit(0);
    } catch (e) {
      if (e instanceof SpecError) throw e;
      printSpecError(new SpecError(codes.clusterLost, `worker lost Redis at ${redactUrl(url)}: ${redactText((e as Error)?.message ?? String(e), url)}`,
        'start the worker again once Redis is back; the coordinator hands its chunks to other workers'));
      setExit(3);
    } finally {
      redis.disconnect();
    }
  },
});
