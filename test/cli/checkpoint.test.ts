// Long runs from the outside: a `synod check` killed with SIGKILL at seeded random moments and
// resumed from its checkpoint ends with the counts, depth, verdict and trace lengths of an
// uninterrupted run; Ctrl-C and SIGTERM stop with a partial summary (exit 3); a tiny
// --max-memory stops cleanly and says what to try.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { random } from '../../src/check/simulate.js';

// 4,740 states: a second or two, long enough to be stopped part way.
const MODEL = ['specs/lease.ts'];
// TLC's Paxos Commit model, 1.3 million states: never finishes before a test stops it.
const BIG = ['specs/paxos-commit.ts', '--param', 'acceptors=3', '--no-symmetry'];

interface Child {
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
  running: () => boolean;
}

function start(...args: string[]): Child {
  const child = spawn(process.execPath, ['bin/synod.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  let running = true;
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => { running = false; resolve({ code, signal }); });
  });
  return { done, stdout: () => out, stderr: () => err, kill: (s) => child.kill(s), running: () => running };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => boolean, child: Child): Promise<void> {
  while (!what() && child.running()) await sleep(20);
}

/** What a resumed run must reproduce exactly. */
function outcome(summary: any) {
  const len = (t: unknown[] | null) => (t ? t.length : null);
  return {
    verdict: summary.verdict, distinct: summary.distinctStates, generated: summary.totalStates, depth: summary.stateDepth,
    queue: summary.queue, coverage: summary.coverage,
    violations: summary.violations.map((v: any) => [v.property, len(v.trace)]),
    witnesses: summary.witnesses.map((w: any) => [w.property, len(w.trace)]),
  };
}

describe('synod check --checkpoint / --resume', () => {
  it('killed with SIGKILL three times at random moments, resumed, ends as an uninterrupted run', async () => {
    const whole = start('check', ...MODEL, '--json');
    expect((await whole.done).code).toBe(0);
    const expected = outcome(JSON.parse(whole.stdout()));

    const dir = mkdtempSync(join(tmpdir(), 'synod-kill-'));
    const file = join(dir, 'checkpoint.synod');
    const rand = random(2026);
    let finished: any = null;
    let kills = 0;
    for (let round = 0; round < 3 && finished === null; round++) {
      const run = start('check', ...MODEL, '--json', '--checkpoint-every', '100ms', ...(round === 0 ? ['--checkpoint', dir] : ['--resume', dir]));
      await until(() => existsSync(file), run);
      await sleep(rand() * 150);
      run.kill('SIGKILL');
      const end = await run.done;
      if (end.signal === null) finished = JSON.parse(run.stdout()); // it ended before the kill
      else {
        kills++;
        expect(existsSync(file)).toBe(true);
      }
    }
    expect(kills).toBeGreaterThan(0);
    if (finished === null) {
      const last = start('check', ...MODEL, '--json', '--resume', dir);
      expect((await last.done).code).toBe(0);
      finished = JSON.parse(last.stdout());
    }
    expect(outcome(finished)).toEqual(expected);
    expect(existsSync(file)).toBe(false); // a finished search leaves no checkpoint behind
  });

  it('Ctrl-C saves a checkpoint, prints the partial summary and exits 3; --resume goes on from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-int-'));
    const run = start('check', ...BIG, '--json', '--checkpoint', dir, '--checkpoint-every', '100ms');
    await until(() => existsSync(join(dir, 'checkpoint.synod')), run);
    run.kill('SIGINT');
    expect((await run.done).code).toBe(3);
    const partial = JSON.parse(run.stdout());
    expect(partial).toMatchObject({ verdict: 'incomplete', complete: false, stopReason: 'interrupted' });
    expect(partial.queue).toBeGreaterThan(0);
    expect(run.stderr()).toContain('stopping (press Ctrl-C again to quit at once)');
    expect(run.stderr()).toContain(`checkpoint saved in ${dir}; continue with: synod check specs/paxos-commit.ts --param rm=2 --param acceptors=3 --param ballots=2 --no-symmetry --checkpoint-every 100ms --json --resume ${dir}`);
    // The checkpoint holds the partial search: resuming it for 2,000 more states goes on from there.
    const limit = partial.distinctStates + 2000;
    const resumed = start('check', ...BIG, '--json', '--resume', dir, '--max-states', String(limit));
    expect((await resumed.done).code).toBe(3);
    const r = JSON.parse(resumed.stdout());
    expect(r.stopReason).toBe('max-states');
    expect(r.distinctStates).toBeGreaterThanOrEqual(limit);
    expect(r.distinctStates).toBeLessThan(limit + 1000);
    expect(r.totalStates).toBeGreaterThan(partial.totalStates);
  });

  it('SIGTERM without --checkpoint: partial report, verdict incomplete, exit 3', async () => {
    const run = start('check', ...BIG, '--progress');
    await until(() => run.stderr().includes('distinct/s'), run);
    run.kill('SIGTERM');
    expect((await run.done).code).toBe(3);
    expect(run.stdout()).toContain('Result: INCOMPLETE - the search stopped early (interrupted)');
  });

  it('resuming with other params, or a spec that changed, is refused (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-other-'));
    const spec = join(dir, 'two-phase-commit.ts');
    copyFileSync('specs/two-phase-commit.ts', spec);
    const first = start('check', spec, '--checkpoint', dir, '--max-states', '20');
    expect((await first.done).code).toBe(3);
    const other = start('check', spec, '--param', 'rm=4', '--resume', dir);
    expect((await other.done).code).toBe(2);
    expect(other.stderr()).toContain(`error[SYN106]: the checkpoint in ${dir} belongs to another run: it has params rm=3, not rm=4`);
    expect(other.stderr()).toContain(`hint: continue it with the command that started it: synod check ${spec} --param rm=3 --resume ${dir}`);
    const again = start('check', spec, '--checkpoint', dir);
    expect((await again.done).code).toBe(2);
    expect(again.stderr()).toMatch(/error\[SYN105\]: .*checkpoint\.synod already exists/);
    appendFileSync(spec, '\n// an edit\n');
    const edited = start('check', spec, '--resume', dir);
    expect((await edited.done).code).toBe(2);
    expect(edited.stderr()).toContain('it has a different source: the spec file (or a file it imports) changed since');
  });

  it('a checkpoint cut short is reported as such (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-cut-'));
    expect((await start('check', 'specs/two-phase-commit.ts', '--checkpoint', dir, '--max-states', '20').done).code).toBe(3);
    const file = join(dir, 'checkpoint.synod');
    truncateSync(file, statSync(file).size - 10);
    const run = start('check', 'specs/two-phase-commit.ts', '--resume', dir);
    expect((await run.done).code).toBe(2);
    expect(run.stderr()).toMatch(/error\[SYN105\]: .*checkpoint\.synod is not a usable checkpoint: it holds \d+ bytes where its header promises \d+ \(a partial write\?\)/);
  });
});

