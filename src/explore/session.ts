// The explorer's answers about one spec, as JSON for the page: the view at a replay path (the
// trace, the state, every action instance enabled or not, property status, the message
// sequence), the states around it, and exhaustive checks run in the background. The replay
// path is the whole scenario, so a URL that carries it reproduces the view exactly.
import type { Spec } from '../spec/define.js';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { parsePath, replay } from '../check/replay.js';
import { ActionFailure } from '../check/successors.js';
import { causeOf } from '../check/failures.js';
import { stateSpace } from '../check/state-space.js';
import { check } from '../check/check.js';
import type { Progress, ThreadOptions } from '../check/exploration.js';
import { diffStates } from '../report/diff.js';
import { formatAction } from '../report/format.js';
import type { Trace } from '../report/model.js';
import { renderState } from './render.js';
import { messageHistory, messageSequence, type Sequence } from './sequence.js';
import { lassoOf, type Lasso } from './lasso.js';
import { instancesAt } from './instances.js';
import { fairnessOf } from '../liveness/labels.js';
import { whyBroken } from './why.js';
import { historiesOf } from './history.js';

export interface ExplorerOptions {
  /** Param overrides from the command line; every variant is compiled with them. */
  params?: Record<string, string | number | boolean>;
  /** Symmetry reduction for the background checks (default true). */
  symmetry?: boolean;
  /** The spec's file and bundle: then Check runs spec code on worker threads, which Stop can always end. */
  source?: { file: string; code?: string };
  threads?: ThreadOptions;
  /** Check's memory budget (it stops, incomplete, before its stores outgrow it). */
  maxMemoryBytes?: number;
}

export interface CheckJob {
  status: 'running' | 'done' | 'error';
  progress: Progress | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

/** Set `stop` to end a running check at its next block (its verdict is then incomplete). */
type Interrupt = { stop: boolean };

/**
 * What a view, a check or a result belongs to: a variant (null: the spec as written) and the
 * params a URL names (they replace the command line's; params it does not name take the
 * variant's defaults).
 * A bare variant name (or null) means the command line's params.
 */
export type Scope = string | null | { variant: string | null; params?: Record<string, string> | null };

const variantOf = (scope: Scope): string | null => (scope !== null && typeof scope === 'object' ? scope.variant : scope);

const NEIGHBOURS = { maxDepth: 2, maxStates: 30 };

export class Explorer {
  private readonly compiled = new Map<string, CompiledSpec>();
  private readonly checks = new Map<string, CheckJob>();
  private readonly interrupts = new Map<string, Interrupt>();

  constructor(readonly spec: Spec, private readonly options: ExplorerOptions = {}) {}

  /** The spec compiled for a scope; unknown variants are SYN103, bad params SYN101/SYN102. */
  specFor(scope: Scope): CompiledSpec {
    const variant = variantOf(scope);
    // Params named in the address replace the command line's: a link means the same on any server.
    const given = scope !== null && typeof scope === 'object' ? scope.params : null;
    const params = given ?? this.options.params ?? {};
    return this.compile(variant, params);
  }

  private compile(variant: string | null, params: Record<string, string | number | boolean>): CompiledSpec {
    const key = JSON.stringify([variant, params]);
    let c = this.compiled.get(key);
    if (!c) {
      c = compileSpec(this.spec, { params, variant, source: this.options.source });
      this.compiled.set(key, c);
    }
    return c;
  }

