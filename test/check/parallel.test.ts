// A check on 2 expander threads must give exactly what one thread gives: the whole --json summary
// (counts, depth, coverage with its "new" column, symmetry orbits, violations and witnesses with
// their traces step by step, errors) is the same, only timings and memory differ. The threads run
// the built dist/: the cases use the built package's API (what `synod check --workers N` calls,
// without a process per run); the command's own defaults and its refusal go through the command.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { compileSpec } from 'synod';
import { FingerprintSet } from '../../src/store/fingerprint-set.js';
import { LevelTable } from '../../src/store/level-table.js';
import { ChunkExpander, HI, LO, ORDINAL, PARENT, FLAGS } from '../../src/check/chunk-expander.js';
import { ChunkReader, ChunkWriter, type StateChunk } from '../../src/check/state-chunk.js';
import { createFingerprinter } from '../../src/state/fingerprint.js';
import twoPhase from '../../specs/two-phase-commit.js';

function synodJSON(...args: string[]): Promise<{ code: number; summary: any }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args, '--json'], (err, stdout) => {
      resolve({ code: err ? (err.code as number) : 0, summary: JSON.parse(stdout) });
    });
  });
}

/** The built package (dist/, built by the global setup): its worker threads are the command's. */
const built = (await import(/* @vite-ignore */ new URL('../../dist/index.js', import.meta.url).href)) as typeof import('synod');

/** The summary without what depends on the machine and the run: timings, memory, threads used. */
function result(s: any) {
  const { durationMs, statesPerSecond, memory, workers, workersNote, ...rest } = s;
  return { ...rest, liveness: rest.liveness && { ...rest.liveness, durationMs: null } };
}

type Options = NonNullable<Parameters<typeof built.check>[1]>;
interface Case { file: string; params?: Record<string, string>; variant?: string; options?: Options }
const noSymmetry = { symmetry: false } as const;
const noLiveness = { liveness: false } as const;

// As `synod check FILE --param ... --variant ... --no-symmetry --no-liveness --continue --max-states/--max-depth N`.
const runs: Case[] = [
  { file: 'specs/two-phase-commit.ts', params: { rm: '4' }, options: { ...noSymmetry, ...noLiveness } },
  { file: 'specs/two-phase-commit.ts', params: { rm: '5' }, options: noLiveness },
  { file: 'specs/two-phase-commit.ts', params: { rm: '5' }, options: { ...noSymmetry, ...noLiveness, maxStates: 1234 } },
  { file: 'specs/paxos-commit.ts' },
  { file: 'specs/die-hard.ts' },
  // Liveness on the symmetry-reduced graph: edges and renamings recorded on every thread.
  { file: 'specs/two-phase-commit.ts', params: { rm: '5' } },
  { file: 'specs/two-phase-commit.ts', params: { rm: '4' }, variant: 'coordinatorCrash' },
  { file: 'specs/paxos-livelock.ts', variant: 'reordering' },
  { file: 'specs/raft-election.ts', variant: 'votesTwice', options: noLiveness },
  { file: 'specs/gossip.ts', variant: 'keepLower', options: { continueAfterViolation: true, ...noLiveness } },
  { file: 'specs/lease.ts', variant: 'noDriftMargin', options: { ...noSymmetry, ...noLiveness } },
  { file: 'specs/paxos-lamport.ts', options: { maxDepth: 9 } },
  { file: 'test/fixtures/counter.ts', variant: 'stuck', options: noLiveness },
  { file: 'test/fixtures/counter.ts', variant: 'twoBugs', options: { continueAfterViolation: true, ...noLiveness } },
  { file: 'test/fixtures/counter.ts', variant: 'guardThrows', options: noLiveness },
  // A view hides a field the properties read: the concrete state kept per view must be bfs.ts's.
  { file: 'test/fixtures/view-walk.ts', options: { continueAfterViolation: true } },
];
const label = (c: Case): string => [c.file, ...Object.entries(c.params ?? {}).map(([k, v]) => `${k}=${v}`), c.variant ?? '', JSON.stringify(c.options ?? {})].join(' ');

