// `synod replay <spec> --path 0/2/1`: re-runs a recorded trace step by step and shows it,
// checking every invariant and step property along the way.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileSpec } from '../spec/compile.js';
import { parsePath, replay } from '../check/replay.js';
import { formatTrace } from '../report/text.js';
import { loadSpec } from './load.js';
import { compileOptions, specOptions, type SpecArgs } from './options.js';

interface ReplayArgs extends SpecArgs {
  path: string;
}

async function run(args: ArgumentsCamelCase<ReplayArgs>): Promise<number> {
  const spec = compileSpec(await loadSpec(args.spec), compileOptions(args));
  const trace = replay(spec, parsePath(args.path));
  const out = formatTrace(trace);
  const broken: string[] = [];
  trace.steps.forEach((step, i) => {
    for (const inv of spec.invariants) if (!inv.check(step.state)) broken.push(`invariant ${inv.name} is violated in state ${i + 1}`);
    if (i === 0) return;
    for (const sp of spec.steps) if (!sp.check(trace.steps[i - 1]!.state, step.state)) broken.push(`step property ${sp.name} is violated by step ${i + 1}`);
  });
  out.push('', broken.length ? broken.join('\n') : `every invariant and step property holds along these ${trace.steps.length} states`);
  process.stdout.write(`${out.join('\n')}\n`);
  return broken.length ? 1 : 0;
}

export const replayCommand = (setExit: (code: number) => void): CommandModule<object, ReplayArgs> => ({
  command: 'replay <spec>',
  describe: 'replay a trace by its path (printed by check) and show each step',
  builder: ((y: Argv) => specOptions(y).option('path', { type: 'string', demandOption: true, describe: 'replay path: initial state, then successor numbers, e.g. 0/2/1' })) as never,
  handler: async (args) => setExit(await run(args)),
});