  /**
   * Everything the page shows at the end of a replay path ('' or absent: the first initial
   * state). With `loopText` the trace is a lasso (a liveness counterexample) going back to
   * state `loop` for ever, or stuttering at the last state when loop is its index.
   */
  view(scope: Scope, pathText: string | null, loopText: string | null = null): Record<string, unknown> {
    const spec = this.specFor(scope);
    const trace = traceAt(spec, pathText);
    const lasso = loopText === null || loopText === '' ? null : guardSpecCode(() => lassoOf(spec, trace, parseLoop(loopText)));
    const steps = trace.steps;
    const cur = steps.at(-1)!.state;
    const prev = steps.length > 1 ? steps.at(-2)!.state : undefined;
    const instances = guardSpecCode(() => instancesAt(spec, cur));
    const enabled = instances.filter((x) => x.enabled);
    const path = trace.path.split('/');
    const sequence = messageSequence(spec, trace);
    return {
      spec: this.describe(spec),
      path: trace.path,
      trace: steps.map((s, i) => ({ label: s.label, action: s.action, path: path.slice(0, i + 1).join('/'), detail: detailOf(steps, i, sequence) })),
      // What each action does, in the author's words (say, that it renumbers ballots afterwards).
      actionDocs: Object.fromEntries(spec.actions.flatMap((a) => (a.doc ? [[a.name, a.doc]] : []))),
      state: renderState(spec.stateType, cur, prev, messageHistory(sequence)),
      changes: prev === undefined ? [] : diffStates(prev, cur),
      actions: instances.map((x) => x.enabled
        ? { label: x.label, action: x.action, enabled: true, ordinal: x.ordinal, changes: diffStates(cur, x.next), breaks: newlyBroken(spec, cur, x.next) }
        : { label: x.label, action: x.action, enabled: false, reason: x.reason }),
      ending: enabled.length > 0 ? null : spec.terminal?.(cur) ? 'terminal' : 'deadlock',
      lasso,
      properties: guardSpecCode(() => [...propertyStatus(spec, trace), ...this.livenessStatus(spec, lasso)]),
      sequence,
      histories: guardSpecCode(() => historiesOf(spec, trace)),
    };
  }

  /** The states within two steps of the one at the path, and the one before it. */
  neighbours(scope: Scope, pathText: string | null): Record<string, unknown> {
    const spec = this.specFor(scope);
    const trace = traceAt(spec, pathText);
    const cur = trace.steps.at(-1)!.state;
    const space = guardSpecCode(() => stateSpace(spec, { starts: [cur], ...NEIGHBOURS }));
    const here = trace.path;
    const nodes = space.nodes.map((n) => ({
      id: n.id,
      depth: n.depth,
      path: [here, ...n.ordinals].join('/'),
      changes: diffStates(cur, n.state),
      violated: n.violated,
    }));
    const edges = space.edges.map((e) => ({ from: e.from, to: e.to, label: e.label }));
    if (trace.steps.length > 1) {
      const back = trace.steps.at(-2)!;
      nodes.push({ id: -1, depth: -1, path: here.split('/').slice(0, -1).join('/'), changes: diffStates(cur, back.state), violated: broken(spec, back.state) });
      edges.push({ from: -1, to: 0, label: trace.steps.at(-1)!.label });
    }
    return { nodes, edges, complete: space.complete };
  }

  /** Starts the exhaustive check of a scope in the background; a finished one is kept (unless it was stopped). */
  startCheck(scope: Scope): CheckJob {
    const spec = this.specFor(scope);
    const key = checkKey(spec);
    const known = this.checks.get(key);
    if (known && (known.status === 'running' || (known.status === 'done' && known.result?.verdict !== 'incomplete'))) return known;
    const job: CheckJob = { status: 'running', progress: null, result: null, error: null };
    const interrupt: Interrupt = { stop: false };
    this.checks.set(key, job);
    this.interrupts.set(key, interrupt);
    // Spec code runs on the engine's expander threads (for a spec from a file), so the server
    // keeps answering meanwhile, and Stop ends even a guard that never returns.
    const { symmetry, threads, maxMemoryBytes } = this.options;
    check(spec, { symmetry, threads, maxMemoryBytes, interrupt, progressIntervalMs: 250, onProgress: (p) => { job.progress = p; } })
      .then((r) => {
        job.status = 'done';
        job.result = {
          verdict: r.verdict,
          distinctStates: r.distinctStates,
          totalStates: r.totalStates,
          stateDepth: r.stateDepth,
          durationMs: Math.round(r.durationMs),
          symmetry: r.symmetry,
          stopReason: r.stopReason,
          violations: r.violations.map((v) => ({ property: v.property, kind: v.kind, path: v.trace?.path ?? null, loop: v.trace?.loop ?? null })),
          liveness: r.liveness?.properties ?? [],
          // The graph liveness was checked on: of orbits (symmetry-reduced), or a second pass over every state.
          livenessGraph: r.liveness && { states: r.liveness.states, edges: r.liveness.edges, separatePass: r.liveness.separatePass, reduced: r.liveness.reduced },
          witnesses: r.witnesses.map((w) => ({ property: w.property, path: w.trace?.path ?? null })),
          error: r.error ? { code: r.error.code, message: r.error.message, path: r.error.trace?.path ?? null } : null,
        };
      })
      .catch((e: unknown) => {
        job.status = 'error';
        job.error = e instanceof Error ? e.message : String(e);
      });
    return job;
  }

