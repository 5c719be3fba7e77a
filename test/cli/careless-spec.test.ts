// Careless spec code gets coded errors, not silence: an init with no state, an effect that
// forgets its return, a misspelt record field (test/fixtures/careless.ts, by the real command).
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { check, compileSpec, simulate } from 'synod';
import careless from '../fixtures/careless.js';

function synod(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

describe('careless spec code', () => {
  it('the fixture is fine without a variant', async () => {
    expect((await check(compileSpec(careless))).verdict).toBe('ok');
  });

  it.each([
    ['emptyInit', 'SYN301', /init of spec 'careless' returned no state \(\[\]\)/],
    ['undefinedInit', 'SYN301', /init of spec 'careless' returned undefined/],
    ['noReturn', 'SYN303', /the effect \(then\) of empty returned undefined[\s\S]*hint: return the next state \(a missing `return`\?\)/],
    ['misspeltField', 'SYN303', /the record has no field 'smal' \(did you mean 'small'\?\); its fields: small, big/],
    ['misspeltMerge', 'SYN303', /the record has no field 'bigg' \(did you mean 'big'\?\)/],
    ['misspeltSetIn', 'SYN303', /the record has no field 'smal' \(did you mean 'small'\?\)/],
  ])('check --variant %s: %s', async (variant, code, message) => {
    const r = await synod(['check', 'test/fixtures/careless.ts', '--variant', variant]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(`error[${code}]`);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  it('simulate reports a forgotten return too, not a deadlock', async () => {
    const r = await simulate(compileSpec(careless, { variant: 'noReturn' }), { seed: 1, runs: 10 }).catch((e: Error & { code?: string }) => e);
    expect(r).toMatchObject({ code: 'SYN303', message: expect.stringMatching(/returned undefined/) });
  });
});

describe('careless command lines', () => {
  it.each([
    [['check', 'specs/die-hard.ts', '--max-states'], 'SYN104', /--max-states needs a value \(for example --max-states N\)/],
    [['check', 'specs/die-hard.ts', '--max-states', '--json'], 'SYN104', /--max-states needs a value/],
    [['simulate', 'specs/die-hard.ts', '--seed'], 'SYN104', /--seed needs a value/],
    [['check', 'specs/die-hard.ts', '--param'], 'SYN104', /--param needs a value \(for example --param rm=4\)/],
    [['check', 'specs/die-hard.ts', '--workrs', '2'], 'SYN100', /unknown argument --workrs \(did you mean --workers\?\)/],
    [['check', 'specs/die-hard.ts', '--no-symetry'], 'SYN100', /unknown argument --no-symetry \(did you mean --no-symmetry\?\)/],
    [['check', 'specs/die-hard.ts', '--trace-ot', 'x'], 'SYN100', /^error\[SYN100\]: unknown argument --trace-ot \(did you mean --trace-out\?\)\n/],
    [['simulate', 'specs/die-hard.ts', '--rnus', '3'], 'SYN100', /did you mean --runs\?/],
    [['replay', 'specs/die-hard.ts', '--path'], 'SYN104', /--path needs a value \(for example --path 0\/2\/1\)/],
    [['inti', 'x'], 'SYN100', /unknown command 'inti' \(did you mean init\?\)/],
  ])('synod %j: %s', async (args, code, message) => {
    const r = await synod(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stderr).toMatch(message);
  });
});
