// Checkpoints: a search stopped at any point, written to disk, read back and resumed ends with
// exactly the result of an uninterrupted search; damaged files are refused with a clear message.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec, type CheckResult, type CompiledSpec } from 'synod';
// The engine's own check: these tests hand it checkpoints and an interrupt flag, which the public API does not take.
import { check } from '../../src/check/check.js';
import { CHECKPOINT_FILE, identityMismatch, readCheckpoint, removeStaleTemporaries, writeCheckpoint, type RunIdentity } from '../../src/store/checkpoint.js';
import type { ExploreOptions, SearchCounters, SearchState } from '../../src/check/exploration.js';
import raft from '../../specs/raft-election.js';
import gossip from '../../specs/gossip.js';
import nwr from '../../specs/nwr-quorum.js';
import twoPhase from '../../specs/two-phase-commit.js';

const identity = (spec: CompiledSpec, options: ExploreOptions): RunIdentity => ({
  spec: spec.name, specFile: 'spec.ts', variant: spec.variant, params: { ...spec.params }, properties: null, sourceHash: 'x',
  options: { symmetry: options.symmetry ?? true, deadlock: options.deadlock ?? true, continueAfterViolation: options.continueAfterViolation ?? false },
  engine: 'synod 0.1.0',
});

/**
 * What must not change when a search is resumed (timings and peak memory may). A checkpoint
 * keeps liveness's graph, so the resumed run checks liveness in the same pass, on the same
 * (reduced, under symmetry) graph: the same states, edges, verdicts and lassos.
 */
const outcome = (r: CheckResult) => ({ ...r, durationMs: 0, memory: null, liveness: r.liveness && { ...r.liveness, durationMs: 0, edgeBytes: 0, indexBytes: 0, bytesPerEdge: 0 } });

/** Stops after `stopAt` distinct states, saves to disk, reads back and finishes. */
async function stopAndResume(spec: CompiledSpec, options: ExploreOptions, stopAt: number): Promise<CheckResult> {
  const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
  const id = identity(spec, options);
  const first = await check(spec, { ...options, maxStates: stopAt, checkpoint: { everyMs: Infinity, save: (s: SearchState) => writeCheckpoint(dir, id, s) } });
  expect(first.stopReason).toBe('max-states');
  const saved = readCheckpoint<SearchCounters>(dir);
  expect(saved.identity).toEqual(id);
  expect(saved.state.graph.size).toBeGreaterThanOrEqual(stopAt);
  return check(spec, { ...options, resume: saved.state });
}

describe('checkpoint and resume', () => {
  const cases: Array<[string, CompiledSpec, ExploreOptions, number[]]> = [
    ['raft-election (witnesses, symmetry)', compileSpec(raft), {}, [1, 700]],
    ['two-phase-commit without symmetry', compileSpec(twoPhase), { symmetry: false }, [1, 100, 287]],
    ['gossip keepLower --continue (violations and a deadlock before and after)', compileSpec(gossip, { variant: 'keepLower' }), { continueAfterViolation: true }, [3, 20, 50]],
    ['nwr-quorum staleQuorum --continue', compileSpec(nwr, { variant: 'staleQuorum' }), { continueAfterViolation: true }, [10, 100, 200]],
    ['two-phase-commit commitEarly (stops at the violation)', compileSpec(twoPhase, { variant: 'commitEarly' }), {}, [5, 40]],
    ['two-phase-commit coordinatorCrash (a lasso on the graph of orbits)', compileSpec(twoPhase, { variant: 'coordinatorCrash' }), {}, [10, 40]],
  ];
  for (const [name, spec, options, stops] of cases) {
    it(`${name}: identical result after a stop at ${stops.join(', ')} states`, async () => {
      const whole = await check(spec, options);
      for (const at of stops) {
        expect(at).toBeLessThan(whole.distinctStates);
        expect(outcome(await stopAndResume(spec, options, at))).toEqual(outcome(whole));
      }
    });
  }

  it('a search stopped by the memory budget saves a checkpoint that a bigger budget finishes', async () => {
    const spec = compileSpec(raft, { params: { nodes: 3 } });
    const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
    const id = identity(spec, { symmetry: false });
    const cut = await check(spec, { symmetry: false, maxMemoryBytes: 7 << 17, checkpoint: { everyMs: Infinity, save: (s) => writeCheckpoint(dir, id, s) } });
    expect([cut.verdict, cut.stopReason, cut.memory.budgetBytes]).toEqual(['incomplete', 'memory', 7 << 17]);
    expect(cut.distinctStates).toBeGreaterThan(100); // cut in the middle, not at the start
    const resumed = await check(spec, { symmetry: false, resume: readCheckpoint<SearchCounters>(dir).state });
    expect(outcome(resumed)).toEqual(outcome(await check(spec, { symmetry: false })));
  });

  it('Ctrl-C inside a level of many chunks keeps the edges settled so far: liveness in one pass, as without the stop', async () => {
    const spec = compileSpec(twoPhase, { params: { rm: '6' } });
    const whole = await check(spec, { symmetry: false });
    expect(whole.liveness!.separatePass).toBe(false);
    for (const at of [3000, 20_000]) {
      const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
      const id = identity(spec, { symmetry: false });
      const interrupt = { stop: false };
      const cut = await check(spec, {
        symmetry: false, interrupt, progressIntervalMs: 0, onProgress: (p) => { if (p.distinct > at) interrupt.stop = true; },
        checkpoint: { everyMs: Infinity, save: (s) => writeCheckpoint(dir, id, s) },
      });
      expect([cut.stopReason, cut.liveness!.separatePass]).toEqual(['interrupted', false]);
      const saved = readCheckpoint<SearchCounters>(dir).state;
      expect(saved.extra?.sections.length).toBeGreaterThan(6); // the recorder's arrays and the level's pending edges
      expect(outcome(await check(spec, { symmetry: false, resume: saved }))).toEqual(outcome(whole));
    }
  });

  it('a checkpoint written with --no-liveness resumes with liveness in a second pass, and says why', async () => {
    const spec = compileSpec(twoPhase, { variant: 'coordinatorCrash' });
    const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
    await check(spec, { liveness: false, maxStates: 30, checkpoint: { everyMs: Infinity, save: (s) => writeCheckpoint(dir, identity(spec, {}), s) } });
    const saved = readCheckpoint<SearchCounters>(dir).state;
    expect(saved.extra).toBeUndefined();
    const r = await check(spec, { resume: saved });
    expect(r.liveness!.separatePass).toBe(true);
    expect(r.liveness!.unreducedBecause).toMatch(/holds no liveness graph/);
    expect(r.violations.map((v) => [v.property, v.kind])).toEqual((await check(spec, {})).violations.map((v) => [v.property, v.kind]));
  });

  it('the duration of a resumed run includes the time before the checkpoint', async () => {
    const spec = compileSpec(twoPhase);
    const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
    await check(spec, { maxStates: 40, checkpoint: { everyMs: Infinity, save: (s) => writeCheckpoint(dir, identity(spec, {}), s) } });
    const saved = readCheckpoint<SearchCounters>(dir);
    saved.state.counters.elapsedMs = 123_456;
    expect((await check(spec, { resume: saved.state })).durationMs).toBeGreaterThan(123_456);
  });
});

