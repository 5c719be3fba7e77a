// One walker of `synod simulate --workers K`, in a worker thread: loads the spec itself, runs
// its seeded walks and posts the result (with its fingerprint table) back to swarm.ts. Given a
// shrink job instead, it shrinks a walk's violation (shrink-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { simulate } from '../check/simulate.js';
import { compileSpec } from '../spec/compile.js';
import { loadSpecCode } from './load-code.js';
import type { WalkerJob, WalkerReply } from './swarm.js';
import { shrink } from '../check/shrink.js';
import type { ShrinkJob, ShrinkReply } from './shrink-thread.js';

process.setSourceMapsEnabled(true); // errors point into the spec's .ts, as on the main thread
const job = workerData as WalkerJob | ShrinkJob;
let reply: WalkerReply | ShrinkReply;
try {
  const loaded = job.code !== undefined ? await loadSpecCode(job.code, job.file) : await (await import('./load.js')).loadSpec(job.file);
  const spec = compileSpec(loaded, job.compile);
  if ('kind' in job) {
    reply = { ok: true, shrunk: await shrink(spec, job.finding, { deadlock: job.deadlock }) };
  } else {
    const stop = new Int32Array(job.stop);
    const { fingerprints, ...sim } = await simulate(spec, { ...job.options, interrupt: { get stop() { return Atomics.load(stop, 0) !== 0; } } });
    const { slots, count } = fingerprints.serialize();
    reply = { ok: true, sim, slots, count };
  }
} catch (e) {
  const { code, hint } = e as { code?: string; hint?: string };
  // A spec error keeps its message for the user; anything else is a bug: keep its stack.
  reply = { ok: false, message: (code ? (e as Error).message : (e as Error)?.stack) ?? String(e), code, hint };
}
parentPort!.postMessage(reply, reply.ok && 'slots' in reply ? [reply.slots.buffer as ArrayBuffer] : []);
