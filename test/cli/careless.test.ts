// Careless command lines get coded errors and suggestions, not silence (run by the real command).
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function synod(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, _stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stderr });
    });
  });
}

describe('careless command lines', () => {
  it.each([
    [['check', 'specs/die-hard.ts', '--workers', '100000'], 'SYN104', /at most 256 threads/],
    [['simulate', 'specs/die-hard.ts', '--seed', 'abc'], 'SYN104', /--seed must be a whole number/],
    [['check', 'specs/die-hard.ts', '--max-depth', '-1'], 'SYN104', /--max-depth must be a positive number/],
    [['check', 'specs/die-hard.ts', '--param', '__proto__=1'], 'SYN101', /no param '__proto__'/],
    [['check', 'specs/paxos.ts', '--variant', 'acceptLowerBalot'], 'SYN103', /did you mean 'acceptLowerBallot'\?/],
    [['check', 'specs/raft-election.ts', '--param', 'node=4'], 'SYN101', /did you mean 'nodes'\?/],
    [['check', 'specs/raft-election.ts', '--property', 'singleLeaderPerTrem'], 'SYN104', /did you mean 'singleLeaderPerTerm'\?/],
    [['chek', 'specs/die-hard.ts'], 'SYN100', /unknown command 'chek' \(did you mean check\?\)/],
  ])('synod %j: %s', async (args, code, message) => {
    const r = await synod(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stderr).toMatch(message);
  });
});
