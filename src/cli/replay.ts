// `synod replay <spec> --path 0/2/1 [--loop k]`: re-runs a recorded trace step by step and shows
// it, judging it as `check` would: every invariant and step property along the way, a deadlock
// at its last state, and with --loop the lasso's liveness properties and fairness.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import { parsePath, replay, ReplayError, whileReplaying } from '../check/replay.js';
import { expand } from '../check/successors.js';
import { exitCodes } from '../check/check.js';
import { lassoOf } from '../explore/lasso.js';
import { formatFailure, formatTrace } from '../report/text.js';
import type { Trace } from '../report/model.js';
import { loadSpec } from './load.js';
import { compileOptions, runArgs, specOptions, type SpecArgs } from './options.js';

interface ReplayArgs extends SpecArgs {
  path: string;
  loop?: number;
  deadlock: boolean;
}

/** The properties broken along the trace; a property that throws is a ReplayError (SYN306). */
function brokenAlong(spec: CompiledSpec, trace: Trace): string[] {
  const broken: string[] = [];
  const path = trace.path.split('/').map(Number);
  trace.steps.forEach((step, i) => {
    const upTo = trace.steps.slice(0, i + 1);
    const action = spec.actions.find((a) => a.name === step.action) ?? null; // the step into this state
    const holds = (phase: 'invariant' | 'step', property: string, check: () => boolean): boolean =>
      whileReplaying(upTo, path, { spec, phase, property, action, args: step.args, state: step.state }, check);
    for (const inv of spec.invariants) if (!holds('invariant', inv.name, () => inv.check(step.state))) broken.push(`invariant ${inv.name} is violated in state ${i + 1}`);
    if (i === 0) return;
    for (const sp of spec.steps) if (!holds('step', sp.name, () => sp.check(trace.steps[i - 1]!.state, step.state))) broken.push(`step property ${sp.name} is violated by step ${i + 1}`);
  });
  return broken;
}

/** A deadlock at the trace's last state, as `check` finds it: no successor, and not terminal. */
function deadlockAt(spec: CompiledSpec, trace: Trace): string | null {
  const steps = trace.steps;
  const last = steps.at(-1)!;
  const path = trace.path.split('/').map(Number);
  const none = { spec, property: '', action: null, args: [], state: last.state };
  let successors = 0;
  whileReplaying(steps, path, { ...none, phase: 'invariant' }, () => expand(spec, last.state, () => { successors++; }));
  if (successors > 0) return null;
  const terminal = spec.terminal;
  if (terminal !== null && whileReplaying(steps, path, { ...none, phase: 'terminal' }, () => terminal(last.state))) return null;
  return `deadlock: no action is enabled in state ${steps.length}, and the spec does not call it terminal (--no-deadlock allows it)`;
}

/** With --loop: what the infinite behaviour breaks, or why it does not count. */
function judgeLasso(spec: CompiledSpec, trace: Trace, loop: number): { lines: string[]; broken: boolean } {
  const lasso = lassoOf(spec, trace, loop);
  if (lasso.unfair !== null) return { lines: [`this lasso is not a fair behaviour (${lasso.unfair}), so it violates no liveness property`], broken: false };
  if (lasso.violates.length === 0) {
    return { lines: [spec.liveness.length ? 'every liveness property holds on this fair behaviour' : 'the spec states no liveness property'], broken: false };
  }
  return { lines: lasso.violates.map((p) => `liveness property ${p} is violated by this fair behaviour`), broken: true };
}

async function run(args: ArgumentsCamelCase<ReplayArgs>): Promise<number> {
  const spec = compileSpec(await loadSpec(args.spec), compileOptions(args));
  const path = parsePath(args.path);
  try {
    const replayed = replay(spec, path);
    const trace: Trace = args.loop === undefined ? replayed : { ...replayed, loop: args.loop };
    const lasso = args.loop === undefined ? null : judgeLasso(spec, trace, args.loop); // a bad --loop is SYN104 before any output
    const out = formatTrace(trace);
    const broken = brokenAlong(spec, trace);
    // A lasso goes on for ever: its last state is not where the behaviour ends.
    const deadlock = lasso === null && args.deadlock ? deadlockAt(spec, trace) : null;
    if (deadlock) broken.push(deadlock);
    const verdicts = [...broken, ...(lasso?.lines ?? [])];
    if (broken.length === 0) verdicts.unshift(`every invariant and step property holds along these ${trace.steps.length} states`);
    out.push('', ...verdicts);
    process.stdout.write(`${out.join('\n')}\n`);
    return broken.length > 0 || lasso?.broken ? exitCodes.violation : exitCodes.ok;
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e;
    // As `check` reports spec code that throws: what, the action or property, the trace to that state.
    const step = `  while replaying --path ${path.join('/')} (state ${e.trace.steps.length} of ${path.length})`;
    const [what, where, ...rest] = formatFailure({ ...e.failure, trace: e.trace }, { specFile: args.spec, runArgs: runArgs(args) });
    process.stdout.write(`${[what, where, step, ...rest].join('\n')}\n`);
    return exitCodes.error;
  }
}

export const replayCommand = (setExit: (code: number) => void): CommandModule<object, ReplayArgs> => ({
  command: 'replay <spec>',
  describe: 'replay a trace by its path (printed by check) and judge it as check does',
  builder: ((y: Argv) => specOptions(y)
    .option('path', { type: 'string', demandOption: true, describe: 'replay path: initial state, then successor numbers, e.g. 0/2/1' })
    .option('loop', { type: 'number', describe: 'a lasso (as check prints it): the index of the state its cycle goes back to (the last index: it stutters there for ever)' })
    .option('deadlock', { type: 'boolean', default: true, describe: 'report a last state with no enabled action (--no-deadlock: allow it)' })
    .requiresArg(['path', 'loop'])) as never,
  handler: async (args) => setExit(await run(args)),
});
