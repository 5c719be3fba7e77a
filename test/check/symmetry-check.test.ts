// The symmetry soundness check (on by default before a reduced search): catches specs that are
// not symmetric in their scalarsets, keeps to the state constraint, reports spec code that throws
// as the engine does, and passes every bundled spec that declares one (read from results/).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Map } from 'immutable';
import { check, compileSpec, defineSpec, isSpec, t, type Spec } from 'synod';
import { checkSymmetry } from '../../src/check/symmetry-check.js';
import { symmetricScalarsets } from '../../src/state/symmetry.js';
import asymmetric from '../fixtures/asymmetric.js';

describe('checkSymmetry', () => {
  it('names an action that treats one id specially', () => {
    const r = checkSymmetry(compileSpec(asymmetric));
    expect(r.problem).toMatchObject({ culprit: 'action Lead', renaming: 'n1 <-> n2' });
  });

  it('names a property that singles out an id', () => {
    const r = checkSymmetry(compileSpec(asymmetric, { variant: 'symmetricActions' }));
    expect(r.problem).toMatchObject({ culprit: 'property n2NeverLeads' });
  });

  it('passes a symmetric spec', () => {
    const r = checkSymmetry(compileSpec(asymmetric, { variant: 'sound' }));
    expect(r).toEqual({ statesChecked: 8, renamings: 2, problem: null, failure: null });
  });

  // A default check runs this check (the default budget) before a reduced search, and a problem
  // or a failure in it is the run's error (SYN308 or the spec's own): results/ holds a default
  // check of every bundled spec and variant, and test/cli/results.test.ts proves it is what the
  // engine finds now. Read there, not run a second time here.
  const files = readdirSync('specs').filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    it(`bundled spec ${file} and its variants are symmetric where they declare scalarsets (their results/ summaries)`, async () => {
      const mod = await import(/* @vite-ignore */ `../../specs/${file}`);
      const spec = mod.default as Spec;
      expect(isSpec(spec)).toBe(true);
      for (const variant of [null, ...Object.keys(spec.variants ?? {})]) {
        const name = `${spec.name}${variant ? `.${variant}` : ''}`;
        const summary = JSON.parse(readFileSync(join('results', `${name}.json`), 'utf8'));
        expect([summary.spec, summary.variant, summary.params], name).toEqual([spec.name, variant, compileSpec(spec, { variant }).params]);
        expect([summary.verdict, summary.error], name).toEqual([expect.not.stringMatching(/^error$/), null]);
        // Reduced exactly where the spec declares symmetric scalarsets: there the check ran.
        const scalarsets = symmetricScalarsets(compileSpec(spec, { variant }).stateType).map((x) => x.name).sort();
        expect([...(summary.symmetry?.scalarsets ?? [])].sort(), name).toEqual(scalarsets);
      }
    });
  }
});

describe('checkSymmetry on initial states', () => {
  it('names initial states that single out an id', async () => {
    const { defineSpec, t } = await import('synod');
    const { Map } = await import('immutable');
    const spec = defineSpec({
      name: 'lopsided',
      types: () => {
        const Node = t.scalarset('Node', 2);
        return { Node, state: t.record({ primary: t.map(Node, t.bool()) }) };
      },
      init: (T) => T.state.make({ primary: Map([['n1', true], ['n2', false]]) }),
      actions: () => ({ Stay: { then: (s) => s } }),
    });
    expect(checkSymmetry(compileSpec(spec)).problem).toMatchObject({ culprit: 'the initial states', renaming: 'n1 <-> n2' });
  });
});

/** Counters per node up to `max`; `inc` may overshoot the declared range by one. */
const counters = (constraintMax: number) => defineSpec({
  name: 'counters',
  types: () => {
    const Node = t.scalarset('Node', 2);
    return { Node, state: t.record({ n: t.map(Node, t.int(0, 2)) }) };
  },
  init: (T) => T.state.make({ n: Map(T.Node.values.map((x) => [x, 0] as const)) }),
  actions: (T) => ({ inc: { over: [T.Node], then: (s, x) => s.setIn(['n', x], s.n.get(x)! + 1) } }),
  constraint: (s) => s.n.every((v) => v < constraintMax),
});

describe('the check by default, in check()', () => {
  it('keeps to the state constraint: states outside it are not expanded (no value outside its type)', async () => {
    const spec = compileSpec(counters(2), {});
    expect(checkSymmetry(spec)).toMatchObject({ problem: null, failure: null });
    const r = await check(spec, { deadlock: false });
    expect(r.error).toBeNull();
    expect(r.verdict).toBe('ok');
  });

  it('reports a successor outside its declared type as SYN304 with the trace to its state, as the engine does', async () => {
    const spec = compileSpec(counters(3), {});
    expect(checkSymmetry(spec).failure).toMatchObject({ code: 'SYN304', action: 'inc(n1)', path: [0, 0, 0] });
    const r = await check(spec, { deadlock: false });
    expect(r.error).toMatchObject({ code: 'SYN304', action: 'inc(n1)' });
    expect(r.error!.trace!.steps.map((s) => s.label)).toEqual(['Initial predicate', 'inc(n1)', 'inc(n1)']);
  });

  it('refuses an asymmetric spec (SYN308) naming the action and both states; off with checkSymmetry: false or without symmetry', async () => {
    const spec = compileSpec(asymmetric);
    const r = await check(spec);
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ code: 'SYN308', action: 'Lead' });
    expect(r.error!.message).toContain('Lead(n1) leads to');
    expect(r.error!.message).toMatch(/state: .*\n.*renamed: /);
    expect((await check(spec, { checkSymmetry: false })).verdict).toBe('ok');
    expect((await check(spec, { symmetry: false })).verdict).toBe('ok');
  });

  it('names a liveness property that singles out an id', async () => {
    const { eventually } = await import('synod');
    const spec = compileSpec(defineSpec({
      ...asymmetric,
      variants: undefined,
      actions: asymmetric.variants!.sound!.actions as never,
      properties: (_T: unknown) => ({ n1Leads: eventually((s: any) => s.role.get('n1') === 'leader') }),
    } as never));
    expect(checkSymmetry(spec).problem).toMatchObject({ culprit: 'property n1Leads' });
  });
});
