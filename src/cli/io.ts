// Small output helpers for the commands: atomic file writes and error printing.
import { writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomic-file.js';
import { SpecError } from '../spec/errors.js';

/** Writes a text file atomically (results, --json files, --trace-out). */
export function writeAtomic(path: string, text: string): void {
  writeFileAtomic(path, (fd) => writeFileSync(fd, text));
}

export function printSpecError(e: SpecError): void {
  process.stderr.write(`error[${e.code}]: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
}
