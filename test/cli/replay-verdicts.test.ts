// `synod replay` judges a trace as `check` does: a deadlock at its last state, and with --loop
// (printed by check for a lasso) the liveness properties and fairness of the infinite behaviour.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function synod(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** The replay command a check prints for its first violation. */
async function replayHint(args: string[]): Promise<string[]> {
  const r = await synod(['check', ...args]);
  const line = r.stdout.split('\n').find((l) => l.trim().startsWith('replay: synod replay'));
  expect(line, r.stdout).toBeDefined();
  return line!.trim().replace('replay: synod ', '').split(' ');
}

describe('synod replay judges as check does', () => {
  it('a deadlock: the replay of check\'s trace reports it and exits 1', async () => {
    const words = await replayHint(['test/fixtures/counter.ts', '--variant', 'stuck', '--no-liveness']);
    const r = await synod(words);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/deadlock: no action is enabled in state 4, and the spec does not call it terminal/);
    const allowed = await synod([...words, '--no-deadlock']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).not.toMatch(/deadlock/);
  });

  it('a terminal last state is no deadlock', async () => {
    const r = await synod(['replay', 'test/fixtures/counter.ts', '--path', '0/0/0/0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/every invariant and step property holds along these 4 states\n$/);
  });

  it('a stuttering lasso: check prints --loop, and the replay finds the liveness violation', async () => {
    const words = await replayHint(['specs/two-phase-commit.ts', '--variant', 'coordinatorCrash']);
    expect(words.slice(-2)).toEqual(['--loop', '4']);
    const r = await synod(words);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Stuttering: the behaviour stays in state 5 for ever');
    expect(r.stdout).toContain('liveness property allDecide is violated by this fair behaviour');
    // Without --loop the same states end in a crashed coordinator, which the variant calls terminal.
    expect((await synod(words.slice(0, -2))).code).toBe(0);
  });

  it('a cycle: fair under weak fairness it violates, unfair under strong fairness it does not', async () => {
    const weak = await synod(['replay', 'test/fixtures/lossy-channel.ts', '--param', 'fairness=weak', '--path', '0/0/0', '--loop', '0']);
    expect(weak.code).toBe(1);
    expect(weak.stdout).toContain('Back to state 1: the cycle from state 1 to here repeats for ever.');
    expect(weak.stdout).toContain('liveness property delivered is violated by this fair behaviour');
    const strong = await synod(['replay', 'test/fixtures/lossy-channel.ts', '--param', 'fairness=strong', '--path', '0/0/0', '--loop', '0']);
    expect(strong.code).toBe(0);
    expect(strong.stdout).toMatch(/this lasso is not a fair behaviour \(SF\(deliver\): .*\), so it violates no liveness property/);
  });

  it('a loop that is no lasso is SYN104', async () => {
    const r = await synod(['replay', 'test/fixtures/lossy-channel.ts', '--path', '0/0/0', '--loop', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[SYN104\]: not a lasso: state 3 is not state 2/);
  });
});
