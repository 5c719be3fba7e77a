// What a search is asked to do and what it answers: the options and the result of the one
// engine (engine.ts), shared by check(), the checkpoint store and the CLI.
import type { ActionCoverage, Failure, StopReason, SymmetryReport, ViolationKind } from '../report/model.js';
import type { EdgeRecorder } from '../liveness/recorder.js';
import type { SavedSearch } from '../store/checkpoint.js';
import type { ExpanderOptions, SharedTables } from './chunk-expander.js';
import type { Expander } from './threads.js';
import type { StateChunk } from './state-chunk.js';
import type { FingerprintSet } from '../store/fingerprint-set.js';

/** Worker threads that expand states: a script that answers the messages of threads.ts. */
export interface ThreadOptions {
  count: number;
  script: URL;
}

/** Expanders the engine does not start itself: made once the tables exist, stopped with the search. */
export interface RemoteExpanders {
  /** Also expand in this process (its threads, or its own thread); default true. */
  local?: boolean;
  /**
   * The visited set lives with the remote expanders (partitioned by fingerprint, src/cluster/):
   * their answers hold only the states new to the search, each from its smallest parent, so the
   * supervisor numbers them without a visited set of its own (it keeps one only to checkpoint).
   */
  ownsVisited?: boolean;
  start(tables: SharedTables, options: ExpanderOptions): Promise<Expander[]>;
  /**
   * Called before each level is expanded (`depth`: of the states it finds; `chunks`: its states)
   * with the visited set as it stands; the level begins when the promise settles. `stopping`
   * says that a limit or Ctrl-C came meanwhile (then it returns at once).
   */
  beginLevel?(depth: number, chunks: ReadonlyArray<StateChunk | null>, seen: FingerprintSet, stopping: () => boolean): Promise<void>;
}

export interface ExploreOptions {
  maxStates?: number;
  maxDepth?: number;
  timeLimitMs?: number;
  /** Report states where no action is enabled (unless the spec calls them terminal). */
  deadlock?: boolean;
  /** Keep exploring after a violation; each property is reported once, with its shortest trace. */
  continueAfterViolation?: boolean;
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Fold states that differ only by a renaming of symmetric scalarset ids (default true). */
  symmetry?: boolean;
  /** Verify on the first states that the spec is symmetric before a reduced search (default true; on an expander, under the run's limits). */
  checkSymmetry?: boolean;
  /** Set `stop` to end the search (Ctrl-C); the supervisor looks at it by the clock, about every 50 ms. */
  interrupt?: { stop: boolean };
  /**
   * Expand on this many worker threads (a spec loaded from a file: its compiled spec carries the
   * source). Without it, or for a spec given only as an object, spec code runs on the calling
   * thread, which then cannot be stopped while a guard, effect or property does not return.
   */
  threads?: ThreadOptions;
  /** Expanders in other processes or on other machines (src/cluster/), beside or instead of this process's own. */
  remote?: RemoteExpanders;
  /** Record every edge of the state graph here (liveness checking); none when absent. */
  edges?: EdgeRecorder;
  /** Continue a checkpointed search (checkpoint.ts) instead of starting from the initial states. */
  resume?: SearchState;
  /** Hand the search state to `save` every `everyMs` (at a chunk boundary) and when a limit or Ctrl-C stops the search. */
  checkpoint?: { everyMs: number; save: (state: SearchState) => void };
  /** Stop (incomplete) before the fingerprint set, graph and frontier would outgrow this many bytes. */
  maxMemoryBytes?: number;
}

/**
 * What the run is doing: the breadth-first search (which also records the edge graph when it
 * can), the second pass without symmetry that builds liveness's graph, or writing a checkpoint.
 */
export interface ProgressPhase {
  name: 'search' | 'liveness graph' | 'checkpointing';
  step: number;
  of: number;
  /** `distinct` counts orbits (states up to renaming interchangeable ids), not states. */
  orbits: boolean;
  /** The search records liveness's graph as it goes: the symmetry-reduced one, or the full one. */
  graph?: 'reduced' | 'full';
}

export interface Progress {
  distinct: number;
  generated: number;
  queue: number;
  depth: number;
  elapsedMs: number;
  /** Which pass of check() this is (set by check()). */
  phase?: ProgressPhase;
}

export interface FoundViolation {
  property: string;
  kind: ViolationKind;
  /** Replay path (initial-state index, then successor ordinals); null for an unreached witness. */
  path: number[] | null;
}

export interface Exploration {
  distinct: number;
  generated: number;
  depth: number;
  queue: number;
  durationMs: number;
  /** True when every reachable state (within the constraint) was expanded. */
  complete: boolean;
  stopReason: StopReason | null;
  violations: FoundViolation[];
  witnesses: Array<{ property: string; path: number[] | null }>;
  coverage: ActionCoverage[];
  failure: Failure | null;
  symmetry: SymmetryReport | null;
  memory: { fingerprintBytes: number; graphBytes: number; frontierPeakBytes: number; budgetBytes?: number };
  /** Spec code that had not returned when the search was stopped (its thread was ended), and the state it ran on. */
  stuck: { what: string; path: number[] | null } | null;
  /** Threads started to expand states: one, and the rest of --workers once a level has more than one chunk of work (1 with a spec held only in memory: the calling thread). */
  workers: number;
  /** Why a search that could use several threads used one. */
  workersNote?: string;
}

/** The search's counters at a chunk boundary; with the stores, all a resumed search needs. */
export interface SearchCounters {
  generated: number;
  depth: number;
  level: number;
  nextLevelStart: number;
  frontierPeak: number;
  orbitStates: number;
  /** Search time spent before this checkpoint (summed over resumed runs). */
  elapsedMs: number;
  enabled: number[];
  fired: number[];
  fresh: number[];
  violations: FoundViolation[];
  witnessPaths: Array<number[] | null>;
}

export type SearchState = SavedSearch<SearchCounters>;

