// The coordinator's side of a cluster search: the engine's supervisor sees a few more expanders
// (RemoteSlot), each holding one chunk in flight through Redis. The states are owned by
// fingerprint partition (partition.ts, owner.ts): a worker that expands a chunk sends its
// candidates to their partitions' owners and answers here with the chunk's counts; the owners
// answer, per chunk in level order, with the states that are new and from which parent. Once a
// chunk's answer and every partition's decision for it are in, the engine settles it like any
// chunk, in chunk order, so the counts, numbering and shortest traces are those of one machine.
// This side names the owners (a worker whose heartbeat stopped loses its partitions to live ones),
// and between levels tells them that the level is settled and waits until each has committed
// its share of it to Redis, where a new owner finds it.
import { ORDINAL, PARENT, type ChunkResult, type ExpanderOptions, type SharedTables, FLAGS, flagWords } from '../check/chunk-expander.js';
import type { StateChunk } from '../check/state-chunk.js';
import type { Expander } from '../check/threads.js';
import { createStatus } from '../check/status.js';
import type { FingerprintSet } from '../store/fingerprint-set.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { RedisClient } from './redis.js';
import { aliveKey, chunkFields, decodeResult, type CheckJob } from './wire.js';
import { RunKeys } from './run.js';
import { allPartitionKeys, decodeDecision, fingerprintBytes, partitionKeys, partitionOf, PARTITIONS, records } from './partition.js';

/** Chunks waiting this long without any answer: the coordinator says that no worker seems to be there. */
const QUIET_MS = 30_000;
/** How often owners' heartbeats are looked at while a level runs. */
const WATCH_MS = 250;
const POLL_MS = 10;
/** Messages taken from a list at once after a blocking pop. */
const DRAIN = 64;

export interface RunSetup {
  redis: RedisClient;
  spec: CompiledSpec;
  job: Omit<CheckJob, 'run' | 'options' | 'kind'>;
  /** Chunks in flight through Redis at once. */
  window: number;
  /** Told once when Redis is lost mid-run (the caller stops the search). */
  onLost: (e: unknown) => void;
  /** Told what workers say (a refused job). */
  onNote: (note: string) => void;
}

export interface RunStats {
  chunks: number;
  /** Bytes of chunks sent, and of answers and decisions received. */
  bytesOut: number;
  bytesIn: number;
  /** New states the owners decided, in how many decisions. */
  decided: number;
  decisions: number;
  duplicates: number;
  /** Partitions given to another worker when their owner's heartbeat stopped. */
  handedOver: number;
}

type Piece = { records: Uint8Array; count: number };

export class ClusterRun {
  readonly stats: RunStats = { chunks: 0, bytesOut: 0, bytesIn: 0, decided: 0, decisions: 0, duplicates: 0, handedOver: 0 };
  private readonly keys: RunKeys['keys'];
  private readonly waiting = new Map<number, { seq: number; resolve: (r: ChunkResult) => void }>();
  private readonly reader: RedisClient;
  private closed = false;
  private lost = false;
  private heard = Date.now();
  private toldQuiet = false;
  private readonly fields: number;
  /** The level being searched, its chunks' places, and what came back for them. */
  private level = 0;
  private seqOf = new Map<StateChunk | null, number>();
  private readonly answers = new Map<number, ChunkResult>();
  /** The chunk in flight for each place in the level. */
  private readonly idOf = new Map<number, number>();
  private readonly pieces = new Map<number, Array<Piece | undefined>>();
  /** Per partition: the chunks of the level decided (0..n-1). */
  private readonly decided = new Array<number>(PARTITIONS).fill(0);
  private readonly owners = new Array<string>(PARTITIONS).fill('');
  private seeded = false;
  private readonly watch: NodeJS.Timeout;
  private watching = false;

  private constructor(private readonly s: RunSetup, private readonly runKeys: RunKeys, options: ExpanderOptions) {
    this.keys = runKeys.keys;
    this.fields = FLAGS + flagWords(s.spec, options.edges);
    this.reader = s.redis.duplicate();
    this.reader.on('error', () => {});
    this.watch = setInterval(() => {
      if (this.watching || this.level === 0) return;
      this.watching = true;
      this.assign(false).catch((e) => this.lose(e)).finally(() => { this.watching = false; });
    }, WATCH_MS);
  }

  /** Publishes the job and starts reading answers. */
  static async start(s: RunSetup, options: ExpanderOptions): Promise<ClusterRun> {
    let run: ClusterRun | null = null;
    const keys = await RunKeys.open(s.redis, { ...s.job, kind: 'check', options }, (e) => run?.lose(e), allPartitionKeys);
    run = new ClusterRun(s, keys, options);
    void run.read();
    return run;
  }