  /** The check of exactly this scope (an unknown variant is an error, not "no check yet"). */
  checkStatus(scope: Scope): CheckJob | null {
    return this.checks.get(checkKey(this.specFor(scope))) ?? null;
  }

  /** Stops a scope's running check within about a second (its verdict: incomplete). */
  stopCheck(scope: Scope): CheckJob | null {
    const key = checkKey(this.specFor(scope));
    const interrupt = this.interrupts.get(key);
    if (interrupt) interrupt.stop = true;
    return this.checks.get(key) ?? null;
  }

  /** Stops every running check. */
  close(): void {
    for (const interrupt of this.interrupts.values()) interrupt.stop = true;
  }

  /**
   * Liveness properties are about whole behaviours: violated on a lasso that breaks them (and is
   * fair); otherwise what the variant's finished Check said, or 'checked by Check'.
   */
  private livenessStatus(spec: CompiledSpec, lasso: Lasso | null): Array<Record<string, unknown>> {
    const job = this.checks.get(checkKey(spec));
    const checked = job?.status === 'done' ? (job.result!.liveness as Array<{ property: string; holds: boolean | null }>) : [];
    const fairness = fairnessOf(spec);
    return spec.liveness.map((l) => {
      const brokenHere = lasso !== null && lasso.violates.includes(l.name);
      const holds = checked.find((c) => c.property === l.name)?.holds ?? null;
      const status = brokenHere && lasso.unfair === null ? 'violated' : holds === true ? 'holds' : holds === false ? 'violated' : 'checked by Check';
      const detail = brokenHere && lasso.unfair === null ? 'on this lasso'
        : brokenHere ? `this lasso breaks it but is not fair (${lasso.unfair})`
          : holds === true ? 'in every fair behaviour' : holds === false ? 'Check found a lasso' : null;
      return { name: l.name, doc: l.doc, kind: l.form, fairness, status, detail };
    });
  }

