// `synod check --workers 2` must agree with the sequential search: the same verdict, the same
// distinct and generated counts and depth when the search completes, the same violated
// properties with traces of the same (shortest) lengths. Which of two parents first reaches a
// state is a race between threads, so the traces themselves and the per-action "new" column
// may differ. The worker threads run the built dist/, so these go through the real command.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SharedFingerprintSet } from '../../src/store/shared-fingerprint-set.js';

function synodJSON(...args: string[]): Promise<{ code: number; summary: any }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args, '--json'], (err, stdout) => {
      resolve({ code: err ? (err.code as number) : 0, summary: JSON.parse(stdout) });
    });
  });
}

/** What must not depend on the number of workers. */
function essentials(s: any) {
  return {
    verdict: s.verdict,
    complete: s.complete,
    // A violation stops each search at a different point: counts agree only for whole runs.
    ...(s.complete ? { distinct: s.distinctStates, generated: s.totalStates, depth: s.stateDepth, symmetry: s.symmetry } : {}),
    coverage: s.complete ? s.coverage.map((c: any) => ({ action: c.action, enabled: c.enabled, generated: c.generated })) : undefined,
    violations: s.violations.map((v: any) => ({ property: v.property, kind: v.kind, length: v.trace?.length ?? null })),
    witnesses: s.complete ? s.witnesses.map((w: any) => ({ property: w.property, length: w.trace?.length ?? null })) : undefined,
  };
}

const runs: string[][] = [
  ['specs/two-phase-commit.ts', '--param', 'rm=4', '--no-symmetry'],
  ['specs/two-phase-commit.ts', '--param', 'rm=5'],
  ['specs/paxos-commit.ts'],
  ['specs/die-hard.ts'],
  ['specs/raft-election.ts', '--variant', 'votesTwice'],
  ['specs/gossip.ts', '--variant', 'keepLower', '--continue'],
  ['specs/lease.ts', '--variant', 'noDriftMargin', '--no-symmetry'],
  ['specs/paxos-lamport.ts', '--max-depth', '9'],
];

describe('parallel check (--workers 2)', () => {
  it.each(runs)('%s %s %s %s agrees with one worker', async (...args) => {
    const [one, two] = await Promise.all([synodJSON('check', ...args, '--workers', '1'), synodJSON('check', ...args, '--workers', '2')]);
    expect(two.code).toBe(one.code);
    expect(essentials(two.summary)).toEqual(essentials(one.summary));
    // Every trace is a real behaviour: the command replays it before printing it.
    for (const v of two.summary.violations) if (v.kind !== 'sometimes') expect(v.trace).not.toBeNull();
  });

  it('refuses a worker count that is not a whole number (exit 2)', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/synod.js', 'check', 'specs/die-hard.ts', '--workers', '0'], (err, _out, stderr) => resolve({ code: err ? (err.code as number) : 0, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers must be a whole number');
  });
});

describe('shared fingerprint set', () => {
  it('adds each fingerprint once and keeps them all when it grows', () => {
    let set = SharedFingerprintSet.create(16);
    const fps = Array.from({ length: 200 }, (_, i) => [(i * 2654435761) >>> 0, (i * 40503 + 7) >>> 0] as const);
    for (const [hi, lo] of fps.slice(0, 8)) expect(set.add(hi, lo)).toBe(true);
    set = set.grown().grown().grown().grown();
    for (const [hi, lo] of fps.slice(0, 8)) expect(set.add(hi, lo)).toBe(false);
    for (const [hi, lo] of fps.slice(8)) expect(set.add(hi, lo)).toBe(true);
    expect(set.size).toBe(200);
    for (const [hi, lo] of fps) expect(set.add(hi, lo)).toBe(false);
  });
});