describe('damaged checkpoints', () => {
  async function written(): Promise<string> {
    const spec = compileSpec(twoPhase);
    const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
    await check(spec, { maxStates: 40, checkpoint: { everyMs: Infinity, save: (s) => writeCheckpoint(dir, identity(spec, {}), s) } });
    return dir;
  }

  it('a writer killed mid-write leaves a temporary beside the previous checkpoint, which still reads', async () => {
    const dir = await written();
    const before = readCheckpoint<SearchCounters>(dir).state.graph.size;
    const partial = join(dir, `${CHECKPOINT_FILE}.99999.tmp`);
    writeFileSync(partial, readFileSync(join(dir, CHECKPOINT_FILE)).subarray(0, 1000));
    expect(readCheckpoint<SearchCounters>(dir).state.graph.size).toBe(before);
    removeStaleTemporaries(dir);
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it('a missing checkpoint says where it looked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-ckpt-'));
    expect(() => readCheckpoint<SearchCounters>(dir)).toThrow(/no checkpoint in .*checkpoint\.synod is missing/);
  });

  it('a file cut short is reported as partial', async () => {
    const dir = await written();
    const path = join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    expect(() => readCheckpoint<SearchCounters>(dir)).toThrow(/not a usable checkpoint: it holds \d+ bytes where its header promises \d+/);
    writeFileSync(path, bytes.subarray(0, 20));
    expect(() => readCheckpoint<SearchCounters>(dir)).toThrow(/not a usable checkpoint/);
  });

  it('a changed byte fails the checksum; another file fails the signature', async () => {
    const dir = await written();
    const path = join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(path);
    bytes[bytes.length - 200] ^= 1;
    writeFileSync(path, bytes);
    expect(() => readCheckpoint<SearchCounters>(dir)).toThrow(/checksum does not match/);
    writeFileSync(path, 'hello, this is not a checkpoint');
    expect(() => readCheckpoint<SearchCounters>(dir)).toThrow(/does not start with the checkpoint signature/);
  });

  it('a different spec, params, variant, option or source is named', () => {
    const spec = compileSpec(twoPhase);
    const a = identity(spec, {});
    expect(identityMismatch(a, a)).toBeNull();
    expect(identityMismatch(a, { ...a, params: { rm: 4 } })).toBe('params rm=3, not rm=4');
    expect(identityMismatch(a, { ...a, variant: 'commitEarly' })).toBe('variant (none), not commitEarly');
    expect(identityMismatch(a, { ...a, options: { ...a.options, symmetry: false } })).toBe('symmetry on, not off');
    expect(identityMismatch(a, { ...a, sourceHash: 'y' })).toMatch(/spec file \(or a file it imports\) changed/);
    expect(identityMismatch(a, { ...a, engine: 'synod 0.2.0' })).toBe('another synod: written by synod 0.1.0, this is synod 0.2.0');
  });
});
