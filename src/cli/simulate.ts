// `synod simulate <spec>`: seeded random walks; a violation is shrunk before it is shown.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileSpec } from '../spec/compile.js';
import { simulate } from '../check/simulate.js';
import { shrink } from '../check/shrink.js';
import { replay } from '../check/replay.js';
import { formatTrace } from '../report/text.js';
import { toPlainJSON } from '../report/values.js';
import { loadSpec } from './load.js';
import { compileOptions, positive, runArgs, specOptions, type SpecArgs } from './options.js';
import { interruptOnSignals } from './signals.js';

interface SimulateArgs extends SpecArgs {
  seed?: number;
  runs?: number;
  depth: number;
  timeLimit?: number;
  deadlock: boolean;
  json?: boolean;
}

function builder(y: Argv) {
  return specOptions(y)
    .option('seed', { type: 'number', describe: 'seed of the random walks (printed; the same seed repeats the same walks)' })
    .option('runs', { type: 'number', describe: 'number of walks (default 1000, or unlimited with --time-limit)' })
    .option('depth', { type: 'number', default: 100, describe: 'steps per walk at most' })
    .option('time-limit', { type: 'number', describe: 'stop after this many seconds' })
    .option('deadlock', { type: 'boolean', default: true, describe: 'report walks that reach a state with no enabled action (--no-deadlock: allow)' })
    .option('json', { type: 'boolean', describe: 'print one JSON summary' })
    .check((a) => positive('runs', a.runs) && positive('depth', a.depth) && positive('time-limit', a.timeLimit))
    .example('$0 simulate specs/two-phase-commit.ts --variant commitEarly --seed 1', 'find the bug by random walks and shrink its trace');
}

async function run(args: ArgumentsCamelCase<SimulateArgs>): Promise<number> {
  const spec = compileSpec(await loadSpec(args.spec), compileOptions(args));
  const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
  const signals = interruptOnSignals();
  const sim = await simulate(spec, {
    seed, runs: args.runs, depth: args.depth, deadlock: args.deadlock, interrupt: signals.flag,
    timeLimitMs: args.timeLimit === undefined ? undefined : args.timeLimit * 1000,
  }).finally(signals.dispose);
  const found = sim.violation;
  const shrunk = found ? await shrink(spec, found, { deadlock: args.deadlock }) : null;
  const trace = shrunk ? replay(spec, shrunk.path) : null;
  const rate = Math.round(sim.steps / Math.max(sim.durationMs / 1000, 1e-3));
  if (args.json) {
    const steps = (t: typeof trace) => t && t.steps.map((s) => ({ action: s.action, args: s.args.map(toPlainJSON), state: toPlainJSON(s.state) }));
    process.stdout.write(`${JSON.stringify({
      spec: spec.name, params: spec.params, variant: spec.variant,
      verdict: found ? 'violation' : 'incomplete',
      seed, runs: sim.runs, steps: sim.steps, stepsPerSecond: rate, distinctStates: sim.distinct,
      durationMs: Math.round(sim.durationMs), stopReason: sim.stopReason,
      violations: found && trace ? [{ property: found.property, kind: found.kind, originalLength: found.path.length, shrunkLength: trace.steps.length, shrunkBy: shrunk!.by, replayPath: trace.path, trace: steps(trace) }] : [],
      witnesses: sim.witnesses.map((w) => ({ property: w.property, reached: w.path !== null, replayPath: w.path?.join('/') ?? null })),
    }, null, 2)}\n`);
  } else {
    const out = [`synod simulate ${spec.name}${spec.variant ? ` --variant ${spec.variant}` : ''}  (seed ${seed})`];
    out.push(found
      ? `Result: VIOLATION - ${found.kind === 'deadlock' ? 'deadlock reached' : `${found.kind === 'step' ? 'step property' : 'invariant'} ${found.property} is violated`}.`
      : `Result: no violation found in ${sim.runs.toLocaleString('en-US')} random walks (not a proof: use synod check for that).`);
    out.push(`  ${sim.runs.toLocaleString('en-US')} walks, ${sim.steps.toLocaleString('en-US')} steps, ${rate.toLocaleString('en-US')} steps/s, ${sim.distinct.toLocaleString('en-US')} distinct states seen`);
    for (const w of sim.witnesses) out.push(`  sometimes ${w.property}: ${w.path ? `reached (replay path ${w.path.join('/')})` : 'not reached'}`);
    if (found && trace && shrunk) {
      out.push('', `the walk broke it after ${found.path.length} states; shrunk to ${trace.steps.length} states by ${shrunk.by}:`);
      out.push(...formatTrace(trace).map((l) => `  ${l}`));
      out.push(`  replay: ${['synod replay', args.spec, ...runArgs(args), '--path', trace.path].join(' ')}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return found ? 1 : 3;
}

export const simulateCommand = (setExit: (code: number) => void): CommandModule<object, SimulateArgs> => ({
  command: 'simulate <spec>',
  describe: 'random walks that check the properties at every step; a violation is shrunk to a short trace',
  builder: builder as unknown as CommandModule<object, SimulateArgs>['builder'],
  handler: async (args) => setExit(await run(args)),
});
