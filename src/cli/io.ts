// Small output helpers for the commands: atomic file writes and error printing.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpecError } from '../spec/errors.js';

/**
 * Writes a file via a temporary name, fsync and a rename, so readers never see half a file and
 * a crash leaves either the old file or the new one.
 */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dir = openSync(dirname(path), 'r'); // makes the rename durable (best effort)
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* a folder cannot be opened everywhere (Windows) */ }
}

export function printSpecError(e: SpecError): void {
  process.stderr.write(`error[${e.code}]: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
}
