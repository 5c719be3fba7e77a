// Parallel exploration: the states of one BFS level are expanded in chunks, by worker threads
// once a level is large (small levels stay on this thread: starting a thread costs more than
// they do). During a level the threads only read the visited set and offer candidates to a
// level table that keeps, per fingerprint, the smallest parent index; this thread settles the
// results in chunk order (level-settle.ts), so the search gives exactly what the one-thread
// search (bfs.ts) gives: the same counts, state numbering, coverage and traces, whatever the
// threads' timing. The level barrier keeps every trace a shortest one (TLC and Stateright lose
// that with several workers).
import { SharedFingerprintSet } from '../store/shared-fingerprint-set.js';
import { LevelTable } from '../store/level-table.js';
import { StateGraph } from '../store/state-graph.js';
import { createFingerprinter } from '../state/fingerprint.js';
import { createCanonicalizer } from '../state/symmetry.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { StopReason } from '../report/model.js';
import type { Exploration, ExploreOptions } from './bfs.js';
import { ChunkExpander, type ChunkResult, type ExpanderOptions, type SharedTables } from './chunk-expander.js';
import { buffersOf, Thread, type WorkerStart } from './threads.js';
import { CHUNK_STATES, LevelSettle, Tally } from './level-settle.js';
import type { StateChunk } from './state-chunk.js';

/** How to start the worker threads: a script that answers the messages below. */
export interface ThreadOptions {
  count: number;
  script: URL;
  /** Passed to each thread (with the tables and options): what it needs to load the spec. */
  data: unknown;
  /** Start the threads at the first level of at least this many states (default THREADS_FROM_LEVEL). */
  fromLevel?: number;
}

/**
 * Levels smaller than this are expanded on the main thread. Starting a thread (it loads and
 * compiles the spec) took about 0.3 s here, the time to expand some 10,000 states; a level of
 * 2,000 states takes about 50 ms, and splits into 8 chunks, enough to keep 2 to 4 threads busy.
 */
export const THREADS_FROM_LEVEL = 2000;

/** Grow the level table before it could pass 3/4 full. */
const GROW_AT = 0.75;

/** One piece of work: a chunk of the level from one of its states on. */
interface Part {
  chunk: number;
  start: number;
  result?: ChunkResult;
}

