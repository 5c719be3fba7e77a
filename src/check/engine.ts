// The one search engine. This thread is the supervisor: it owns the limits (judged by the clock),
// Ctrl-C, the memory budget, checkpoints, progress and the result, and never runs spec code but
// through an expander. Expanders (chunk-expander.ts; on worker threads when the spec came from a
// file) take chunks of one BFS level, read the visited set, and offer candidates to a level table
// that keeps, per fingerprint, the smallest parent index; the supervisor settles their answers in
// chunk order (level-settle.ts), so the result is that of a one-state-at-a-time breadth-first
// search whatever the number of expanders and their timing: the same counts, state numbering,
// coverage and shortest traces. An expander stuck in spec code is ended when the search must stop.
import { FingerprintSet } from '../store/fingerprint-set.js';
import { LevelTable } from '../store/level-table.js';
import { NO_PARENT, StateGraph } from '../store/state-graph.js';
import { createFingerprinter } from '../state/fingerprint.js';
import { createCanonicalizer, symmetricScalarsets } from '../state/symmetry.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { Failure, StopReason } from '../report/model.js';
import { symmetryFailure } from './symmetry-check.js';
import type { Exploration, ExploreOptions } from './exploration.js';
import { ChunkExpander, FLAGS, flagWords, HI, LO, ORDINAL, PARENT, type ChunkResult, type ExpanderOptions, type SharedTables } from './chunk-expander.js';
import { LocalExpander, Thread, type Expander } from './threads.js';
import { CHUNK_STATES, LevelSettle, Tally } from './level-settle.js';
import type { StateChunk } from './state-chunk.js';
import { Busy, describeStatus, PHASE } from './status.js';
import { levelEdges, pendingRuns, runBefore, type EdgeRun } from './edges.js';
import { resumeLevel, snapshot, type Fresh } from './snapshot.js';

/** Grow the level table before it could pass 3/4 full. */
const GROW_AT = 0.75;
/** How often the supervisor looks at the clock, Ctrl-C and the memory budget. */
const TICK_MS = 50;
/** How long a stopped search waits for chunks in flight before it ends their threads. */
const GRACE_MS = 1000;

/** One piece of work: a chunk of the level from one of its states on. */
interface Part {
  chunk: number;
  start: number;
  result?: ChunkResult;
  /** Whose it is while in flight. */
  by?: Expander;
}

