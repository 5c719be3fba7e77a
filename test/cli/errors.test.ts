// User mistakes that used to end in a stack trace: each is a coded error with the right exit
// code, read from the real command's output. A bug in synod itself exits 4.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const tmp = (): string => mkdtempSync(join(tmpdir(), 'synod-errors-'));
const noStack = (r: Run): void => {
  expect(r.stderr + r.stdout).not.toContain('internal error');
  expect(r.stderr + r.stdout).not.toMatch(/^\s+at .*(dist|node_modules)\//m);
};

describe('synod replay into spec code that throws', () => {
  const cases: Array<[string, string, RegExp, string]> = [
    ['guard', 'SYN302', /error\[SYN302\]: the guard \(when\) of add\(2\) threw: boom in the guard/, 'action add(2), at state 2'],
    ['effect', 'SYN303', /error\[SYN303\]: the effect \(then\) of add\(2\) threw: boom in the effect/, 'action add(2), at state 2'],
    ['property', 'SYN306', /error\[SYN306\]: property 'inRange' threw: boom in the invariant/, 'action add(1), at state 3'],
  ];
  for (const [variant, code, first, where] of cases) {
    it(`a throwing ${variant}: ${code}, the action or property, the step, the trace to it; exit 2`, async () => {
      const r = await synod('replay', 'test/fixtures/throwing.ts', '--variant', variant, '--path', '0/1/0/0');
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(first);
      expect(r.stdout).toMatch(/throwing\.ts:\d+:\d+/); // where in the spec it threw
      expect(r.stdout).toContain(`--> test/fixtures/throwing.ts, ${where}`);
      expect(r.stdout).toContain('while replaying --path 0/1/0/0');
      expect(r.stdout).toContain('State 2: add(2)');
      noStack(r);
    });
  }

  it('the same spec code that does not throw on the path replays fine', async () => {
    const r = await synod('replay', 'test/fixtures/throwing.ts', '--variant', 'guard', '--path', '0/0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('every invariant and step property holds along these 2 states');
  });
});

describe('output paths that cannot be written', () => {
  it('--trace-out into a missing folder: the violation keeps exit 1, the file is a SYN107', async () => {
    const file = join(tmp(), 'missing', 'trace.itf.json');
    const r = await synod('check', 'specs/die-hard.ts', '--trace-out', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Result: VIOLATION - invariant notSolved is violated');
    expect(r.stderr).toContain(`error[SYN107]: cannot write --trace-out ${file}: the folder ${join(file, '..')} does not exist`);
    expect(r.stderr).toContain('hint: create it first');
    noStack(r);
  });

  it('--dot to a folder: SYN107, nothing left behind, the verdict\'s exit code (1), or 2 for a run that holds', async () => {
    const dir = tmp();
    const out = join(dir, 'graph');
    mkdirSync(out);
    const r = await synod('check', 'specs/die-hard.ts', '--dot', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[SYN107]: cannot write --dot ${out}: it is a folder`);
    expect(readdirSync(dir)).toEqual(['graph']); // no temporary file beside it
    const ok = await synod('check', 'test/fixtures/throwing.ts', '--dot', out);
    expect(ok.stdout).toContain('Result: OK');
    expect(ok.code).toBe(2); // not 0: an output the user asked for is missing
    noStack(ok);
  });

  it('--checkpoint that is a file, or under a file: SYN107 and exit 2 before the search starts', async () => {
    const file = join(tmp(), 'plain-file');
    writeFileSync(file, 'not a folder');
    const r = await synod('check', 'specs/die-hard.ts', '--checkpoint', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[SYN107]: cannot use --checkpoint ${file}: it is a file, not a folder`);
    expect(r.stdout).toBe(''); // no search ran
    const under = await synod('check', 'specs/die-hard.ts', '--checkpoint', join(file, 'ck'));
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(`error[SYN107]: cannot write --checkpoint ${join(file, 'ck')}: ${file} is a file, not a folder`);
    expect(under.stdout).toBe('');
    noStack(under);
  });

  it('results on a missing folder is SYN201; results --out a file is SYN107, before any spec is checked', async () => {
    const dir = tmp();
    const missing = await synod('results', join(dir, 'nope'), '--out', join(dir, 'out'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error[SYN201]: spec folder not found: ${join(dir, 'nope')}`);
    expect(existsSync(join(dir, 'out'))).toBe(false); // nothing created for a run that cannot start
    const file = join(dir, 'file');
    writeFileSync(file, '');
    const out = await synod('results', 'test/fixtures', '--out', file);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`error[SYN107]: cannot use --out ${file}: it is a file, not a folder`);
    expect(out.stdout).toBe('');
    noStack(out);
  });
});

describe('damaged input files', () => {
  it('a checkpoint whose header is damaged: SYN105 naming the file, found by the checksum before parsing', async () => {
    const dir = tmp();
    expect((await synod('check', 'specs/two-phase-commit.ts', '--checkpoint', dir, '--max-states', '20')).code).toBe(3);
    const file = join(dir, 'checkpoint.synod');
    const good = readFileSync(file);
    // One digit of a count in the header: still valid JSON, the same length, wrong contents.
    const text = good.toString('latin1');
    const at = text.indexOf('"fingerprints":') + '"fingerprints":'.length;
    const flipped = Buffer.from(good);
    flipped[at] = flipped[at] === 0x39 ? 0x38 : 0x39;
    writeFileSync(file, flipped);
    const r = await synod('check', 'specs/two-phase-commit.ts', '--resume', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[SYN105]: ${file} is not a usable checkpoint: its checksum does not match its contents`);
    // A header whose shape is broken (the sections key renamed) was a TypeError before.
    const renamed = Buffer.from(text.replace('"sections":', '"Sections":'), 'latin1');
    writeFileSync(file, renamed);
    const r2 = await synod('check', 'specs/two-phase-commit.ts', '--resume', dir);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`error[SYN105]: ${file} is not a usable checkpoint: its header does not list its sections`);
    noStack(r2);
    // The undamaged file still resumes.
    writeFileSync(file, good);
    expect((await synod('check', 'specs/two-phase-commit.ts', '--resume', dir)).code).toBe(0);
  });

  it('an ITF trace with a null state: SYN104 naming the file and the state', async () => {
    const file = join(tmp(), 'null.itf.json');
    const doc = JSON.parse(readFileSync('results/two-phase-commit.coordinatorCrash.itf.json', 'utf8'));
    doc.states[1] = null;
    writeFileSync(file, JSON.stringify(doc));
    const r = await synod('explore', '--trace', file, '--port', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[SYN104]: ${file} is not an ITF trace: its state 2 is null, not an object of variables`);
    noStack(r);
  });

  it('explore --trace through a guard that throws: SYN302 naming the action', async () => {
    const file = join(tmp(), 'throwing.itf.json');
    const x = (n: number) => ({ x: { '#bigint': String(n) } });
    writeFileSync(file, JSON.stringify({ '#meta': { source: 'test/fixtures/throwing.ts', spec: 'throwing', variant: 'guard' }, vars: ['x'], states: [x(0), x(2), x(3)] }));
    const r = await synod('explore', '--trace', file, '--port', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[SYN302]: the guard (when) of add(2) threw: boom in the guard');
    noStack(r);
  });

  it('a spec path that is a folder: SYN201', async () => {
    const r = await synod('check', 'specs');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[SYN201]: specs is a folder, not a spec file');
  });
});

describe('a bug in synod', () => {
  it('exits 4 (not 2, a bad spec) with a short bug message and the stack', async () => {
    // The fixture breaks a builtin the report uses once the spec is loaded: the report's own
    // code then throws a plain Error, as a bug in synod would.
    const dir = tmp();
    const spec = join(dir, 'sabotage.ts');
    copyFileSync('test/fixtures/throwing.ts', spec);
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}\nNumber.prototype.toLocaleString = () => { throw new Error('sabotaged toLocaleString'); };\n`);
    const r = await synod('check', spec);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('internal error: this is a bug in synod');
    expect(r.stderr).toContain('Error: sabotaged toLocaleString');
    expect(r.stderr).toMatch(/^\s+at /m);
  });

  it('a throw outside the command (a timer) also exits 4', async () => {
    const dir = tmp();
    const spec = join(dir, 'timer.ts');
    writeFileSync(spec, `${readFileSync('test/fixtures/throwing.ts', 'utf8')}\nsetTimeout(() => { throw new Error('thrown from a timer'); }, 0);\n`);
    const r = await synod('list', spec);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('internal error: this is a bug in synod');
    expect(r.stderr).toContain('thrown from a timer');
  });

  it('--help documents exit code 4', async () => {
    const r = await synod('--help');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('4 a bug in synod (internal error)');
  });
});
