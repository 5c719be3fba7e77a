// specs/lease.ts: the default configuration's counts (with and without symmetry), its witnesses,
// and the exact shortest counterexample of each bug variant.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import lease from '../../specs/lease.js';

const labels = (trace: { steps: { label: string }[] } | null | undefined) => trace?.steps.map((s) => s.label);

describe('lease (bounded clock drift)', () => {
  it('defaults (nodes=2, leaseLength=3, drift=1, no horizon): exclusivity holds, 4,740 orbits of 9,456 states', async () => {
    const r = await check(compileSpec(lease));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 4740, 35194, 15]);
    expect(r.symmetry?.states).toBe(9456);
    expect(r.witnesses.map((w) => [w.property, w.trace?.steps.length])).toEqual([
      ['leaseInUse', 4],
      ['beliefOutlivesPromise', 7],
      ['holderCutOff', 8],
    ]);
    // The holder's Grant is lost; three ticks later the promise has run out, but not the margin.
    expect(labels(r.witnesses[2]!.trace)).toEqual([
      'Initial predicate', 'Ask(n1)', 'Ask(n2)', 'ReceiveRequest(Request(from: n1))', 'Drop(Grant(to: n1))', 'Tick', 'Tick', 'Tick',
    ]);
    expect(r.coverage.every((c) => c.distinct > 0)).toBe(true);
  });

  it('without symmetry: 9,456 distinct / 70,189 generated / depth 15', async () => {
    const r = await check(compileSpec(lease), { symmetry: false });
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 9456, 70189, 15]);
  });

  it('a horizon of 3 ticks adds a real-time counter: the same verdict over more states', async () => {
    const r = await check(compileSpec(lease, { params: { horizon: 3 } }));
    expect([r.verdict, r.distinctStates, r.totalStates, r.stateDepth]).toEqual(['ok', 9800, 49029, 12]);
  });

  /** Checks a variant: exclusivity fails in a shortest trace of `length` states, ending with two believers. */
  async function breaks(variant: string, length: number) {
    const r = await check(compileSpec(lease, { variant }));
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length])).toEqual([['leaseExclusivity', 'invariant', length]]);
    const steps = r.violations[0]!.trace!.steps;
    const last = steps.at(-1)!.state as any;
    expect([...last.left.values()].filter((l: number | null) => l !== null && l > 0)).toHaveLength(2);
    return steps;
  }

  it.each([
    ['noDriftMargin', 11],
    ['regrantAtExpiry', 10],
  ])('variant %s: a slow clock outlives the promise, shortest trace %i states', async (variant, length) => {
    await breaks(variant, length);
  });

  it('variant renewAcrossExpiry: a renewal that lands after the lease ran out revives it (14 states)', async () => {
    const steps = await breaks('renewAcrossExpiry', 14);
    const late = steps.findIndex((s, i) => i > 4 && s.label === 'ReceiveGrant(Grant(to: n1))');
    expect((steps[late - 1]!.state as any).left.get('n1')).toBe(0);
    expect((steps[late]!.state as any).left.get('n1')).toBe(3);
  });
});