  get name(): string {
    return this.runKeys.run;
  }

  /** Expanders for the engine's pool: each one chunk in flight. */
  slots(): Expander[] {
    return Array.from({ length: this.s.window }, () => new RemoteSlot(this));
  }

  /**
   * Before a level: the first time, the partitions get their slices of the visited set (empty,
   * or a checkpoint's); after that, the owners commit the level just settled. Then owners are
   * named for partitions without a live one, and shares evened out.
   */
  async beginLevel(depth: number, chunks: ReadonlyArray<StateChunk | null>, seen: FingerprintSet, stopping: () => boolean): Promise<void> {
    // Redis lost here stops the search like anywhere else (the level begins, and stops at once).
    await this.prepareLevel(depth, chunks, seen, stopping).catch((e) => this.lose(e));
  }

  private async prepareLevel(depth: number, chunks: ReadonlyArray<StateChunk | null>, seen: FingerprintSet, stopping: () => boolean): Promise<void> {
    const { redis } = this.s;
    const keys = Array.from({ length: PARTITIONS }, (_, p) => partitionKeys(this.name, p));
    if (!this.seeded) {
      const slices = Array.from({ length: PARTITIONS }, () => [] as number[]);
      seen.forEach((hi, lo) => slices[partitionOf(hi)]!.push(hi, lo));
      await Promise.all(keys.map((k, p) => Promise.all([
        redis.set(k.seen, fingerprintBytes(slices[p]!)), redis.set(k.at, String(depth - 1)),
      ])));
      this.seeded = true;
    } else {
      await redis.set(this.keys.settled, String(depth - 1));
      for (;;) {
        const at = await Promise.all(keys.map((k) => redis.get(k.at)));
        if (at.every((a) => a === String(depth - 1))) break;
        if (stopping() || this.closed || this.lost) return;
        await sleep(POLL_MS);
      }
    }
    this.level = depth;
    this.seqOf = new Map(chunks.map((c, i) => [c, i]));
    this.answers.clear();
    this.pieces.clear();
    this.idOf.clear();
    this.decided.fill(0);
    while (!(await this.assign(true))) {
      if (stopping() || this.closed || this.lost) return;
      this.quiet();
      await sleep(100);
    }
  }

  /**
   * Names a live worker for each partition whose owner is not (and, between levels, evens the
   * shares out: every partition is committed then, so moving one loses nothing). False when no
   * worker is live.
   */
  private async assign(rebalance: boolean): Promise<boolean> {
    const { redis } = this.s;
    const members = (await redis.smembers(this.keys.members)).sort();
    const alive = await Promise.all(members.map((m) => redis.exists(aliveKey(this.name, m))));
    const live = members.filter((_, i) => alive[i] === 1);
    if (live.length === 0) return false;
    const share = new Map(live.map((m) => [m, [] as number[]]));
    const changed: number[] = [];
    this.owners.forEach((m, p) => {
      if (share.has(m)) share.get(m)!.push(p);
      else changed.push(p);
    });
    const least = (): number[] => [...share.values()].reduce((a, b) => (b.length < a.length ? b : a));
    const most = (): number[] => [...share.values()].reduce((a, b) => (b.length > a.length ? b : a));
    for (const p of changed) {
      if (this.owners[p] !== '') this.stats.handedOver++;
      least().push(p);
    }
    while (rebalance && most().length - least().length > 1) {
      const p = most().pop()!;
      least().push(p);
      changed.push(p);
    }
    for (const [m, ps] of share) for (const p of ps) this.owners[p] = m;
    await Promise.all(changed.map((p) => redis.set(partitionKeys(this.name, p).owner, this.owners[p]!)));
    return true;
  }

