// A lasso in the explorer: a trace whose behaviour goes on for ever, back to state `loop` (or
// stuttering at the last state). It says which liveness properties that infinite behaviour
// breaks, and whether it is fair (a lasso from Check always is; one typed into a URL may not be),
// judged on the behaviour itself, as TLA+ defines WF and SF on it.
import { is } from 'immutable';
import type { CompiledLiveness, CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { formatAction } from '../report/format.js';
import type { Trace } from '../report/model.js';
import { instancesAt } from './instances.js';

export interface Lasso {
  loop: number;
  /** True: the last state equals steps[loop] and the cycle repeats; false: it stutters at the last state. */
  cycles: boolean;
  /** The first fairness condition the lasso does not honour, said in words; null: it is fair. */
  unfair: string | null;
  /** The liveness properties this behaviour violates. */
  violates: string[];
}

/** Checks that `loop` makes `trace` a lasso (SYN104 if not), and judges it. */
export function lassoOf(spec: CompiledSpec, trace: Trace, loop: number): Lasso {
  const states = trace.steps.map((s) => s.state);
  const last = states.length - 1;
  if (!Number.isInteger(loop) || loop < 0 || loop > last) {
    throw new SpecError(codes.badOption, `loop ${loop} is not a state of the trace (0 to ${last})`, 'loop is the index of the state the cycle goes back to, or the last index for stuttering for ever');
  }
  const cycles = loop < last;
  if (cycles && !is(states[last], states[loop])) {
    throw new SpecError(codes.badOption, `not a lasso: state ${last + 1} is not state ${loop + 1}, so the trace cannot go back to it`, 'a lasso\'s last state repeats the state at loop (or loop is the last index: stuttering)');
  }
  return { loop, cycles, unfair: unfairness(spec, trace, loop), violates: spec.liveness.filter((l) => violates(l, states, loop)).map((l) => l.name) };
}

/**
 * Whether the behaviour s0 .. s[loop] .. s[last], s[loop+1] .. (for ever) breaks a liveness
 * property. States from `loop` on recur for ever; with stuttering, only the last one does.
 */
function violates(l: CompiledLiveness, states: unknown[], loop: number): boolean {
  const last = states.length - 1;
  const p = states.map((s) => l.p(s));
  const range = (from: number) => Array.from({ length: last - from + 1 }, (_, k) => from + k);
  switch (l.form) {
    case 'eventually': return p.every((x) => !x);
    case 'alwaysEventually': return range(loop).every((i) => !p[i]);
    case 'eventuallyAlways': return range(loop).some((i) => !p[i]);
    case 'leadsTo': {
      // p at i and never q afterwards: from i on the behaviour visits i..last and the cycle.
      const q = states.map((s) => l.q!(s));
      return p.some((x, i) => x && range(Math.min(i, loop)).every((j) => !q[j]));
    }
  }
}

/**
 * The first fairness condition the lasso's cycle breaks. A class (a fair action, or one of its
 * instances with '-each') is taken in the cycle if a cycle step is one of its instances; it is
 * enabled at a state if one of its instances leads somewhere else (stuttering enables nothing).
 * WF is broken when the class is enabled at every cycle state and never taken; SF when it is
 * enabled at some cycle state and never taken.
 */
function unfairness(spec: CompiledSpec, trace: Trace, loop: number): string | null {
  const last = trace.steps.length - 1;
  const cycleStates = loop < last ? trace.steps.slice(loop, last) : [trace.steps[last]!];
  const strong = new Map<string, boolean>();
  const classOf = (action: string, args: readonly unknown[]): string | null => {
    const a = spec.actions.find((x) => x.name === action)!;
    if (a.fair === null) return null;
    const c = a.fair.each ? formatAction(action, args) : action;
    strong.set(c, a.fair.strong);
    return c;
  };
  const steps = trace.steps;
  const taken = new Set(steps.flatMap((s, i) => (i > loop && !is(s.state, steps[i - 1]!.state) ? [classOf(s.action!, s.args)] : [])));
  const enabledAt = cycleStates.map((step) => new Set(instancesAt(spec, step.state).flatMap((x) =>
    x.enabled && !is(x.next, step.state) ? [classOf(x.action, x.args)] : [])));
  const classes = new Set(enabledAt.flatMap((s) => [...s]));
  for (const c of classes) {
    if (c === null || taken.has(c)) continue;
    const everywhere = enabledAt.every((s) => s.has(c));
    if (strong.get(c) || everywhere) {
      const where = loop < last ? 'the cycle' : 'the state it stutters in';
      return `${strong.get(c) ? 'SF' : 'WF'}(${c}): ${c} is enabled ${everywhere ? 'throughout' : 'in'} ${where} but never taken`;
    }
  }
  return null;
}