export async function explore(spec: CompiledSpec, options: ExploreOptions = {}): Promise<Exploration> {
  const started = performance.now();
  const resumed = options.resume;
  const recorder = options.edges ?? null;
  if (recorder !== null && resumed !== undefined && recorder.size !== resumed.graph.size) throw new Error(`edges: the recorder holds ${recorder.size} states, the checkpoint ${resumed.graph.size}`);
  if (recorder !== null && (recorder.shape !== null) !== (options.symmetry !== false && createCanonicalizer(spec.stateType) !== null)) throw new Error('edges: the recorder and the search disagree on symmetry');
  const expanderOptions: ExpanderOptions = {
    symmetry: options.symmetry !== false, deadlock: options.deadlock ?? true, continueAfterViolation: options.continueAfterViolation ?? false, edges: recorder !== null,
  };
  let tables: SharedTables = { seen: resumed ? resumed.seen.toShared() : FingerprintSet.create(1 << 10, { shared: true }), level: LevelTable.create(1 << 10) };
  const threads = options.threads && spec.source !== null ? options.threads : null;
  const wanted = threads ? Math.max(1, threads.count) : 1;
  // With remote expanders only (src/cluster/, --no-local-expand), this process starts none of its own.
  const local = options.remote?.local !== false;
  // One thread to begin with; the others join once a level has work for more than one, so a
  // tutorial-sized spec never pays for starting them.
  // A spec held only in memory (no source a thread could load) runs on this thread.
  const pool: Expander[] = !local ? [] : threads
    ? [new Thread(threads.script, spec.source!, tables, expanderOptions)]
    : [new LocalExpander(new ChunkExpander(spec, await createFingerprinter(), tables, expanderOptions))];
  let own = pool.length;
  const joined = new Set<Expander>();
  const growPool = (): void => {
    for (; local && own < wanted; own++) pool.push(new Thread(threads!.script, spec.source!, tables, expanderOptions));
  };
  try {
    const remote = options.remote ? await options.remote.start(tables, expanderOptions) : [];
    pool.push(...remote);
    await pool[0]!.ready;
    for (const e of [pool[0]!, ...remote]) joined.add(e);
    return (await symmetryChecked()) ?? (await search());
  } finally {
    await Promise.all(pool.map((e) => e.stop()));
  }

  /**
   * The symmetry soundness check before a reduced search, on an expander under the run's time
   * limit and Ctrl-C (its spec code may never return): null to go on with the search, else the
   * result of a run that searched nothing.
   */
  async function symmetryChecked(): Promise<Exploration | null> {
    if (!expanderOptions.symmetry || options.checkSymmetry === false || resumed !== undefined || symmetricScalarsets(spec.stateType).length === 0) return null;
    const by = pool.find((e) => e.checkSymmetry !== undefined);
    // Remote expanders only (--no-local-expand): the check runs here.
    const answer = by ? by.checkSymmetry!() : Promise.resolve(symmetryFailure(spec));
    const deadline = started + (options.timeLimitMs ?? Infinity);
    const outcome = await new Promise<{ failure: Failure | null } | { stop: StopReason; hung: boolean }>((resolve, reject) => {
      let stop: StopReason | null = null;
      let stoppedAt = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        if (stop === null) stop = now > deadline ? 'time-limit' : options.interrupt?.stop ? 'interrupted' : null;
        if (stop !== null && stoppedAt === 0) stoppedAt = now;
        if (stop !== null && now - stoppedAt > GRACE_MS) {
          clearInterval(timer);
          resolve({ stop, hung: true });
        }
      }, TICK_MS);
      answer.then((failure) => {
        clearInterval(timer);
        resolve(stop === null ? { failure } : { stop, hung: false });
      }, (e) => {
        clearInterval(timer);
        reject(e);
      });
    });
    if ('failure' in outcome) return outcome.failure && nothingSearched('error', outcome.failure, null);
    const stuck = outcome.hung ? { what: 'spec code in the symmetry check of the first states (with --no-check-symmetry the search names the code and the state)', path: null } : null;
    return nothingSearched(outcome.stop, null, stuck);
  }

  /** The result of a run stopped before its search began. */
  function nothingSearched(stopReason: StopReason, failure: Failure | null, stuck: Exploration['stuck']): Exploration {
    return {
      distinct: 0, generated: 0, depth: 0, queue: 0, durationMs: performance.now() - started, complete: false, stopReason,
      violations: [], witnesses: spec.witnesses.map((w) => ({ property: w.name, path: null })),
      coverage: spec.actions.map((a) => ({ action: a.name, enabled: 0, generated: 0, distinct: 0 })),
      failure, stuck, symmetry: null,
      memory: { fingerprintBytes: 0, graphBytes: 0, frontierPeakBytes: 0, ...(options.maxMemoryBytes ? { budgetBytes: options.maxMemoryBytes } : {}) },
      workers: pool.length,
    };
  }

  function setTables(next: SharedTables): void {
    tables = next;
    for (const e of pool) e.useTables(next);
  }

  async function search(): Promise<Exploration> {
    const graph = resumed?.graph ?? new StateGraph();
    const tally = new Tally(spec);
    const maxStates = options.maxStates ?? Infinity;
    const maxDepth = options.maxDepth ?? Infinity;
    const maxMemory = options.maxMemoryBytes ?? Infinity;
    const elapsedBefore = resumed?.counters.elapsedMs ?? 0;
    const deadline = started + (options.timeLimitMs ?? Infinity);
    const progressEvery = options.progressIntervalMs ?? 1000;
    const checkpointEvery = options.checkpoint?.everyMs ?? Infinity;
    const fresh: Fresh = { fps: new Uint32Array(1 << 12), count: 0 };
    const nFlags = flagWords(spec, recorder !== null);
    const added = (index: number, h: Uint32Array): void => {
      if (2 * fresh.count + 2 > fresh.fps.length) {
        const grown = new Uint32Array(fresh.fps.length * 2);
        grown.set(fresh.fps);
        fresh.fps = grown;
      }
      fresh.fps[2 * fresh.count] = h[HI]!;
      fresh.fps[2 * fresh.count + 1] = h[LO]!;
      fresh.count++;
      recorder?.added(index, h[HI]!, h[LO]!, h[PARENT] === NO_PARENT ? h[ORDINAL]! : -1, h, FLAGS, spec.invariants.length + spec.witnesses.length);
    };
    const ownsVisited = options.remote?.ownsVisited === true;
    const ctx = { spec, graph, tally, levelTable: () => tables.level, maxStates, continueAfterViolation: expanderOptions.continueAfterViolation, added, flagWords: nFlags, final: ownsVisited };
    let nextProgress = performance.now() + progressEvery;
    let checkpointAt = performance.now() + checkpointEvery;
    let maxBranch = 0; // the most successors of one state so far
    let frontierPeak = resumed?.counters.frontierPeak ?? 0;
    let queue = 0;
    let stuck: Exploration['stuck'] = null;
    let chunks: Array<StateChunk | null> = [null];
    let from = 0;
    let to = 0;
    let firstDepth = 1;
    let carried: Array<{ index: number; bytes: Uint8Array }> = [];
    if (resumed) ({ chunks, from, to, depth: firstDepth, carried } = resumeLevel(resumed, tally));

    /** Candidates that `states` states to expand may offer, at the most successors of one state seen so far. */
    const offers = (states: number): number => states * (maxBranch > 0 ? maxBranch : 64);
    /** Grows the level table if it could pass 3/4 full while `states` states are being expanded. */
    const makeRoom = (states: number): void => {
      if (tables.level.size + offers(states) <= tables.level.capacity * GROW_AT) return;
      let grown = tables.level.grown();
      while (grown.size + offers(states) > grown.capacity * GROW_AT) grown = grown.grown();
      setTables({ seen: tables.seen, level: grown });
    };
    const held = (cs: ReadonlyArray<StateChunk | null>): number => cs.reduce((n, c) => n + (c?.length ?? 0), 0);
    // A level's chunks do not change while it runs: sum them once, not at every limit check.
    let heldFor: ReadonlyArray<StateChunk | null> | null = null;
    let heldBytes = 0;
    const levelBytes = (cs: ReadonlyArray<StateChunk | null>): number => {
      if (cs !== heldFor) { heldFor = cs; heldBytes = held(cs); }
      return heldBytes;
    };

    /** A limit that does not depend on the states (time, Ctrl-C, memory), or null; also shows progress. */
    const limitReached = (settle: LevelSettle, level: ReadonlyArray<StateChunk | null>, edgeBytes: number): StopReason | null => {
      const now = performance.now();
      if (now > deadline) return 'time-limit';
      if (options.interrupt?.stop) return 'interrupted';
      const t = tables;
      const merging = t.seen.growsWithin(t.level.size) ? t.seen.bytes * 2 : 0; // the visited set doubles when the level joins it
      const liveness = recorder === null ? 0 : recorder.bytes + edgeBytes;
      // Not within the initial states: a search stopped there has nothing a checkpoint could resume.
      if (level[0] !== null && t.seen.bytes + merging + t.level.bytes + graph.bytes + levelBytes(level) + settle.bytes + liveness > maxMemory) return 'memory';
      if (now >= nextProgress && options.onProgress) {
        nextProgress = now + progressEvery;
        options.onProgress({ distinct: graph.size, generated: tally.generated, queue: settle.waiting, depth: tally.depth, elapsedMs: elapsedBefore + now - started });
      }
      return null;
    };

    const save = (settle: LevelSettle, level: ReadonlyArray<StateChunk | null>, depth: number, edges: readonly EdgeRun[]): void => {
      if (level[0] === null) return; // within the initial states: nothing to resume from yet
      const liveness = recorder && { recorder, pending: edges };
      options.checkpoint!.save(snapshot({ seen: tables.seen, graph, tally, fresh, level, settle, depth, to, frontierPeak, elapsedMs: elapsedBefore + performance.now() - started, liveness }));
    };

    /** Runs the level's chunks on the expanders, settling them in order as they come back. */
    const runLevel = (settle: LevelSettle, level: ReadonlyArray<StateChunk | null>, depth: number, edges: EdgeRun[]): Promise<void> => {
      const parts: Part[][] = level.map((c) => [{ chunk: 0, start: c?.base ?? 0 }]);
      parts.forEach((p, i) => { p[0]!.chunk = i; });
      if (threads && level.length > 1) growPool();
      const twice = (e: Expander): Expander[] => (e instanceof Thread ? [e, e] : [e]); // two chunks queued per thread keep it busy while this one settles
      const idle = pool.filter((e) => joined.has(e)).flatMap(twice);
      const waiting: Part[] = parts.map((p) => p[0]!);
      const inFlight = new Set<Part>();
      let inFlightStates = 0;
      let mustGrow = false;
      let stopped = false;
      let stoppedAt = 0;
      let settledChunk = 0;
      let settledPart = 0;
      let nextId = 0;
      let edgeBytes = 0;
      const settleReady = (): void => {
        while (!stopped && settledChunk < level.length) {
          const part = parts[settledChunk]![settledPart];
          if (part?.result === undefined) return;
          if (settle.settle(level[settledChunk]!, part.start, part.result)) {
            // A violation, an error or --max-states: what is still in flight is not needed.
            // A checkpoint keeps the edges of the states settled before the stop.
            if (recorder !== null && part.result.edges) edges.push(runBefore(recorder, { first: part.start, words: part.result.edges }, settle.resumeFrom));
            stopped = true;
            inFlight.clear();
            return;
          }
          if (part.result.edges) {
            edges.push({ first: part.start, words: part.result.edges });
            edgeBytes += part.result.edges.byteLength;
          }
          part.result = { ...part.result, candidates: null!, edges: null }; // settled: let go of the bytes
          if (parts[settledChunk]!.length > settledPart + 1) settledPart++;
          else { settledChunk++; settledPart = 0; }
        }
      };
      return new Promise<void>((resolve, reject) => {
        let finished = false;
        const finish = (e?: unknown): void => {
          if (finished) return;
          finished = true;
          clearInterval(timer);
          if (e === undefined) resolve();
          else reject(e);
        };
        // A limit or Ctrl-C: chunks in flight get a moment to come back (their results are not
        // settled, but a thread that answers is not stuck); what the stuck one was doing is compared.
        let before: string[] = [];
        const busy = (): string[] => [...inFlight].map((p) => p.by!.status.join(','));
        const stop = (reason: StopReason): void => {
          stopped = true;
          stoppedAt = performance.now();
          before = busy();
          if (settle.stop === null) settle.stopHere(reason);
        };
        const tick = (): void => {
          if (finished) return;
          if (!stopped) {
            const limit = limitReached(settle, level, edgeBytes);
            if (limit) stop(limit);
            else if (options.checkpoint && performance.now() >= checkpointAt) {
              save(settle, level, depth, edges);
              checkpointAt = performance.now() + checkpointEvery;
            }
          }
          if (stopped && inFlight.size > 0 && performance.now() - stoppedAt > GRACE_MS) {
            // Spec code that does not return: its thread is ended; say what it was doing where.
            const now = busy();
            const hung = [...inFlight].filter((p, i) => p.by!.status[PHASE] !== Busy.idle && now[i] === before[i]);
            const first = hung.sort((a, b) => a.chunk - b.chunk || a.start - b.start)[0];
            if (first) {
              const { what, state } = describeStatus(spec, first.by!.status);
              stuck = state < 0 ? { what: `${what}, while computing the initial states`, path: null } : { what, path: graph.pathTo(state) };
            }
            inFlight.clear();
          }
          if (stopped && inFlight.size === 0) finish();
        };
        const timer = setInterval(tick, TICK_MS);
        for (const e of pool) {
          if (joined.has(e)) continue;
          e.ready.then(() => {
            joined.add(e);
            if (finished || stopped) return;
            idle.push(...twice(e));
            pump();
          }, finish);
        }
        const pump = (): void => {
          while (!stopped && waiting.length > 0 && idle.length > 0) {
            const part = waiting[0]!;
            const states = level[part.chunk]?.count ?? 0;
            const table = tables.level;
            // (Remote owners of the visited set keep their own level tables: this one stays empty.)
            if (!ownsVisited && (mustGrow || table.size + offers(inFlightStates + states) > table.capacity * GROW_AT)) {
              if (inFlight.size > 0) break; // a lock-free table grows only while nothing offers
              if (mustGrow) setTables({ seen: tables.seen, level: table.grown() });
              // Room for two rounds of chunks on every expander, so that it grows seldom.
              makeRoom(2 * idle.length * CHUNK_STATES);
              mustGrow = false;
            }
            waiting.shift();
            const by = idle.pop()!;
            part.by = by;
            inFlight.add(part);
            inFlightStates += states;
            by.run(nextId++, level[part.chunk]!, part.start, tally.pending()).then((r) => {
              if (!inFlight.delete(part)) return; // given up on
              inFlightStates -= states;
              idle.push(by);
              if (r.maxBranch > maxBranch) maxBranch = r.maxBranch;
              part.result = r;
              if (r.resumeAt >= 0) {
                const rest: Part = { chunk: part.chunk, start: r.resumeAt };
                parts[part.chunk]!.push(rest);
                waiting.unshift(rest);
                mustGrow = true;
              }
              settleReady();
              // Limits after every chunk too: an expander on this thread (a spec held only in
              // memory) runs a whole level before the timer can fire.
              tick();
              pump();
            }, finish);
          }
          if (inFlight.size === 0 && (stopped || waiting.length === 0)) finish();
        };
        tick();
        pump();
      });
    };

    // A resumed level's settled part: its edge streams, saved with the checkpoint.
    let pending: EdgeRun[] = recorder !== null ? pendingRuns(resumed?.extra) : [];
    for (let depth = firstDepth; ; depth++) {
      const settle = new LevelSettle(ctx, from, to, depth);
      const edges = pending;
      pending = [];
      for (const c of carried) settle.carry(c.index, c.bytes);
      carried = [];
      fresh.count = 0;
      // Limits on the states, looked at between levels (--max-states also within one, when settling).
      if (chunks[0] !== null && graph.size >= maxStates) tally.stopReason = 'max-states';
      else if (depth - 1 >= maxDepth) tally.stopReason = 'max-depth';
      if (tally.stopReason !== null) {
        queue = settle.queue;
        if (options.checkpoint && tally.stopReason === 'max-states') save(settle, chunks, depth, edges);
        break;
      }
      await options.remote?.beginLevel?.(depth, chunks, tables.seen, () => options.interrupt?.stop === true || performance.now() > deadline);
      await runLevel(settle, chunks, depth, edges);
      const next = settle.finish();
      const peak = held(chunks) + held(next);
      if (peak > frontierPeak) frontierPeak = peak;
      queue = settle.queue;
      if (tally.stopReason !== null) {
        const resumable: Array<StopReason | null> = ['time-limit', 'interrupted', 'memory', 'max-states'];
        if (options.checkpoint && resumable.includes(tally.stopReason)) save(settle, chunks, depth, edges);
        break;
      }
      if (recorder !== null) levelEdges(recorder, edges);
      if (ownsVisited) keepLevel(fresh);
      else mergeLevel();
      if (next.length === 0) break;
      from = to;
      to = graph.size;
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
      durationMs: elapsedBefore + performance.now() - started,
      complete,
      stopReason: tally.stopReason,
      violations,
      witnesses: spec.witnesses.map((wp, i) => ({ property: wp.name, path: tally.witnessPaths[i]! })),
      coverage: spec.actions.map((a) => ({ action: a.name, enabled: tally.enabled[a.index]!, generated: tally.fired[a.index]!, distinct: tally.fresh[a.index]! })),
      failure: tally.failure,
      stuck,
      symmetry: sym && { scalarsets: sym.scalarsets.map((x) => x.name), groupSize: sym.groupSize, states: tally.orbitStates },
      memory: { fingerprintBytes: tables.seen.bytes, graphBytes: graph.bytes, frontierPeakBytes: frontierPeak + tables.level.bytes, ...(options.maxMemoryBytes ? { budgetBytes: options.maxMemoryBytes } : {}) },
      workers: pool.length,
      ...(options.threads && threads === null ? { workersNote: 'the spec was given as an object, not loaded from a file: it ran on this thread' } : {}),
    };
  }

  /**
   * With the visited set owned remotely, the supervisor keeps a copy only to checkpoint it: the
   * level's new states (in `fresh`) join it then.
   */
  function keepLevel(fresh: Fresh): void {
    if (!options.checkpoint) return;
    let set = tables.seen;
    while (set.growsWithin(fresh.count)) set = set.grown();
    for (let i = 0; i < fresh.count; i++) set.add(fresh.fps[2 * i]!, fresh.fps[2 * i + 1]!);
    if (set !== tables.seen) setTables({ seen: set, level: tables.level });
  }

  /** The level's new states join the visited set; the level table is emptied for the next. */
  function mergeLevel(): void {
    const { seen, level } = tables;
    let set = seen;
    while (set.growsWithin(level.size)) set = set.grown(); // in a new table: threads may still hold the old
    level.forEach((hi, lo) => set.add(hi, lo));
    level.clear();
    if (set !== seen) setTables({ seen: set, level });
  }
}
