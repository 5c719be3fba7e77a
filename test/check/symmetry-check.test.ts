// --check-symmetry: catches specs that are not symmetric in their scalarsets, and passes every
// bundled spec that declares one.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSpec, isSpec, type Spec } from 'synod';
import { checkSymmetry } from '../../src/check/symmetry-check.js';
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
    expect(r).toEqual({ statesChecked: 8, renamings: 2, problem: null });
  });

  const files = readdirSync('specs').filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    it(`bundled spec ${file} and its variants are symmetric where they declare scalarsets`, async () => {
      const mod = await import(/* @vite-ignore */ `../../specs/${file}`);
      const spec = mod.default as Spec;
      expect(isSpec(spec)).toBe(true);
      for (const variant of [null, ...Object.keys(spec.variants ?? {})]) {
        const r = checkSymmetry(compileSpec(spec, { variant }), 200);
        expect(r.problem, `${file} ${variant ?? ''}`).toBeNull();
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
