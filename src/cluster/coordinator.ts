// The coordinator's side of a cluster run: the engine's supervisor sees a few more expanders
// (RemoteSlot), each of which holds one chunk in flight through Redis. A chunk goes out on the
// run's stream; whichever worker takes it answers on the results list. A worker's candidates were
// checked only against the states that worker knows (worker-expander.ts), so here, on the
// supervisor's thread, each is checked against the visited set and offered to the level table,
// exactly as an expander thread does; then the engine settles it like any chunk, in chunk order,
// so the counts, numbering and shortest traces are those of one machine. A duplicate answer (a
// chunk handed to a second worker after the first went quiet) is ignored.
import { FLAGS, flagWords, HI, LO, PARENT, type ChunkResult, type ExpanderOptions, type SharedTables } from '../check/chunk-expander.js';
import { ChunkReader, ChunkWriter, type StateChunk } from '../check/state-chunk.js';
import type { Expander } from '../check/threads.js';
import { createStatus } from '../check/status.js';
import { NO_PARENT } from '../store/state-graph.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { RedisClient } from './redis.js';
import { chunkFields, decodeResult, type CheckJob } from './wire.js';
import { RunKeys } from './run.js';

/** Chunks waiting this long without any answer: the coordinator says that no worker seems to be there. */
const QUIET_MS = 30_000;
/** The level table is never filled past this by a remote answer (an expander thread stops at 7/8 too). */
const FULL = 7 / 8;

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
  /** Bytes of chunks sent and results received. */
  bytesOut: number;
  bytesIn: number;
  /** Candidates received, and those the visited set or level table dropped here. */
  candidates: number;
  dropped: number;
  duplicates: number;
}

export class ClusterRun {
  readonly stats: RunStats = { chunks: 0, bytesOut: 0, bytesIn: 0, candidates: 0, dropped: 0, duplicates: 0 };
  private readonly keys: RunKeys['keys'];
  private readonly waiting = new Map<number, { resolve: (r: ChunkResult) => void; chunk: StateChunk | null; start: number }>();
  private readonly reader: RedisClient;
  private closed = false;
  private lost = false;
  private heard = Date.now();
  private toldQuiet = false;
  private readonly fields: number;
  tables: SharedTables;

  private constructor(private readonly s: RunSetup, private readonly runKeys: RunKeys, tables: SharedTables, options: ExpanderOptions) {
    this.keys = runKeys.keys;
    this.tables = tables;
    this.fields = FLAGS + flagWords(s.spec, options.edges);
    this.reader = s.redis.duplicate();
    this.reader.on('error', () => {});
  }

  /** Publishes the job and starts reading answers. */
  static async start(s: RunSetup, tables: SharedTables, options: ExpanderOptions): Promise<ClusterRun> {
    let run: ClusterRun | null = null;
    const keys = await RunKeys.open(s.redis, { ...s.job, kind: 'check', options }, (e) => run?.lose(e));
    run = new ClusterRun(s, keys, tables, options);
    void run.read();
    return run;
  }

  /** Expanders for the engine's pool: each one chunk in flight. */
  slots(): Expander[] {
    return Array.from({ length: this.s.window }, () => new RemoteSlot(this));
  }

  submit(id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult> {
    return new Promise((resolve) => {
      if (this.closed) return;
      this.waiting.set(id, { resolve, chunk, start });
      const fields = chunkFields({ id, epoch: this.tables.seen.size, start, pending, chunk });
      this.stats.chunks++;
      this.stats.bytesOut += chunk?.length ?? 0;
      this.s.redis.xadd(this.keys.chunks, '*', ...fields).catch((e) => this.lose(e));
    });
  }

  /** Answers and notes, until the run is closed. */
  private async read(): Promise<void> {
    const { results, notes } = this.keys;
    while (!this.closed) {
      let got: [Buffer, Buffer] | null;
      try {
        got = await this.reader.brpopBuffer(results, notes, 1);
      } catch (e) {
        if (!this.closed) this.lose(e);
        return;
      }
      if (got === null || this.closed) {
        if (this.waiting.size > 0 && !this.toldQuiet && Date.now() - this.heard > QUIET_MS) {
          this.toldQuiet = true;
          this.s.onNote(`no worker has answered for ${QUIET_MS / 1000} s; start workers with: synod worker --cluster URL (the URL given to --cluster)`);
        }
        continue;
      }
      this.heard = Date.now();
      if (got[0].toString() === notes) {
        this.s.onNote(got[1].toString());
        continue;
      }
      this.stats.bytesIn += got[1].length;
      const { id, result } = decodeResult(got[1]);
      const w = this.waiting.get(id);
      if (w === undefined) {
        this.stats.duplicates++;
        continue;
      }
      this.waiting.delete(id);
      w.resolve(this.admit(w.chunk, w.start, result));
    }
  }

  /**
   * Checks a worker's candidates against the visited set and offers them to the level table, as
   * an expander thread does; a table too full for them sends the chunk back (resumeAt = its
   * start) to be run again once the engine has grown the table.
   */
  private admit(chunk: StateChunk | null, start: number, r: ChunkResult): ChunkResult {
    const { seen, level } = this.tables;
    this.stats.candidates += r.candidates.count;
    if (level.size + r.candidates.count > level.capacity * FULL) {
      const nA = this.s.spec.actions.length;
      return {
        candidates: new ChunkWriter(this.fields, 0).take(), generated: 0, maxBranch: r.maxBranch, enabled: new Array<number>(nA).fill(0),
        fired: new Array<number>(nA).fill(0), found: [], resumeAt: start, firings: new Uint32Array(0), edges: null, failure: null,
      };
    }
    const rd = new ChunkReader(r.candidates, this.fields);
    const out = new ChunkWriter(this.fields, Math.max(r.candidates.length, 16));
    const h = rd.header;
    while (rd.next()) {
      const parent = h[PARENT]!;
      if (seen.has(h[HI]!, h[LO]!) || !level.offer(h[HI]!, h[LO]!, parent === NO_PARENT ? 0 : parent)) {
        this.stats.dropped++;
        continue;
      }
      out.header.set(h);
      out.push(rd.bytes, rd.bytes.length);
    }
    return { ...r, candidates: out.take() };
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
    this.waiting.clear();
    this.reader.disconnect();
    await this.runKeys.close(this.lost);
  }
}

/** One chunk in flight through Redis, as the engine's pool sees it. */
class RemoteSlot implements Expander {
  readonly ready = Promise.resolve();
  /** Always idle: the supervisor never runs spec code for it, so there is nothing here to end. */
  readonly status = createStatus();

  constructor(private readonly cluster: ClusterRun) {}

  run(id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult> {
    return this.cluster.submit(id, chunk, start, pending);
  }

  useTables(tables: SharedTables): void {
    this.cluster.tables = tables;
  }

  stop(): Promise<void> {
    return this.cluster.close();
  }
}
