// Rebuilds traces: start from an initial state and re-run the recorded successor ordinals, so
// every printed trace is a real execution of the spec's own actions.
import { codecOf, IDENTITY, Reader, Writer } from '../state/codec.js';
import { codes, SpecError } from '../spec/errors.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import { formatAction } from '../report/format.js';
import { expand } from './successors.js';
import type { Failure, Trace, TraceStep } from '../report/model.js';
import { describeFailure, type FailureContext } from './failures.js';

/** A state as the explorer sees it: decoded from its canonical bytes (canonical Set/Map order). */
export function canonicalize(spec: CompiledSpec, s: unknown): unknown {
  const codec = codecOf(spec.stateType);
  const w = new Writer();
  codec.encode(w, s, IDENTITY);
  return codec.decode(new Reader(w.take()));
}

export function parsePath(text: string): number[] {
  const parts = text.trim().split('/');
  if (parts.some((p) => !/^\d+$/.test(p))) {
    throw new SpecError(codes.badOption, `bad replay path '${text}'`, 'a replay path is numbers separated by slashes, like 0/2/1');
  }
  return parts.map(Number);
}

/** Spec code threw during a replay: the coded failure, and the trace up to the state where it threw. */
export class ReplayError extends SpecError {
  constructor(
    readonly failure: Failure,
    readonly trace: Trace,
  ) {
    super(failure.code, failure.message, failure.hint);
  }
}

/**
 * Runs spec code for a replay; what it throws becomes a ReplayError (SYN3xx) naming the action
 * or property, with the trace so far. An exception outside spec code is rethrown: a bug.
 */
export function whileReplaying<R>(steps: TraceStep[], path: readonly number[], ctx: Omit<FailureContext, 'parentPath'>, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError) throw e;
    const at = path.slice(0, steps.length);
    throw new ReplayError(describeFailure(e, { ...ctx, parentPath: at }), { path: at.join('/'), steps });
  }
}

export function replay(spec: CompiledSpec, path: readonly number[]): Trace {
  const steps: TraceStep[] = [];
  const none = { spec, property: '', action: null, args: [], state: undefined };
  const inits = whileReplaying(steps, path, { ...none, phase: 'init' }, () => spec.initStates());
  const start = path[0] ?? 0;
  if (start >= inits.length) {
    throw new SpecError(codes.badOption, `replay path starts at initial state ${start}, but there are ${inits.length}`);
  }
  let s = whileReplaying(steps, path, { ...none, phase: 'encode', state: inits[start] }, () => canonicalize(spec, inits[start]));
  steps.push({ action: null, args: [], label: 'Initial predicate', state: s });
  for (let i = 1; i < path.length; i++) {
    const want = path[i]!;
    let n = 0;
    let found: TraceStep | null = null;
    let action: CompiledAction | null = null;
    whileReplaying(steps, path, { ...none, phase: 'encode' }, () => expand(spec, s, (next, a, args) => {
      if (n++ === want) {
        found = { action: a.name, args, label: formatAction(a.name, args), state: next };
        action = a;
      }
    }));
    if (found === null) {
      throw new SpecError(codes.nondeterminism,
        `replay failed at step ${i}: the state has ${n} successors, the path asks for successor ${want}`,
        'either the replay path is wrong, or an action is not a pure function of the state');
    }
    const step = found as TraceStep;
    s = whileReplaying(steps, path, { ...none, phase: 'encode', action, args: step.args, state: step.state }, () => canonicalize(spec, step.state));
    steps.push({ ...step, state: s });
  }
  return { path: path.join('/'), steps };
}
