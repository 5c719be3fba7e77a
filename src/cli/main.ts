// The synod command: yargs wiring and the one place where outcomes become exit codes
// (0 ok, 1 violation, 2 bad spec or usage, 3 incomplete, 4 a bug in synod).
import yargs from 'yargs';
import { SpecError } from '../spec/errors.js';
import { checkCommand } from './check.js';
import { listCommand } from './list.js';
import { replayCommand } from './replay.js';
import { resultsCommand } from './results.js';
import { simulateCommand } from './simulate.js';
import { exploreCommand } from './explore.js';
import { initCommand } from './init.js';
import { printSpecError } from './io.js';
import { UsageError } from './options.js';
import { nearest } from '../spec/suggest.js';

export const USAGE_ERROR = 2;
/** An exception that is neither a coded error nor a usage error: synod itself is wrong. */
export const INTERNAL_BUG = 4;

const EXIT_CODES = 'Exit codes: 0 every property holds, 1 a property is violated, 2 bad spec or usage, 3 incomplete (a limit was hit), 4 a bug in synod (internal error).';

function reportBug(e: unknown): number {
  process.stderr.write(`internal error: this is a bug in synod, not in your spec or command; please report it with the command you ran and this stack:\n${(e as Error)?.stack ?? String(e)}\n`);
  return INTERNAL_BUG;
}

export async function main(argv: string[]): Promise<number> {
  process.setSourceMapsEnabled(true);
  // `synod check ... | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // A throw outside the command's own promise (a timer, a server request, a stream) is a bug too.
  const crash = (e: unknown): never => process.exit(reportBug(e));
  process.on('uncaughtException', crash).on('unhandledRejection', crash);
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const cli = yargs(argv)
    .scriptName('synod')
    .usage('synod: a model checker for distributed protocols\n\nUsage: $0 <command> <spec.ts> [options]')
    .command(checkCommand(setExit))
    .command(listCommand(setExit))
    .command(simulateCommand(setExit))
    .command(replayCommand(setExit))
    .command(resultsCommand(setExit))
    .command(exploreCommand(setExit))
    .command(initCommand(setExit))
    .demandCommand(1, 'name a command: check, simulate, list, replay, results, explore or init')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilog(EXIT_CODES)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .recommendCommands()
    .fail((msg, err, y) => {
      throw err ?? new UsageError(withSuggestions(msg, y));
    });
  try {
    await cli.parseAsync();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error[${e.code}]: ${e.message}\n  hint: synod --help, or synod <command> --help\n`);
      return USAGE_ERROR;
    }
    if (e instanceof SpecError) {
      printSpecError(e);
      return USAGE_ERROR;
    }
    return reportBug(e);
  }
  return exitCode;
}

/** yargs' "Unknown argument: workrs" gains "(did you mean --workers?)" when a flag is near. */
interface Yargs { getOptions?(): { key: Record<string, unknown> }; getInternalMethods?(): { getOptions(): { key: Record<string, unknown> } } }

function withSuggestions(msg: string, y: unknown): string {
  const m = /^Unknown arguments?: (.*)$/.exec(msg ?? '');
  if (!m || !y) return msg;
  // Long flags only, not yargs' camelCase copies of them.
  const yy = y as Yargs;
  const options = yy.getOptions?.() ?? yy.getInternalMethods?.().getOptions();
  if (!options) return msg;
  const flags = Object.keys(options.key).filter((k) => k.length > 1 && k === k.toLowerCase());
  return m[1]!.split(', ').map((word) => {
    const near = nearest(word, flags);
    return near === undefined ? `unknown argument ${word}` : `unknown argument ${word} (did you mean --${near}?)`;
  }).join('; ');
}
