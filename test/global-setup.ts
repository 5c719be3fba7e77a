// Builds the CLI once, so CLI tests never run a stale dist/, and gives the run its own temporary
// folder (TMPDIR, inherited by the test workers and every process they start), removed at the end,
// so checkpoints, traces, bundles and the unpacked browser never pile up in the system's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default async function setup(): Promise<() => void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js'], { cwd: root, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'synod-test-run-'));
  process.env.TMPDIR = dir;
  // The bundled Chromium unpacks itself into TMPDIR on first use; once here, not by browser
  // test files racing each other.
  if (!process.env.SYNOD_CHROMIUM) await (await import('@sparticuz/chromium')).default.executablePath();
  return () => rmSync(dir, { recursive: true, force: true });
}
