// `check`: explore, then rebuild the shortest traces of what was found, and settle a verdict.
import type { CompiledSpec } from '../spec/compile.js';
import { explore, type ExploreOptions } from './bfs.js';
import { replay } from './replay.js';
import { exploreParallel, type ThreadOptions } from './parallel.js';
import type { CheckResult, Trace, Verdict } from '../report/model.js';
import { SpecError } from '../spec/errors.js';

/** With `threads` of more than one, the search runs on that many worker threads. */
export async function check(spec: CompiledSpec, options: ExploreOptions & { threads?: ThreadOptions } = {}): Promise<CheckResult> {
  const x = options.threads && options.threads.count > 1 ? await exploreParallel(spec, options.threads, options) : await explore(spec, options);
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
    symmetry: x.symmetry,
    collisionProbability: (x.distinct * (x.generated - x.distinct)) / 2 ** 64,
    memory: { ...x.memory, peakRssBytes: process.resourceUsage().maxRSS * 1024 },
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
