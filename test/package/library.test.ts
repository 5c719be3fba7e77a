// "Using synod from code" as a user meets it: the README's example, run by node in an empty
// project where the packed package was installed (from the tarball, offline: npm's cache holds
// what this checkout's npm install fetched), and `synod init` from that installation.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'synod-library-'));
const project = join(dir, 'project');
const installed = join(project, 'node_modules', 'synod');

/** The README's code block after its `<!-- example: NAME ... -->` marker. */
export function readmeExample(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- example: ${name.replace('.', '\\.')}[^>]*-->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no example ${name}`);
  return m[1]!;
}

beforeAll(() => {
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', join(dir, tarball), '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synod from code, installed from the packed tarball', () => {
  it("runs the README's example: file and module specs, two worker threads, simulate, replay, the reports", () => {
    copyFileSync(join(root, 'specs', 'die-hard.ts'), join(project, 'die-hard.ts'));
    writeFileSync(join(project, 'check.mjs'), readmeExample('check.mjs'));
    const run = spawnSync(process.execPath, ['check.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    // The text report, as `synod check` prints it, replay command and all.
    expect(run.stdout).toContain('Result: VIOLATION - invariant notSolved is violated.');
    expect(run.stdout).toContain('replay: synod replay die-hard.ts --path 0/1/5/2/5/1/5');
    expect(lines).toContain('violation 1'); // summaryJSON's verdict; die-hard's levels are one chunk each: one thread
    expect(lines).toContain('7');
    expect(lines.at(-2)).toMatch(/^notSolved \d+$/);
    expect(lines.at(-1)).toBe('violation 0/0/0/0');
    const itf = JSON.parse(readFileSync(join(project, 'die-hard.itf.json'), 'utf8'));
    expect(itf.vars).toEqual(['small', 'big']);
    expect(itf.states).toHaveLength(7);
    expect(itf.states.at(-1).big).toEqual({ '#bigint': '4' });
  }, 120_000);

  it('stops a check on an AbortSignal, on worker threads', () => {
    writeFileSync(join(project, 'abort.mjs'), [
      "import { check, compileSpecFile } from 'synod';",
      `const spec = await compileSpecFile(${JSON.stringify(join(installed, 'specs', 'two-phase-commit.ts'))}, { params: { rm: 7 } });`,
      'const controller = new AbortController();',
      'const r = await check(spec, { workers: 2, symmetry: false, liveness: false, signal: controller.signal, progressIntervalMs: 10, onProgress: (p) => { if (p.distinct > 1000) controller.abort(); } });',
      'console.log(r.verdict, r.stopReason, r.workers, r.distinctStates < 296448);',
    ].join('\n'));
    const run = spawnSync(process.execPath, ['abort.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('incomplete interrupted 2 true');
  }, 120_000);

  it('`synod init` from the installed package type-checks its spec with no vitest around', () => {
    const specs = join(project, 'my-specs');
    const init = spawnSync(process.execPath, [join(installed, 'bin', 'synod.js'), 'init', specs], { cwd: project, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('needs vitest');
    const tsconfig = JSON.parse(readFileSync(join(specs, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.paths.synod).toEqual(['../node_modules/synod']);
    expect(tsconfig.exclude).toEqual(['**/*.test.ts']);
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', specs], { encoding: 'utf8' });
    expect(tsc.status, tsc.stdout).toBe(0);
    const check = spawnSync(process.execPath, [join(installed, 'bin', 'synod.js'), 'check', join(specs, 'lock.ts'), '--variant', 'checkThenAct'], { cwd: project, encoding: 'utf8' });
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('invariant mutualExclusion is violated; shortest trace, 5 states');
  }, 120_000);
});
