// `synod explore <spec>`: the interactive state-space explorer in the browser. Starts a local
// server (127.0.0.1 only), prints its URL, and runs until Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { codes, SpecError } from '../spec/errors.js';
import { compileSpec } from '../spec/compile.js';
import { Explorer } from '../explore/session.js';
import { startServer } from '../explore/server.js';
import { pathOfTrace, readTraceFile, type SavedTrace } from '../explore/trace-file.js';
import { loadSpecWithSource } from './load.js';
import { checkThreads } from './check.js';
import { memoryBudget } from './memory.js';
import { badValue, compileOptions, UsageError, type SpecArgs } from './options.js';

/** The default port, so that a shared link works for anyone running the same command. */
export const DEFAULT_PORT = 7070;

interface ExploreArgs extends Omit<SpecArgs, 'spec'> {
  spec?: string;
  port?: number;
  open?: boolean;
  trace?: string;
  symmetry: boolean;
}

function builder(y: Argv) {
  return y
    .positional('spec', { type: 'string', describe: 'spec module (.ts or .js); optional with --trace when the trace names its spec' })
    .option('param', { alias: 'p', type: 'string', array: true, describe: 'set a spec parameter: --param nodes=3 (repeatable)' })
    .option('variant', { type: 'string', describe: 'start in a named variant (the page can switch variants)' })
    .option('port', { type: 'number', describe: `port to listen on, 127.0.0.1 only (default ${DEFAULT_PORT}, or a free one if that is taken); 0 picks a free one` })
    .option('open', { type: 'boolean', describe: 'open the page in a browser (xdg-open; ignored if that fails)' })
    .requiresArg(['param', 'variant', 'port', 'trace'])
    .option('trace', { type: 'string', describe: 'open a saved counterexample (an ITF trace, e.g. results/paxos.acceptLowerBallot.itf.json)' })
    .option('symmetry', { type: 'boolean', default: true, describe: 'symmetry reduction for the page\'s Check button (--no-symmetry: off)' })
    .check((a) => {
      if (a.port !== undefined && (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535)) throw badValue(`--port must be an integer from 0 to 65535, got ${String(a.port)}`);
      if (!a.spec && !a.trace) throw new UsageError('name a spec file, or a saved trace with --trace');
      return true;
    })
    .example('$0 explore specs/paxos.ts', 'click through Paxos in the browser')
    .example('$0 explore --trace results/raft-election.votesTwice.itf.json', 'open a saved counterexample');
}

/** The spec file of a saved trace: as given, as recorded, or specs/<name>.ts here or beside the trace's folder. */
function specFileOf(saved: SavedTrace, given: string | undefined): string {
  if (given) return given;
  const candidates = [saved.source, saved.spec && join('specs', `${saved.spec}.ts`), saved.spec && join(dirname(saved.file), '..', 'specs', `${saved.spec}.ts`)];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new SpecError(codes.specNotFound, `${saved.file} does not say where its spec file is${saved.spec ? ` (spec '${saved.spec}')` : ''}`, 'name the spec: synod explore <spec.ts> --trace <file>');
  return found;
}

async function run(args: ArgumentsCamelCase<ExploreArgs>): Promise<number> {
  const saved = args.trace ? readTraceFile(args.trace) : null;
  const specFile = saved ? specFileOf(saved, args.spec) : args.spec!;
  const cli = compileOptions({ ...args, spec: specFile });
  const variant = cli.variant ?? saved?.variant ?? null;
  const { spec: loaded, code } = await loadSpecWithSource(specFile);
  if (saved?.spec && saved.spec !== loaded.name) {
    throw new SpecError(codes.badOption, `${saved.file} is a trace of spec '${saved.spec}', not of '${loaded.name}' (${specFile})`, `open it with its own spec: synod explore --trace ${saved.file}`);
  }
  // A saved trace brings its variant and params; only the params it sets away from the
  // variant's defaults become overrides (so the page's other variants keep their own), and
  // the command line overrides those.
  const defaults = compileSpec(loaded, { variant }).params;
  const fromTrace = Object.entries(saved?.params ?? {}).filter(([k, v]) => defaults[k] !== v);
  const params = { ...Object.fromEntries(fromTrace), ...cli.params };
  const explorer = new Explorer(loaded, { params, symmetry: args.symmetry, source: { file: specFile, code }, threads: checkThreads(undefined), maxMemoryBytes: memoryBudget(undefined) });
  const spec = explorer.specFor(variant); // reports a bad param or variant now, not in the page
  const start = saved ? { variant, path: pathOfTrace(spec, saved), loop: saved.loop } : variant ? { variant, path: '0' } : null;
  const listen = (port: number) => startServer(explorer, { port, start });
  let running;
  try {
    running = await listen(args.port ?? DEFAULT_PORT);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES') throw e;
    if (args.port !== undefined) throw new SpecError(codes.badOption, `cannot listen on port ${args.port}: ${err.code}`, 'pick another --port, or --port 0 for a free one');
    running = await listen(0); // the default port is taken (another explorer?): any free one
  }
  process.stdout.write(`synod explore ${spec.name}${variant ? ` --variant ${variant}` : ''}: ${running.url}\n`);
  if (saved) process.stdout.write(`opened ${saved.file}${saved.property ? ` (${saved.property} violated)` : ''} at replay path ${start!.path}\n`);
  process.stdout.write('press Ctrl-C to stop\n');
  if (args.open) {
    const child = spawn('xdg-open', [running.url], { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no xdg-open: the URL is printed above
    child.unref();
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  return 0;
}

export const exploreCommand = (setExit: (code: number) => void): CommandModule<object, ExploreArgs> => ({
  command: 'explore [spec]',
  describe: 'click through a spec\'s states in the browser: enabled actions, traces, property status, message diagrams',
  builder: builder as unknown as CommandModule<object, ExploreArgs>['builder'],
  handler: async (args) => setExit(await run(args)),
});
