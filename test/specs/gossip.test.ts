// specs/gossip.ts: pinned counts for every mode, the deadlock check as "no stuck state" for
// anti-entropy, rumour mongering leaving a node out, and each variant's shortest trace.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import gossip from '../../specs/gossip.js';

type Result = Awaited<ReturnType<typeof check>>;
const counts = (r: Result) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];
const witnesses = (r: Result) => r.witnesses.map((w) => [w.property, w.trace?.steps.length]);
const run = (params: Record<string, string | number> = {}, variant?: string, symmetry = true) =>
  check(compileSpec(gossip, { params, variant }), { symmetry, liveness: false }); // safety; liveness: test/liveness/specs.test.ts

describe('gossip (nodes=3, keys=2, versions=2)', () => {
  it.each([
    // mode, orbits, generated, depth, states, generated without symmetry, converged witness
    ['push', 92, 461, 7, 729, 3727, 7],
    ['pull', 92, 461, 7, 729, 3727, 7],
    ['pushPull', 86, 577, 7, 675, 4753, 7],
    ['rumor', 899, 6427, 15, 9025, 63841, 9],
  ] as const)('mode=%s: ok, %i orbits', async (mode, orbits, generated, depth, states, generatedNoSym, convergedIn) => {
    const r = await run({ mode });
    expect(counts(r)).toEqual(['ok', orbits, generated, depth]);
    expect(r.symmetry?.states).toBe(states);
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
    expect(witnesses(r)).toEqual(mode === 'rumor'
      ? [['converged', convergedIn], ['rumorDiesOut', 11]]
      : [['converged', convergedIn]]);
    const plain = await run({ mode }, undefined, false);
    expect(counts(plain)).toEqual(['ok', states, generatedNoSym, depth]);
  });

  it('the default mode is pushPull', async () => {
    const r = await check(compileSpec(gossip), { liveness: false });
    expect([r.params.mode, ...counts(r)]).toEqual(['pushPull', 'ok', 86, 577, 7]);
  });

  it('push and pull are the same transition relation; push-pull reaches fewer states', async () => {
    const [push, pull, both] = await Promise.all([run({ mode: 'push' }), run({ mode: 'pull' }), run({ mode: 'pushPull' })]);
    expect(push.symmetry?.states).toBe(pull.symmetry?.states);
    expect(both.symmetry!.states).toBeLessThan(push.symmetry!.states);
  });

  it('rumor: the rumour can die out with a node that never learns it', async () => {
    const r = await run({ mode: 'rumor', keys: 1, versions: 1 });
    expect(r.verdict).toBe('ok');
    const dies = r.witnesses.find((w) => w.property === 'rumorDiesOut')!.trace!.steps;
    expect(dies.map((s) => s.action)).toEqual([null, 'Update', 'Tell', 'Tell', 'Tell']);
    const last = dies.at(-1)!.state as any;
    expect(last.hot.every((hs: any) => hs.every((h: number) => h === 0))).toBe(true);
    expect(last.version.count((vs: any) => vs.first() === 0)).toBe(1);
  });

  it('rumor: more patience still leaves a node out (patience=2)', async () => {
    const r = await run({ mode: 'rumor', keys: 1, versions: 1, patience: 2 });
    expect(r.verdict).toBe('ok');
    expect(witnesses(r)).toEqual([['converged', 4], ['rumorDiesOut', 7]]);
  });

  it.each([
    ['keepLower', {}, 'versionsOnlyGrow', 'step', 3],
    ['keepLower', { mode: 'push' }, 'versionsOnlyGrow', 'step', 3],
    ['keepLower', { mode: 'rumor' }, 'versionsOnlyGrow', 'step', 4],
    ['sparseDigest', {}, 'deadlock', 'deadlock', 2],
    ['rumorIsComplete', {}, 'deadlock', 'deadlock', 5],
  ] as const)('variant %s %o: %s violated, shortest trace %i states', async (variant, params, property, kind, length) => {
    const r = await run(params, variant);
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([[property, kind, length]]);
  });

  it('keepLower: a write, then an exchange, and the writer goes back to version 0', async () => {
    const r = await run({}, 'keepLower');
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'Update', 'PushPull']);
    const [, written, after] = steps.map((s) => s.state as any);
    const writer = steps[1]!.args[0] as string;
    const key = steps[1]!.args[1] as string;
    expect([written.version.get(writer).get(key), after.version.get(writer).get(key)]).toEqual([1, 0]);
  });

  it('sparseDigest is harmless in push-pull mode: the push half delivers the key', async () => {
    const r = await run({ mode: 'pushPull' }, 'sparseDigest');
    expect(counts(r)).toEqual(['ok', 4, 8, 4]);
  });

  it('rumorIsComplete holds for anti-entropy: no stuck state there', async () => {
    for (const mode of ['push', 'pull', 'pushPull']) {
      expect((await run({ mode }, 'rumorIsComplete')).verdict).toBe('ok');
    }
  });
});
