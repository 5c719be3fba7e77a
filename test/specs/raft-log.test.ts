// specs/raft-log.ts: pinned counts, the two witnesses (a write is committed; an uncommitted one
// is lost), each bug variant's shortest counterexample, and a bounded look at network=async.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import raft from '../../specs/raft-log.js';

const counts = (r: Awaited<ReturnType<typeof check>>) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];
const labels = (steps: readonly { action: string | null }[]) => steps.map((s) => s.action);

describe('raft-log (Raft log replication)', () => {
  it('3 nodes, terms 1..2, logs of 2, 2 writes: every property holds; 2,616 orbits of 15,691 states', async () => {
    const r = await check(compileSpec(raft));
    expect(counts(r)).toEqual(['ok', 2616, 32249, 13]);
    expect(r.symmetry?.states).toBe(15691);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someCommitted', 4], ['uncommittedWriteLost', 6]]);
    expect(r.coverage.map((c) => c.action)).toEqual(['Elect', 'ClientWrite', 'AppendEntries', 'Reboot']);
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
    expect(() => compileSpec(raft, { params: { lostCopies: 4 } })).toThrow(/lostCopies=4 must be at most nodes=3/);
    // The lost write: a stale leader takes write 1, the new leader overwrites it and commits write 2.
    const steps = r.witnesses.find((w) => w.property === 'uncommittedWriteLost')!.trace!.steps;
    expect(labels(steps)).toEqual([null, 'Elect', 'Elect', 'ClientWrite', 'ClientWrite', 'AppendEntries']);
    const last = steps.at(-1)!.state as any;
    expect([...last.log.values()].every((log: any) => log.every((e: any) => e.write !== 1))).toBe(true);
    expect(last.committed.toArray().map((c: any) => [c.index, c.term, c.write])).toEqual([[1, 2, 2]]);
  });

  it('without symmetry: 15,691 distinct / 193,414 generated / depth 13', async () => {
    const r = await check(compileSpec(raft), { symmetry: false });
    expect(counts(r)).toEqual(['ok', 15691, 193414, 13]);
  });

  it.each([
    ['noTruncate', 'logMatching', 7],
    ['truncateAlways', 'committedNeverLost', 5],
  ])('variant %s: %s violated, shortest trace %i states', async (variant, property, length) => {
    const r = await check(compileSpec(raft, { variant }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([[property, 'invariant', length]]);
  });

  it('variant figure8: leaderCompleteness violated in 8 states; a term-3 leader commits a term-1 entry by counting replicas', async () => {
    const r = await check(compileSpec(raft, { variant: 'figure8' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['leaderCompleteness', 'invariant', 8]]);
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.label)).toEqual([
      'Initial predicate',
      'Elect(n1, 1, ["n1","n2"])',
      'Elect(n2, 2, ["n2","n3"])',
      'ClientWrite(n1)',
      'Elect(n1, 3, ["n1","n3"])',
      'ClientWrite(n2)',
      'AppendEntries(n1, n3, 0, 1)',
      'Elect(n2, 4, ["n1","n2"])',
    ]);
    const last = steps.at(-1)!.state as any;
    expect(last.committed.toArray().map((c: any) => [c.index, c.term, c.write, c.commitTerm])).toEqual([[1, 1, 1, 3]]);
    expect(last.log.get('n2').toArray().map((e: any) => [e.term, e.write])).toEqual([[2, 2]]);
  });

  it('noTruncate leaves out committedNeverLost, which would fail first: the follower acknowledges an entry it skipped', async () => {
    const spec = compileSpec(raft, { variant: 'noTruncate' });
    expect(spec.invariants.map((i) => i.name)).toEqual(['logMatching', 'leaderCompleteness', 'stateMachineSafety']);
    // Put it back: the leader commits on a majority that does not hold its entry.
    const neverLost = compileSpec(raft, { params: { writes: 3 } }).invariants.find((i) => i.name === 'committedNeverLost')!;
    const withIt = await check({ ...spec, invariants: [neverLost, ...spec.invariants] });
    expect(withIt.violations.map((v) => [v.property, v.trace?.steps.length])).toEqual([['committedNeverLost', 6]]);
  });

  it("the seeds' story, step by step (5 nodes, 3 may be down): the two nodes' write is lost, the three's is kept", async () => {
    const spec = compileSpec(raft, { params: { nodes: 5, maxDown: 3, lostCopies: 2 } });
    const action = new Map(spec.actions.map((a) => [a.name, a]));
    let s: any = spec.initStates()[0];
    const run = (name: string, ...args: unknown[]) => {
      const a = action.get(name)!;
      expect(a.when?.(s, ...args) ?? true, `${name}(${args.join(', ')}) is enabled`).toBe(true);
      s = a.then(s, ...args);
      for (const inv of spec.invariants) expect(inv.check(s), `${inv.name} after ${name}`).toBe(true);
    };
    const lost = spec.witnesses.find((w) => w.name === 'uncommittedWriteLost')!;
    run('Elect', 'n4', 1, ['n1', 'n2', 'n4']); // d leads term 1
    for (const n of ['n1', 'n2', 'n3']) run('Crash', n); // the three fail
    run('ClientWrite', 'n4'); // d and e take write 1: two copies, no majority
    run('AppendEntries', 'n4', 'n5', 0, 1);
    expect(s.held.get(1)).toBe(2);
    run('Restart', 'n1'); run('Crash', 'n4'); run('Restart', 'n2'); run('Crash', 'n5'); run('Restart', 'n3');
    run('Elect', 'n1', 2, ['n1', 'n2', 'n3']); // the three elect a leader and commit write 2
    run('ClientWrite', 'n1');
    run('AppendEntries', 'n1', 'n2', 0, 1);
    run('AppendEntries', 'n1', 'n3', 0, 1);
    expect(lost.check(s)).toBe(false); // d and e still hold write 1
    run('Restart', 'n4'); run('Restart', 'n5'); // the two return and are overwritten
    run('AppendEntries', 'n1', 'n4', 0, 1);
    run('AppendEntries', 'n1', 'n5', 0, 1);
    expect(lost.check(s)).toBe(true);
    expect(s.committed.toArray().map((c: any) => [c.index, c.term, c.write])).toEqual([[1, 2, 2]]);
  });

  it('network=async (channels of one message): the same witnesses, two delivery steps later each', async () => {
    const r = await check(compileSpec(raft, { params: { network: 'async' } }), { maxStates: 5000 });
    expect(r.verdict).toBe('incomplete');
    expect(r.violations).toEqual([]);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someCommitted', 6], ['uncommittedWriteLost', 8]]);
  });
});
