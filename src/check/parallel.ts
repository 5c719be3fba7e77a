// Parallel exploration: worker threads expand the states of one BFS level at a time, in
// chunks, and share one lock-free fingerprint set. The level barrier keeps the guarantee of the
// sequential search that every trace is a shortest one (TLC and Stateright lose it with
// several workers). This thread owns the state graph: after each level it numbers the new
// states in chunk order and turns what the workers found into replay paths.
import { Worker } from 'node:worker_threads';
import { SharedFingerprintSet, type SharedSetBuffers } from '../store/shared-fingerprint-set.js';
import { NO_PARENT, StateGraph } from '../store/state-graph.js';
import { createCanonicalizer } from '../state/symmetry.js';
import type { CompiledSpec } from '../spec/compile.js';
import { SpecError } from '../spec/errors.js';
import type { Failure, StopReason } from '../report/model.js';
import type { Exploration, ExploreOptions, FoundViolation } from './bfs.js';
import type { ChunkResult, ExpanderOptions, Found } from './chunk-expander.js';
import { ChunkReader, type StateChunk } from './state-chunk.js';

/** How to start the worker threads: a script that answers the messages below. */
export interface ThreadOptions {
  count: number;
  script: URL;
  /** Passed to each thread (with the set and options): what it needs to load the spec. */
  data: unknown;
}

export interface WorkerStart {
  data: unknown;
  set: SharedSetBuffers;
  options: ExpanderOptions;
}
export type ToWorker = { type: 'run'; id: number; chunk: StateChunk | null } | { type: 'grow'; set: SharedSetBuffers };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; failure: Failure }
  | { type: 'done'; id: number; result: ChunkResult };

/** Grow the shared set before it could pass 3/4 full (keeps set + graph under 32 bytes a state). */
const GROW_AT = 0.75;

class Thread {
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

  run(id: number, chunk: StateChunk | null): Promise<ChunkResult> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const msg: ToWorker = { type: 'run', id, chunk };
      this.worker.postMessage(msg, chunk ? [chunk.buffer] : []);
    });
  }

  grow(set: SharedSetBuffers): void {
    const msg: ToWorker = { type: 'grow', set };
    this.worker.postMessage(msg);
  }

  stop(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }
}

