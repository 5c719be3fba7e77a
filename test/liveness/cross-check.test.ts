// The fair-lasso search against the subset-enumeration oracle (test/reference/liveness.ts) on
// random tiny specs with random fairness and a random liveness property: same verdict, same
// shortest prefix, and every lasso synod prints replays as a fair behaviour violating it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysEventually, check, compileSpec, defineSpec, eventually, eventuallyAlways, leadsTo, type Fairness, type Spec } from 'synod';
import { all, atom, buildSpec, specDesc, type Atom, type SpecDesc } from '../reference/random-spec.js';
import { explicitGraph, lassoProblem, referenceLiveness } from '../reference/liveness.js';

type Form = 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';
interface LiveDesc { spec: SpecDesc; fair: Array<Fairness | null>; form: Form; p: Atom[]; q: Atom[] }

const liveDesc: fc.Arbitrary<LiveDesc> = fc.record({
  spec: specDesc,
  fair: fc.array(fc.constantFrom<Fairness | null>(null, null, 'weak', 'strong', 'weak-each', 'strong-each'), { minLength: 4, maxLength: 4 }),
  form: fc.constantFrom<Form>('eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways'),
  p: fc.array(atom, { minLength: 1, maxLength: 2 }),
  q: fc.array(atom, { minLength: 1, maxLength: 2 }),
});

/** The random spec with fairness on its actions and one liveness property `live`. */
function withLiveness(d: LiveDesc): Spec {
  const base = buildSpec(d.spec);
  return defineSpec({
    ...base,
    actions: (T: any, p: any) => {
      const acts = base.actions(T, p);
      return Object.fromEntries(Object.entries(acts).map(([name, a], i) => {
        let fair = d.fair[i] ?? undefined;
        // Per-instance fairness needs static domains.
        if (fair?.endsWith('-each') && ['member', 'idThenUpTo'].includes(d.spec.actions[i]!.over)) fair = fair.replace('-each', '') as Fairness;
        return [name, { ...a, fair }];
      }));
    },
    properties: (T: any, p: any) => {
      const P = (s: any) => all(d.p, s, [], T);
      const Q = (s: any) => all(d.q, s, [], T);
      const live = d.form === 'eventually' ? eventually(P) : d.form === 'leadsTo' ? leadsTo(P, Q)
        : d.form === 'alwaysEventually' ? alwaysEventually(P) : eventuallyAlways(P);
      return { ...base.properties!(T, p), live };
    },
  });
}

describe('fair-lasso search agrees with the subset-enumeration oracle', () => {
  it('on 250 random tiny specs with random fairness', async () => {
    let checked = 0;
    let violated = 0;
    await fc.assert(
      fc.asyncProperty(liveDesc, async (d) => {
        const spec = compileSpec(withLiveness(d));
        const graph = explicitGraph(spec, 11);
        fc.pre(graph !== null);
        const l = spec.liveness[0]!;
        const expected = referenceLiveness(spec, graph!, l);
        const r = await check(spec, { symmetry: false, deadlock: false, continueAfterViolation: true });
        expect(r.error).toBeNull();
        expect(r.liveness?.states).toBe(graph!.size);
        const v = r.violations.find((x) => x.kind === 'liveness');
        expect(v ? v.trace!.loop! + 1 : null, 'prefix length (null: holds)').toBe(expected);
        if (v) {
          expect(lassoProblem(spec, v.trace!, l)).toBeNull();
          violated++;
        }
        checked++;
      }),
      { numRuns: 250, seed: 20250612 },
    );
    // Guard against a vacuous run: both verdicts occur often.
    expect(checked).toBeGreaterThan(100);
    expect(violated).toBeGreaterThan(20);
    expect(checked - violated).toBeGreaterThan(20);
  });
});
