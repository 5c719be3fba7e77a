// src/explore/lasso.ts and the lasso views: a liveness counterexample opens with its cycle (or
// stuttering) marked, the liveness properties it breaks shown violated, and its fairness judged;
// ITF files with `loop` open at the lasso's replay path. Model: the lossy channel fixture.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, compileSpec, SpecError } from 'synod';
import lossy from '../fixtures/lossy-channel.js';
import { Explorer } from '../../src/explore/session.js';
import { pathOfTrace, readTraceFile } from '../../src/explore/trace-file.js';
import { traceITF } from '../../src/report/summary.js';

const weak = () => new Explorer(lossy, { params: { fairness: 'weak' } });
const status = (v: any, name: string) => v.properties.find((p: any) => p.name === name);

/** The SpecError code a call throws. */
function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof SpecError ? e.code : 'not a SpecError';
  }
  return 'no error';
}

async function finished(ex: Explorer): Promise<void> {
  ex.startCheck(null);
  while (ex.checkStatus(null)!.status === 'running') await new Promise((r) => setTimeout(r, 10));
}

describe('liveness in the explorer', () => {
  it('lists liveness properties with their form and fairness, checked by Check until a check has run', async () => {
    const ex = weak();
    const v = ex.view(null, '0') as any;
    expect(v.lasso).toBeNull();
    expect(status(v, 'delivered')).toEqual({ name: 'delivered', doc: null, kind: 'eventually', fairness: ['WF(send)', 'WF(deliver)'], status: 'checked by Check', detail: null });
    expect(status(v, 'sentLeadsToDelivered')).toMatchObject({ kind: 'leadsTo', status: 'checked by Check' });
    await finished(ex);
    const after = ex.view(null, '0') as any;
    expect(status(after, 'delivered')).toMatchObject({ status: 'violated', detail: 'Check found a lasso' });
    const { violations } = ex.checkStatus(null)!.result as any;
    expect(violations.find((x: any) => x.property === 'sentLeadsToDelivered')).toMatchObject({ kind: 'liveness', path: '0/0/0/0', loop: 1 });

    const strong = new Explorer(lossy, { params: { fairness: 'strong' } });
    await finished(strong);
    expect(status(strong.view(null, '0'), 'delivered')).toMatchObject({ fairness: ['WF(send)', 'SF(deliver)'], status: 'holds', detail: 'in every fair behaviour' });
  });

  it('opens a cycling lasso from Check: the loop, the properties it breaks, fair', async () => {
    const spec = compileSpec(lossy, { params: { fairness: 'weak' } });
    const r = await check(spec);
    const lasso = r.violations.find((x) => x.property === 'sentLeadsToDelivered')!.trace!;
    // send, lose, send: state 4 is state 2 again (in flight), never delivered.
    const v = weak().view(null, lasso.path, String(lasso.loop)) as any;
    expect(v.trace.map((s: any) => s.label)).toEqual(['Initial predicate', 'send', 'lose', 'send']);
    expect(v.lasso).toEqual({ loop: 1, cycles: true, unfair: null, violates: ['delivered', 'sentLeadsToDelivered', 'quietInTheEnd'] });
    expect(status(v, 'sentLeadsToDelivered')).toMatchObject({ status: 'violated', detail: 'on this lasso' });
  });

  it('says when a lasso is not fair, and does not call the property violated then', () => {
    // Stuttering at the start while send is enabled breaks WF(send).
    const v = weak().view(null, '0', '0') as any;
    expect(v.lasso).toMatchObject({ cycles: false, unfair: 'WF(send): send is enabled throughout the state it stutters in but never taken' });
    expect(v.lasso.violates).toContain('delivered');
    expect(status(v, 'delivered')).toMatchObject({ status: 'checked by Check', detail: expect.stringContaining('not fair') });
    // send, lose for ever is weakly fair but not strongly: deliver is enabled again and again.
    const strong = new Explorer(lossy, { params: { fairness: 'strong' } }).view(null, '0/0/0', '0') as any;
    expect(strong.lasso).toMatchObject({ cycles: true, unfair: 'SF(deliver): deliver is enabled in the cycle but never taken' });
  });

  it('refuses a loop that does not make a lasso (SYN104)', () => {
    const ex = weak();
    expect(codeOf(() => ex.view(null, '0/0', 'x'))).toBe('SYN104');
    expect(codeOf(() => ex.view(null, '0/0', '2'))).toBe('SYN104');
    expect(() => ex.view(null, '0/0', '0')).toThrow(/not a lasso: state 2 is not state 1/);
  });
});

describe('lasso ITF files', () => {
  it('open at the replay path with their loop, with or without the recorded path', async () => {
    const spec = compileSpec(lossy, { params: { fairness: 'weak' } });
    const r = await check(spec);
    const trace = r.violations.find((x) => x.property === 'sentLeadsToDelivered')!.trace!;
    const doc = traceITF(trace, spec.stateType, { spec: spec.name, variant: null, params: spec.params, property: 'sentLeadsToDelivered' }) as any;
    const dir = mkdtempSync(join(tmpdir(), 'synod-lasso-'));
    writeFileSync(join(dir, 'a.itf.json'), JSON.stringify(doc));
    const saved = readTraceFile(join(dir, 'a.itf.json'));
    // ITF leaves out the state the cycle returns to: 3 states, loop 1.
    expect(saved).toMatchObject({ loop: 1, replayPath: '0/0/0/0' });
    expect(saved.states).toHaveLength(3);
    expect(pathOfTrace(spec, saved)).toBe('0/0/0/0');
    expect(pathOfTrace(spec, { ...saved, replayPath: null })).toBe('0/0/0/0');

    writeFileSync(join(dir, 'b.itf.json'), JSON.stringify({ ...doc, loop: 3 }));
    expect(() => readTraceFile(join(dir, 'b.itf.json'))).toThrow(/loop 3, not the index of one of its 3 states/);
  });
});
