// `synod init <dir>`: the folder it writes type-checks with tsc, checks with synod and runs its
// own vitest test, all against this installation; a folder that is not empty is refused.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const base = mkdtempSync(join(tmpdir(), 'synod-init-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function run(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const synod = (...args: string[]) => run([join(root, 'bin', 'synod.js'), ...args]);
const tsc = (dir: string) => run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir]);

describe('synod init', () => {
  const dir = join(base, 'specs');
  it('writes a starter folder that type-checks, checks and tests', () => {
    const init = synod('init', dir);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`synod check ${join(dir, 'lock.ts')}`);
    // No path of the machine that built synod: the config points where this installation is.
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.paths.synod).toHaveLength(1);
    expect(tsc(dir)).toMatchObject({ code: 0, stdout: '' });

    const ok = synod('check', join(dir, 'lock.ts'), '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ok', distinctStates: 2, totalStates: 4, stateDepth: 2 });
    const bug = synod('check', join(dir, 'lock.ts'), '--variant', 'checkThenAct', '--json');
    expect(bug.code).toBe(1);
    expect(JSON.parse(bug.stdout).violations[0]).toMatchObject({ property: 'mutualExclusion', replayPath: '0/0/1/0/0' });

    const test = run([join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(dir, 'vitest.config.mjs'), '--root', dir]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/2 passed/);
  }, 60_000);

  it('type-checks every spec in the folder: a type error in a new spec fails tsc', () => {
    writeFileSync(join(dir, 'broken.ts'), [
      "import { defineSpec, t } from 'synod';",
      'export default defineSpec({',
      "  name: 'broken',",
      '  types: () => ({ state: t.record({ x: t.int(0, 1) }) }),',
      '  init: (T) => T.state.make({ x: 0 }),',
      "  actions: () => ({ flip: { then: (s) => { const label: string = s.x; return s.set('x', label.length); } } }),",
      '});',
      '',
    ].join('\n'));
    const r = tsc(dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/broken\.ts\(6,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    rmSync(join(dir, 'broken.ts'));
  }, 60_000);

  it('refuses a folder that is not empty, unless --force', () => {
    const full = join(base, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    const refused = synod('init', full);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/error\[SYN107\]: .*full is not empty \(1 entry: notes\.txt\)/);
    expect(refused.stderr).toMatch(/--force/);
    const forced = synod('init', full, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(full, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(full, 'lock.ts'), 'utf8')).toContain("name: 'lock'");
    writeFileSync(join(base, 'a-file'), '');
    expect(synod('init', join(base, 'a-file')).stderr).toMatch(/error\[SYN107\]: .*a-file is a file, not a folder/);
  }, 60_000);
});
