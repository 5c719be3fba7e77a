// What a search is asked to do and what it answers: the options and the result of the one
// engine (engine.ts), shared by check(), the checkpoint store and the CLI.
import type { ActionCoverage, Failure, StopReason, SymmetryReport, ViolationKind } from '../report/model.js';
import type { EdgeRecorder } from '../liveness/recorder.js';
import type { SavedSearch } from '../store/checkpoint.js';

/** Worker threads that expand states: a script that answers the messages of threads.ts. */
export interface ThreadOptions {
  count: number;
  script: URL;
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
  /** Set `stop` to end the search (Ctrl-C); the supervisor looks at it by the clock, about every 50 ms. */
  interrupt?: { stop: boolean };
  /**
   * Expand on this many worker threads (a spec loaded from a file: its compiled spec carries the
   * source). Without it, or for a spec given only as an object, spec code runs on the calling
   * thread, which then cannot be stopped while a guard, effect or property does not return.
   */
  threads?: ThreadOptions;
  /** Record every edge of the state graph here (liveness checking); none when absent. */
  edges?: EdgeRecorder;
  /** Continue a checkpointed search (checkpoint.ts) instead of starting from the initial states. */
  resume?: SearchState;
  /** Hand the search state to `save` every `everyMs` (at a chunk boundary) and when a limit or Ctrl-C stops the search. */
  checkpoint?: { everyMs: number; save: (state: SearchState) => void };
  /** Stop (incomplete) before the fingerprint set, graph and frontier would outgrow this many bytes. */
  maxMemoryBytes?: number;
}

export interface Progress {
  /** What the run is doing (set by check(): the search, or the second pass that builds the unreduced liveness graph). */
  phase?: string;
  /** Whether `distinct` counts orbits (symmetry reduction on). */
  orbits?: boolean;
  distinct: number;
  generated: number;
  queue: number;
  depth: number;
  elapsedMs: number;
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
  stuck: { what: string; path: number[] } | null;
  /** Threads that expanded states (1 with a spec held only in memory: the calling thread). */
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

