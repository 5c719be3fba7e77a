// Views (TLC's VIEW): states are told apart by their projection, traces stay real executions.
import { describe, expect, it } from 'vitest';
import { always, check, compileSpec, defineSpec, t } from 'synod';

const clock = defineSpec({
  name: 'clock',
  types: () => ({ state: t.record({ hour: t.int(0, 3), ticks: t.int(0, 9) }) }),
  init: (T) => T.state.make({ hour: 0, ticks: 0 }),
  actions: () => ({
    Tick: { then: (s) => s.merge({ hour: (s.hour + 1) % 4, ticks: Math.min(s.ticks + 1, 9) }) },
  }),
  properties: (_T) => ({ notThree: always((s) => s.hour !== 3) }),
  view: (s) => s.set('ticks', 0), // ticks is history: ignore it when comparing states
});

describe('view', () => {
  it('counts states by their view', async () => {
    const full = await check(compileSpec({ ...clock, view: undefined } as typeof clock), { deadlock: false, continueAfterViolation: true });
    const viewed = await check(compileSpec(clock), { deadlock: false, continueAfterViolation: true });
    expect(full.distinctStates).toBe(13); // ticks 0..9, then the hour cycles at ticks 9
    expect(viewed.distinctStates).toBe(4);
    expect(viewed.totalStates).toBe(5);
  });

  it('keeps traces real: the violating state carries its true history', async () => {
    const r = await check(compileSpec(clock), { deadlock: false });
    const last = r.violations[0]!.trace!.steps.at(-1)!.state as { hour: number; ticks: number };
    expect([last.hour, last.ticks]).toEqual([3, 3]);
  });
});
