// `synod simulate --workers K`: K walkers in worker threads (a swarm), each with its own seed
// derived from the master seed (walker 0 has the master seed: one walker walks as an in-process
// simulation would). Every walker stops only at its own first violation or run budget, so the
// merged result depends on the seed alone: the violation is that of the lowest walker index that
// found one, distinct states are the union of the walkers' fingerprints. Spec code runs only in
// the walkers: when the time limit or Ctrl-C comes, a walker that has not answered a second
// later is stuck in spec code; its thread is ended and its walks are left out.
import { Worker } from 'node:worker_threads';
import { walkerSeed, type Simulation, type SimulateOptions } from '../check/simulate.js';
import type { CompileOptions } from '../spec/compile.js';
import { SpecError, type ErrorCode } from '../spec/errors.js';
import { FingerprintSet } from '../store/fingerprint-set.js';

export interface WalkerJob {
  file: string;
  /** The main thread's bundle of the spec (a walker need not bundle it again). */
  code?: string;
  compile: CompileOptions;
  options: Omit<SimulateOptions, 'interrupt'>;
  /** SharedArrayBuffer: a non-zero Int32 at 0 asks the walker to stop (Ctrl-C). */
  stop: SharedArrayBuffer;
}

export type WalkerReply =
  | { ok: true; sim: Omit<Simulation, 'fingerprints'>; slots: Uint32Array; count: number }
  | { ok: false; message: string; code?: string; hint?: string };

/** Walker i's share of the runs (undefined: until the time limit). */
function share(runs: number | undefined, k: number, i: number): number | undefined {
  if (runs === undefined) return undefined;
  return Math.floor(runs / k) + (i < runs % k ? 1 : 0);
}

/** How long walkers get to answer after the time limit or Ctrl-C before they are ended. */
const GRACE_MS = 1000;

export async function swarm(
  source: { file: string; code?: string }, compile: CompileOptions, options: Omit<SimulateOptions, 'interrupt'>, workers: number, interrupt: { stop: boolean },
): Promise<Simulation & { seeds: number[]; stuck: number[] }> {
  const started = performance.now();
  const deadline = started + (options.timeLimitMs ?? Infinity);
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const runs = options.runs ?? (options.timeLimitMs === undefined ? 1000 : undefined);
  const seeds = Array.from({ length: workers }, (_, i) => walkerSeed(options.seed, i));
  const threads: Worker[] = [];
  const answers: Array<WalkerReply | null> = seeds.map(() => null);
  const jobs = seeds.map((seed, i) => new Promise<void>((resolve, reject) => {
    const job: WalkerJob = { ...source, compile, options: { ...options, seed, runs: share(runs, workers, i) }, stop };
    const w = new Worker(new URL('./simulate-worker.js', import.meta.url), { workerData: job });
    threads.push(w);
    w.once('message', (r: WalkerReply) => { answers[i] = r; resolve(); });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`walker ${i} exited with code ${code} before reporting`)));
  }));
  let stoppedAt = Infinity;
  const ended = new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const now = performance.now();
      if (stoppedAt === Infinity && (interrupt.stop || now > deadline)) {
        Atomics.store(flag, 0, 1);
        stoppedAt = now;
      }
      if (now - stoppedAt > GRACE_MS) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
    void Promise.all(jobs).finally(() => { clearInterval(poll); resolve(); }).catch(() => {});
  });
  await Promise.race([Promise.all(jobs), ended]);
  const stuck = answers.flatMap((a, i) => (a === null ? [i] : []));
  for (const i of stuck) {
    threads[i]!.removeAllListeners('exit');
    await threads[i]!.terminate();
  }
  const replies = answers.filter((a): a is WalkerReply => a !== null);
  const failed = replies.find((r) => !r.ok);
  if (failed && !failed.ok) {
    if (failed.code) throw new SpecError(failed.code as ErrorCode, `${failed.message} (walker ${replies.indexOf(failed)})`, failed.hint);
    throw new Error(`a walker failed: ${failed.message}`);
  }
  const sims = replies.map((r) => r.ok ? r : null).filter((r) => r !== null);
  const seen = FingerprintSet.create(1 << 12);
  for (const { slots } of sims) for (let j = 0; j < slots.length; j += 2) if (slots[j] !== 0 || slots[j + 1] !== 0) seen.add(slots[j]!, slots[j + 1]!);
  const found = sims.find((r) => r.sim.violation !== null)?.sim ?? null;
  const reasons = sims.map((r) => r.sim.stopReason);
  return {
    seed: options.seed,
    seeds,
    runs: sims.reduce((n, r) => n + r.sim.runs, 0),
    steps: sims.reduce((n, r) => n + r.sim.steps, 0),
    distinct: seen.size,
    durationMs: performance.now() - started,
    violation: found?.violation ?? null,
    witnesses: (sims[0]?.sim.witnesses ?? []).map((w, i) => ({ property: w.property, path: sims.map((r) => r.sim.witnesses[i]!.path).find((p) => p !== null) ?? null })),
    stopReason: found ? 'violation' : reasons.includes('interrupted') || (stuck.length > 0 && interrupt.stop) ? 'interrupted' : reasons.includes('time-limit') || stuck.length > 0 ? 'time-limit' : 'runs',
    fingerprints: seen,
    stuck,
  };
}