export async function exploreParallel(spec: CompiledSpec, threads: ThreadOptions, options: ExploreOptions = {}): Promise<Exploration> {
  const started = performance.now();
  const expanderOptions: ExpanderOptions = { symmetry: options.symmetry !== false, deadlock: options.deadlock ?? true };
  let set = SharedFingerprintSet.create(1 << 18);
  const pool = Array.from({ length: threads.count }, () => new Thread(threads.script, { data: threads.data, set: set.buffers, options: expanderOptions }));
  try {
    await Promise.all(pool.map((t) => t.ready));
    return await search();
  } finally {
    await Promise.all(pool.map((t) => t.stop()));
  }

  async function search(): Promise<Exploration> {
    const graph = new StateGraph();
    const keepGoing = options.continueAfterViolation ?? false;
    const maxStates = options.maxStates ?? Infinity;
    const maxDepth = options.maxDepth ?? Infinity;
    const maxMemory = options.maxMemoryBytes ?? Infinity;
    let heldBytes = 0; // encoded states of this level and the next
    const deadline = started + (options.timeLimitMs ?? Infinity);
    const progressEvery = options.progressIntervalMs ?? 1000;
    const nA = spec.actions.length;
    const enabled = new Float64Array(nA);
    const fired = new Float64Array(nA);
    const fresh = new Float64Array(nA);
    const violated = new Set<string>();
    const violations: FoundViolation[] = [];
    const witnessPaths = new Map<string, number[]>();
    let generated = 0;
    let orbitStates = 0;
    let depth = 0;
    let stopReason: StopReason | null = null;
    let failure: Failure | null = null;
    let frontierPeak = 0;
    let queue = 0;
    let nextId = 0;
    let maxBranch = 0;
    let nextProgress = performance.now() + progressEvery;

    const pathOf = (parent: number, ord: number): number[] => (parent === NO_PARENT ? [ord] : [...graph.pathTo(parent), ord]);

    /** Adds up one chunk's counts; true when the search must stop. */
    const absorb = (r: ChunkResult): boolean => {
      generated += r.generated;
      orbitStates += r.orbitStates;
      for (let i = 0; i < nA; i++) {
        enabled[i]! += r.enabled[i]!;
        fired[i]! += r.fired[i]!;
        fresh[i]! += r.distinct[i]!;
      }
      if (r.failure) {
        const at = r.failure.path[0]!;
        failure ??= { ...r.failure, path: at === NO_PARENT ? [] : graph.pathTo(at) };
        stopReason = 'error';
      }
      if (!keepGoing && r.found.some((f) => f.kind !== 'witness')) stopReason ??= 'violation';
      return stopReason !== null;
    };

    /** Runs the chunks of one level on the pool; results come back in chunk order. */
    const runLevel = async (chunks: Array<StateChunk | null>): Promise<{ results: ChunkResult[]; undone: number }> => {
      const results: ChunkResult[] = new Array(chunks.length);
      const idle = [...pool];
      let next = 0;
      let inFlight = 0;
      let inFlightStates = 0;
      let pending = 0; // new states found in this level so far
      let stop = false;
      await new Promise<void>((resolve, reject) => {
        const pump = (): void => {
          while (!stop && next < chunks.length && idle.length > 0) {
            // What the chunks in flight and this one may add, at the most successors seen per state.
            const adding = (inFlightStates + (chunks[next]?.count ?? 1)) * (maxBranch > 0 ? maxBranch : 64);
            if (set.size + adding > set.capacity * GROW_AT) {
              if (inFlight > 0) return; // a lock-free table grows only while nothing inserts
              set = set.grown();
              for (const t of pool) t.grow(set.buffers);
            }
            const thread = idle.pop()!;
            const at = next++;
            const chunk = chunks[at]!;
            chunks[at] = null; // its buffer moves to the thread
            inFlight++;
            inFlightStates += chunk?.count ?? 0;
            thread.run(nextId++, chunk).then((r) => {
              inFlight--;
              inFlightStates -= chunk?.count ?? 0;
              if (r.maxBranch > maxBranch) maxBranch = r.maxBranch;
              idle.push(thread);
              results[at] = r;
              if (absorb(r)) stop = true;
              const now = performance.now();
              if (now > deadline) { stopReason ??= 'time-limit'; stop = true; }
              if (options.interrupt?.stop) { stopReason ??= 'interrupted'; stop = true; }
              for (const c of r.fresh) pending += c.count;
              const distinct = graph.size + pending;
              if (distinct >= maxStates) { stopReason ??= 'max-states'; stop = true; }
              if (set.bytes + graph.bytes + heldBytes > maxMemory) { stopReason ??= 'memory'; stop = true; }
              if (now >= nextProgress && options.onProgress) {
                nextProgress = now + progressEvery;
                options.onProgress({ distinct, generated, queue: remaining(chunks, next), depth, elapsedMs: now - started });
              }
              pump();
            }, reject);
          }
          if (inFlight === 0 && (stop || next >= chunks.length)) resolve();
        };
        pump();
      });
      return { results, undone: remaining(chunks, next) };
    };

    // Level 1: the initial states, on one thread.
    let level = await runLevel([null]);
    for (let L = 1; ; L++) {
      // Number the new states in chunk order, then settle what was found, in the same order.
      const nextChunks: StateChunk[] = [];
      const before = graph.size;
      for (const r of level.results) {
        if (r === undefined) continue;
        for (const c of r.fresh) {
          c.base = graph.size;
          const rd = new ChunkReader(c);
          while (rd.next()) graph.add(rd.parent, rd.ordinal);
          nextChunks.push(c);
        }
      }
      if (graph.size > before) depth = L;
      for (const r of level.results) if (r !== undefined) settle(r.found);
      heldBytes = nextChunks.reduce((a, c) => a + c.length, 0);
      if (heldBytes > frontierPeak) frontierPeak = heldBytes;
      queue = level.undone + nextChunks.reduce((a, c) => a + c.count, 0);
      if (stopReason !== null || nextChunks.length === 0) break;
      if (L >= maxDepth) { stopReason = 'max-depth'; break; }
      if (graph.size >= maxStates) { stopReason = 'max-states'; break; }
      level = await runLevel(nextChunks);
    }

    function settle(found: Found[]): void {
      for (const f of found) {
        const path = f.atParent ? graph.pathTo(f.parent) : pathOf(f.parent, f.ordinal);
        if (f.kind === 'witness') {
          if (!witnessPaths.has(f.property)) witnessPaths.set(f.property, path);
        } else if (!violated.has(f.property) && (keepGoing || violations.length === 0)) {
          violated.add(f.property);
          violations.push({ property: f.property, kind: f.kind, path });
        }
      }
    }

    const complete = stopReason === null;
    if (complete) {
      for (const wp of spec.witnesses) if (!witnessPaths.has(wp.name)) violations.push({ property: wp.name, kind: 'sometimes', path: null });
    }
    const sym = expanderOptions.symmetry ? createCanonicalizer(spec.stateType) : null;
    return {
      distinct: graph.size,
      generated,
      depth,
      queue,
      durationMs: performance.now() - started,
      complete,
      stopReason,
      violations,
      witnesses: spec.witnesses.map((wp) => ({ property: wp.name, path: witnessPaths.get(wp.name) ?? null })),
      coverage: spec.actions.map((a) => ({ action: a.name, enabled: enabled[a.index]!, generated: fired[a.index]!, distinct: fresh[a.index]! })),
      failure,
      symmetry: sym && { scalarsets: sym.scalarsets.map((x) => x.name), groupSize: sym.groupSize, states: orbitStates },
      memory: { fingerprintBytes: set.bytes, graphBytes: graph.bytes, frontierPeakBytes: frontierPeak, ...(options.maxMemoryBytes ? { budgetBytes: options.maxMemoryBytes } : {}) },
    };
  }
}

function remaining(chunks: Array<StateChunk | null>, from: number): number {
  let n = 0;
  for (let i = from; i < chunks.length; i++) n += chunks[i]?.count ?? 0;
  return n;
}