  private describe(spec: CompiledSpec): Record<string, unknown> {
    return {
      name: spec.name,
      description: this.spec.description ?? null,
      variant: spec.variant,
      params: spec.params,
      // The variant's own defaults: the page carries only the params that differ from them to another variant.
      defaults: this.compile(spec.variant, {}).params,
      variants: Object.entries(this.spec.variants ?? {}).map(([name, v]) => ({ name, description: v.description })),
      initialStates: guardSpecCode(() => spec.initStates().length),
    };
  }
}

/** Checks are kept per variant and resolved params, so a result never shows under another scope. */
function checkKey(spec: CompiledSpec): string {
  return JSON.stringify([spec.variant, spec.params]);
}

/** The trace a replay path names; a bad path or a successor number out of range is SYN104. */
export function traceAt(spec: CompiledSpec, pathText: string | null): Trace {
  const path = pathText === null || pathText === '' ? [0] : parsePath(pathText);
  try {
    return guardSpecCode(() => replay(spec, path));
  } catch (e) {
    // replay() calls a successor number out of range non-determinism; here it is a bad request.
    if (e instanceof SpecError && e.code === codes.nondeterminism) throw new SpecError(codes.badOption, e.message.replace('replay failed', 'no such successor'), 'pick one of the enabled actions');
    throw e;
  }
}

/** A loop index from the URL; anything but a number is SYN104 (a number out of range is too, in lassoOf). */
function parseLoop(text: string): number {
  if (!/^\d+$/.test(text)) throw new SpecError(codes.badOption, `bad loop '${text}'`, 'loop is the index of a state of the trace (0 for the first)');
  return Number(text);
}

/**
 * What a step received, when its label does not say it ('ReceiveNext(a1)' takes whatever is
 * first in a1's inbox), and what it changed, when its label alone does not tell it apart from
 * another step of the trace (a lasso's cycle of identical steps): its first changes, briefly.
 */
function detailOf(steps: Trace['steps'], i: number, sequence: Sequence | null): string | null {
  if (i === 0) return null;
  const label = steps[i]!.label;
  const received = (sequence?.arrows ?? []).filter((a) => a.received === i && a.kind !== 'read' && !label.includes(a.item)).map((a) => a.item);
  const parts = received.length ? [`received ${received.join(', ')}`] : [];
  if (steps.filter((s) => s.label === label).length >= 2) {
    // The inbox change is the receipt just named: the other changes say what it did.
    const changes = diffStates(steps[i - 1]!.state, steps[i]!.state).filter((c) => !(received.length && c.startsWith(`${sequence!.field}[`)));
    parts.push(changes.length === 0 ? 'no change' : changes.slice(0, 2).join('; ') + (changes.length > 2 ? ` (+${changes.length - 2} more)` : ''));
  }
  return parts.length ? parts.join(' → ') : null;
}

/** Invariants that a state breaks. */
function broken(spec: CompiledSpec, s: unknown): string[] {
  return spec.invariants.filter((inv) => !inv.check(s)).map((inv) => inv.name);
}

/** Invariants a step breaks that held before it: a step in an already broken state is not to blame. */
function newlyBroken(spec: CompiledSpec, s: unknown, next: unknown): string[] {
  const before = broken(spec, s);
  return broken(spec, next).filter((name) => !before.includes(name));
}

/** Each property along the trace: where an invariant or step property first fails, where a sometimes is first reached. */
function propertyStatus(spec: CompiledSpec, trace: Trace): Array<Record<string, unknown>> {
  const states = trace.steps.map((s) => s.state);
  const last = states.length - 1;
  const firstIndex = (ok: (i: number) => boolean, from = 0): number | null => {
    for (let i = from; i <= last; i++) if (ok(i)) return i;
    return null;
  };
  return [
    ...spec.invariants.map((p) => {
      const at = firstIndex((i) => !p.check(states[i]));
      const holds = p.check(states[last]);
      // On a violating state: what the property read, and the least of the state that breaks it.
      const why = holds ? null : whyBroken(spec.stateType, p.check, states[last], states[0]);
      return { name: p.name, doc: p.doc, kind: 'always', status: holds ? 'holds' : 'violated', firstViolated: at, why };
    }),
    ...spec.steps.map((p) => {
      const at = firstIndex((i) => !p.check(states[i - 1], states[i]), 1);
      return { name: p.name, doc: p.doc, kind: 'always.step', status: at === null ? 'holds' : 'violated', firstViolated: at };
    }),
    ...spec.witnesses.map((p) => {
      const at = firstIndex((i) => p.check(states[i]));
      return { name: p.name, doc: p.doc, kind: 'sometimes', status: at === null ? 'not reached' : 'reached', firstReached: at };
    }),
  ];
}

/** Runs spec code, turning an exception it throws into a coded error that names the action. */
function guardSpecCode<R>(f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof ActionFailure) {
      const code = e.phase === 'guard' ? codes.guardThrew : codes.effectThrew;
      const what = e.phase === 'domain' ? `the parameter domain of ${e.action.name}` : `the ${e.phase === 'guard' ? 'guard (when)' : 'effect (then)'} of ${formatAction(e.action.name, e.args)}`;
      throw new SpecError(code, `${what} threw: ${causeOf(e.error)}`);
    }
    if (e instanceof SpecError) throw e;
    throw new SpecError(codes.propertyThrew, `spec code threw: ${causeOf(e)}`);
  }
}