export async function exploreParallel(spec: CompiledSpec, threads: ThreadOptions, options: ExploreOptions = {}): Promise<Exploration> {
  const started = performance.now();
  const expanderOptions: ExpanderOptions = {
    symmetry: options.symmetry !== false, deadlock: options.deadlock ?? true, continueAfterViolation: options.continueAfterViolation ?? false,
  };
  // This thread's own expander: it runs the small levels, and its tables are the current ones.
  const local = new ChunkExpander(spec, await createFingerprinter(), { seen: SharedFingerprintSet.create(1 << 16), level: LevelTable.create(1 << 15) }, expanderOptions);
  const fromLevel = threads.fromLevel ?? THREADS_FROM_LEVEL;
  let pool = null as Thread[] | null; // started
  let ready = null as Thread[] | null; // and each has loaded the spec
  let starting: Promise<void> = Promise.resolve();
  let startFailure: unknown = null;
  try {
    return await search();
  } finally {
    if (pool) await Promise.all(pool.map((t) => t.stop()));
  }

  /** Starts the threads in the background: this thread goes on expanding while they load the spec. */
  function startPool(): void {
    const start: WorkerStart = { data: threads.data, tables: buffersOf(local.tables), options: expanderOptions };
    const started = Array.from({ length: threads.count }, () => new Thread(threads.script, start));
    pool = started;
    starting = Promise.all(started.map((t) => t.ready)).then(() => { ready = started; }, (e: unknown) => { startFailure = e; });
  }

  function setTables(tables: SharedTables): void {
    local.tables = tables;
    for (const t of pool ?? []) t.useTables(buffersOf(tables));
  }

  async function search(): Promise<Exploration> {
    const graph = new StateGraph();
    const tally = new Tally(spec);
    const maxStates = options.maxStates ?? Infinity;
    const maxDepth = options.maxDepth ?? Infinity;
    const maxMemory = options.maxMemoryBytes ?? Infinity;
    const deadline = started + (options.timeLimitMs ?? Infinity);
    const progressEvery = options.progressIntervalMs ?? 1000;
    const ctx = { spec, graph, tally, expander: local, maxStates, continueAfterViolation: expanderOptions.continueAfterViolation };
    let nextProgress = performance.now() + progressEvery;
    let usedThreads = false;
    let yieldAt = performance.now() + 50;
    let maxBranch = 0; // the most successors of one state so far
    let held = 0; // bytes of the frontier chunks of this level
    let frontierPeak = 0;
    let queue = 0;
    let chunks: Array<StateChunk | null> = [null];
    let to = 0;

    /** Candidates that `states` states to expand may offer, at the most successors of one state seen so far. */
    const offers = (states: number): number => states * (maxBranch > 0 ? maxBranch : 64);
    /** Grows the level table if it could pass 3/4 full while `states` states are being expanded. */
    const makeRoom = (states: number): void => {
      const level = local.tables.level;
      if (level.size + offers(states) <= level.capacity * GROW_AT) return;
      let grown = level.grown();
      while (grown.size + offers(states) > grown.capacity * GROW_AT) grown = grown.grown();
      setTables({ seen: local.tables.seen, level: grown });
    };

    /** A limit that does not depend on the states (time, Ctrl-C, memory), or null. */
    const limitReached = (settle: LevelSettle): StopReason | null => {
      const now = performance.now();
      if (now > deadline) return 'time-limit';
      if (options.interrupt?.stop) return 'interrupted';
      const t = local.tables;
      const merging = t.seen.needsGrowth(t.level.size) ? t.seen.bytes * 2 : 0; // the visited set doubles when the level joins it
      if (t.seen.bytes + merging + t.level.bytes + graph.bytes + held + settle.bytes > maxMemory) return 'memory';
      if (now >= nextProgress && options.onProgress) {
        nextProgress = now + progressEvery;
        options.onProgress({ distinct: graph.size, generated: tally.generated, queue: settle.waiting, depth: tally.depth, elapsedMs: now - started });
      }
      return null;
    };

    const took = (r: ChunkResult): void => {
      if (r.maxBranch > maxBranch) maxBranch = r.maxBranch;
    };

    /**
     * Chunks on this thread, in order, until the threads are ready (if they are starting);
     * returns the index of the first chunk not run, or -1 when the level is over or the search stopped.
     */
    const runHere = async (settle: LevelSettle): Promise<number> => {
      for (let k = 0; k < chunks.length; k++) {
        if (startFailure !== null) throw startFailure;
        if (ready !== null) return k;
        const chunk = chunks[k]!;
        for (let start = chunk?.base ?? 0; ;) {
          const limit = limitReached(settle);
          if (limit) { settle.stopHere(limit); return -1; }
          if (performance.now() >= yieldAt) {
            // Let signal handlers and timers run (Ctrl-C arrives through the event loop).
            await new Promise((resolve) => setImmediate(resolve));
            yieldAt = performance.now() + 50;
          }
          makeRoom(chunk?.count ?? 0);
          const r = local.run(chunk, start, tally.pending());
          took(r);
          if (settle.settle(chunk, start, r)) return -1;
          if (r.resumeAt < 0) break;
          start = r.resumeAt;
        }
      }
      return -1;
    };

    /** The chunks from index `first` on, on the threads, settled in order as they come back. */
    const runOnThreads = async (settle: LevelSettle, pool: Thread[], first: number): Promise<void> => {
      usedThreads = true;
      const level = chunks as StateChunk[];
      const parts: Part[][] = level.map((c, i) => [{ chunk: i, start: c.base }]);
      const idle = [...pool];
      const waiting: Part[] = parts.slice(first).map((p) => p[0]!);
      let inFlight = 0;
      let inFlightStates = 0;
      let mustGrow = false;
      let stopped = false;
      let settledChunk = first;
      let settledPart = 0;
      let nextId = 0;
      const settleReady = (): void => {
        while (!stopped && settledChunk < level.length) {
          const part = parts[settledChunk]![settledPart];
          if (part?.result === undefined) return;
          if (settle.settle(level[settledChunk]!, part.start, part.result)) stopped = true;
          else if (part.result.resumeAt >= 0) settledPart++;
          else { settledChunk++; settledPart = 0; }
        }
      };
      let limit = null as StopReason | null;
      await new Promise<void>((resolve, reject) => {
        const pump = (): void => {
          while (!stopped && waiting.length > 0 && idle.length > 0) {
            const part = waiting[0]!;
            const states = level[part.chunk]!.count;
            const table = local.tables.level;
            if (mustGrow || table.size + offers(inFlightStates + states) > table.capacity * GROW_AT) {
              if (inFlight > 0) break; // a lock-free table grows only while nothing offers
              if (mustGrow) setTables({ seen: local.tables.seen, level: table.grown() });
              // Room for two rounds of chunks on every thread, so that it grows seldom.
              makeRoom(2 * pool.length * CHUNK_STATES);
              mustGrow = false;
            }
            waiting.shift();
            const thread = idle.pop()!;
            inFlight++;
            inFlightStates += states;
            thread.run(nextId++, level[part.chunk]!, part.start, tally.pending()).then((r) => {
              inFlight--;
              inFlightStates -= states;
              idle.push(thread);
              took(r);
              part.result = r;
              if (r.resumeAt >= 0) {
                const rest: Part = { chunk: part.chunk, start: r.resumeAt };
                parts[part.chunk]!.push(rest);
                waiting.unshift(rest);
                mustGrow = true;
              }
              settleReady();
              if (!stopped) {
                limit = limitReached(settle);
                if (limit) stopped = true;
              }
              pump();
            }, reject);
          }
          if (inFlight === 0 && (stopped || waiting.length === 0)) resolve();
        };
        pump();
      });
      if (limit && settle.stop === null) settle.stopHere(limit);
    };

    for (let depth = 1; ; depth++) {
      const settle = new LevelSettle(ctx, chunks[0]?.base ?? 0, to, depth);
      const states = chunks.reduce((n, c) => n + (c?.count ?? 0), 0);
      held = chunks.reduce((n, c) => n + (c?.length ?? 0), 0);
      // The level that starts the threads runs here until they are ready; the next ones wait for them.
      if (threads.count > 1 && pool === null && states >= fromLevel) startPool();
      else await starting;
      const rest = await runHere(settle);
      if (rest >= 0) await runOnThreads(settle, ready!, rest);
      const next = settle.finish();
      held += next.reduce((n, c) => n + c.length, 0);
      if (held > frontierPeak) frontierPeak = held;
      queue = settle.queue;
      if (tally.stopReason !== null) break;
      mergeLevel();
      if (next.length === 0) break;
      to = graph.size;
      if (graph.size >= maxStates) { tally.stopReason = 'max-states'; break; }
      if (depth >= maxDepth) { tally.stopReason = 'max-depth'; break; }
      chunks = next;
    }

    const complete = tally.stopReason === null;
    const violations = [...tally.violations];
    if (complete) {
      spec.witnesses.forEach((wp, i) => {
        if (tally.witnessPaths[i] === null) violations.push({ property: wp.name, kind: 'sometimes', path: null });
      });
    }
    const sym = expanderOptions.symmetry ? createCanonicalizer(spec.stateType) : null;
    return {
      distinct: graph.size,
      generated: tally.generated,
      depth: tally.depth,
      queue,
      durationMs: performance.now() - started,
      complete,
      stopReason: tally.stopReason,
      violations,
      witnesses: spec.witnesses.map((wp, i) => ({ property: wp.name, path: tally.witnessPaths[i]! })),
      coverage: spec.actions.map((a) => ({ action: a.name, enabled: tally.enabled[a.index]!, generated: tally.fired[a.index]!, distinct: tally.fresh[a.index]! })),
      failure: tally.failure,
      symmetry: sym && { scalarsets: sym.scalarsets.map((x) => x.name), groupSize: sym.groupSize, states: tally.orbitStates },
      memory: { fingerprintBytes: local.tables.seen.bytes, graphBytes: graph.bytes, frontierPeakBytes: frontierPeak + local.tables.level.bytes, ...(options.maxMemoryBytes ? { budgetBytes: options.maxMemoryBytes } : {}) },
      workers: usedThreads ? threads.count : 1,
      ...(usedThreads ? {} : { workersNote: pool === null ? `no level reached ${fromLevel.toLocaleString('en-US')} states` : 'the search ended before the threads were ready' }),
    };
  }

  /** The level's new states join the visited set; the level table is emptied for the next. */
  function mergeLevel(): void {
    const { seen, level } = local.tables;
    let set = seen;
    while (set.needsGrowth(level.size)) set = set.grown();
    level.forEach((hi, lo) => set.addAbsent(hi, lo));
    level.clear();
    if (set !== seen) setTables({ seen: set, level });
  }
}
