// specs/primary-backup.ts: pinned counts, the blocking deadlock of backupCrash, the acknowledged
// write that majorityAck loses on failover, and symmetry soundness of every variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import { checkSymmetry } from '../../src/check/symmetry-check.js';
import pb from '../../specs/primary-backup.js';

const counts = (r: Awaited<ReturnType<typeof check>>) => [r.verdict, r.distinctStates, r.totalStates, r.stateDepth];

describe('primary-backup (synchronous master-slave replication)', () => {
  it('backups=2, writes=2: every acked write on every replica, same order; 13 orbits of 57 states', async () => {
    const r = await check(compileSpec(pb));
    expect(counts(r)).toEqual(['ok', 13, 21, 11]);
    expect(r.symmetry?.states).toBe(57);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someAck', 6]]);
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
  });

  it('without symmetry: 57 distinct / 81 generated / depth 11', async () => {
    expect(counts(await check(compileSpec(pb), { symmetry: false }))).toEqual(['ok', 57, 81, 11]);
  });

  it('backupCrash: the primary waits forever for the crashed backup (everyWriteAcked fails: 5 states, then stuttering)', async () => {
    const r = await check(compileSpec(pb, { variant: 'backupCrash' }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length, v.trace?.loop])).toEqual([['everyWriteAcked', 'liveness', 5, 4]]);
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'ClientWrite', 'ReceiveReplicate', 'ReceiveAck', 'Crash']);
    const last = steps.at(-1)!.state as any;
    // Write 1 is on the primary and the live backup, the crashed backup never got it, no ack.
    expect(last.acked).toBe(0);
    expect(last.up.get(last.primary)).toBe(true);
    expect(last.up.count((u: boolean) => !u)).toBe(1);
    expect(last.msgs.size).toBe(1);
    // Safety still holds: the failure is availability only.
    const all = await check(compileSpec(pb, { variant: 'backupCrash' }), { deadlock: false, liveness: false });
    expect(all.verdict).toBe('ok');
  });

  it('majorityAck: a failover to a backup that missed an acked write loses it (6 states)', async () => {
    const r = await check(compileSpec(pb, { variant: 'majorityAck' }));
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['ackedSurvivesFailover', 'invariant', 6]]);
    const steps = r.violations[0]!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'ClientWrite', 'ReceiveReplicate', 'ReceiveAck', 'Crash', 'Failover']);
    const first = steps[1]!.state as any;
    const last = steps.at(-1)!.state as any;
    expect(steps[4]!.args).toEqual([first.primary]); // the primary crashes
    expect(last.acked).toBe(1);
    expect(last.log.get(last.primary).size).toBe(0);
    // Only the failover is wrong: the write is still on a majority, logs stay ordered.
    const all = await check(compileSpec(pb, { variant: 'majorityAck' }), { continueAfterViolation: true });
    expect(all.violations.map((v) => v.property)).toEqual(['ackedSurvivesFailover']);
    expect(all.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([['someAck', 4], ['failover', 3]]);
  });

  it('majorityAck with failover=longest passes (an omniscient failover manager): 125 orbits of 708 states', async () => {
    const spec = compileSpec(pb, { variant: 'majorityAck', params: { failover: 'longest' } });
    const r = await check(spec);
    expect(counts(r)).toEqual(['ok', 125, 247, 13]);
    expect(r.symmetry?.states).toBe(708);
    expect(counts(await check(spec, { symmetry: false }))).toEqual(['ok', 708, 1320, 13]);
  });

  it.each([['base', undefined], ['backupCrash', 'backupCrash'], ['majorityAck', 'majorityAck']])('%s is symmetric in the replicas', (_name, variant) => {
    expect(checkSymmetry(compileSpec(pb, { variant })).problem).toBeNull();
    expect(checkSymmetry(compileSpec(pb, { variant, params: { reads: 1 } })).problem).toBeNull();
  });
});

describe('primary-backup as a linearizable register (reads from the primary)', () => {
  const spec = (variant: string | undefined, params: Record<string, string | number>) => compileSpec(pb, { variant, params });
  const linearizable = (r: Awaited<ReturnType<typeof check>>) => r.violations.filter((v) => v.property === 'linearizable');

  it('base, reads=1: linearizable holds; 52 orbits of 228 states (no symmetry: 228 / 366 / 12)', async () => {
    const r = await check(spec(undefined, { reads: 1 }));
    expect(counts(r)).toEqual(['ok', 52, 86, 12]);
    expect(r.symmetry?.states).toBe(228);
    expect(counts(await check(spec(undefined, { reads: 1 }), { symmetry: false }))).toEqual(['ok', 228, 366, 12]);
  });

  it('base and backupCrash, reads=2: linearizable holds (backupCrash still blocks)', async () => {
    expect(counts(await check(spec(undefined, { reads: 2 })))).toEqual(['ok', 139, 236, 13]);
    const crash = await check(spec('backupCrash', { reads: 2 }), { continueAfterViolation: true });
    expect(counts(crash)).toEqual(['violation', 341, 792, 14]);
    expect(crash.violations.map((v) => v.property)).toEqual(['everyWriteAcked']);
  });

  it('majorityAck, failover=any, reads=1: a read after the failover misses the acknowledged write (7 states)', async () => {
    const r = await check(spec('majorityAck', { reads: 1 }), { continueAfterViolation: true });
    expect(counts(r)).toEqual(['violation', 692, 1360, 14]);
    const [v] = linearizable(r);
    expect(v!.trace!.steps.map((s) => s.action)).toEqual([null, 'ClientWrite', 'ReceiveReplicate', 'ReceiveAck', 'Crash', 'Failover', 'Read']);
    expect(v!.explanation).toMatch(/Write\(1\) by writer returned \(event 1\) before Read -> 0 by reader was called/);
  });

  it('majorityAck, failover=longest: holds with reads=1 (625 orbits of 3,582 states); reads=2 sees an uncommitted write vanish (6 states)', async () => {
    const one = await check(spec('majorityAck', { failover: 'longest', reads: 1 }));
    expect(counts(one)).toEqual(['ok', 625, 1293, 14]);
    expect(one.symmetry?.states).toBe(3582);
    expect(counts(await check(spec('majorityAck', { failover: 'longest', reads: 1 }), { symmetry: false }))).toEqual(['ok', 3582, 7140, 14]);
    const two = await check(spec('majorityAck', { failover: 'longest', reads: 2 }));
    expect(counts(two)).toEqual(['violation', 98, 180, 6]); // stopped at the first violation
    const [v] = linearizable(two);
    const steps = v!.trace!.steps;
    expect(steps.map((s) => s.action)).toEqual([null, 'ClientWrite', 'Read', 'Crash', 'Failover', 'Read']);
    // The first read returns write 1 from the primary alone; the promoted backup never had it.
    expect((steps[2]!.state as any).hist.last().result).toBe(1);
    expect((steps.at(-1)!.state as any).hist.last().result).toBe(0);
    expect((steps.at(-1)!.state as any).acked).toBe(0);
  });
});
