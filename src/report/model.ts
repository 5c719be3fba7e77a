// What a check produces, as the reports consume it: results, violations, traces, failures.
// The explorer fills these in; report/ formats them (so report/ never imports check/).
import type { ErrorCode } from '../spec/errors.js';

export interface TraceStep {
  /** Null for the initial state. */
  action: string | null;
  args: readonly unknown[];
  /** `Action(args)`, or `Initial predicate` for the first state. */
  label: string;
  state: unknown;
}

export interface Trace {
  /** Replay path: initial-state index, then successor ordinals (`0/2/1`). */
  path: string;
  steps: TraceStep[];
  /**
   * For a lasso (a liveness counterexample): after the last state the behaviour continues at
   * steps[loop] and repeats for ever. When loop is the last index, it stutters there for ever;
   * otherwise the last state equals steps[loop].
   */
  loop?: number;
}

export type ViolationKind = 'invariant' | 'step' | 'deadlock' | 'sometimes' | 'liveness';
export type StopReason = 'violation' | 'max-states' | 'max-depth' | 'time-limit' | 'interrupted' | 'memory' | 'error';

export interface ActionCoverage {
  action: string;
  /** Action instances (state, arguments) that produced at least one successor. */
  enabled: number;
  generated: number;
  distinct: number;
}

/** What symmetry reduction folded: distinct states are then orbits. */
export interface SymmetryReport {
  scalarsets: string[];
  /** Renamings in the group (the product of n! over the scalarsets). */
  groupSize: number;
  /** The states the distinct orbits stand for (the sum of their sizes). */
  states: number;
}

export interface Failure {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** The action instance involved, as `Name(args)`. */
  action?: string;
  /** Replay path to the state being expanded when it happened ([] for initial states). */
  path: number[];
}

export type Verdict = 'ok' | 'violation' | 'incomplete' | 'error';

export interface Violation {
  property: string;
  kind: ViolationKind;
  /** Null for a `sometimes` that no reachable state satisfies. */
  trace: Trace | null;
  /** Why the trace's last state breaks the property, when the property can say (linearizable()). */
  explanation?: string;
}

export interface CheckResult {
  spec: string;
  variant: string | null;
  params: Record<string, unknown>;
  verdict: Verdict;
  distinctStates: number;
  totalStates: number;
  stateDepth: number;
  /** States found but not expanded when the search stopped. */
  queue: number;
  durationMs: number;
  complete: boolean;
  stopReason: StopReason | null;
  violations: Violation[];
  witnesses: Array<{ property: string; trace: Trace | null }>;
  coverage: ActionCoverage[];
  error: (Failure & { trace: Trace | null }) | null;
  /** Spec code that had not returned when the search was stopped: what it was, and the trace to the state it ran on. */
  stuck: { what: string; trace: Trace | null } | null;
  /** Null when symmetry reduction was off or the state has no symmetric scalarset. */
  symmetry: SymmetryReport | null;
  /** TLC's optimistic estimate: distinct * (generated - distinct) / 2^64. */
  collisionProbability: number;
  /** Bytes held by the visited set, the state graph and (at its peak) the frontier; the --max-memory budget if one was set; peak RSS of the process. */
  memory: { fingerprintBytes: number; graphBytes: number; frontierPeakBytes: number; budgetBytes?: number; peakRssBytes: number };
  /** Null when the spec has no liveness property or liveness checking was off. */
  liveness: LivenessReport | null;
  /** Threads that expanded states (1: the main thread). */
  workers: number;
  /** Why a run that could have used several threads used one (null otherwise). */
  workersNote: string | null;
}

/** What the liveness check looked at and what it cost. */
export interface LivenessReport {
  /** Per property: held (true), violated (false), or not checked because the search stopped (null). */
  properties: Array<{ property: string; form: string; holds: boolean | null }>;
  /** The fairness conditions assumed, like `WF(Deliver)`. */
  fairness: string[];
  /** True when a second exploration, without symmetry reduction, built the graph. */
  separatePass: boolean;
  /** True when the graph searched is the symmetry-reduced one (its states are orbits). */
  reduced: boolean;
  /** Why a run with symmetry checked liveness on the unreduced graph (null: it did not, or there was no symmetry). */
  unreducedBecause: string | null;
  /** States and edges of the graph that was searched (0 when it was not built). */
  states: number;
  edges: number;
  /** Bytes allocated for the edge list, for the indexed visited set and predicates, and edge bytes per edge. */
  edgeBytes: number;
  indexBytes: number;
  bytesPerEdge: number;
  /** Time spent on the extra pass (if any) and the search for fair cycles. */
  durationMs: number;
}
