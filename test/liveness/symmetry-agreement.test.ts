// Liveness on the symmetry-reduced graph (annotated quotient) against the unreduced graph: the
// same verdict per property, on every bundled spec and variant and on random symmetric specs
// with random fairness (whole-action and per-instance) and a random liveness property; every
// lasso found on the reduced graph replays as a real execution that violates its property and
// honours every fairness condition (test/reference/liveness.ts judges it).
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysEventually, check, compileSpec, defineSpec, eventually, eventuallyAlways, leadsTo, type CheckResult, type CompiledSpec, type Fairness, type Spec } from 'synod';
import { replay } from '../../src/check/replay.js';
import { buildSymmetricSpec, symSpecDesc, type SymSpecDesc } from '../reference/symmetric-spec.js';
import { lassoProblem } from '../reference/liveness.js';

type Form = 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';

const verdicts = (r: CheckResult) => ({ verdict: r.verdict, properties: r.liveness?.properties.map((p) => [p.property, p.holds]) ?? null });

/** Every lasso in r replays step by step to the same states and is a fair behaviour violating its property. */
function lassosAreReal(spec: CompiledSpec, r: CheckResult, name: string): number {
  let n = 0;
  for (const v of r.violations.filter((x) => x.kind === 'liveness')) {
    const l = spec.liveness.find((x) => x.name === v.property)!;
    const again = replay(spec, v.trace!.path.split('/').map(Number));
    expect(again.steps.map((s) => s.label), name).toEqual(v.trace!.steps.map((s) => s.label));
    expect(lassoProblem(spec, v.trace!, l), `${name} ${v.property}`).toBeNull();
    n++;
  }
  return n;
}

describe('liveness on the reduced graph agrees with the unreduced graph', () => {
  it('every bundled spec and variant with liveness properties', { timeout: 600_000 }, async () => {
    let reduced = 0;
    for (const file of readdirSync('specs').filter((f) => f.endsWith('.ts')).sort()) {
      const mod = (await import(/* @vite-ignore */ `../../specs/${file}`)).default as Spec;
      for (const variant of [null, ...Object.keys(mod.variants ?? {})]) {
        const spec = compileSpec(mod, { variant });
        if (spec.liveness.length === 0) continue;
        const name = `${file} ${variant ?? ''}`;
        const opts = { continueAfterViolation: true, deadlock: false } as const;
        const on = await check(spec, opts);
        const off = await check(spec, { ...opts, symmetry: false });
        expect(verdicts(on), name).toEqual(verdicts(off));
        if (on.symmetry !== null) {
          expect(on.liveness!.unreducedBecause, name).toBeNull();
          expect(on.liveness!.reduced, name).toBe(true);
          expect(on.liveness!.states, name).toBe(on.distinctStates);
          reduced++;
        }
        lassosAreReal(spec, on, name);
      }
    }
    expect(reduced).toBeGreaterThan(3);
  });

  interface LiveSym { spec: SymSpecDesc; fair: Array<Fairness | null>; form: Form }
  const liveSym: fc.Arbitrary<LiveSym> = fc.record({
    spec: symSpecDesc,
    fair: fc.array(fc.constantFrom<Fairness | null>(null, 'weak', 'strong', 'weak-each', 'strong-each', 'weak-each'), { minLength: 6, maxLength: 6 }),
    form: fc.constantFrom<Form>('eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways'),
  });

  /** The random symmetric spec with fairness and one liveness property made of its own symmetric predicates. */
  function withLiveness(d: LiveSym): Spec {
    const base = buildSymmetricSpec(d.spec);
    return defineSpec({
      ...base,
      actions: (T: any, p: any) => Object.fromEntries(Object.entries(base.actions(T, p)).map(([name, a], i) => {
        let fair = d.fair[i % d.fair.length] ?? undefined;
        if (fair?.endsWith('-each') && d.spec.actions[i]!.firstHasRole !== null) fair = fair.replace('-each', '') as Fairness;
        return [name, { ...a, fair }];
      })),
      properties: (T: any, p: any) => {
        const props = base.properties!(T, p) as Record<string, any>;
        const P = props.witness.check as (s: unknown) => boolean;
        const Q = (props.inv0?.check ?? ((s: any) => s.counter > 0)) as (s: unknown) => boolean;
        const live = d.form === 'eventually' ? eventually(P) : d.form === 'leadsTo' ? leadsTo((s: unknown) => !Q(s), P)
          : d.form === 'alwaysEventually' ? alwaysEventually(P) : eventuallyAlways(P);
        return { ...props, live };
      },
    } as never);
  }

  it('on 300 random symmetric specs with random fairness', { timeout: 600_000 }, async () => {
    let checked = 0;
    let violated = 0;
    await fc.assert(
      fc.asyncProperty(liveSym, async (d) => {
        fc.pre(d.spec.witness !== null);
        const spec = compileSpec(withLiveness(d));
        const opts = { continueAfterViolation: true, deadlock: false, maxStates: 800 } as const;
        const off = await check(spec, { ...opts, symmetry: false });
        fc.pre(off.complete && off.error === null && off.distinctStates > 1);
        const on = await check(spec, opts);
        expect(on.error).toBeNull();
        expect(on.liveness!.reduced).toBe(true);
        expect(verdicts(on)).toEqual(verdicts(off));
        violated += lassosAreReal(spec, on, 'random') > 0 ? 1 : 0;
        checked++;
      }),
      { numRuns: 300, seed: 20261203 },
    );
    expect(checked).toBeGreaterThan(100);
    expect(violated).toBeGreaterThan(20);
    expect(checked - violated).toBeGreaterThan(20);
  });
});
