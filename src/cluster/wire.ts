// What travels through Redis, and under which keys. A run (one search, or one swarm of random
// walks) has a job (what to load and how to expand or walk), a stream of work (chunks, or walk
// batches: walks.ts) that workers read as one consumer group, a list of results, a list of notes
// (a worker that refused the job says why) and, for walks, a stop mark. All of a run's keys carry the
// run's hash tag, so in a Redis Cluster they live on one node. New runs are announced on one
// stream that idle workers watch. Chunks and results are the engine's own typed-array messages,
// as bytes: a result is a little JSON (counts, events) followed by the candidates and edges.
import type { SpecSource } from '../spec/compile.js';
import type { ChunkResult, ExpanderOptions } from '../check/chunk-expander.js';
import type { StateChunk } from '../check/state-chunk.js';
import type { SimulateOptions } from '../check/simulate.js';

/** The stream on which coordinators announce runs. */
export const JOBS = 'synod:jobs';
export const GROUP = 'workers';

export const keysOf = (run: string) => ({
  job: `synod:{${run}}:job`,
  chunks: `synod:{${run}}:chunks`,
  results: `synod:{${run}}:results`,
  notes: `synod:{${run}}:notes`,
  /** Walks only: batches from this index on are to stop (see walks.ts). */
  stop: `synod:{${run}}:stop`,
  /** Searches only: owners' decisions (partition.ts), the last level settled, the workers that joined. */
  won: `synod:{${run}}:won`,
  settled: `synod:{${run}}:settled`,
  members: `synod:{${run}}:members`,
});

/** A worker's heartbeat in a search: while it lives, the partitions it owns stay its. */
export const aliveKey = (run: string, member: string): string => `synod:{${run}}:alive:${member}`;

interface JobBase {
  run: string;
  /** `synod <version>`: a worker of another version refuses the job. */
  version: string;
  source: SpecSource & { code: string };
  sourceHash: string;
  /** Where 'synod' and 'immutable' resolved on the coordinator: the bundle names those paths. */
  modules: Record<string, string>;
  /** A chunk or batch taken by a worker that has not answered for this long is handed to another. */
  reclaimAfterMs: number;
}

/** A search: workers expand chunks of its levels. */
export interface CheckJob extends JobBase {
  kind: 'check';
  options: ExpanderOptions;
}

/** How every walk of a swarm goes (each batch has its own seed and number of walks). */
export type WalkSettings = Pick<SimulateOptions, 'depth' | 'deadlock' | 'weights'>;

/** A swarm simulation: workers walk batches of seeded random walks. */
export interface WalkJob extends JobBase {
  kind: 'simulate';
  walks: WalkSettings;
}

export type Job = CheckJob | WalkJob;

/** A stream entry's fields (as XREADGROUP returns them, buffers) by name. */
export function fieldsOf(fields: Buffer[]): Map<string, Buffer> {
  const f = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!.toString(), fields[i + 1]!);
  return f;
}

/** One chunk to expand: the engine's run() arguments, its level and place in the level (see worker-expander.ts, partition.ts). */
export interface ChunkJob {
  id: number;
  level: number;
  seq: number;
  start: number;
  pending: boolean[];
  chunk: StateChunk | null;
}

export function chunkFields(j: ChunkJob): Array<string | Buffer> {
  const c = j.chunk;
  return [
    'id', String(j.id), 'level', String(j.level), 'seq', String(j.seq), 'start', String(j.start), 'pending', j.pending.map((p) => (p ? '1' : '0')).join(''),
    'base', String(c === null ? -1 : c.base), 'count', String(c?.count ?? 0),
    'data', c === null ? Buffer.alloc(0) : Buffer.from(c.buffer, 0, c.length),
  ];
}

/** A stream entry's fields (as XREADGROUP returns them, buffers) back to a chunk job. */
export function readChunk(fields: Buffer[]): ChunkJob {
  const f = fieldsOf(fields);
  const num = (k: string): number => Number(f.get(k)!.toString());
  const base = num('base');
  const data = f.get('data')!;
  const bytes = new Uint8Array(data.length);
  bytes.set(data);
  return {
    id: num('id'), level: num('level'), seq: num('seq'), start: num('start'),
    pending: [...f.get('pending')!.toString()].map((c) => c === '1'),
    chunk: base < 0 ? null : { buffer: bytes.buffer, length: bytes.length, count: num('count'), base },
  };
}

type Meta = Omit<ChunkResult, 'candidates' | 'edges' | 'firings'> & { id: number; count: number; candidateBytes: number; firingWords: number; edgeWords: number | null };

export function encodeResult(id: number, r: ChunkResult): Buffer {
  const { candidates, edges, firings, ...rest } = r;
  const meta: Meta = { ...rest, id, count: candidates.count, candidateBytes: candidates.length, firingWords: firings.length, edgeWords: edges === null ? null : edges.length };
  const json = Buffer.from(JSON.stringify(meta));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length, 0);
  const parts: Buffer[] = [head, json, Buffer.from(candidates.buffer, 0, candidates.length), Buffer.from(firings.buffer, firings.byteOffset, firings.byteLength)];
  if (edges !== null) parts.push(Buffer.from(edges.buffer, edges.byteOffset, edges.byteLength));
  return Buffer.concat(parts);
}

export function decodeResult(b: Buffer): { id: number; result: ChunkResult } {
  const n = b.readUInt32LE(0);
  const { id, count, candidateBytes, firingWords, edgeWords, ...rest } = JSON.parse(b.subarray(4, 4 + n).toString()) as Meta;
  let at = 4 + n;
  const cand = new Uint8Array(candidateBytes);
  cand.set(b.subarray(at, at + candidateBytes));
  at += candidateBytes;
  const words = (n: number): Uint32Array => {
    const w = new Uint32Array(n);
    new Uint8Array(w.buffer).set(b.subarray(at, at + 4 * n));
    at += 4 * n;
    return w;
  };
  const firings = words(firingWords);
  const edges = edgeWords === null ? null : words(edgeWords);
  return { id, result: { ...rest, candidates: { buffer: cand.buffer, length: candidateBytes, count, base: -1 }, firings, edges } };
}
