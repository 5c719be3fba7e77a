// `synod replay <spec> --path 0/2/1`: re-runs a recorded trace step by step and shows it,
// checking every invariant and step property along the way.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import { parsePath, replay, ReplayError, whileReplaying } from '../check/replay.js';
import { exitCodes } from '../check/check.js';
import { formatFailure, formatTrace } from '../report/text.js';
import type { Trace } from '../report/model.js';
import { loadSpec } from './load.js';
import { compileOptions, runArgs, specOptions, type SpecArgs } from './options.js';

interface ReplayArgs extends SpecArgs {
  path: string;
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

async function run(args: ArgumentsCamelCase<ReplayArgs>): Promise<number> {
  const spec = compileSpec(await loadSpec(args.spec), compileOptions(args));
  const path = parsePath(args.path);
  try {
    const trace = replay(spec, path);
    const out = formatTrace(trace);
    const broken = brokenAlong(spec, trace);
    out.push('', broken.length ? broken.join('\n') : `every invariant and step property holds along these ${trace.steps.length} states`);
    process.stdout.write(`${out.join('\n')}\n`);
    return broken.length ? 1 : 0;
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
  describe: 'replay a trace by its path (printed by check) and show each step',
  builder: ((y: Argv) => specOptions(y).option('path', { type: 'string', demandOption: true, describe: 'replay path: initial state, then successor numbers, e.g. 0/2/1' }).requiresArg('path')) as never,
  handler: async (args) => setExit(await run(args)),
});
