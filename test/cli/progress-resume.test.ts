// The progress line fits the terminal and names its phase; a resume hint repeats every option
// the checkpoint does not record; `results --check` names a command that works where it ran.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import type { Progress } from '../../src/check/exploration.js';
import { progressLine } from '../../src/cli/progress.js';
import twoPhase from '../../specs/two-phase-commit.js';

const root = process.cwd();
const tmp = mkdtempSync(join(tmpdir(), 'synod-progress-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function synod(args: string[], cwd = root, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'synod.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

const big: Progress = { phase: { name: 'liveness graph', step: 2, of: 2, orbits: false }, distinct: 12_345_678, generated: 123_456_789, queue: 1_234_567, depth: 42, elapsedMs: 3_723_000 };

describe('the progress line', () => {
  it('names the phase and keeps whole counters within the width', () => {
    expect(progressLine(big, 200)).toBe('liveness graph (no symmetry) 3723 s: 12,345,678 distinct, 123,456,789 generated, queue 1,234,567, depth 42, 3,316 distinct/s');
    const at80 = progressLine(big, 80);
    expect(at80.length).toBeLessThanOrEqual(79);
    expect(at80).toBe('liveness graph (no symmetry) 3723 s: 12,345,678 distinct, 123,456,789 generated');
    expect(progressLine({ ...big, phase: { name: 'checkpointing', step: 1, of: 1, orbits: false } }, 42)).toBe('checkpointing 3723 s: 12,345,678 distinct');
    expect(progressLine({ ...big, phase: undefined }, 30)).toBe('safety search 3723 s');
    expect(progressLine(big, undefined)).toBe(progressLine(big, 200)); // a pipe: nothing wraps
  });

  it('check reports the search recording the reduced liveness graph, or the search then the unreduced graph pass', async () => {
    const spec = compileSpec(twoPhase, { params: { rm: 4 } });
    const seen = (phases: Set<string>) => (p: Progress) => { phases.add(`${p.phase?.name}/${p.phase?.graph ?? '-'}/${p.phase?.orbits}`); };
    const reduced = new Set<string>();
    expect((await check(spec, { progressIntervalMs: 0, onProgress: seen(reduced) })).verdict).toBe('ok');
    expect([...reduced]).toEqual(['search/reduced/true']);
    const twoPasses = new Set<string>(); // without the symmetry check, liveness falls back to a second, unreduced pass
    expect((await check(spec, { progressIntervalMs: 0, checkSymmetry: false, onProgress: seen(twoPasses) })).verdict).toBe('ok');
    expect([...twoPasses]).toEqual(['search/-/true', 'liveness graph/-/false']);
  });

  it('synod check --progress writes lines that fit 60 columns (COLUMNS, as stderr is no terminal here)', async () => {
    const r = await synod(['check', 'specs/two-phase-commit.ts', '--param', 'rm=6', '--no-symmetry', '--no-liveness', '--workers', '1', '--progress'], root, { COLUMNS: '60' });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\r').map((l) => l.replace('\x1b[K', '')).filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l.length).toBeLessThanOrEqual(59);
      expect(l).toMatch(/^safety search \d+ s: [\d,]+ distinct, [\d,]+ generated(, queue [\d,]+)?$/);
    }
  }, 60_000);
});

describe('resume hints', () => {
  it('repeat --no-liveness, --workers and the other options, and the command finishes the run', async () => {
    const dir = join(tmp, 'ck');
    const common = ['specs/two-phase-commit.ts', '--param', 'rm=5', '--no-symmetry', '--no-liveness', '--workers', '1', '--max-memory', '1G'];
    const cut = await synod(['check', ...common, '--max-states', '500', '--checkpoint', dir]);
    expect(cut.code, cut.stderr).toBe(3);
    const hint = /continue with: (synod check .*)$/m.exec(cut.stderr)?.[1];
    expect(hint).toBe(`synod check specs/two-phase-commit.ts --param rm=5 --no-symmetry --no-liveness --workers 1 --max-memory 1G --resume ${dir}`);
    const [resumed, whole] = await Promise.all([synod([...hint!.split(' ').slice(1), '--json']), synod(['check', ...common, '--json'])]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const counts = (s: string) => { const j = JSON.parse(s); return [j.verdict, j.distinctStates, j.totalStates, j.stateDepth, j.liveness ?? null]; };
    expect(counts(resumed.stdout)).toEqual(counts(whole.stdout));
  }, 60_000);
});

describe('results --check', () => {
  it('names the synod command that regenerates the files, not an npm script', async () => {
    const project = join(tmp, 'project');
    cpSync(join(root, 'specs', 'die-hard.ts'), join(project, 'protocols', 'die-hard.ts'));
    const stale = await synod(['results', 'protocols', '--out', 'checked', '--check'], project);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('out of date: checked/die-hard.json');
    const command = /regenerate them with: (synod .*)$/m.exec(stale.stdout)?.[1];
    expect(command).toBe('synod results protocols --out checked');
    expect((await synod(command!.split(' ').slice(1), project)).code).toBe(0);
    expect(await synod(['results', 'protocols', '--out', 'checked', '--check'], project)).toMatchObject({ code: 0, stdout: '4 result files are up to date\n' });
  }, 60_000);
});