describe('parallel check (2 expander threads)', () => {
  it.each(runs.map((c) => [label(c), c] as const))('%s: exactly the one-thread result', async (_name, c) => {
    const spec = await built.compileSpecFile(c.file, { params: c.params, variant: c.variant });
    const [one, two] = await Promise.all([built.check(spec, { ...c.options, workers: 1 }), built.check(spec, { ...c.options, workers: 2 })]);
    expect([one.workersNote, two.workersNote]).toEqual([null, null]); // on threads, not on this one
    // The second thread joins once a level has more than one chunk of work.
    expect(one.workers).toBe(1);
    expect(two.workers).toBeGreaterThanOrEqual(1);
    expect(two.workers).toBeLessThanOrEqual(2);
    expect(built.exitCodes[two.verdict]).toBe(built.exitCodes[one.verdict]);
    expect(result(built.summaryJSON(two))).toEqual(result(built.summaryJSON(one)));
  });

  it('`synod check --workers 2` starts one thread for a small model and the cores once a level is larger', async () => {
    const [tiny, two] = await Promise.all([synodJSON('check', 'specs/die-hard.ts'), synodJSON('check', 'specs/two-phase-commit.ts', '--param', 'rm=4', '--workers', '2', '--no-symmetry', '--no-liveness')]);
    expect([tiny.summary.workers, tiny.code]).toEqual([1, 1]); // 16 states: one chunk per level
    expect(two.summary.workers).toBe(2); // 1,568 states, levels of several chunks
  });

  it('`synod check` uses the cores by default, for every level and for liveness', async () => {
    const [small, large, live] = await Promise.all([
      synodJSON('check', 'specs/two-phase-commit.ts', '--param', 'rm=4', '--no-symmetry', '--no-liveness'),
      synodJSON('check', 'specs/two-phase-commit.ts', '--param', 'rm=6', '--no-symmetry', '--no-liveness'),
      synodJSON('check', 'specs/two-phase-commit.ts', '--param', 'rm=4', '--no-symmetry'),
    ]);
    const cores = availableParallelism();
    expect([small.summary.workers, small.summary.workersNote]).toEqual([cores, null]);
    expect(large.summary.workers).toBe(cores);
    expect(large.summary.distinctStates).toBe(50816); // TLC's count for TwoPhase with 6 RMs
    expect([live.summary.workers, live.summary.workersNote]).toEqual([cores, null]);
  });

  it('refuses a worker count that is not a whole number (exit 2)', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/synod.js', 'check', 'specs/die-hard.ts', '--workers', '0'], (err, _out, stderr) => resolve({ code: err ? (err.code as number) : 0, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers must be a whole number');
  });
});

describe('level table', () => {
  it('keeps the smallest parent per fingerprint, whatever the order of offers', () => {
    let t = LevelTable.create(16);
    expect(t.offer(5, 9, 7)).toBe(true); // first offer
    expect(t.offer(5, 9, 7)).toBe(false); // the same parent again: its earlier successor wins
    expect(t.offer(5, 9, 9)).toBe(false); // a larger parent loses
    expect(t.offer(5, 9, 3)).toBe(true); // a smaller one takes over
    expect(t.offer(6, 9, 0xfffffffe)).toBe(true); // keys are unsigned
    expect([t.keyOf(5, 9), t.keyOf(6, 9), t.size]).toEqual([3, 0xfffffffe, 2]);
    for (let i = 0; i < 10; i++) t.offer(i + 100, i, 50 - i);
    t = t.grown();
    expect([t.keyOf(5, 9), t.keyOf(104, 4), t.size, t.capacity]).toEqual([3, 46, 12, 32]);
    const seen: number[] = [];
    t.forEach((hi) => seen.push(hi));
    expect(seen.sort((a, b) => a - b)).toEqual([5, 6, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    t.clear();
    expect([t.size, t.offer(5, 9, 40)]).toEqual([0, true]);
  });
});

describe('chunk expander', () => {
  /** Candidates as (parent, ordinal, fingerprint) rows. */
  const rows = (c: StateChunk, fields: number): string[] => {
    const r = new ChunkReader(c, fields);
    const out: string[] = [];
    while (r.next()) out.push(`${r.header[PARENT]}/${r.header[ORDINAL]}/${r.header[HI]}:${r.header[LO]}`);
    return out;
  };

  it('hands back the rest of a chunk when the level table is nearly full, and the rest gives what a whole run gives', async () => {
    const spec = compileSpec(twoPhase, { params: { rm: '3' } });
    const options = { symmetry: false, deadlock: true, continueAfterViolation: false };
    const fp = await createFingerprinter();
    const fields = FLAGS + 1;
    // The initial state, then its successors as a frontier chunk of level 2.
    const first = new ChunkExpander(spec, fp, { seen: FingerprintSet.create(16, { shared: true }), level: LevelTable.create(1 << 10) }, options);
    const inits = first.run(null, 0, [true]);
    expect(inits.candidates.count).toBe(1);
    const frontier = (): StateChunk => {
      const w = new ChunkWriter(0);
      const r = new ChunkReader(inits.candidates, fields);
      while (r.next()) w.push(r.bytes, r.bytes.length);
      return w.take(0);
    };
    const level1 = first.run(frontier(), 0, [true]);
    const w = new ChunkWriter(0);
    const r = new ChunkReader(level1.candidates, fields);
    while (r.next()) w.push(r.bytes, r.bytes.length);
    const chunk = w.take(1);
    expect(chunk.count).toBeGreaterThan(3);

    const whole = new ChunkExpander(spec, fp, { seen: FingerprintSet.create(16, { shared: true }), level: LevelTable.create(1 << 10) }, options).run(chunk, chunk.base, [true]);
    const small = new ChunkExpander(spec, fp, { seen: FingerprintSet.create(16, { shared: true }), level: LevelTable.create(16) }, options);
    const parts = [small.run(chunk, chunk.base, [true])];
    expect(parts[0]!.resumeAt).toBeGreaterThan(chunk.base);
    while (parts.at(-1)!.resumeAt >= 0) {
      small.tables = { ...small.tables, level: small.tables.level.grown() };
      parts.push(small.run(chunk, parts.at(-1)!.resumeAt, [true]));
    }
    expect(parts.flatMap((p) => rows(p.candidates, fields))).toEqual(rows(whole.candidates, fields));
    expect(parts.reduce((n, p) => n + p.generated, 0)).toBe(whole.generated);
  });
});
