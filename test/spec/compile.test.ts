// Compiling a spec: params (defaults, command-line text parsed by type, errors SYN101/SYN102),
// variants (SYN103, param defaults, action overrides), type and action checks (SYN204), and
// the shape checks defineSpec makes when a spec module loads.
import { is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { always, codes, compileSpec, defineSpec, sometimes, t } from 'synod';
import { specError } from './spec-error.js';

const counter = defineSpec({
  name: 'counter',
  params: {
    max: { default: 3, min: 1, max: 10, doc: 'highest count' },
    step: 1,
    wrap: false,
    mode: { default: 'up', choices: ['up', 'down'] },
    label: 'x',
  },
  types: (p) => ({ Node: t.scalarset('Node', 2), state: t.record({ n: t.int(0, p.max) }) }),
  init: (T) => T.state.make({ n: 0 }),
  actions: (T, p) => ({
    inc: { when: (s) => s.n < p.max, then: (s) => s.set('n', s.n + 1) },
    reset: { then: (s) => s.set('n', 0) },
    poke: { over: [T.Node, [1, 2]], then: (s) => s },
    pick: { over: [T.Node, (s: { n: number }) => [s.n]], then: (s) => s },
  }),
  // A parameter (even unused) lets TypeScript type `s` from the spec's state.
  properties: (_T) => ({
    bounded: always((s) => s.n <= 3),
    monotone: always.step((s, next) => next.n >= s.n || next.n === 0),
    reaches: sometimes((s) => s.n === 1),
  }),
  variants: {
    big: { description: 'a bigger bound', params: { max: 7 } },
    noReset: { description: 'reset removed', actions: () => ({ reset: null }) },
    twice: {
      description: 'inc adds two; dec added',
      actions: (T, p) => ({
        inc: { then: (s) => s.set('n', Math.min(p.max, s.n + 2)) },
        dec: { when: (s) => s.n > 0, then: (s) => s.set('n', s.n - 1) },
      }),
    },
    typo: { description: 'names a param the spec does not have', params: { nope: 1 } as never },
    empty: { description: 'removes every action', actions: () => ({ inc: null, reset: null, poke: null, pick: null }) },
  },
});

const bare = defineSpec({
  name: 'bare',
  types: () => ({ state: t.record({ b: t.bool() }) }),
  init: (T) => T.state.make({ b: false }),
  actions: () => ({ flip: { then: (s) => s.set('b', !s.b) } }),
});

describe('params', () => {
  it('take their defaults', () => {
    const c = compileSpec(counter);
    expect(c.params).toEqual({ max: 3, step: 1, wrap: false, mode: 'up', label: 'x' });
    expect(c.variant).toBeNull();
    expect(c.name).toBe('counter');
  });

  it('parse command-line text by the type of their default, and shape the types', () => {
    const c = compileSpec(counter, { params: { max: '5', step: '-2', wrap: 'true', mode: 'down', label: '42' } });
    expect(c.params).toEqual({ max: 5, step: -2, wrap: true, mode: 'down', label: '42' });
    const n = c.stateType.fields[0]![1];
    expect(n.kind === 'int' && n.hi).toBe(5);
    expect(compileSpec(counter, { params: { max: ' 4 ', wrap: 'false' } }).params).toMatchObject({ max: 4, wrap: false });
    expect(compileSpec(counter, { params: { max: 9, wrap: true } }).params).toMatchObject({ max: 9, wrap: true });
  });

  it('SYN101 for an unknown param, with a hint listing the params', () => {
    const e = specError(() => compileSpec(counter, { params: { nodes: '3' } }));
    expect(e.code).toBe(codes.unknownParam);
    expect(e.code).toBe('SYN101');
    expect(e.message).toContain("no param 'nodes'");
    expect(e.message).toContain('command line');
    expect(e.hint).toMatch(/^params: max, step, wrap, mode, label\b/);
    expect(specError(() => compileSpec(bare, { params: { n: 1 } })).hint).toBe('this spec has no params');
  });

  it.each([
    ['max', 'abc', 'expected an integer'],
    ['max', '1.5', 'expected an integer'],
    ['max', '1e1', 'expected an integer'],
    ['max', '', 'expected an integer'],
    ['max', '0x5', 'expected an integer'],
    ['max', 2.5, 'expected an integer'],
    ['max', '99999999999999999999', 'expected an integer'],
    ['max', '0', 'must be at least 1, got 0'],
    ['max', '11', 'must be at most 10, got 11'],
    ['wrap', 'yes', 'expected true or false'],
    ['wrap', '1', 'expected true or false'],
    ['mode', 'sideways', "expected one of up, down, got 'sideways'"],
  ])('SYN102 for %s=%j', (name, raw, why) => {
    const e = specError(() => compileSpec(counter, { params: { [name]: raw } }));
    expect(e.code).toBe('SYN102');
    expect(e.message).toContain(`param '${name}' of spec 'counter'`);
    expect(e.message).toContain(why);
    if (name === 'max') expect(e.hint).toBe('max: highest count');
  });

  // Names inherited from Object.prototype are not params (a bug once accepted them).
  it('SYN101 for a param named like an Object.prototype member', () => {
    expect(specError(() => compileSpec(counter, { params: { toString: '5' } })).code).toBe('SYN101');
  });
});

describe('variants', () => {
  it('SYN103 for an unknown variant, with a hint listing the variants', () => {
    const e = specError(() => compileSpec(counter, { variant: 'huge' }));
    expect(e.code).toBe('SYN103');
    expect(e.message).toContain("no variant 'huge'");
    expect(e.hint).toBe('variants: big, noReset, twice, typo, empty');
    expect(specError(() => compileSpec(bare, { variant: 'big' })).hint).toBe('this spec has no variants');
  });

  // `--variant constructor` is not a variant (a bug once checked the base spec under that name).
  it('SYN103 for a variant named like an Object.prototype member', () => {
    expect(specError(() => compileSpec(counter, { variant: 'constructor' })).code).toBe('SYN103');
  });

  it('set param defaults, which the command line still overrides', () => {
    const big = compileSpec(counter, { variant: 'big' });
    expect(big.variant).toBe('big');
    expect(big.params.max).toBe(7);
    expect(compileSpec(counter, { variant: 'big', params: { max: '2' } }).params.max).toBe(2);
    const e = specError(() => compileSpec(counter, { variant: 'typo' }));
    expect(e.code).toBe('SYN101');
    expect(e.message).toContain('from the variant');
  });

  it('remove actions with null, and replace or add them by name', () => {
    const names = (variant: string | null) => compileSpec(counter, { variant }).actions.map((a) => `${a.index}:${a.name}`);
    expect(names(null)).toEqual(['0:inc', '1:reset', '2:poke', '3:pick']);
    expect(names('noReset')).toEqual(['0:inc', '1:poke', '2:pick']);
    expect(names('twice')).toEqual(['0:inc', '1:reset', '2:poke', '3:pick', '4:dec']);
    const c = compileSpec(counter, { variant: 'twice' });
    const s0 = c.initStates()[0];
    const inc = c.actions[0]!;
    expect(inc.when).toBeUndefined(); // the replacement has no guard of its own
    expect((inc.then(s0) as any).n).toBe(2);
    const e = specError(() => compileSpec(counter, { variant: 'empty' }));
    expect(e.code).toBe('SYN204');
    expect(e.message).toContain('no actions');
  });
});

describe('compiled actions and properties', () => {
  it('freeze static parameter domains and leave state-dependent ones open', () => {
    const c = compileSpec(counter);
    const poke = c.actions.find((a) => a.name === 'poke')!;
    expect(poke.arity).toBe(2);
    expect(poke.instances).toEqual([['n1', 1], ['n1', 2], ['n2', 1], ['n2', 2]]);
    expect(c.actions.find((a) => a.name === 'pick')!.instances).toBeNull();
    expect(c.actions.find((a) => a.name === 'inc')!.instances).toEqual([[]]);
  });

  it('sort properties by kind', () => {
    const c = compileSpec(counter);
    expect(c.invariants.map((p) => p.name)).toEqual(['bounded']);
    expect(c.steps.map((p) => p.name)).toEqual(['monotone']);
    expect(c.witnesses.map((p) => p.name)).toEqual(['reaches']);
    expect(c.initStates()).toHaveLength(1);
  });

  it('SYN204 for a property not made with always() or sometimes(), or an action without then', () => {
    const withProps = (properties: unknown) => defineSpec({ ...bare, name: 'p', properties: () => properties as never });
    expect(specError(() => compileSpec(withProps({ ok: (s: unknown) => !!s }))).code).toBe('SYN204');
    const noThen = defineSpec({ ...bare, name: 'q', actions: () => ({ flip: { when: () => true } as never }) });
    const e = specError(() => compileSpec(noThen));
    expect(e.code).toBe('SYN204');
    expect(e.message).toContain("action 'flip'");
  });
});

describe('types()', () => {
  const withTypes = (types: () => unknown) => defineSpec({ ...bare, name: 'typed', types: types as never });

  it.each<[string, () => unknown]>([
    ['state is not a record', () => ({ state: t.int(0, 1) })],
    ['no state', () => ({ S: t.record({ b: t.bool() }) })],
    ['nothing at all', () => undefined],
    ['a plain object as state', () => ({ state: { kind: 'map' } })],
  ])('SYN204 when %s', (_, types) => {
    const e = specError(() => compileSpec(withTypes(types)));
    expect(e.code).toBe('SYN204');
    expect(e.message).toContain("spec 'typed'");
  });

  it('SYN204 naming types() when it throws', () => {
    const e = specError(() => compileSpec(withTypes(() => t.int(3, 1))));
    expect(e.code).toBe('SYN204');
    expect(e.message).toMatch(/types threw: .*empty range/);
  });
});

describe('defineSpec shape checks', () => {
  const define = (over: Record<string, unknown>) => () => defineSpec({ ...bare, ...over } as never);

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a name with a space', { name: 'two phase' }, /^defineSpec: name must be a word/],
    ['an empty name', { name: '' }, /^defineSpec: name must be a word/],
    ['a name starting with a digit', { name: '2pc' }, /^defineSpec: name must be a word/],
    ['a missing name', { name: undefined }, /^defineSpec: name must be a word/],
    ['missing actions', { actions: undefined }, /'actions' must be a function/],
    ['actions given as an object', { actions: { flip: { then: () => null } } }, /'actions' must be a function/],
    ['missing init', { init: undefined }, /'init' must be a function/],
    ['missing types', { types: undefined }, /'types' must be a function/],
    ['properties not a function', { properties: {} }, /'properties' must be a function/],
    ['a param name that is not a word', { params: { 'max nodes': 3 } }, /param name 'max nodes' must be a word/],
    ['a param without a usable default', { params: { n: { min: 1 } } }, /param 'n' needs a number, boolean or string default/],
    ['a null param', { params: { n: null } }, /param 'n' needs/],
    ['a variant without a description', { variants: { bug: {} } }, /variant 'bug' needs a description/],
    ['a variant name that is not a word', { variants: { 'a bug': { description: 'x' } } }, /variant name 'a bug' must be a word/],
  ])('rejects %s at definition', (_, over, message) => {
    expect(define(over)).toThrow(TypeError);
    expect(define(over)).toThrow(message);
  });

  it('accepts a well-formed spec and freezes it', () => {
    const s = define({ name: 'two-phase_commit2', params: { n: { default: 2, min: 1 }, fast: true, mode: 'a' } })();
    expect(Object.isFrozen(s)).toBe(true);
    expect(compileSpec(s).params).toEqual({ n: 2, fast: true, mode: 'a' });
  });
});

describe('record equality across record types (the fast path keeps Immutable\'s rule)', () => {
  it('same keys and equal values are equal; other keys or values are not', () => {
    const A = t.record({ x: t.int(0, 3), y: t.bool() });
    const B = t.record({ x: t.int(0, 3), y: t.bool() });
    const C = t.record({ x: t.int(0, 3) });
    const M = t.union('type', { P: { x: t.int(0, 3) }, Q: {} });
    expect(is(A.make({ x: 1, y: true }), B.make({ x: 1, y: true }))).toBe(true);
    expect(is(A.make({ x: 1, y: true }), B.make({ x: 1, y: false }))).toBe(false);
    expect(is(A.make({ x: 1, y: true }), C.make({ x: 1 }))).toBe(false);
    expect(is(M.make({ type: 'P', x: 1 }), M.make({ type: 'Q' }))).toBe(false);
    expect(is(M.make({ type: 'P', x: 1 }), M.make({ type: 'P', x: 1 }))).toBe(true);
  });
});
