// Option builders shared by the commands, and turning their values into compile options.
import type { Argv } from 'yargs';
import { codes, SpecError } from '../spec/errors.js';
import type { CompileOptions } from '../spec/compile.js';

export interface SpecArgs {
  spec: string;
  param?: string[];
  variant?: string;
}

export function specOptions<T>(y: Argv<T>) {
  return y
    .positional('spec', { type: 'string', demandOption: true, describe: 'spec module (.ts or .js)' })
    .option('param', { alias: 'p', type: 'string', array: true, describe: 'set a spec parameter: --param rm=4 (repeatable)' })
    .option('variant', { type: 'string', describe: 'check a named variant (a bug or alternative rule) of the spec' });
}

export function compileOptions(args: SpecArgs): CompileOptions {
  const params: Record<string, string> = {};
  for (const p of args.param ?? []) {
    const m = /^([^=\s]+)=(.*)$/.exec(p);
    if (!m) throw new SpecError(codes.badOption, `--param expects name=value, got '${p}'`, 'for example: --param rm=4');
    params[m[1]!] = m[2]!;
  }
  return { params, variant: args.variant ?? null };
}

/** The words that reproduce the spec choice on a command line (for replay hints). */
export function runArgs(args: SpecArgs): string[] {
  return [...(args.param ?? []).flatMap((p) => ['--param', p]), ...(args.variant ? ['--variant', args.variant] : [])];
}

/** A command line that yargs or an option check rejected. */
export class UsageError extends Error {}

/** Positive number option check for yargs .check(). */
export function positive(name: string, v: unknown): true {
  if (v !== undefined && (!Number.isFinite(v) || (v as number) <= 0)) {
    throw new UsageError(`--${name} must be a positive number, got ${String(v)}`);
  }
  return true;
}

/** Whole number of at least 1, for counts such as --workers. */
export function wholeNumber(name: string, v: unknown): true {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) {
    throw new UsageError(`--${name} must be a whole number of at least 1, got ${String(v)}`);
  }
  return true;
}
