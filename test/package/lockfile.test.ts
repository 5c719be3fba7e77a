// `npm ci` must accept the lockfile on every platform, not only on the one that wrote it: a
// lockfile written without the optional platform packages of rollup or esbuild is refused.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'synod-lock-'));
for (const f of ['package.json', 'package-lock.json']) copyFileSync(f, join(dir, f));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package-lock.json', () => {
  for (const [os, cpu] of [['linux', 'x64'], ['linux', 'arm64'], ['darwin', 'arm64'], ['win32', 'x64']]) {
    it(`satisfies npm ci on ${os}-${cpu}`, () => {
      const out = execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', `--os=${os}`, `--cpu=${cpu}`], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toMatch(/added \d+ packages/);
    });
  }
});
