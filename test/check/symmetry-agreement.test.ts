// Symmetry reduction never changes a safety verdict or a shortest-trace length: every bundled
// spec and variant, checked with and without it (liveness: test/liveness/symmetry-agreement.test.ts).
// The soundness check that precedes a reduced search is skipped (symmetry-check.test.ts tests
// it; here it would cost more than most of these searches). Specs whose unreduced space is large are listed by name (so a new one forces a decision);
// their own tests compare smaller configurations.
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { check, compileSpec, type Spec } from 'synod';

const UNREDUCED_LIMIT = 20_000;

it('verdicts and shortest trace lengths agree with and without symmetry (every bundled spec and variant)', { timeout: 600_000 }, async () => {
  const tooLarge: string[] = [];
  for (const file of readdirSync('specs').filter((f) => f.endsWith('.ts')).sort()) {
    const spec = (await import(/* @vite-ignore */ `../../specs/${file}`)).default as Spec;
    for (const variant of [null, ...Object.keys(spec.variants ?? {})]) {
      const name = `${spec.name}${variant ? `.${variant}` : ''}`;
      // Orbits are never more than states: a reduced run cut at the limit is too large unreduced.
      const on = await check(compileSpec(spec, { variant }), { maxStates: UNREDUCED_LIMIT, liveness: false, checkSymmetry: false });
      if (on.stopReason === 'max-states' || (on.verdict === 'ok' && (on.symmetry?.states ?? 0) > UNREDUCED_LIMIT)) {
        tooLarge.push(name);
        continue;
      }
      const off = await check(compileSpec(spec, { variant }), { symmetry: false, liveness: false });
      const summary = (r: typeof on) => [r.verdict, r.stateDepth, r.violations.map((v) => [v.property, v.kind, v.trace?.steps.length ?? null])];
      expect(summary(on), name).toEqual(summary(off));
      if (on.symmetry && on.complete) expect(on.symmetry.states, name).toBe(off.distinctStates);
    }
  }
  expect(tooLarge).toEqual(['abd-register', 'fast-paxos', 'multi-paxos', 'paxos-livelock.reordering', 'paxos']);
});
