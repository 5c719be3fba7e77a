// Runs that must stop whatever the spec does: a guard or property that never returns, or a spec
// that is merely slow, under --time-limit, SIGTERM and coreutils `timeout` (which signals the
// process and its group: the two signals count once). The run ends within about a second of the
// limit, exits 3 with the partial summary, and names the spec code that did not return with the
// trace to its state; a checkpoint left by `timeout` is finished by --resume with exact counts.
// A run is signalled once its stderr says it is where the test wants it (spec code that hangs
// says so: the fixtures' HANGS; a search under way prints progress), not after a fixed wait.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANGS } from '../fixtures/runaway.js';

interface Run { code: number | null; stdout: string; stderr: string; wallMs: number }

/** Spec code hangs from here on. */
const hung = (stderr: string): boolean => stderr.includes(HANGS);
/** A progress line with a count of states: the search is under way. */
const searching = (stderr: string): boolean => /\d distinct/.test(stderr);

/** Runs `cmd args`; with `signalWhen`, sends SIGTERM to it once its stderr so far satisfies it. */
function run(cmd: string, args: string[], signalWhen?: (stderr: string) => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (signalWhen && !signalled && signalWhen(stderr)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000); // a hung run fails the test, not the suite
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

const synod = (...args: string[]): [string, string[]] => [process.execPath, ['bin/synod.js', ...args]];
const RUNAWAY = 'test/fixtures/runaway.ts';
const TRACE_TO_32 = '--path 0/0/0/0/1/1'; // a = 3, b = 2: three incA, two incB

const hasCoreutilsTimeout = await new Promise<boolean>((resolve) => execFile('timeout', ['--version'], (err) => resolve(!err)));

describe('a run that spec code would never end', () => {
  it('--time-limit stops a guard that never returns, names it, and shows the trace to its state (exit 3)', async () => {
    const r = await run(...synod('check', RUNAWAY, '--variant', 'guardLoops', '--time-limit', '2'));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('INCOMPLETE - the search stopped early (--time-limit reached)');
    expect(r.stdout).toContain('the guard (when) of incB had not returned when the search stopped');
    expect(r.stdout).toContain(TRACE_TO_32);
  });

  it('SIGTERM stops a property that never returns, on two threads (exit 3, partial summary)', async () => {
    const r = await run(...synod('check', RUNAWAY, '--variant', 'propertyLoops', '--workers', '2', '--json'), hung);
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout);
    expect([s.verdict, s.stopReason]).toEqual(['incomplete', 'interrupted']);
    expect(s.stuck.what).toBe("property 'bounded' on a successor by incB");
    expect(s.stuck.replayPath).toBe('0/0/0/0/1');
    expect(s.distinctStates).toBeGreaterThan(0);
  });

  it.runIf(hasCoreutilsTimeout)('`timeout` (SIGTERM to the process and its group) stops it once, with the summary', async () => {
    // SIGTERM to `timeout` itself makes it signal as when its time is up: the command, then its group.
    const r = await run('timeout', ['--preserve-status', '600', ...synod('check', RUNAWAY, '--variant', 'guardLoops')[1]], hung);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('the guard (when) of incB had not returned');
    expect(r.stderr.match(/stopping/g)).toHaveLength(1); // the second SIGTERM was the same request (exit 130 otherwise)
  });

  it('`simulate --time-limit` ends walkers stuck in a guard and says so (exit 3)', async () => {
    const r = await run(...synod('simulate', RUNAWAY, '--variant', 'guardLoops', '--time-limit', '2', '--seed', '1'));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('walker 0 had not returned from spec code when the walks stopped');
  });

  it('the symmetry check runs on an expander too: --time-limit and SIGTERM end a guard that never returns there (exit 3)', async () => {
    const spec = 'test/fixtures/symmetric-runaway.ts';
    const limited = await run(...synod('check', spec, '--time-limit', '2'));
    expect(limited.code).toBe(3);
    expect(limited.stdout).toContain('--time-limit reached');
    expect(limited.stdout).toContain('spec code in the symmetry check of the first states');
    const signalled = await run(...synod('check', spec, '--json'), hung);
    expect(signalled.code).toBe(3);
    const s = JSON.parse(signalled.stdout);
    expect([s.verdict, s.stopReason, s.stuck.replayPath]).toEqual(['incomplete', 'interrupted', null]);
    // Without the check, the search itself meets the guard, and gives the trace to its state (two leaders).
    const unchecked = JSON.parse((await run(...synod('check', spec, '--no-check-symmetry', '--time-limit', '2', '--json'))).stdout);
    expect(unchecked.stuck.trace.at(-1).state.role).toEqual({ n1: 'leader', n2: 'leader', n3: 'follower' });
  });

  it('`simulate` shrinks on a thread: a guard that never returns there is ended by --time-limit or SIGTERM, and the walk is shown unshrunk (exit 1)', async () => {
    const walk = ['simulate', RUNAWAY, '--variant', 'shrinkTrap', '--weight', 'incB=0', '--runs', '1', '--seed', '1'];
    const limited = await run(...synod(...walk, '--time-limit', '3'));
    expect(limited.code).toBe(1);
    expect(limited.stdout).toContain('the walk broke it after 6 states; not shrunk (the time limit came while shrinking)');
    expect(limited.stdout).toContain('replay: synod replay');
    const signalled = await run(...synod(...walk, '--json'), hung);
    expect(signalled.code).toBe(1);
    const s = JSON.parse(signalled.stdout);
    expect([s.verdict, s.violations[0].shrinkingCut, s.violations[0].shrunkLength]).toEqual(['violation', 'interrupted', 6]);
  });

  it('a slow spec stops by the clock, not after a block of states: --time-limit 2 ends within about a second of it', async () => {
    const r = await run(...synod('check', RUNAWAY, '--variant', 'slow', '--workers', '1', '--json', '--time-limit', '2'));
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout);
    expect(s.stopReason).toBe('time-limit');
    expect(s.durationMs).toBeLessThan(2000 + 1500);
    expect(s.stuck).toBeUndefined(); // slow, but every guard returned
  });
});

describe.runIf(hasCoreutilsTimeout)('`timeout` with --checkpoint', () => {
  it('leaves a checkpoint that --resume (on another number of threads) finishes with the exact counts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'synod-timeout-')), 'ck');
    const model = ['specs/two-phase-commit.ts', '--param', 'rm=7', '--no-symmetry', '--no-liveness'];
    // Cut once the search is under way (its first progress line, at 1 s): a fixed `timeout 3`
    // came before synod had started on a loaded machine, and could come after the end on a fast
    // one. SIGTERM to `timeout` signals as its timer does; its exit code is then the command's.
    const cut = await run('timeout', ['600', ...synod('check', ...model, '--workers', '2', '--checkpoint', dir, '--progress')[1]], searching);
    expect(cut.code).toBe(3); // synod's own: incomplete
    expect(cut.stdout).toContain('Result: INCOMPLETE');
    expect(cut.stderr).toContain(`checkpoint saved in ${dir}`);
    const done = await run(...synod('check', ...model, '--workers', '1', '--resume', dir, '--json'));
    expect(done.code).toBe(0);
    const s = JSON.parse(done.stdout);
    expect([s.distinctStates, s.totalStates, s.stateDepth]).toEqual([296_448, 2_744_706, 23]); // TLC's counts
  });
});
