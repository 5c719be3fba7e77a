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
import { workerCommand } from './cluster.js';
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
    .command(workerCommand(setExit))
    .command(initCommand(setExit))
    .demandCommand(1, 'name a command: check, simulate, list, replay, results, explore, worker or init')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilog(EXIT_CODES)
    // yargs lays out the whole help text after every command (to show it on a late failure);
    // without wrapping that costs ~0.1 s less, which a tutorial-sized check notices.
    .wrap(wantsHelp(argv) ? Math.min(100, process.stdout.columns ?? 100) : null)
    .exitProcess(false)
    .recommendCommands()
    .fail((msg, err, y) => {
      // yargs' own complaints come as a YError (a flag missing its value) or as a message alone.
      throw err && err.name !== 'YError' ? err : usageError(msg ?? err?.message ?? '', y, argv);
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

const wantsHelp = (argv: readonly string[]): boolean => argv.some((a) => a === '--help' || a === '-h' || a === 'help');

/** What yargs' usage object (the third argument of .fail) tells of the command's options. */
interface Usage { getDescriptions?(): Record<string, unknown> }

/** yargs' complaint as a coded usage error: a flag missing its value is SYN104, an unknown one gets a suggestion. */
function usageError(msg: string, y: unknown, argv: readonly string[]): UsageError {
  const missing = /^Not enough arguments following: (.*)$/.exec(msg ?? '');
  if (missing) return new UsageError(`--${missing[1]} needs a value (for example --${missing[1]} ${example(missing[1]!)})`, 'SYN104');
  const command = /^Did you mean (\S+)\?$/.exec(msg);
  if (command) return new UsageError(`unknown command '${argv[0]}' (did you mean ${command[1]}?)`);
  return new UsageError(withSuggestions(msg, y, argv));
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const example = (flag: string): string => ({ param: 'rm=4', property: 'NAME', variant: 'NAME', weight: 'Action=2', 'max-memory': '8G', 'checkpoint-every': '60s', path: '0/2/1' } as Record<string, string>)[flag] ?? (/checkpoint|resume|out/.test(flag) ? 'DIR' : /dot|trace/.test(flag) ? 'FILE' : 'N');

/** yargs' "Unknown argument: workrs" becomes "unknown argument --workrs (did you mean --workers?)" when a flag is near. */
function withSuggestions(msg: string, y: unknown, argv: readonly string[]): string {
  const m = /^Unknown arguments?: (.*)$/.exec(msg ?? '');
  const options = (y as Usage | undefined)?.getDescriptions?.();
  if (!m || !options) return msg;
  // Long flags only, not yargs' camelCase copies of them.
  const flags = Object.keys(options).filter((k) => k.length > 1 && k === k.toLowerCase());
  const words = m[1]!.split(', ');
  // yargs reports `--trace-ot` twice, also as `traceOt`: keep the form that was typed.
  const typed = words.filter((w) => !words.some((v) => v !== w && v.includes('-') && camel(v) === w));
  return typed.map((word) => {
    // yargs reports `--no-symetry` as `symetry`: suggest it back in the form it was typed.
    const no = argv.some((a) => a === `--no-${word}` || a.startsWith(`--no-${word}=`)) ? 'no-' : '';
    const dashes = word.length > 1 ? `--${no}` : '-';
    const near = nearest(word, flags);
    return near === undefined ? `unknown argument ${dashes}${word}` : `unknown argument ${dashes}${word} (did you mean --${no}${near}?)`;
  }).join('; ');
}
