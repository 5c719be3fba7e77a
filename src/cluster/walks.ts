// Swarm simulation over a cluster, the part both sides share: a batch (walks under one seed) as
// it travels on the run's stream, a worker's answer to it, and how a worker walks one. A batch
// is a local walker's job (its index, seed and number of walks), so its walks depend only on
// those: which worker took it, or whether it was taken over from a dead one, changes nothing.
// The coordinator's stop mark (a batch index) ends the batches from that index on: those past a
// violation, or all of them at the time limit; a stopped batch answers with what it walked.
import { simulate, type Simulation } from '../check/simulate.js';
import type { CompiledSpec } from '../spec/compile.js';
import { SpecError } from '../spec/errors.js';
import { fieldsOf, type WalkSettings } from './wire.js';

export interface Batch {
  index: number;
  seed: number;
  runs: number;
}

/** What a batch's walks found, without the fingerprint set (it travels as pairs). */
export type Walked = Omit<Simulation, 'fingerprints'>;

export type BatchAnswer = { index: number; worker: string } & (
  /** The stop mark had passed the batch before it started. */
  | { kind: 'skipped' }
  /** (hi, lo) pairs of the distinct states its walks visited. */
  | { kind: 'walked'; sim: Walked; fingerprints: Uint32Array }
  /** Spec code threw (a coded error, or a bug in synod: then the stack). */
  | { kind: 'failed'; message: string; code?: string; hint?: string }
);

export function batchFields(b: Batch): string[] {
  return ['batch', String(b.index), 'seed', String(b.seed), 'runs', String(b.runs)];
}

export function readBatch(fields: Buffer[]): Batch {
  const f = fieldsOf(fields);
  const num = (k: string): number => Number(f.get(k)!.toString());
  return { index: num('batch'), seed: num('seed'), runs: num('runs') };
}

/** An answer: four bytes of JSON length, the JSON, then the fingerprint pairs. */
export function encodeAnswer(a: BatchAnswer): Buffer {
  const { fingerprints, ...rest } = a.kind === 'walked' ? a : { ...a, fingerprints: new Uint32Array(0) };
  const json = Buffer.from(JSON.stringify(rest));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length, 0);
  return Buffer.concat([head, json, Buffer.from(fingerprints.buffer, fingerprints.byteOffset, fingerprints.byteLength)]);
}

export function decodeAnswer(b: Buffer): BatchAnswer {
  const n = b.readUInt32LE(0);
  const a = JSON.parse(b.subarray(4, 4 + n).toString()) as BatchAnswer;
  if (a.kind !== 'walked') return a;
  const pairs = new Uint32Array((b.length - 4 - n) / 4);
  new Uint8Array(pairs.buffer).set(b.subarray(4 + n));
  return { ...a, fingerprints: pairs };
}

/** Walks one batch; `stopped()` is asked between walks (the coordinator's stop mark). */
export async function walkBatch(spec: CompiledSpec, settings: WalkSettings, b: Batch, worker: string, stopped: () => boolean): Promise<BatchAnswer> {
  if (stopped()) return { index: b.index, worker, kind: 'skipped' };
  try {
    const { fingerprints, ...sim } = await simulate(spec, { ...settings, seed: b.seed, runs: b.runs, interrupt: { get stop() { return stopped(); } } });
    const pairs = new Uint32Array(2 * fingerprints.size);
    let i = 0;
    fingerprints.forEach((hi, lo) => { pairs[i++] = hi; pairs[i++] = lo; });
    return { index: b.index, worker, kind: 'walked', sim, fingerprints: pairs };
  } catch (e) {
    // A spec error keeps its message for the user; anything else is a bug: keep its stack.
    if (e instanceof SpecError) return { index: b.index, worker, kind: 'failed', message: e.message, code: e.code, hint: e.hint };
    return { index: b.index, worker, kind: 'failed', message: (e as Error)?.stack ?? String(e) };
  }
}
