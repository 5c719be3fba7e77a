// Option builders shared by the commands, and turning their values into compile options.
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { codes, SpecError } from '../spec/errors.js';
import type { CompileOptions } from '../spec/compile.js';

export interface SpecArgs {
  spec: string;
  param?: string[];
  variant?: string;
  property?: string[];
}

export function specOptions<T>(y: Argv<T>) {
  return y
    .positional('spec', { type: 'string', demandOption: true, describe: 'spec module (.ts or .js)' })
    .option('param', { alias: 'p', type: 'string', array: true, describe: 'set a spec parameter: --param rm=4 (repeatable)' })
    .option('variant', { type: 'string', describe: 'check a named variant (a bug or alternative rule) of the spec' })
    .option('property', { type: 'string', array: true, describe: 'check only this property (repeatable), as a TLC config lists its INVARIANTs; default: all of them' })
    .requiresArg(['param', 'variant', 'property']);
}

export function compileOptions(args: SpecArgs): CompileOptions {
  // No prototype: `--param __proto__=1` must reach the unknown-param check, not set a prototype.
  const params: Record<string, string> = Object.create(null);
  for (const p of args.param ?? []) {
    const m = /^([^=\s]+)=(.*)$/.exec(p);
    if (!m) throw new SpecError(codes.badOption, `--param expects name=value, got '${p}'`, 'for example: --param rm=4');
    params[m[1]!] = m[2]!;
  }
  return { params, variant: args.variant ?? null, properties: args.property?.length ? args.property : null };
}

/** The words that reproduce the spec choice on a command line (for replay hints). */
export function runArgs(args: SpecArgs): string[] {
  return [
    ...(args.param ?? []).flatMap((p) => ['--param', p]),
    ...(args.variant ? ['--variant', args.variant] : []),
    ...(args.property ?? []).flatMap((p) => ['--property', p]),
  ];
}

/**
 * A command line that yargs or an option check rejected: SYN100 for its shape (an unknown
 * command or flag, a missing argument), SYN104 for an option's value (as the README lists them).
 */
export class UsageError extends Error {
  constructor(message: string, readonly code: 'SYN100' | 'SYN104' = 'SYN100') {
    super(message);
  }
}

/** Threads a run may start (--workers): more only queue for the same cores and cost memory. */
export const MAX_WORKERS = 256;

/** A bad value given to an option. */
export function badValue(message: string): UsageError {
  return new UsageError(message, 'SYN104');
}

/** Whole number option (such as --seed), of any sign. */
export function integer(name: string, v: unknown): true {
  if (v !== undefined && !Number.isSafeInteger(v)) throw badValue(`--${name} must be a whole number, got ${String(v)}`);
  return true;
}

/** Positive number option check for yargs .check(). */
export function positive(name: string, v: unknown): true {
  if (v !== undefined && (!Number.isFinite(v) || (v as number) <= 0)) {
    throw badValue(`--${name} must be a positive number, got ${String(v)}`);
  }
  return true;
}

/** Whole number of at least 1, for counts such as --workers. */
export function wholeNumber(name: string, v: unknown): true {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) {
    throw badValue(`--${name} must be a whole number of at least 1, got ${String(v)}`);
  }
  return true;
}

/** --workers: a whole number from 1 to MAX_WORKERS. */
export function workerCount(v: unknown): true {
  wholeNumber('workers', v);
  if (v !== undefined && (v as number) > MAX_WORKERS) {
    throw badValue(`--workers ${String(v)} is more than synod starts (at most ${MAX_WORKERS} threads; this machine has ${availableParallelism()} cores)`);
  }
  return true;
}

/** A size like `8G`, `512M`, `64k` or a plain number of bytes (powers of 1024). */
export function parseSize(name: string, text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(String(text));
  if (!m) throw badValue(`--${name} expects a size like 8G, 512M or 64K, got '${text}'`);
  const bytes = Number(m[1]) * 1024 ** 'bkmgt'.indexOf((m[2] || 'b').toLowerCase());
  if (!(bytes > 0)) throw badValue(`--${name} must be more than 0 bytes`);
  return Math.floor(bytes);
}

/** A duration like `60s`, `5m`, `1h`, `250ms` or a plain number of seconds, in milliseconds. */
export function parseDuration(name: string, text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(text));
  if (!m) throw badValue(`--${name} expects a duration like 60s, 5m or 250ms, got '${text}'`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(ms > 0)) throw badValue(`--${name} must be longer than 0`);
  return ms;
}
