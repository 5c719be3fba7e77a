// `synod results`: results/ is what the engine finds now (every spec and variant, the command run
// for real, its spec modules checked side by side on threads), and a folder with a spec that
// does not compile gets that spec's coded error, as a run on one thread gives it. Its own file:
// the longest single test of the suite starts beside the others instead of after a file's worth.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultFiles } from '../../src/cli/results.js';

interface Run { code: number; stdout: string; stderr: string }

function synod(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('synod results', () => {
  it('results/ matches what the engine finds now', { timeout: 300_000 }, async () => {
    expect(existsSync('results/README.md')).toBe(true);
    const r = await synod('results', 'specs', '--out', 'results', '--check');
    expect(r.stdout).toContain('up to date');
    expect(r.code).toBe(0);
  });

  it('on threads, writes what one thread makes of each module; a module that does not compile is its coded error, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-results-'));
    for (const f of ['die-hard.ts', 'tcommit.ts', 'two-phase-commit.ts']) copyFileSync(join('specs', f), join(dir, f));
    const wrote = await synod('results', dir, '--out', join(dir, 'out'));
    expect([wrote.code, wrote.stderr]).toEqual([0, '']);
    const here = new Map<string, string>();
    for (const f of ['die-hard.ts', 'tcommit.ts', 'two-phase-commit.ts']) for (const [k, v] of (await resultFiles(join(dir, f))).files) here.set(k, v);
    const written = readdirSync(join(dir, 'out')).filter((f) => f !== 'README.md').sort();
    expect(written).toEqual([...here.keys()].sort());
    for (const f of written) expect(readFileSync(join(dir, 'out', f), 'utf8'), f).toBe(here.get(f));
    copyFileSync('test/fixtures/syntax-error.ts', join(dir, 'e-broken.ts'));
    const broken = await synod('results', dir, '--out', join(dir, 'out2'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error\[SYN202\]: .*e-broken\.ts does not compile/);
    expect(broken.stderr).not.toContain('internal error');
  });
});
