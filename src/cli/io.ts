// Small output helpers for the commands: atomic file writes, output paths that cannot be
// written (SYN107 instead of a stack trace), and error printing.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { codes, SpecError } from '../spec/errors.js';

const isFsError = (e: unknown): e is NodeJS.ErrnoException => e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall !== undefined;

/** The nearest existing folder above `path`, or a file that stands where a folder should be. */
function blocker(path: string): string {
  let p = dirname(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** Why `path` could not be written, and what to do, from the file system's error. */
function whyUnwritable(e: NodeJS.ErrnoException, path: string): [why: string, hint: string] {
  const elsewhere = 'give a path in a folder that exists and that you can write to';
  switch (e.code) {
    case 'ENOENT': return [`the folder ${dirname(path)} does not exist`, `create it first (mkdir -p ${dirname(path)}), or ${elsewhere}`];
    case 'EISDIR': return ['it is a folder', `give a file name, like ${join(path, 'out')}`];
    case 'EEXIST':
    case 'ENOTDIR': return [`${blocker(path)} is a file, not a folder`, elsewhere];
    case 'EACCES':
    case 'EPERM': return ['permission denied', elsewhere];
    case 'EROFS': return ['the file system is read-only', elsewhere];
    case 'ENOSPC': return ['no space left on the device', 'free some space, or write elsewhere'];
    default: return [e.message, elsewhere];
  }
}

/** A coded error for an output path (`what` names the flag, like `--trace-out`) the file system refused. */
export function cannotWrite(what: string, path: string, e: unknown): SpecError {
  if (!isFsError(e)) throw e; // not the file system: a bug, keep its stack
  const [why, hint] = whyUnwritable(e, path);
  return new SpecError(codes.cannotWrite, `cannot write ${what} ${path}: ${why}`, hint);
}

/** Writes a text file atomically (results, --trace-out, --dot); a path the system refuses is SYN107. */
export function writeAtomic(path: string, text: string, what = 'the file'): void {
  try {
    writeFileAtomic(path, (fd) => writeFileSync(fd, text));
  } catch (e) {
    throw cannotWrite(what, path, e);
  }
}

/** Makes sure `dir` is a folder synod can write into (creating it), before a long run relies on it. */
export function writableFolder(what: string, dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new SpecError(codes.cannotWrite, `cannot use ${what} ${dir}: it is a file, not a folder`, 'give the path of a folder (it is created if missing)');
  }
  const probe = join(dir, `.synod-probe.${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw cannotWrite(what, dir, e);
  }
}

/**
 * Writes an output of a run that has a verdict of its own: a path that cannot be written is
 * reported (SYN107) and false returned, so the verdict still decides the exit code.
 */
export function reportWriteFailure(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (e) {
    if (!(e instanceof SpecError && e.code === codes.cannotWrite)) throw e;
    printSpecError(e);
    return false;
  }
}

export function printSpecError(e: SpecError): void {
  process.stderr.write(`error[${e.code}]: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
}
