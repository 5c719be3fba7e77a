// Writing a file so that a crash or a kill leaves either the old file or the new one, never
// half of one: a temporary name, fsync, a rename, then fsync of the folder.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `path` through `write(fd)` on a temporary file that replaces it once complete. */
export function writeFileAtomic(path: string, write: (fd: number) => void): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    write(fd);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true }); // e.g. `path` is a folder: leave nothing behind
    throw e;
  }
  try {
    const dir = openSync(dirname(path), 'r'); // makes the rename durable (best effort)
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* a folder cannot be opened everywhere (Windows) */ }
}
