// The real `synod` command: outputs, exit codes and error messages, read as a user would.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Run { code: number; stdout: string; stderr: string }

function synod(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const json = async (...args: string[]) => {
  const r = await synod(...args, '--json');
  return { ...r, summary: JSON.parse(r.stdout) };
};

describe('synod check: the bundled TLA+ ports', () => {
  it('two-phase-commit: ok with TLC\'s 288 / 1146 / 11, exit 0', async () => {
    const r = await json('check', 'specs/two-phase-commit.ts', '--no-symmetry');
    expect(r.code).toBe(0);
    expect(r.summary).toMatchObject({ spec: 'two-phase-commit', params: { rm: 3 }, variant: null, verdict: 'ok', distinctStates: 288, totalStates: 1146, stateDepth: 11, violations: [] });
    expect(typeof r.summary.durationMs).toBe('number');
  });

  it('tcommit: 34 / 94 / 7', async () => {
    const r = await json('check', 'specs/tcommit.ts', '--no-symmetry');
    expect([r.code, r.summary.distinctStates, r.summary.totalStates, r.summary.stateDepth]).toEqual([0, 34, 94, 7]);
  });

  it('die-hard: exit 1 with the 7-state shortest trace, in JSON and ITF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-test-'));
    const itf = join(dir, 'trace.itf.json');
    const r = await json('check', 'specs/die-hard.ts', '--trace-out', itf);
    expect(r.code).toBe(1);
    expect(r.summary.verdict).toBe('violation');
    const v = r.summary.violations[0];
    expect(v.property).toBe('notSolved');
    expect(v.trace).toHaveLength(7);
    expect(v.trace[0]).toEqual({ action: null, args: [], state: { small: 0, big: 0 } });
    expect(v.trace[6].state.big).toBe(4);
    const doc = JSON.parse(readFileSync(itf, 'utf8'));
    expect(doc.vars).toEqual(['small', 'big']);
    expect(doc.states).toHaveLength(7);
    expect(doc.states[6].big).toEqual({ '#bigint': '4' });
  });

  it('--property checks only the properties named, as a TLC config lists its invariants', async () => {
    const all = await json('check', 'specs/paxos-lamport.ts');
    const only = await json('check', 'specs/paxos-lamport.ts', '--property', 'inv');
    expect([all.code, only.code]).toEqual([0, 0]);
    expect([only.summary.distinctStates, only.summary.totalStates]).toEqual([all.summary.distinctStates, all.summary.totalStates]);
    expect(all.summary.witnesses.map((w: { property: string }) => w.property)).toEqual(['someChosen']);
    expect(only.summary.witnesses).toEqual([]);
    // A violated property left out is not reported; named, it is.
    const skipped = await json('check', 'specs/die-hard.ts', '--property', 'typeOK');
    const named = await json('check', 'specs/die-hard.ts', '--property', 'notSolved');
    expect([skipped.summary.verdict, named.summary.verdict]).toEqual(['ok', 'violation']);
  });

  it('prints the trace with changed fields and a replay command that reproduces it', async () => {
    const r = await synod('check', 'specs/die-hard.ts');
    expect(r.stdout).toContain('Result: VIOLATION - invariant notSolved is violated');
    expect(r.stdout).toContain('State 7: BigToSmall');
    expect(r.stdout).toContain('* big: 5 -> 4');
    const cmd = /replay: synod (replay .*)/.exec(r.stdout)![1]!.split(' ');
    const replayed = await synod(...cmd);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain('invariant notSolved is violated in state 7');
  });

  it('a variant with a bug fails with its shortest trace', async () => {
    const r = await json('check', 'specs/two-phase-commit.ts', '--variant', 'commitEarly');
    expect(r.code).toBe(1);
    expect(r.summary.violations[0].property).toBe('consistent');
    expect(r.summary.variant).toBe('commitEarly');
  });

  it('--param changes the model', async () => {
    const r = await json('check', 'specs/two-phase-commit.ts', '--param', 'rm=2');
    expect([r.summary.params.rm, r.summary.verdict]).toEqual([2, 'ok']);
    expect(r.summary.distinctStates).toBeLessThan(288);
  });

  it('gives the same summary on every run', async () => {
    // Timings and the process's peak RSS vary from run to run; nothing else may.
    const strip = (s: any) => ({ ...s, durationMs: 0, statesPerSecond: 0, memory: { ...s.memory, peakRssBytes: 0 }, liveness: s.liveness && { ...s.liveness, durationMs: 0 } });
    const a = await json('check', 'specs/two-phase-commit.ts', '--variant', 'commitEarly');
    const b = await json('check', 'specs/two-phase-commit.ts', '--variant', 'commitEarly');
    expect(strip(a.summary)).toEqual(strip(b.summary));
  });
});

