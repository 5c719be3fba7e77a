// `synod check <spec>`: exhaustive breadth-first check with the shortest trace to a violation.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { check, exitCodes } from '../check/check.js';
import { prestartThreads } from '../check/warm-threads.js';
import type { ThreadOptions } from '../check/exploration.js';
import { progressPrinter } from './progress.js';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import { formatReport, propertyDocs } from '../report/text.js';
import { summaryJSON, traceITF } from '../report/summary.js';
import { loadSpecWithSource } from './load.js';
import { interruptOnSignals } from './signals.js';
import { reportWriteFailure, writeAtomic } from './io.js';
import { DOT_LIMIT, writeDot } from './dot.js';
import { compileOptions, positive, runArgs, specOptions, UsageError, workerCount, type SpecArgs } from './options.js';
import { availableParallelism } from 'node:os';
import { engineVersion, finishCheckpoints, planCheckpoints, type CheckpointArgs } from './resume.js';
import { memoryBudget } from './memory.js';
import type { RunIdentity } from '../store/checkpoint.js';
import { clusterOptions, coordinate, type ClusterArgs } from './cluster.js';

interface CheckArgs extends SpecArgs, CheckpointArgs, ClusterArgs {
  maxMemory?: string;
  json?: boolean;
  traceOut?: string;
  maxStates?: number;
  maxDepth?: number;
  timeLimit?: number;
  deadlock: boolean;
  continue?: boolean;
  symmetry: boolean;
  checkSymmetry: boolean;
  progress?: boolean;
  workers?: number;
  liveness: boolean;
  dot?: string;
}

function builder(y: Argv) {
  return clusterOptions(specOptions(y))
    .option('json', { type: 'boolean', describe: 'print one JSON summary on stdout instead of the report' })
    .option('trace-out', { type: 'string', describe: 'write the first violation\'s trace to this file as ITF JSON' })
    .option('max-states', { type: 'number', describe: 'stop after this many distinct states (verdict: incomplete)' })
    .option('max-depth', { type: 'number', describe: 'explore states up to this depth; those at it are not expanded (verdict: incomplete)' })
    .option('time-limit', { type: 'number', describe: 'stop after this many seconds (verdict: incomplete)' })
    .option('deadlock', { type: 'boolean', default: true, describe: 'report states with no enabled action (--no-deadlock: allow them)' })
    .option('symmetry', { type: 'boolean', default: true, describe: 'fold states that differ by a renaming of scalarset ids (--no-symmetry: off)' })
    .option('check-symmetry', { type: 'boolean', default: true, describe: 'before a reduced search, verify on its first states that the spec is symmetric in its scalarsets (successors and properties commute with renamings); --no-check-symmetry: skip it' })
    .option('liveness', { type: 'boolean', default: true, describe: 'check the spec\'s liveness properties (eventually, leadsTo, ...) under its fairness; --no-liveness: safety only' })
    .option('continue', { type: 'boolean', describe: 'keep going after a violation: report every violated property with its shortest trace' })
    .option('progress', { type: 'boolean', describe: 'show a progress line on stderr (default: when stderr is a terminal)' })
    .option('workers', { type: 'number', describe: `threads that run the spec's code (default: the number of cores, ${availableParallelism()} here); the result is the same with any number` })
    .option('dot', { type: 'string', describe: `write the state graph (concrete states, no symmetry folding) to this file as Graphviz DOT; small models only (at most ${DOT_LIMIT} states)` })
    .option('max-memory', { type: 'string', describe: 'stop cleanly (verdict: incomplete) before the fingerprint set, state graph and frontier outgrow this size: 8G, 512M (default: half the machine\'s memory)' })
    .option('checkpoint', { type: 'string', describe: 'save the search to this folder now and then, and when it is stopped, so --resume can continue it' })
    .option('checkpoint-every', { type: 'string', describe: 'how often to save a checkpoint: 60s, 5m, 1h (default 60s)' })
    .option('resume', { type: 'string', describe: 'continue the search saved in this folder (same spec, params and options); it keeps checkpointing there' })
    // A flag without its value (`--max-states --json`) would otherwise be dropped in silence.
    .requiresArg(['trace-out', 'max-states', 'max-depth', 'time-limit', 'workers', 'dot', 'max-memory', 'checkpoint', 'checkpoint-every', 'resume'])
    .check((a) => positive('max-states', a.maxStates) && positive('max-depth', a.maxDepth) && positive('time-limit', a.timeLimit) && workerCount(a.workers))
    .example('$0 check specs/two-phase-commit.ts --param rm=4', 'check TwoPhase with four resource managers')
    .example('$0 check specs/die-hard.ts --json', 'print a JSON summary with the shortest trace')
    .example('$0 check specs/paxos-commit.ts --param rm=4 --checkpoint ck', 'save progress in ck/ every minute; Ctrl-C saves and stops')
    .example('$0 check specs/paxos-commit.ts --param rm=4 --resume ck', 'continue from ck/ with identical final counts')
    .example('$0 check specs/paxos-commit.ts --param rm=4 --cluster redis://10.0.0.5:6379', 'search with the workers started by `synod worker --cluster redis://10.0.0.5:6379`');
}

/**
 * The options a resume command must repeat that the checkpoint does not record. Not
 * --max-states or --max-depth: they count from the start, so the resumed run would stop at once.
 */
