// An owner's decisions (src/cluster/owner.ts) against the rule they implement, on random
// batches: a candidate is a new state iff its fingerprint is not in the slice and no candidate
// of an earlier chunk (a smaller parent) has it; whatever order the batches arrive in, and with
// batches arriving twice (a chunk expanded again), the decisions are the same.
import { describe, expect, it } from 'vitest';
import { FLAGS, HI, LO, ORDINAL, PARENT } from '../../src/check/chunk-expander.js';
import { ChunkWriter } from '../../src/check/state-chunk.js';
import { Partition, sliceOf } from '../../src/cluster/owner.js';
import { records, type Batch } from '../../src/cluster/partition.js';

const FIELDS = FLAGS + 1;

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Chunks of 4 parents each; each parent reaches a few of `pool` fingerprints (once each per chunk). */
function level(random: () => number, chunks: number, pool: number): Batch[] {
  return Array.from({ length: chunks }, (_, seq) => {
    const w = new ChunkWriter(FIELDS, 256);
    const inChunk = new Set<number>();
    for (let parent = 4 * seq; parent < 4 * seq + 4; parent++) {
      for (let ordinal = 0; ordinal < 5; ordinal++) {
        const fp = 1 + Math.floor(random() * pool);
        if (inChunk.has(fp)) continue; // an expander keeps one candidate per state within a chunk
        inChunk.add(fp);
        w.header.fill(0);
        w.header[PARENT] = parent;
        w.header[ORDINAL] = ordinal;
        w.header[HI] = fp;
        w.header[LO] = fp * 7 + 1;
        w.push(Uint8Array.of(fp & 255), 1);
      }
    }
    const c = w.take();
    return { level: 3, seq, count: c.count, records: new Uint8Array(c.buffer, 0, c.length) };
  });
}

const keysOf = (bytes: Uint8Array): string[] => Array.from(records(bytes, FIELDS), ({ header: h }) => `${h[HI]}/${h[PARENT]}/${h[ORDINAL]}`); // (one header, read as it goes)

/** What one process would keep: per fingerprint not seen, its first candidate in chunk order. */
function reference(batches: Batch[], seen: Set<number>): string[][] {
  const taken = new Set<number>();
  return batches.map((b) => keysOf(b.records).filter((k) => {
    const fp = Number(k.split('/')[0]);
    if (seen.has(fp) || taken.has(fp)) return false;
    taken.add(fp);
    return true;
  }));
}

describe('an owner of a partition', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`decides like one process whatever the arrival order (seed ${seed})`, () => {
      const random = rng(seed);
      const batches = level(random, 12, 60);
      const seen = new Set(Array.from({ length: 15 }, () => 1 + Math.floor(random() * 60)));
      const slice = Buffer.alloc(8 * seen.size);
      [...seen].forEach((fp, i) => { slice.writeUInt32LE(fp, 8 * i); slice.writeUInt32LE(fp * 7 + 1, 8 * i + 4); });
      const part = new Partition(0, sliceOf(slice), 2, FIELDS);
      // Arrival in a shuffled order, some twice; decisions taken after every arrival.
      const arrivals = [...batches, ...batches.filter(() => random() < 0.3)].sort(() => random() - 0.5);
      const decided: string[][] = [];
      for (const b of arrivals) {
        part.take(b);
        const { from, chunks } = part.decide();
        expect(from).toBe(decided.length);
        for (const c of chunks) decided.push(keysOf(c.records));
      }
      expect(decided).toEqual(reference(batches, seen));
      // The level's new states are exactly the winners; committing moves them into the slice.
      const fresh = part.newStates();
      expect(fresh.length / 8).toBe(decided.flat().length);
      part.committed();
      expect(part.level).toBe(4);
      for (const k of decided.flat()) expect(part.seen.has(Number(k.split('/')[0]), Number(k.split('/')[0]) * 7 + 1)).toBe(true);
    });
  }

  it('ignores batches of another level', () => {
    const part = new Partition(0, sliceOf(null), 2, FIELDS);
    const [b] = level(rng(9), 1, 10);
    part.take({ ...b!, level: 2 });
    part.take({ ...b!, level: 4 });
    expect(part.decide().chunks).toEqual([]);
  });
});
