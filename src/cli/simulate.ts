// `synod simulate <spec>`: seeded random walks, on threads here or on a cluster's workers
// (--cluster); a violation is shrunk before it is shown.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { replay } from '../check/replay.js';
import { formatTrace } from '../report/text.js';
import { toPlainJSON } from '../report/values.js';
import { loadSpecWithSource } from './load.js';
import { badValue, compileOptions, integer, positive, runArgs, specOptions, workerCount, type SpecArgs } from './options.js';
import { interruptOnSignals } from './signals.js';
import { swarm } from './swarm.js';
import { shrinkOnThread } from './shrink-thread.js';
import { walkClusterOptions, walkCluster, type WalkArgs } from './cluster.js';

interface SimulateArgs extends SpecArgs, WalkArgs {
  seed?: number;
  runs?: number;
  depth: number;
  timeLimit?: number;
  deadlock: boolean;
  json?: boolean;
  workers: number;
  weight?: string[];
}

function builder(y: Argv) {
  return walkClusterOptions(specOptions(y))
    .option('seed', { type: 'number', describe: 'seed of the random walks (printed; the same seed repeats the same walks)' })
    .option('runs', { type: 'number', describe: 'number of walks (default 1000, or unlimited with --time-limit)' })
    .option('depth', { type: 'number', default: 100, describe: 'steps per walk at most' })
    .option('time-limit', { type: 'number', describe: 'stop after this many seconds' })
    .option('deadlock', { type: 'boolean', default: true, describe: 'report walks that reach a state with no enabled action (--no-deadlock: allow)' })
    .option('json', { type: 'boolean', describe: 'print one JSON summary' })
    .option('workers', { type: 'number', default: 1, describe: 'walkers in parallel threads, each with its own seed derived from --seed (walker 0 uses --seed itself); the runs are shared out, the result depends only on --seed' })
    .option('weight', { type: 'string', array: true, describe: 'pick an action more or less often: --weight Action=3 (repeatable; default 1 each, 0 never); picks stay uniform over the instances of equal weight' })
    .requiresArg(['seed', 'runs', 'depth', 'time-limit', 'workers', 'weight'])
    .check((a) => positive('runs', a.runs) && positive('depth', a.depth) && positive('time-limit', a.timeLimit) && workerCount(a.workers) && integer('seed', a.seed)
      && positive('walks-per-seed', a.walksPerSeed) && integer('walks-per-seed', a.walksPerSeed) && clusterWalkers(a))
    .example('$0 simulate specs/two-phase-commit.ts --variant commitEarly --seed 1', 'find the bug by random walks and shrink its trace')
    .example('$0 simulate specs/raft-election.ts --param nodes=5 --workers 4 --time-limit 60', 'four walkers for a minute')
    .example('$0 simulate specs/raft-election.ts --weight Timeout=0.2', 'time out less often than other actions fire')
    .example('$0 simulate specs/raft-election.ts --param nodes=5 --cluster redis://10.0.0.5:6379 --time-limit 600', 'walk on the workers started by `synod worker --cluster redis://10.0.0.5:6379`');
}

/** Ascending numbers as spans: 0-3, 7, 9-10. */
function spans(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    const from = ns[i]!;
    while (i + 1 < ns.length && ns[i + 1] === ns[i]! + 1) i++;
    out.push(ns[i] === from ? String(from) : `${from}-${ns[i]}`);
  }
  return out.join(', ');
}

/** --workers starts walker threads here; with --cluster the cluster's workers walk instead. */
function clusterWalkers(a: { cluster?: string; workers: number }): true {
  if (a.cluster !== undefined && a.workers !== 1) throw badValue('--workers starts walker threads on this machine; with --cluster the cluster\'s workers walk: start more `synod worker --cluster URL` instead');
  return true;
}

/** --weight Action=N, checked against the spec's actions. */
function parseWeights(spec: CompiledSpec, words: string[] | undefined): Record<string, number> | undefined {
  if (!words?.length) return undefined;
  const weights: Record<string, number> = {};
  const names = spec.actions.map((a) => a.name);
  for (const w of words) {
    const m = /^([^=\s]+)=(\d+(?:\.\d+)?)$/.exec(w);
    if (!m) throw new SpecError(codes.badOption, `--weight expects Action=number, got '${w}'`, 'for example: --weight Timeout=0.5');
    if (!names.includes(m[1]!)) throw new SpecError(codes.badOption, `--weight: spec '${spec.name}' has no action '${m[1]}'`, `actions: ${names.join(', ')}`);
    weights[m[1]!] = Number(m[2]);
  }
  return weights;
}