describe('synod check: verdicts, limits and options', () => {
  const counter = 'test/fixtures/counter.ts';

  it('a deadlock is a violation unless --no-deadlock', async () => {
    const stuck = await json('check', counter, '--variant', 'stuck');
    expect([stuck.code, stuck.summary.violations[0].kind, stuck.summary.violations[0].trace.length]).toEqual([1, 'deadlock', 4]);
    const allowed = await json('check', counter, '--variant', 'stuck', '--no-deadlock');
    expect([allowed.code, allowed.summary.verdict]).toEqual([0, 'ok']);
  });

  it('--continue reports every violated property with its own shortest trace', async () => {
    const first = await json('check', counter, '--variant', 'twoBugs');
    expect(first.summary.violations.map((v: any) => v.property)).toEqual(['notOne']);
    const all = await json('check', counter, '--variant', 'twoBugs', '--continue');
    expect(all.summary.violations.map((v: any) => [v.property, v.trace.length])).toEqual([['notOne', 2], ['notTwo', 3]]);
    expect(all.summary.complete).toBe(true);
  });

  it('limits end with verdict incomplete and exit 3, never ok', async () => {
    const states = await json('check', counter, '--param', 'max=50', '--max-states', '10');
    expect([states.code, states.summary.verdict, states.summary.stopReason]).toEqual([3, 'incomplete', 'max-states']);
    const depth = await json('check', counter, '--max-depth', '2');
    expect([depth.code, depth.summary.verdict, depth.summary.stopReason]).toEqual([3, 'incomplete', 'max-depth']);
    expect(depth.summary.distinctStates).toBe(2);
  });

  it('a sometimes property never satisfied is a violation', async () => {
    const r = await json('check', counter, '--variant', 'unreachable');
    expect(r.code).toBe(1);
    expect(r.summary.violations).toEqual([{ property: 'pastMax', kind: 'sometimes', replayPath: null, trace: null }]);
    expect(r.summary.complete).toBe(true);
    const ok = await json('check', counter);
    expect(ok.summary.witnesses).toEqual([expect.objectContaining({ property: 'reachesMax', reached: true, replayPath: '0/0/0/0' })]);
  });
});

