// The expanders of the one engine, as the supervisor (engine.ts) sees them: something that runs
// a chunk and answers later. A Thread is a worker thread that loads the spec itself from its
// source (see src/cli/check-worker.ts) and can be ended at any moment, even inside a guard that
// never returns; a LocalExpander runs the chunk on the supervisor's own thread, for a spec that
// exists only as an object in memory (it cannot be stopped while spec code runs). A thread's
// first message says what to load, so it can be started before the spec is known.
import { Worker } from 'node:worker_threads';
import type { FingerprintSetBuffers } from '../store/fingerprint-set.js';
import type { LevelTableBuffers } from '../store/level-table.js';
import { SpecError } from '../spec/errors.js';
import type { SpecSource } from '../spec/compile.js';
import type { Failure } from '../report/model.js';
import type { ChunkExpander, ChunkResult, ExpanderOptions, SharedTables } from './chunk-expander.js';
import type { StateChunk } from './state-chunk.js';
import { createStatus, type Status } from './status.js';
import { takeThread } from './warm-threads.js';
import { symmetryFailure } from './symmetry-check.js';

export interface TableBuffers {
  seen: FingerprintSetBuffers;
  level: LevelTableBuffers;
}
export interface WorkerStart {
  source: SpecSource;
  tables: TableBuffers;
  options: ExpanderOptions;
  status: SharedArrayBuffer;
}
export type ToWorker =
  | ({ type: 'start' } & WorkerStart)
  | { type: 'run'; id: number; chunk: StateChunk | null; start: number; pending: boolean[] }
  | { type: 'tables'; tables: TableBuffers }
  | { type: 'symmetry' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'symmetry'; failure: Failure | null }
  | { type: 'failed'; failure: Failure }
  | { type: 'done'; id: number; result: ChunkResult };

export const buffersOf = (t: SharedTables): TableBuffers => ({ seen: t.seen.buffers, level: t.level.buffers });

export interface Expander {
  readonly ready: Promise<void>;
  /** What it is doing now (read when it has to be ended). */
  readonly status: Status;
  run(id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult>;
  useTables(tables: SharedTables): void;
  /** The symmetry soundness check (symmetry-check.ts) on its spec: null when it passed. */
  checkSymmetry?(): Promise<Failure | null>;
  /** Ends it; pending runs never answer. */
  stop(): Promise<void>;
}

export class Thread implements Expander {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: unknown) => void }>();
  private symmetry: { resolve: (failure: Failure | null) => void; reject: (e: unknown) => void } | null = null;
  readonly ready: Promise<void>;
  readonly status = createStatus();

  constructor(script: URL, source: SpecSource, tables: SharedTables, options: ExpanderOptions) {
    const start: WorkerStart = { source, tables: buffersOf(tables), options, status: this.status.buffer as SharedArrayBuffer };
    this.worker = takeThread(script);
    const msg: ToWorker = { type: 'start', ...start };
    this.worker.postMessage(msg);
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(new SpecError(m.failure.code, m.failure.message, m.failure.hint));
        else if (m.type === 'symmetry') this.symmetry?.resolve(m.failure);
        else {
          this.waiting.get(m.id)?.resolve(m.result);
          this.waiting.delete(m.id);
        }
      });
      const fail = (e: unknown): void => {
        reject(e);
        this.symmetry?.reject(e);
        for (const w of this.waiting.values()) w.reject(e);
        this.waiting.clear();
      };
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`worker thread exited (code ${code})`)));
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
  }

  /** The chunk is copied to the thread: the supervisor keeps it to count part of it again if the search stops there. */
  run(id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const msg: ToWorker = { type: 'run', id, chunk, start, pending };
      this.worker.postMessage(msg);
    });
  }

  useTables(tables: SharedTables): void {
    const msg: ToWorker = { type: 'tables', tables: buffersOf(tables) };
    this.worker.postMessage(msg);
  }

  checkSymmetry(): Promise<Failure | null> {
    return new Promise((resolve, reject) => {
      this.symmetry = { resolve, reject };
      const msg: ToWorker = { type: 'symmetry' };
      this.worker.postMessage(msg);
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.waiting.clear();
    await this.worker.terminate();
  }
}

export class LocalExpander implements Expander {
  readonly ready = Promise.resolve();

  constructor(private readonly expander: ChunkExpander) {}

  get status(): Status {
    return this.expander.status;
  }

  /** Runs at the next turn of the event loop, so timers and signal handlers run between chunks. */
  run(_id: number, chunk: StateChunk | null, start: number, pending: boolean[]): Promise<ChunkResult> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.expander.run(chunk, start, pending));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  useTables(tables: SharedTables): void {
    this.expander.tables = tables;
  }

  checkSymmetry(): Promise<Failure | null> {
    return new Promise((resolve, reject) => setImmediate(() => {
      try {
        resolve(symmetryFailure(this.expander.spec));
      } catch (e) {
        reject(e);
      }
    }));
  }

  async stop(): Promise<void> {}
}