function optionWords(args: CheckArgs): string[] {
  return [
    ...(args.liveness ? [] : ['--no-liveness']),
    ...(args.checkSymmetry === false ? ['--no-check-symmetry'] : []),
    ...(args.workers !== undefined ? ['--workers', String(args.workers)] : []),
    ...(args.maxMemory !== undefined ? ['--max-memory', args.maxMemory] : []),
    ...(args.timeLimit !== undefined ? ['--time-limit', String(args.timeLimit)] : []),
    ...(args.checkpointEvery !== undefined ? ['--checkpoint-every', args.checkpointEvery] : []),
    ...(args.progress !== undefined ? [args.progress ? '--progress' : '--no-progress'] : []),
    ...(args.json ? ['--json'] : []),
    ...(args.traceOut !== undefined ? ['--trace-out', args.traceOut] : []),
  ];
}

/** The expander threads: each loads the spec from the source its compiled spec carries. */
export function checkThreads(workers: number | undefined): ThreadOptions {
  return { count: workers ?? availableParallelism(), script: new URL('./check-worker.js', import.meta.url) };
}

async function run(args: ArgumentsCamelCase<CheckArgs>): Promise<number> {
  const threads = checkThreads(args.workers);
  prestartThreads(threads.script, 1); // the engine's first thread starts while the spec is bundled
  const loaded = await loadSpecWithSource(args.spec);
  const spec = compileSpec(loaded.spec, { ...compileOptions(args), source: { file: args.spec, code: loaded.code } });
  const identity: RunIdentity = {
    spec: spec.name, specFile: args.spec, variant: spec.variant, params: { ...spec.params }, properties: args.property?.length ? args.property : null, sourceHash: loaded.sourceHash,
    options: { symmetry: args.symmetry, deadlock: args.deadlock, continueAfterViolation: args.continue === true },
    engine: engineVersion(),
  };
  const checkpoints = planCheckpoints(args, identity);
  const maxMemoryBytes = memoryBudget(args.maxMemory);
  // An output that cannot be written is reported, but the run goes on and keeps its verdict.
  let outputsWritten = true;
  if (args.dot) {
    const file = args.dot;
    outputsWritten &&= reportWriteFailure(() => {
      const drawn = writeDot(spec, file);
      if (!args.json) process.stdout.write(`state graph written to ${file} (DOT, ${drawn} states)\n`);
    });
  }
  const showProgress = args.progress ?? (process.stderr.isTTY === true && !args.json);
  const printer = showProgress ? progressPrinter() : null;
  const saving = checkpoints.options.checkpoint;
  // The line says so while a checkpoint is written (a large one takes a while).
  const checkpoint = saving && printer ? { ...saving, save: (s: Parameters<typeof saving.save>[0]) => { printer.checkpointing(); saving.save(s); } } : saving;
  const signals = interruptOnSignals();
  const cluster = args.cluster === undefined ? null : await coordinate(args, spec, loaded.sourceHash, signals.flag);
  const checked = await check(spec, {
    maxStates: args.maxStates,
    maxDepth: args.maxDepth,
    timeLimitMs: args.timeLimit === undefined ? undefined : args.timeLimit * 1000,
    deadlock: args.deadlock,
    continueAfterViolation: args.continue,
    symmetry: args.symmetry,
    checkSymmetry: args.checkSymmetry,
    liveness: args.liveness,
    onProgress: printer?.show,
    interrupt: signals.flag,
    threads,
    maxMemoryBytes,
    ...checkpoints.options,
    checkpoint,
    ...(cluster ? { remote: cluster.remote } : {}),
  }).finally(async () => { signals.dispose(); await cluster?.close(); });
  // The engine counts each chunk in flight through Redis as an expander: say what ran where instead.
  const result = cluster ? { ...checked, workers: args.localExpand ? (args.workers ?? 1) : 0, workersNote: 'worker processes here, plus the cluster\'s other workers' } : checked;
  printer?.done();
  const lost = cluster?.lost();
  if (lost) process.stderr.write(`${lost}\n`);
  else if (cluster && cluster.stats.length > 0) process.stderr.write(`${cluster.summary()}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify(summaryJSON(result), null, 2)}\n`);
  else process.stdout.write(`${formatReport(result, { specFile: args.spec, runArgs: runArgs(args), docs: propertyDocs(spec) })}\n`);
  if (args.traceOut) {
    const first = result.violations.find((v) => v.trace) ?? null;
    if (first?.trace) {
      const [file, trace] = [args.traceOut, first.trace];
      outputsWritten &&= reportWriteFailure(() => {
        writeAtomic(file, `${JSON.stringify(traceITF(trace, spec.stateType, { source: args.spec, spec: spec.name, variant: spec.variant, params: spec.params, property: first.property }), null, 2)}\n`, '--trace-out');
        if (!args.json) process.stdout.write(`trace written to ${file} (ITF)\n`);
      });
    } else {
      process.stderr.write(`note: no violation trace, so ${args.traceOut} was not written\n`);
    }
  }
  finishCheckpoints(checkpoints, identity, result, optionWords(args));
  const code = exitCodes[result.verdict];
  return outputsWritten || code !== 0 ? code : exitCodes.error;
}

export const checkCommand = (setExit: (code: number) => void): CommandModule<object, CheckArgs> => ({
  command: 'check <spec>',
  describe: 'explore every reachable state breadth-first and check the spec\'s properties',
  builder: builder as unknown as CommandModule<object, CheckArgs>['builder'],
  handler: async (args) => setExit(await run(args)),
});
