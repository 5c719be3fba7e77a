// The package as a user installs it: packed (dist/ is built by the global setup), installed into
// an empty project with no script of ours running, then loaded with import and with require.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'synod-pack-'));
const installed = join(dir, 'project', 'node_modules', 'synod');
let installLog = '';
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', dir], root).trim().split('\n').pop()!;
  const project = join(dir, 'project');
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  installLog = execFileSync('npm', ['install', join(dir, tarball), '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships its licence, its built code and the README images', () => {
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(existsSync(join(installed, image)), image).toBe(true);
  });

  it('runs no install script of its own for the consumer', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[hook], hook).toBeUndefined();
    expect(installLog).not.toMatch(/synod@/);
  });

  it('loads with import and with require', () => {
    const project = join(dir, 'project');
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "const s = await import('synod'); console.log(typeof s.defineSpec, typeof s.check)"], { cwd: project, encoding: 'utf8' });
    expect(esm.trim()).toBe('function function');
    const cjs = execFileSync(process.execPath, ['-e', "const s = require('synod'); console.log(typeof s.defineSpec, typeof s.check)"], { cwd: project, encoding: 'utf8' });
    expect(cjs.trim()).toBe('function function');
  });

  it('checks a bundled spec with its command', () => {
    const run = spawnSync(process.execPath, [join(installed, 'bin', 'synod.js'), 'check', join(installed, 'specs', 'die-hard.ts'), '--json'], { cwd: join(dir, 'project'), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1); // the puzzle's solution is a violation of notSolved
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'violation', distinctStates: 14, stateDepth: 7 });
  }, 60_000);
});