  submit(id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult> {
    return new Promise((resolve) => {
      if (this.closed) return;
      const seq = this.seqOf.get(chunk)!;
      this.waiting.set(id, { seq, resolve });
      this.idOf.set(seq, id);
      const fields = chunkFields({ id, level: this.level, seq, start, pending, chunk });
      this.stats.chunks++;
      this.stats.bytesOut += chunk?.length ?? 0;
      this.s.redis.xadd(this.keys.chunks, '*', ...fields).catch((e) => this.lose(e));
    });
  }

  /** Answers, decisions and notes, until the run is closed. */
  private async read(): Promise<void> {
    const { results, notes, won } = this.keys;
    while (!this.closed) {
      let got: [Buffer, Buffer] | null;
      try {
        got = await this.reader.brpopBuffer(results, won, notes, 1);
      } catch (e) {
        if (!this.closed) this.lose(e);
        return;
      }
      if (got === null || this.closed) {
        if (this.waiting.size > 0) this.quiet();
        continue;
      }
      this.heard = Date.now();
      const from = got[0].toString();
      if (from === notes) {
        this.s.onNote(got[1].toString());
        continue;
      }
      this.take(from, got[1]);
      // What else is waiting, in one round trip (a busy coordinator finds many).
      try {
        const [answers, decisions] = await Promise.all([this.reader.rpopBuffer(results, DRAIN), this.reader.rpopBuffer(won, DRAIN)]);
        for (const b of answers ?? []) this.take(results, b);
        for (const b of decisions ?? []) this.take(won, b);
      } catch (e) {
        if (!this.closed) this.lose(e);
        return;
      }
    }
  }

  private take(from: string, b: Buffer): void {
    if (this.closed) return;
    this.stats.bytesIn += b.length;
    if (from === this.keys.won) this.decision(b);
    else this.answer(b);
  }

  private quiet(): void {
    if (!this.toldQuiet && Date.now() - this.heard > QUIET_MS) {
      this.toldQuiet = true;
      this.s.onNote(`no worker has answered for ${QUIET_MS / 1000} s; start workers with: synod worker --cluster URL (the URL given to --cluster)`);
    }
  }

  private answer(b: Buffer): void {
    const { id, result } = decodeResult(b);
    const w = this.waiting.get(id);
    if (w === undefined || this.answers.has(w.seq)) {
      this.stats.duplicates++;
      return;
    }
    this.answers.set(w.seq, result);
    this.complete(w.seq);
  }

  /** An owner's new states for chunks from..: taken from where this partition's are not yet in (a new owner starts over at 0). */
  private decision(b: Buffer): void {
    const d = decodeDecision(b);
    const p = d.partition;
    if (d.level !== this.level || d.from > this.decided[p]!) return;
    this.stats.decisions++;
    d.chunks.forEach((c, i) => {
      const seq = d.from + i;
      if (seq < this.decided[p]!) return;
      if (!this.pieces.has(seq)) this.pieces.set(seq, new Array<Piece | undefined>(PARTITIONS));
      this.pieces.get(seq)![p] = c;
      this.stats.decided += c.count;
    });
    const before = Math.min(...this.decided);
    this.decided[p] = Math.max(this.decided[p]!, d.from + d.chunks.length);
    // Chunks now decided by every partition: those answered can be settled.
    for (let seq = before, all = Math.min(...this.decided); seq < all; seq++) this.complete(seq);
  }

  /** A chunk whose answer and decisions are all in: its new states in search order (by parent, then successor). */
  private complete(seq: number): void {
    const r = this.answers.get(seq);
    if (r === undefined || this.decided.some((n) => n <= seq)) return;
    const pieces = this.pieces.get(seq) ?? [];
    const all: Array<{ piece: Uint8Array; start: number; end: number; parent: number; ordinal: number }> = [];
    for (const piece of pieces) {
      if (piece === undefined) continue;
      for (const { header, start, end } of records(piece.records, this.fields)) all.push({ piece: piece.records, start, end, parent: header[PARENT]!, ordinal: header[ORDINAL]! });
    }
    all.sort((a, b) => a.parent - b.parent || a.ordinal - b.ordinal);
    const bytes = new Uint8Array(all.reduce((n, x) => n + x.end - x.start, 0));
    let at = 0;
    for (const x of all) {
      bytes.set(x.piece.subarray(x.start, x.end), at);
      at += x.end - x.start;
    }
    this.answers.delete(seq);
    this.pieces.delete(seq);
    const id = this.idOf.get(seq)!;
    this.idOf.delete(seq);
    const w = this.waiting.get(id)!;
    this.waiting.delete(id);
    w.resolve({ ...r, candidates: { buffer: bytes.buffer, length: bytes.length, count: all.length, base: -1 } });
  }

  private lose(e: unknown): void {
    if (this.lost || this.closed) return;
    this.lost = true;
    this.s.onLost(e);
  }

  /** Ends the run: its keys go, so workers return to waiting for the next one. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watch);
    this.waiting.clear();
    this.reader.disconnect();
    await this.runKeys.close(this.lost);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One chunk in flight through Redis, as the engine's pool sees it. */
class RemoteSlot implements Expander {
  readonly ready = Promise.resolve();
  /** Always idle: the supervisor never runs spec code for it, so there is nothing here to end. */
  readonly status = createStatus();

  constructor(private readonly cluster: ClusterRun) {}

  run(id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult> {
    return this.cluster.submit(id, chunk, start, pending);
  }

  useTables(_tables: SharedTables): void {}

  stop(): Promise<void> {
    return this.cluster.close();
  }
}
