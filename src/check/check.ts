// `check`: explore, then rebuild the shortest traces of what was found, check liveness
// properties on the state graph, and settle a verdict.
import type { CompiledSpec } from '../spec/compile.js';
import { explore } from './engine.js';
import type { Exploration, ExploreOptions, ProgressPhase } from './exploration.js';
import { replay } from './replay.js';
import { SpecError } from '../spec/errors.js';
import type { CheckResult, LivenessReport, Trace, Verdict, Violation } from '../report/model.js';
import { symmetricScalarsets } from '../state/symmetry.js';
import { EdgeRecorder } from '../liveness/recorder.js';
import { fairnessOf } from '../liveness/labels.js';
import { findLassos, refuseView, unreducedBecause, type FoundLasso } from './liveness.js';
import { restoredRecorder } from './edges.js';
import { renamingShape } from '../liveness/renaming.js';

export interface CheckOptions extends ExploreOptions {
  /** Check the spec's liveness properties (default true when it has some). */
  liveness?: boolean;
}

export async function check(spec: CompiledSpec, options: CheckOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const live = options.liveness !== false && spec.liveness.length > 0;
  if (live) refuseView(spec);
  // The run records the graph itself (and a checkpoint keeps it): the reduced graph under
  // symmetry, when the spec passed the symmetry check and its fair instances can be followed
  // through renamings. Otherwise a second run without symmetry does, and the report says why. It
  // shares the first one's limits: what is left of the time, the same budget, Ctrl-C.
  const scalarsets = options.symmetry === false ? [] : symmetricScalarsets(spec.stateType);
  const shape = live && scalarsets.length > 0 ? renamingShape(scalarsets) : null;
  let unreduced = !live || scalarsets.length === 0 ? null
    : shape === null ? 'more than 255 symmetric ids (renamings are sent as bytes)'
    : unreducedBecause(spec, shape, options.checkSymmetry !== false);
  let recorder = live && unreduced === null ? new EdgeRecorder(spec, shape) : null;
  if (recorder !== null && options.resume !== undefined) {
    recorder = restoredRecorder(spec, shape, options.resume.extra);
    if (recorder === null) unreduced = 'the checkpoint resumed holds no liveness graph (it was written with --no-liveness)';
  }
  const together = recorder !== null;
  const reducing = scalarsets.length > 0;
  const passes = live && !together ? 2 : 1;
  const graph = together ? (reducing ? 'reduced' : 'full') : undefined;
  const x = await explore(spec, { ...options, edges: recorder ?? undefined, onProgress: named(options, { name: 'search', step: 1, of: passes, orbits: reducing, ...(graph ? { graph } : {}) }) });
  let stopReason = x.stopReason;
  let stuck = x.stuck;
  let livenessFailure: Exploration['failure'] = null;
  let lassos: FoundLasso[] = [];
  let report: LivenessReport | null = null;
  if (live) {
    const passStarted = performance.now();
    let graphComplete = x.complete && x.failure === null;
    if (graphComplete && !together) {
      recorder = new EdgeRecorder(spec);
      const left = options.timeLimitMs === undefined ? undefined : Math.max(1, options.timeLimitMs - (performance.now() - started));
      const y = await explore(spec, {
        ...options, resume: undefined, checkpoint: undefined, symmetry: false, deadlock: false, continueAfterViolation: true, edges: recorder, timeLimitMs: left,
        onProgress: named(options, { name: 'liveness graph', step: 2, of: 2, orbits: false }),
      });
      livenessFailure = y.failure;
      graphComplete = y.complete && y.failure === null;
      if (!y.complete) stopReason = y.stopReason;
      stuck ??= y.stuck;
    }
    if (graphComplete) lassos = await findLassos(spec, recorder!);
    const violated = new Set(lassos.map((l) => l.property));
    const edges = graphComplete ? recorder!.edges.size : 0;
    const edgeBytes = graphComplete ? recorder!.edges.bytes : 0;
    const indexBytes = graphComplete ? recorder!.bytes - edgeBytes : 0;
    report = {
      properties: spec.liveness.map((l) => ({ property: l.name, form: l.form, holds: graphComplete ? !violated.has(l.name) : null })),
      fairness: fairnessOf(spec),
      separatePass: !together,
      reduced: together && shape !== null,
      unreducedBecause: unreduced,
      states: graphComplete ? recorder!.size : 0,
      edges,
      edgeBytes,
      indexBytes,
      bytesPerEdge: edges > 0 ? Math.round((edgeBytes / edges) * 10) / 10 : 0,
      durationMs: performance.now() - passStarted,
    };
  }
  const failure = x.failure ?? livenessFailure;
  let error = failure ? { ...failure, trace: tryReplay(spec, failure.path) } : null;
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
  const violations: Violation[] = x.violations.map((v) => explained(spec, { property: v.property, kind: v.kind, trace: rebuild(v.path) }));
  for (const l of lassos) {
    const trace = rebuild(l.path);
    violations.push({ property: l.property, kind: 'liveness', trace: trace && { ...trace, loop: l.loop } });
  }
  const witnesses = x.witnesses.map((w) => ({ property: w.property, trace: rebuild(w.path) }));
  const livenessUnchecked = report !== null && report.properties.some((p) => p.holds === null);
  const complete = x.complete && stopReason === null;
  const verdict: Verdict = error ? 'error' : violations.length > 0 ? 'violation' : complete && !livenessUnchecked ? 'ok' : 'incomplete';
  return {
    spec: spec.name,
    variant: spec.variant,
    params: { ...spec.params },
    verdict,
    distinctStates: x.distinct,
    totalStates: x.generated,
    stateDepth: x.depth,
    queue: x.queue,
    durationMs: x.durationMs + (report?.durationMs ?? 0),
    complete,
    stopReason,
    violations,
    witnesses,
    coverage: x.coverage,
    error,
    // The trace to the state where spec code hung: replaying up to it runs only code that returned.
    stuck: stuck && { what: stuck.what, trace: stuck.path && tryReplay(spec, stuck.path) },
    symmetry: x.symmetry,
    collisionProbability: (x.distinct * (x.generated - x.distinct)) / 2 ** 64,
    memory: { ...x.memory, peakRssBytes: process.resourceUsage().maxRSS * 1024 },
    liveness: report,
    workers: x.workers,
    workersNote: x.workersNote ?? null,
  };
}

/** The caller's progress callback, told which phase runs and whether it counts orbits. */
function named(options: CheckOptions, phase: ProgressPhase): CheckOptions['onProgress'] {
  const f = options.onProgress;
  return f && ((p) => f({ ...p, phase }));
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

/** The violation with its property's explanation of the trace's last state, when it has one. */
function explained(spec: CompiledSpec, v: Violation): Violation {
  const explain = v.kind === 'invariant' ? spec.invariants.find((p) => p.name === v.property)?.explain : undefined;
  const last = v.trace?.steps.at(-1);
  if (!explain || !last) return v;
  try {
    return { ...v, explanation: explain(last.state) };
  } catch (e) {
    return { ...v, explanation: `(the explanation failed: ${(e as Error)?.message ?? String(e)})` };
  }
}
