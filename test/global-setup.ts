// CLI tests run the built command; build it once so they never test a stale dist/.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js'], { cwd: root, stdio: 'inherit' });
}