describe('synod: bad input gets a coded message and exit 2', () => {
  it('a spec that is not symmetric in its scalarset: a plain check refuses it (SYN308, exit 2); --no-check-symmetry or --no-symmetry runs it', async () => {
    const r = await synod('check', 'test/fixtures/abort-r1.ts');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('error[SYN308]: the spec is not symmetric under the renaming r1 <-> r2: action Abort does not commute with it: from the state, Abort(r1) leads to');
    expect(r.stdout).toMatch(/ {2}state: {3}\[rmState: .*\n {2}renamed: \[rmState: /);
    expect(r.stdout).toContain('replay: synod replay test/fixtures/abort-r1.ts --path 0');
    const off = await json('check', 'test/fixtures/abort-r1.ts', '--no-symmetry');
    expect(off.summary).toMatchObject({ verdict: 'ok', distinctStates: 6 });
    const unchecked = await json('check', 'test/fixtures/abort-r1.ts', '--no-check-symmetry');
    expect(unchecked.summary).toMatchObject({ verdict: 'ok', distinctStates: 5 }); // wrong, as asked
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['missing spec file', ['check', 'specs/nope.ts'], /error\[SYN201\]: spec file not found/],
    ['TypeScript that does not compile', ['check', 'test/fixtures/syntax-error.ts'], /error\[SYN202\][\s\S]*syntax-error\.ts:7:\d+/],
    ['a module without a spec', ['check', 'test/fixtures/no-export.ts'], /error\[SYN203\]: .* does not export a spec/],
    ['unknown param', ['check', 'test/fixtures/counter.ts', '--param', 'nope=1'], /error\[SYN101\][\s\S]*params: max, wrap/],
    ['bad param value', ['check', 'test/fixtures/counter.ts', '--param', 'max=abc'], /error\[SYN102\]: param 'max' .* expected an integer/],
    ['param out of range', ['check', 'test/fixtures/counter.ts', '--param', 'max=1000'], /error\[SYN102\]: .* at most 100/],
    ['malformed --param', ['check', 'test/fixtures/counter.ts', '--param', 'max'], /error\[SYN104\]/],
    ['unknown variant', ['check', 'test/fixtures/counter.ts', '--variant', 'nope'], /error\[SYN103\][\s\S]*variants: guardThrows/],
    ['unknown property', ['check', 'specs/die-hard.ts', '--property', 'nope'], /error\[SYN104\]: spec 'die-hard' has no property 'nope'[\s\S]*properties: /],
    ['unknown option', ['check', 'test/fixtures/counter.ts', '--bogus'], /error\[SYN100\]: unknown argument --bogus\n/],
    ['missing spec argument', ['check'], /error\[SYN100\]/],
    ['bad limit', ['check', 'test/fixtures/counter.ts', '--max-states', '0'], /error\[SYN104\]: --max-states must be a positive number/],
  ];
  for (const [what, args, pattern] of cases) {
    it(what, async () => {
      const r = await synod(...args);
      expect(r.code).toBe(2);
      expect(r.stderr + r.stdout).toMatch(pattern);
      expect(r.stderr).not.toContain('internal error');
    });
  }

  it('a guard that throws: names the action, its arguments, and the trace to the state', async () => {
    const r = await synod('check', 'test/fixtures/counter.ts', '--variant', 'guardThrows');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/error\[SYN302\]: the guard \(when\) of inc threw: boom at two/);
    expect(r.stdout).toMatch(/counter\.ts:\d+:\d+/);
    expect(r.stdout).toContain('State 3: inc');
    expect(r.stdout).toContain('--variant guardThrows --path 0/0/0');
  });

  it('an effect outside the declared types: names the field path', async () => {
    const r = await json('check', 'test/fixtures/counter.ts', '--variant', 'overflow');
    expect(r.code).toBe(2);
    expect(r.summary.verdict).toBe('error');
    expect(r.summary.error).toMatchObject({ code: 'SYN304', action: 'inc' });
    expect(r.summary.error.message).toContain('state.x: expected int 0..3, got 4');
    expect(r.summary.error.trace).toHaveLength(4);
  });

  it('non-determinism is caught', async () => {
    const r = await json('check', 'test/fixtures/counter.ts', '--variant', 'random');
    expect(r.code).toBe(2);
    expect(r.summary.error.code).toBe('SYN305');
  });
});

describe('synod simulate', () => {
  it('finds a bug, prints the seed, shrinks the trace; exit 1', async () => {
    const r = await json('simulate', 'specs/two-phase-commit.ts', '--variant', 'commitEarly', '--seed', '1');
    expect(r.code).toBe(1);
    expect(r.summary).toMatchObject({ verdict: 'violation', seed: 1 });
    expect(r.summary.violations[0]).toMatchObject({ property: 'consistent', shrunkLength: 6 });
    expect(r.summary.violations[0].trace).toHaveLength(6);
  });

  it('a simulation that finds nothing is not a proof: verdict incomplete, exit 3', async () => {
    const r = await json('simulate', 'specs/two-phase-commit.ts', '--runs', '20', '--seed', '5');
    expect([r.code, r.summary.verdict, r.summary.runs]).toEqual([3, 'incomplete', 20]);
    const text = await synod('simulate', 'specs/two-phase-commit.ts', '--runs', '20', '--seed', '5');
    expect(text.stdout).toContain('(seed 5)');
  });
});

describe('synod list, help', () => {
  it('list shows params, variants, properties, actions', async () => {
    const r = await json('list', 'specs/two-phase-commit.ts');
    expect(r.code).toBe(0);
    expect(r.summary.params).toEqual({ rm: 3 });
    expect(r.summary.variants.map((v: any) => v.name)).toEqual(['coordinatorCrash', 'commitEarly']);
    expect(r.summary.properties).toContainEqual(expect.objectContaining({ name: 'someCommit', kind: 'sometimes' }));
    // A property's doc string is listed with it.
    const paxos = await json('list', 'specs/paxos.ts');
    expect(paxos.summary.properties).toContainEqual({ name: 'chosenUnique', kind: 'always', doc: 'at most one value is chosen' });
    expect(r.summary.actions.map((a: any) => a.name)).toContain('TMCommit');
  });

  it('--help documents the exit codes', async () => {
    const r = await synod('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 every property holds, 1 a property is violated, 2 bad spec or usage, 3 incomplete');
    const c = await synod('check', '--help');
    expect(c.stdout).toContain('--max-states');
  });
});
