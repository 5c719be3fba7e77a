// `check`: explore, then rebuild the shortest traces of what was found, and settle a verdict.
import type { CompiledSpec } from '../spec/compile.js';
import { explore, type ActionCoverage, type ExploreOptions, type StopReason, type ViolationKind } from './bfs.js';
import type { Failure } from './failures.js';
import { replay, type Trace } from './replay.js';
import { SpecError } from '../spec/errors.js';

export type Verdict = 'ok' | 'violation' | 'incomplete' | 'error';

export interface Violation {
  property: string;
  kind: ViolationKind;
  /** Null for a `sometimes` that no reachable state satisfies. */
  trace: Trace | null;
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
  /** TLC's optimistic estimate: distinct * (generated - distinct) / 2^64. */
  collisionProbability: number;
  memory: { fingerprintBytes: number; graphBytes: number; frontierPeakBytes: number };
}

export async function check(spec: CompiledSpec, options: ExploreOptions = {}): Promise<CheckResult> {
  const x = await explore(spec, options);
  let error = x.failure ? { ...x.failure, trace: tryReplay(spec, x.failure.path) } : null;
  const rebuild = (path: number[] | null): Trace | null => {
    if (path === null) return null;
    try {
      return replay(spec, path);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      error ??= { code: e.code, message: e.message, hint: e.hint, path, trace: null };
      return null;
    }
  };
  const violations = x.violations.map((v) => ({ property: v.property, kind: v.kind, trace: rebuild(v.path) }));
  const witnesses = x.witnesses.map((w) => ({ property: w.property, trace: rebuild(w.path) }));
  const verdict: Verdict = error ? 'error' : violations.length > 0 ? 'violation' : x.complete ? 'ok' : 'incomplete';
  return {
    spec: spec.name,
    variant: spec.variant,
    params: { ...spec.params },
    verdict,
    distinctStates: x.distinct,
    totalStates: x.generated,
    stateDepth: x.depth,
    queue: x.queue,
    durationMs: x.durationMs,
    complete: x.complete,
    stopReason: x.stopReason,
    violations,
    witnesses,
    coverage: x.coverage,
    error,
    collisionProbability: (x.distinct * (x.generated - x.distinct)) / 2 ** 64,
    memory: x.memory,
  };
}

function tryReplay(spec: CompiledSpec, path: number[]): Trace | null {
  if (path.length === 0) return null;
  try {
    return replay(spec, path);
  } catch {
    return null;
  }
}

export const exitCodes: Record<Verdict, number> = { ok: 0, violation: 1, error: 2, incomplete: 3 };
