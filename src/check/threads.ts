// The worker threads of a parallel check, as the coordinator (parallel.ts) sees them: the
// messages they answer, and a promise per chunk of work. Each thread loads the spec itself
// (see src/cli/check-worker.ts) and works on the same shared tables.
import { Worker } from 'node:worker_threads';
import type { SharedSetBuffers } from '../store/shared-fingerprint-set.js';
import type { LevelTableBuffers } from '../store/level-table.js';
import { SpecError } from '../spec/errors.js';
import type { Failure } from '../report/model.js';
import type { ChunkResult, ExpanderOptions, SharedTables } from './chunk-expander.js';
import type { StateChunk } from './state-chunk.js';

export interface TableBuffers {
  seen: SharedSetBuffers;
  level: LevelTableBuffers;
}
export interface WorkerStart {
  data: unknown;
  tables: TableBuffers;
  options: ExpanderOptions;
}
export type ToWorker =
  | { type: 'run'; id: number; chunk: StateChunk; start: number; pending: boolean[] }
  | { type: 'tables'; tables: TableBuffers };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; failure: Failure }
  | { type: 'done'; id: number; result: ChunkResult };

export const buffersOf = (t: SharedTables): TableBuffers => ({ seen: t.seen.buffers, level: t.level.buffers });

export class Thread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: unknown) => void }>();
  readonly ready: Promise<void>;

  constructor(script: URL, start: WorkerStart) {
    this.worker = new Worker(script, { workerData: start });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(new SpecError(m.failure.code, m.failure.message, m.failure.hint));
        else {
          this.waiting.get(m.id)?.resolve(m.result);
          this.waiting.delete(m.id);
        }
      });
      const fail = (e: unknown): void => {
        reject(e);
        for (const w of this.waiting.values()) w.reject(e);
        this.waiting.clear();
      };
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`worker thread exited (code ${code})`)));
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
  }

  /** The chunk is copied to the thread: this thread keeps it to count part of it again if the search stops there. */
  run(id: number, chunk: StateChunk, start: number, pending: boolean[]): Promise<ChunkResult> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const msg: ToWorker = { type: 'run', id, chunk, start, pending };
      this.worker.postMessage(msg);
    });
  }

  useTables(tables: TableBuffers): void {
    const msg: ToWorker = { type: 'tables', tables };
    this.worker.postMessage(msg);
  }

  stop(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }
}
