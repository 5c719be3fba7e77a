// Small output helpers for the commands: atomic file writes and error printing.
import { renameSync, writeFileSync } from 'node:fs';
import { SpecError } from '../spec/errors.js';

/** Writes a file via a temporary name and a rename, so readers never see half a file. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function printSpecError(e: SpecError): void {
  process.stderr.write(`error[${e.code}]: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
}
