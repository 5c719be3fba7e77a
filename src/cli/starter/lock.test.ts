// Checks the starter spec through synod's API, as a test of your own would. Written by
// `synod init`; run it with `npx vitest run --config vitest.config.mjs` in this folder.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import lock from './lock.js';

describe('lock', () => {
  it('keeps mutual exclusion, and some client gets the lock', async () => {
    const result = await check(compileSpec(lock));
    expect(result.verdict).toBe('ok');
    expect(result.witnesses.map((w) => w.property)).toEqual(['someoneWorks']);
  });

  it('checkThenAct lets two clients hold the lock: the shortest run has 5 states', async () => {
    const result = await check(compileSpec(lock, { variant: 'checkThenAct' }));
    expect(result.verdict).toBe('violation');
    expect(result.violations[0]?.property).toBe('mutualExclusion');
    expect(result.violations[0]?.trace?.steps.length).toBe(5);
  });
});