async function run(args: ArgumentsCamelCase<SimulateArgs>): Promise<number> {
  const compile = compileOptions(args);
  const loaded = await loadSpecWithSource(args.spec);
  const spec = compileSpec(loaded.spec, { ...compile, source: { file: args.spec, code: loaded.code } });
  const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
  const workers = Math.floor(args.workers);
  const options = {
    seed, runs: args.runs, depth: args.depth, deadlock: args.deadlock, weights: parseWeights(spec, args.weight),
    timeLimitMs: args.timeLimit === undefined ? undefined : args.timeLimit * 1000,
  };
  const signals = interruptOnSignals();
  const deadline = performance.now() + (options.timeLimitMs ?? Infinity);
  // Walkers and shrinking run on threads (or the walks on the cluster's workers): spec code
  // that never returns cannot hold the command.
  const source = { file: args.spec, code: loaded.code };
  const { sim, shrinking } = await (async () => {
    const sim = args.cluster !== undefined
      ? await walkCluster(args, spec, loaded.sourceHash, options, signals.flag)
      : await swarm(source, compile, options, workers, signals.flag);
    const f = sim.violation;
    const shrinking = f && await shrinkOnThread({ ...source, compile, finding: f, deadlock: args.deadlock }, { deadline, interrupt: signals.flag }, new URL('./simulate-worker.js', import.meta.url));
    return { sim, shrinking };
  })().finally(signals.dispose);
  const walkers = 'workers' in sim ? sim.workers.length : workers;
  const found = sim.violation;
  const cut = typeof shrinking === 'string' ? shrinking : null;
  const shrunk = shrinking && typeof shrinking !== 'string' ? shrinking : null;
  // The walk itself when shrinking was cut: its code returned once, on the walker.
  const trace = found ? replay(spec, shrunk?.path ?? found.path) : null;
  const rate = Math.round(sim.steps / Math.max(sim.durationMs / 1000, 1e-3));
  if (args.json) {
    const steps = (t: typeof trace) => t && t.steps.map((s) => ({ action: s.action, args: s.args.map(toPlainJSON), state: toPlainJSON(s.state) }));
    process.stdout.write(`${JSON.stringify({
      spec: spec.name, params: spec.params, variant: spec.variant,
      verdict: found ? 'violation' : 'incomplete',
      seed, workers: walkers, runs: sim.runs, steps: sim.steps, stepsPerSecond: rate, distinctStates: sim.distinct,
      durationMs: Math.round(sim.durationMs), stopReason: sim.stopReason, stuckWalkers: sim.stuck,
      violations: found && trace ? [{ property: found.property, kind: found.kind, originalLength: found.path.length, shrunkLength: trace.steps.length, shrunkBy: shrunk?.by ?? null, shrinkingCut: cut, replayPath: trace.path, trace: steps(trace) }] : [],
      witnesses: sim.witnesses.map((w) => ({ property: w.property, reached: w.path !== null, replayPath: w.path?.join('/') ?? null })),
    }, null, 2)}\n`);
  } else {
    const where = args.cluster !== undefined ? `, batches of ${args.walksPerSeed} walks on ${walkers} cluster worker${walkers === 1 ? '' : 's'}` : workers > 1 ? `, ${workers} walkers` : '';
    const out = [`synod simulate ${spec.name}${spec.variant ? ` --variant ${spec.variant}` : ''}  (seed ${seed}${where})`];
    out.push(found
      ? `Result: VIOLATION - ${found.kind === 'deadlock' ? 'deadlock reached' : `${found.kind === 'step' ? 'step property' : 'invariant'} ${found.property} is violated`}.`
      : `Result: no violation found in ${sim.runs.toLocaleString('en-US')} random walks (not a proof: use synod check for that).`);
    out.push(`  ${sim.runs.toLocaleString('en-US')} walks, ${sim.steps.toLocaleString('en-US')} steps, ${rate.toLocaleString('en-US')} steps/s, ${sim.distinct.toLocaleString('en-US')} distinct states seen`);
    for (const w of sim.witnesses) out.push(`  sometimes ${w.property}: ${w.path ? `reached (replay path ${w.path.join('/')})` : 'not reached'}`);
    if (sim.stuck.length > 0 && args.cluster !== undefined) {
      const why = walkers === 0 ? 'no worker answered at all: start some with `synod worker --cluster URL`' : 'no worker free, or one stuck in spec code';
      out.push(`  ${sim.stuck.length} walk batch${sim.stuck.length > 1 ? 'es' : ''} (${spans(sim.stuck)}) had not answered when the walks stopped (${why}); their walks are left out`);
    }
    else if (sim.stuck.length > 0) out.push(`  walker${sim.stuck.length > 1 ? 's' : ''} ${sim.stuck.join(', ')} had not returned from spec code when the walks stopped (ended; their walks are left out): \`synod check --time-limit\` names the code and the state`);
    if (found && trace) {
      out.push('', shrunk
        ? `the walk broke it after ${found.path.length} states; shrunk to ${trace.steps.length} states by ${shrunk.by}:`
        : `the walk broke it after ${found.path.length} states; not shrunk (${cut === 'interrupted' ? 'interrupted' : 'the time limit came'} while shrinking):`);
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
