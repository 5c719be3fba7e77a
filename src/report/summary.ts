// The machine-readable outputs: the --json summary and ITF trace files.
import type { CheckResult, Trace } from './model.js';
import type { RecordType } from '../spec/types.js';
import { toITF, toPlainJSON } from './values.js';

function traceJSON(trace: Trace | null): unknown {
  if (!trace) return null;
  return trace.steps.map((s) => ({ action: s.action, args: s.args.map(toPlainJSON), state: toPlainJSON(s.state) }));
}

/** The --json summary; `timings: false` leaves out what varies between runs (for results/). */
export function summaryJSON(r: CheckResult, options: { timings?: boolean } = {}): Record<string, unknown> {
  const timings = options.timings ?? true;
  return {
    spec: r.spec,
    params: r.params,
    variant: r.variant,
    verdict: r.verdict,
    distinctStates: r.distinctStates,
    totalStates: r.totalStates,
    stateDepth: r.stateDepth,
    queue: r.queue,
    complete: r.complete,
    stopReason: r.stopReason,
    ...(timings ? { durationMs: Math.round(r.durationMs), statesPerSecond: Math.round(r.distinctStates / Math.max(r.durationMs / 1000, 1e-3)) } : {}),
    symmetry: r.symmetry,
    collisionProbability: r.collisionProbability,
    violations: r.violations.map((v) => ({ property: v.property, kind: v.kind, replayPath: v.trace?.path ?? null, ...(v.trace?.loop !== undefined ? { loop: v.trace.loop } : {}), ...(v.explanation ? { explanation: v.explanation } : {}), trace: traceJSON(v.trace) })),
    witnesses: r.witnesses.map((w) => ({ property: w.property, reached: w.trace !== null, replayPath: w.trace?.path ?? null, trace: traceJSON(w.trace) })),
    coverage: r.coverage,
    error: r.error ? { code: r.error.code, message: r.error.message, hint: r.error.hint ?? null, action: r.error.action ?? null, replayPath: r.error.trace?.path ?? null, trace: traceJSON(r.error.trace) } : null,
    ...(r.stuck ? { stuck: { what: r.stuck.what, replayPath: r.stuck.trace?.path ?? null, trace: traceJSON(r.stuck.trace) } } : {}),
    ...(timings ? { memory: r.memory, workers: r.workers, workersNote: r.workersNote } : {}),
    ...(r.liveness ? { liveness: livenessJSON(r, timings) } : {}),
  };
}

function livenessJSON(r: CheckResult, timings: boolean): unknown {
  const l = r.liveness!;
  const { properties, fairness, separatePass, reduced, unreducedBecause, states, edges } = l;
  return { properties, fairness, separatePass, reduced, unreducedBecause, states, edges, ...(timings ? { edgeBytes: l.edgeBytes, indexBytes: l.indexBytes, bytesPerEdge: l.bytesPerEdge, durationMs: Math.round(l.durationMs) } : {}) };
}

/**
 * A trace in the Informal Trace Format (used by Apalache and Quint). A lasso leaves out its last
 * state (equal to states[loop]) and sets `loop`: after the last state comes states[loop].
 */
export function traceITF(trace: Trace, stateType: RecordType, meta: Record<string, unknown>): unknown {
  const cycles = trace.loop !== undefined && trace.loop < trace.steps.length - 1;
  const steps = cycles ? trace.steps.slice(0, -1) : trace.steps;
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', ...meta, replayPath: trace.path, ...(cycles ? { backTo: trace.steps.at(-1)!.label } : {}) },
    vars: stateType.fields.map(([k]) => k),
    ...(trace.loop !== undefined ? { loop: trace.loop } : {}),
    states: steps.map((s, i) => ({
      '#meta': { index: i, action: s.label },
      ...(toITF(stateType, s.state) as object),
    })),
  };
}
