// States owned by fingerprint partition. A run's states are split into PARTITIONS by their
// fingerprint; each partition has one owner at a time (a worker, named by the coordinator) that
// holds its visited slice and decides, for the level being searched, which candidates of its
// partition are new and from which parent. Its keys carry a hash tag of their own, so a Redis
// Cluster spreads the partitions over its nodes:
// - `in`: a list of batches, one per chunk expanded (possibly empty): the chunk's candidates that
//   fall in this partition. The owner reads it without taking from it, so a new owner can read
//   it again; it is trimmed when a level is committed.
// - `seen`: the visited slice as committed so far (8 bytes a state), `at`: the last level in it.
// - `owner`: the worker that owns it now (set by the coordinator).
// Winners travel to the coordinator as decisions: per chunk of the level, in chunk order, the
// partition's new states (candidate records as the expanders wrote them).
import { HI } from '../check/chunk-expander.js';
import type { StateChunk } from '../check/state-chunk.js';

/** Partitions per run: a power of two, several per worker so that a dead owner's share spreads. */
export const PARTITIONS = 16;

/** The partition of a fingerprint, from its high half (the tables probe by the low half). */
export function partitionOf(hi: number): number {
  return hi & (PARTITIONS - 1);
}

export const partitionKeys = (run: string, p: number) => ({
  in: `synod:{${run}:${p}}:in`,
  seen: `synod:{${run}:${p}}:seen`,
  at: `synod:{${run}:${p}}:at`,
  owner: `synod:{${run}:${p}}:owner`,
});

export const allPartitionKeys = (run: string): string[] => Array.from({ length: PARTITIONS }, (_, p) => Object.values(partitionKeys(run, p))).flat();

/** A chunk's candidates of one partition: (level, chunk's place in the level, records). */
export interface Batch {
  level: number;
  seq: number;
  records: Uint8Array;
  count: number;
}

export function encodeBatch(b: Batch): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(b.level, 0);
  head.writeUInt32LE(b.seq, 4);
  head.writeUInt32LE(b.count, 8);
  return Buffer.concat([head, b.records]);
}

export function decodeBatch(buf: Buffer): Batch {
  return { level: buf.readUInt32LE(0), seq: buf.readUInt32LE(4), count: buf.readUInt32LE(8), records: copyOf(buf.subarray(12)) };
}

/** A chunk's candidate records split by partition (each keeps the chunk's order). */
export function splitByPartition(candidates: StateChunk, fields: number): Array<{ records: Uint8Array; count: number }> {
  const all = new Uint8Array(candidates.buffer, 0, candidates.length);
  const view = new DataView(candidates.buffer);
  const parts: number[][] = Array.from({ length: PARTITIONS }, () => []);
  for (let at = 0; at < candidates.length;) {
    const end = at + 4 * fields + 4 + view.getUint32(at + 4 * fields, true);
    parts[partitionOf(view.getUint32(at + 4 * HI, true))]!.push(at, end);
    at = end;
  }
  return parts.map((spans) => {
    let size = 0;
    for (let i = 0; i < spans.length; i += 2) size += spans[i + 1]! - spans[i]!;
    const records = new Uint8Array(size);
    for (let i = 0, to = 0; i < spans.length; i += 2) {
      records.set(all.subarray(spans[i]!, spans[i + 1]!), to);
      to += spans[i + 1]! - spans[i]!;
    }
    return { records, count: spans.length / 2 };
  });
}

/** One partition's new states for chunks from..to-1 of a level: records per chunk. */
export interface Decision {
  partition: number;
  level: number;
  from: number;
  chunks: Array<{ records: Uint8Array; count: number }>;
}

export function encodeDecision(d: Decision): Buffer {
  const head = Buffer.alloc(16 + 8 * d.chunks.length);
  head.writeUInt32LE(d.partition, 0);
  head.writeUInt32LE(d.level, 4);
  head.writeUInt32LE(d.from, 8);
  head.writeUInt32LE(d.chunks.length, 12);
  d.chunks.forEach((c, i) => {
    head.writeUInt32LE(c.count, 16 + 8 * i);
    head.writeUInt32LE(c.records.length, 20 + 8 * i);
  });
  return Buffer.concat([head, ...d.chunks.map((c) => c.records)]);
}

export function decodeDecision(buf: Buffer): Decision {
  const n = buf.readUInt32LE(12);
  let at = 16 + 8 * n;
  const chunks = Array.from({ length: n }, (_, i) => {
    const count = buf.readUInt32LE(16 + 8 * i);
    const size = buf.readUInt32LE(20 + 8 * i);
    const records = copyOf(buf.subarray(at, at + size));
    at += size;
    return { records, count };
  });
  return { partition: buf.readUInt32LE(0), level: buf.readUInt32LE(4), from: buf.readUInt32LE(8), chunks };
}

/** Reads candidate records (header fields, then the state's bytes) one by one. */
export function* records(bytes: Uint8Array, fields: number): Generator<{ header: Uint32Array; start: number; end: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = new Uint32Array(fields);
  for (let at = 0; at < bytes.length;) {
    for (let i = 0; i < fields; i++) header[i] = view.getUint32(at + 4 * i, true);
    const end = at + 4 * fields + 4 + view.getUint32(at + 4 * fields, true);
    yield { header, start: at, end };
    at = end;
  }
}

function copyOf(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

/** Fingerprints as a partition's slice is stored: (hi, lo) pairs, little-endian, 8 bytes each. */
export function fingerprintBytes(pairs: readonly number[]): Buffer {
  const out = Buffer.alloc(4 * pairs.length);
  for (let i = 0; i < pairs.length; i++) out.writeUInt32LE(pairs[i]!, 4 * i);
  return out;
}
