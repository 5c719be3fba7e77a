// The terminal report: verdict, counts in TLC's vocabulary, property table, coverage table,
// traces with changed fields, and coded error messages that say what, where and what next.
import type { CheckResult, Failure, Trace } from './model.js';
import { describeState, diffStates } from './diff.js';

export interface ReportContext {
  /** The spec file as the user named it, for replay commands. */
  specFile: string;
  /** Extra command-line words that reproduce the run (`--param rm=4 --variant x`). */
  runArgs: string[];
  /** What each property means, in the spec author's words (from its doc string), if given. */
  docs?: Record<string, string>;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function formatTrace(trace: Trace): string[] {
  const lines: string[] = [];
  const loop = trace.loop;
  const cycles = loop !== undefined && loop < trace.steps.length - 1;
  trace.steps.forEach((step, i) => {
    if (cycles && i === trace.steps.length - 1) {
      // The last step returns to a state already shown: say so, as TLC does.
      lines.push(`State ${i + 1}: ${step.label}`, `    Back to state ${loop + 1}: the cycle from state ${loop + 1} to here repeats for ever.`);
      return;
    }
    if (cycles && loop === i) lines.push(`-- the cycle starts here --`);
    if (i === 0) {
      lines.push(`State 1: initial state`);
      for (const l of describeState(step.state)) lines.push(`    ${l}`);
      return;
    }
    lines.push(`State ${i + 1}: ${step.label}`);
    const changes = diffStates(trace.steps[i - 1]!.state, step.state);
    if (changes.length === 0) lines.push('    (no change: a stuttering step)');
    for (const l of changes) lines.push(`  * ${l}`);
  });
  if (loop !== undefined && !cycles) lines.push(`Stuttering: the behaviour stays in state ${loop + 1} for ever (no fair action obliges it to move).`);
  return lines;
}

function replayCommand(ctx: ReportContext, path: string, loop?: number): string {
  return ['synod replay', ctx.specFile, ...ctx.runArgs, '--path', path, ...(loop === undefined ? [] : ['--loop', String(loop)])].join(' ');
}

function verdictLine(r: CheckResult): string {
  switch (r.verdict) {
    case 'ok': return r.liveness ? 'Result: OK - every property holds in all reachable states and every fair behaviour.' : 'Result: OK - every property holds in all reachable states.';
    case 'violation': {
      const v = r.violations[0]!;
      const extra = r.violations.length > 1 ? ` (and ${r.violations.length - 1} more)` : '';
      return `Result: VIOLATION - ${describeViolation(v.kind, v.property)}${extra}.`;
    }
    case 'incomplete': return `Result: INCOMPLETE - the search stopped early (${stopText(r.stopReason)}); no verdict on the unexplored states.`;
    case 'error': return 'Result: ERROR - the spec could not be checked.';
  }
}

function describeViolation(kind: string, property: string): string {
  switch (kind) {
    case 'invariant': return `invariant ${property} is violated`;
    case 'step': return `step property ${property} is violated`;
    case 'deadlock': return 'deadlock reached (no action is enabled and the state is not terminal)';
    case 'liveness': return `liveness property ${property} is violated by a fair behaviour`;
    default: return `sometimes ${property} is never satisfied in any reachable state`;
  }
}

function stopText(reason: CheckResult['stopReason']): string {
  switch (reason) {
    case 'max-states': return '--max-states reached';
    case 'max-depth': return '--max-depth reached';
    case 'time-limit': return '--time-limit reached';
    case 'interrupted': return 'interrupted';
    case 'memory': return 'the memory budget was reached';
    default: return String(reason);
  }
}

export function formatReport(r: CheckResult, ctx: ReportContext): string {
  const out: string[] = [];
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  out.push(`synod check ${r.spec}${r.variant ? ` --variant ${r.variant}` : ''}${params ? `  (${params})` : ''}`);
  if (r.error) {
    out.push(...formatFailure(r.error, ctx));
    return out.join('\n');
  }
  out.push(verdictLine(r));
  const secs = r.durationMs / 1000;
  out.push(`  ${n(r.distinctStates)} distinct states, ${n(r.totalStates)} states generated, depth ${r.stateDepth}, ${n(r.queue)} left in queue`);
  if (r.symmetry) {
    const s = r.symmetry;
    out.push(`  symmetry of ${s.scalarsets.join(', ')} (${n(s.groupSize)} renamings): ${n(r.distinctStates)} orbits of ${n(s.states)} states`);
  }
  out.push(`  ${secs.toFixed(2)} s, ${n(Math.round(r.distinctStates / Math.max(secs, 1e-3)))} distinct states/s, ${n(Math.round(r.totalStates / Math.max(secs, 1e-3)))} generated/s on ${r.workers} worker${r.workers === 1 ? '' : 's'}${r.workersNote ? ` (${r.workersNote})` : ''}`);
  out.push(`  fingerprint collision probability (optimistic): ${r.collisionProbability.toExponential(1)}`);
  out.push('', ...formatCoverage(r));
  for (const w of r.witnesses) {
    if (w.trace) out.push('', `sometimes ${w.property}: reached in ${w.trace.steps.length} states: ${w.trace.steps.slice(1).map((s) => s.label).join(' -> ') || '(an initial state)'}`);
  }
  if (r.liveness) out.push('', ...formatLiveness(r));
  for (const v of r.violations) {
    const what = v.kind === 'liveness' ? lassoText(v.trace) : `shortest trace, ${v.trace?.steps.length} states`;
    out.push('', `${describeViolation(v.kind, v.property)}${v.trace ? `; ${what}:` : ''}`);
    const doc = ctx.docs?.[v.property];
    if (doc) out.push(`  ${v.property}: ${doc}`);
    if (v.trace) {
      out.push(...formatTrace(v.trace).map((l) => `  ${l}`));
      out.push(`  replay: ${replayCommand(ctx, v.trace.path, v.trace.loop)}`);
    }
    if (v.explanation) out.push('', ...v.explanation.split('\n').map((l) => `  ${l}`));
  }
  if (r.stuck) {
    const t = r.stuck.trace;
    out.push('', `${r.stuck.what} had not returned when the search stopped (its thread was ended)${t ? `, at this state (${t.steps.length} states from an initial one):` : '.'}`);
    if (t) {
      out.push(...formatTrace(t).map((l) => `  ${l}`));
      out.push(`  replay: ${replayCommand(ctx, t.path)}`);
    }
    out.push('hint: a guard, effect or property that loops (a while loop whose condition never changes, a recursion) never returns; fix it and run again.');
  }
  if (r.verdict === 'incomplete' && r.stopReason === 'memory') out.push('', ...memoryAdvice(r));
  else if (r.verdict === 'incomplete' && !r.stuck) out.push('', 'hint: raise the limit, add a state constraint, or use smaller params.');
  return out.join('\n');
}

function lassoText(t: Trace | null): string {
  if (!t || t.loop === undefined) return '';
  const prefix = t.loop + 1;
  const states = `${prefix} state${prefix === 1 ? '' : 's'}`;
  if (t.loop === t.steps.length - 1) return `lasso: ${states} (shortest), then stuttering for ever`;
  return `lasso: ${states} (shortest) to a cycle of ${t.steps.length - 1 - t.loop} steps (not necessarily the shortest cycle)`;
}

function formatLiveness(r: CheckResult): string[] {
  const l = r.liveness!;
  const rows = [`Liveness (fairness: ${l.fairness.length ? l.fairness.join(', ') : 'none; behaviours may stop (stutter) anywhere'}):`];
  for (const p of l.properties) rows.push(`  ${p.property} (${p.form}): ${p.holds === null ? 'not checked (the search stopped)' : p.holds ? 'holds' : 'VIOLATED'}`);
  if (l.states > 0) {
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    const what = l.reduced ? `${n(l.states)} orbits (symmetry-reduced, edges annotated with renamings)` : `${n(l.states)} states`;
    const why = l.separatePass ? ` (a second pass without symmetry reduction built it${l.unreducedBecause ? `: ${l.unreducedBecause}` : ''})` : '';
    rows.push(`  graph: ${what}, ${n(l.edges)} edges; ${mb(l.edgeBytes)} MB of edges (${l.bytesPerEdge} bytes per edge allocated), ${mb(l.indexBytes)} MB state index; ${(l.durationMs / 1000).toFixed(2)} s${why}`);
  }
  return rows;
}

/** Formats bytes for messages: 1.5 GB, 300 MB. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Which store filled the budget, and what makes the state space smaller. */
function memoryAdvice(r: CheckResult): string[] {
  const m = r.memory;
  const stores: Array<[string, number]> = [
    ['the fingerprint set (one entry per distinct state)', m.fingerprintBytes],
    ['the state graph (parent links for traces)', m.graphBytes],
    ['the frontier (encoded states waiting to be expanded)', m.frontierPeakBytes],
  ];
  const largest = stores.reduce((a, b) => (b[1] > a[1] ? b : a));
  return [
    `memory: fingerprint set ${formatBytes(m.fingerprintBytes)}, state graph ${formatBytes(m.graphBytes)}, frontier ${formatBytes(m.frontierPeakBytes)} at its peak${m.budgetBytes ? `; budget ${formatBytes(m.budgetBytes)} (--max-memory)` : ''}`,
    `hint: the largest is ${largest[0]}. Make the state space smaller: declare interchangeable ids as a scalarset so symmetry folds them, add a state constraint, or use smaller params; or search randomly with synod simulate; or raise --max-memory (add --checkpoint DIR to be able to resume).`,
  ];
}

function formatCoverage(r: CheckResult): string[] {
  const width = Math.max(6, ...r.coverage.map((c) => c.action.length));
  const rows = [`Coverage:`, `  ${'action'.padEnd(width)}  ${'enabled'.padStart(10)}  ${'generated'.padStart(10)}  ${'new'.padStart(10)}`];
  for (const c of r.coverage) {
    const flag = c.enabled === 0 ? '  <- never enabled' : '';
    rows.push(`  ${c.action.padEnd(width)}  ${n(c.enabled).padStart(10)}  ${n(c.generated).padStart(10)}  ${n(c.distinct).padStart(10)}${flag}`);
  }
  return rows;
}

/** A coded error raised by spec code: what, where (action, state), the trace to it, and a hint. */
export function formatFailure(e: Failure & { trace: Trace | null }, ctx: ReportContext): string[] {
  const out = [`error[${e.code}]: ${e.message}`];
  out.push(`  --> ${ctx.specFile}${e.action ? `, action ${e.action}` : ''}${e.trace ? `, at state ${e.trace.steps.length} (depth ${e.trace.steps.length})` : ''}`);
  if (e.trace) {
    out.push('  trace to that state:', ...formatTrace(e.trace).map((l) => `    ${l}`));
    out.push(`  replay: ${replayCommand(ctx, e.trace.path)}`);
  }
  if (e.hint) out.push(`  hint: ${e.hint}`);
  return out;
}

/** The doc strings of a compiled spec's properties, for reports. */
export function propertyDocs(spec: { invariants: readonly P[]; steps: readonly P[]; witnesses: readonly P[]; liveness: readonly P[] }): Record<string, string> {
  const all = [...spec.invariants, ...spec.steps, ...spec.witnesses, ...spec.liveness];
  return Object.fromEntries(all.flatMap((p) => (p.doc ? [[p.name, p.doc]] : [])));
}
type P = { name: string; doc: string | null };
