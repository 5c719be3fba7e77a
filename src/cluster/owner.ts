// A worker's side of owning partitions (partition.ts): for each partition the coordinator named
// it owner of, the visited slice and the level being searched. Batches of candidates are offered
// to the level's table as they come (the smallest parent wins, as in one process); chunk k's
// candidates are decided once the batches of chunks 0..k are all in (later chunks only hold
// larger parents), and the new states go to the coordinator in chunk order. Once the
// coordinator says the level is settled, its new states join the slice, in memory and in Redis
// (with the owner and level checked in one script, so a stale owner cannot commit), and the
// batches read are trimmed. A partition taken over from a dead owner is loaded from its committed
// slice, and its inbox is read again from the start: the decisions come out the same.
import { HI, LO, PARENT } from '../check/chunk-expander.js';
import { NO_PARENT } from '../store/state-graph.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import { LevelTable } from '../store/level-table.js';
import type { RedisClient } from './redis.js';
import { decodeBatch, encodeDecision, fingerprintBytes, partitionKeys, PARTITIONS, records, type Batch } from './partition.js';
import { keysOf } from './wire.js';

/** Appends a level's new states to the slice, only for the partition's owner and the level after the last. */
/** How often an owner looks at who owns what (see round()). */
const OWNERS_MS = 100;

const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if tonumber(redis.call('GET', KEYS[2]) or '-1') ~= tonumber(ARGV[2]) - 1 then return -2 end
redis.call('APPEND', KEYS[3], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[4], tonumber(ARGV[4]), -1)
return 1`;

export class Partition {
  private table = LevelTable.create(1 << 12);
  private readonly batches = new Map<number, Batch>();
  /** The next chunk of the level to decide. */
  private decided = 0;
  /** Inbox entries read so far (since the last trim). */
  cursor = 0;

  constructor(readonly p: number, readonly seen: FingerprintSet, public at: number, private readonly fields: number) {}

  /** The level being searched here. */
  get level(): number {
    return this.at + 1;
  }

  take(b: Batch): void {
    if (b.level !== this.level || b.seq < this.decided || this.batches.has(b.seq)) return; // stale, or twice (a chunk expanded again)
    while ((this.table.size + b.count) * 4 > this.table.capacity * 3) this.table = this.table.grown();
    for (const { header: h } of records(b.records, this.fields)) {
      if (!this.seen.has(h[HI]!, h[LO]!)) this.table.offer(h[HI]!, h[LO]!, keyOf(h));
    }
    this.batches.set(b.seq, b);
  }

  /** New states of the chunks decidable now, in chunk order. */
  decide(): { from: number; chunks: Array<{ records: Uint8Array; count: number }> } {
    const from = this.decided;
    const chunks: Array<{ records: Uint8Array; count: number }> = [];
    for (let b = this.batches.get(this.decided); b !== undefined; b = this.batches.get(this.decided)) {
      const keep: Array<[number, number]> = [];
      let size = 0;
      for (const { header: h, start, end } of records(b.records, this.fields)) {
        if (this.seen.has(h[HI]!, h[LO]!) || this.table.keyOf(h[HI]!, h[LO]!) !== keyOf(h)) continue;
        keep.push([start, end]);
        size += end - start;
      }
      const out = new Uint8Array(size);
      let to = 0;
      for (const [start, end] of keep) {
        out.set(b.records.subarray(start, end), to);
        to += end - start;
      }
      chunks.push({ records: out, count: keep.length });
      this.batches.delete(this.decided);
      this.decided++;
    }
    return { from, chunks };
  }

  /** The level's new states (8 bytes each), for the committed slice. */
  newStates(): Buffer {
    const pairs: number[] = [];
    this.table.forEach((hi, lo) => pairs.push(hi, lo));
    return fingerprintBytes(pairs);
  }

  /** After the commit: the level joins the slice; the next level starts empty. */
  committed(): void {
    this.table.forEach((hi, lo) => this.seen.add(hi, lo));
    this.table.clear();
    this.batches.clear();
    this.decided = 0;
    this.at++;
    this.cursor = 0;
  }
}

const keyOf = (h: Uint32Array): number => (h[PARENT] === NO_PARENT ? 0 : h[PARENT]!);

/** A slice as committed in Redis (fingerprintBytes). */
export function sliceOf(bytes: Buffer | null): FingerprintSet {
  const n = bytes === null ? 0 : bytes.length / 8;
  const set = FingerprintSet.create(Math.max(1 << 10, Math.ceil((n * 4) / 3) + 1));
  for (let i = 0; i < n; i++) set.add(bytes!.readUInt32LE(8 * i), bytes!.readUInt32LE(8 * i + 4));
  return set;
}

export class Owners {
  private readonly owned = new Map<number, Partition>();
  private busy = false;
  private owners: Array<string | null> = [];
  private ownersAt = 0;
  private settled = -1;
  /** Decisions sent, states decided new, partitions taken over (loaded from Redis). */
  readonly stats = { decisions: 0, decided: 0, loaded: 0 };

  constructor(private readonly redis: RedisClient, private readonly run: string, private readonly me: string, private readonly fields: number) {}

  get partitions(): number {
    return this.owned.size;
  }

  /** One round: which partitions are ours, their new batches, decisions, and commits. Rounds do not overlap. */
  async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.round();
    } finally {
      this.busy = false;
    }
  }

  private async round(): Promise<void> {
    const { redis, run } = this;
    const keys = Array.from({ length: PARTITIONS }, (_, p) => partitionKeys(run, p));
    // The settled mark first: every batch of a level it names is in the inboxes read after it.
    const settled = Number((await redis.get(keysOf(run).settled)) ?? '0');
    // Owners change seldom (a death, a worker joining): looked at every OWNERS_MS, and whenever a
    // level was settled (a partition of ours may have been moved at the level's start).
    const now = Date.now();
    if (now - this.ownersAt >= OWNERS_MS || settled !== this.settled) {
      this.ownersAt = now;
      this.settled = settled;
      this.owners = await Promise.all(keys.map((k) => redis.get(k.owner)));
    }
    const owners = this.owners;
    for (let p = 0; p < PARTITIONS; p++) {
      if (owners[p] !== this.me) this.owned.delete(p);
      else if (!this.owned.has(p)) {
        const [seen, at] = await Promise.all([redis.getBuffer(keys[p]!.seen), redis.get(keys[p]!.at)]);
        this.owned.set(p, new Partition(p, sliceOf(seen), Number(at ?? '0'), this.fields));
        this.stats.loaded++;
      }
    }
    for (const part of this.owned.values()) {
      const k = keys[part.p]!;
      const got = (await redis.lrangeBuffer(k.in, part.cursor, -1)) as Buffer[];
      part.cursor += got.length;
      for (const b of got) part.take(decodeBatch(b));
      const { from, chunks } = part.decide();
      if (chunks.length > 0) {
        await redis.lpush(keysOf(run).won, encodeDecision({ partition: part.p, level: part.level, from, chunks }));
        this.stats.decisions++;
        for (const c of chunks) this.stats.decided += c.count;
      }
      if (settled >= part.level) {
        const done = await redis.eval(COMMIT, 4, k.owner, k.at, k.seen, k.in, this.me, String(part.level), part.newStates(), String(part.cursor));
        if (done === 1) part.committed();
        else this.owned.delete(part.p); // no longer ours: whoever owns it now goes on from Redis
      }
    }
  }
}