describe('synod check --max-memory', () => {
  it('a tiny budget ends incomplete, naming the largest store and what to try', async () => {
    const run = start('check', ...MODEL, '--max-memory', '1M');
    expect((await run.done).code).toBe(3);
    expect(run.stdout()).toContain('Result: INCOMPLETE - the search stopped early (the memory budget was reached)');
    expect(run.stdout()).toMatch(/memory: fingerprint set .*; budget 1\.0 MB \(--max-memory\)/);
    expect(run.stdout()).toMatch(/hint: the largest is the .*symmetry.*state constraint.*synod simulate/);
    const json = start('check', ...MODEL, '--max-memory', '1M', '--json');
    expect((await json.done).code).toBe(3);
    expect(JSON.parse(json.stdout())).toMatchObject({ verdict: 'incomplete', stopReason: 'memory', memory: { budgetBytes: 1024 * 1024 } });
  });

  it('a budget that is not a size, or a bad checkpoint interval, is a usage error', async () => {
    const run = start('check', ...MODEL, '--max-memory', 'lots');
    expect((await run.done).code).toBe(2);
    expect(run.stderr()).toContain("error[SYN104]: --max-memory expects a size like 8G, 512M or 64K, got 'lots'");
    const every = start('check', ...MODEL, '--checkpoint-every', '5s');
    expect((await every.done).code).toBe(2);
    expect(every.stderr()).toContain('error[SYN100]: --checkpoint-every needs --checkpoint DIR (or --resume DIR)');
    const unit = start('check', ...MODEL, '--checkpoint', mkdtempSync(join(tmpdir(), 'synod-every-')), '--checkpoint-every', '5x');
    expect((await unit.done).code).toBe(2);
    expect(unit.stderr()).toContain("--checkpoint-every expects a duration like 60s, 5m or 250ms, got '5x'");
  });
});
