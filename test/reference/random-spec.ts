// Random small specs for the cross-check: fast-check draws a plain-data description (it shrinks
// and prints readably), and buildSpec turns it into a real spec written with the DSL.
import fc from 'fast-check';
import { List, Map as IMap, Set as ISet } from 'immutable';
import { always, defineSpec, sometimes, t, type Infer, type Spec } from 'synod';

export type Rel = '<' | '<=' | '==' | '!=' | '>=' | '>';
/** A small index, or an action argument read as an index (an id or enum value by its position). */
export type Val = number | 'arg0' | 'arg1';

/** A comparison on one field; conditions are conjunctions of atoms. */
export type Atom =
  | { f: 'a'; rel: Rel; v: Val }
  | { f: 'b'; is: boolean }
  | { f: 'e'; is: Val; neg: boolean }
  | { f: 'm'; key: Val; rel: Rel; v: Val }
  | { f: 's'; has: Val; neg: boolean }
  | { f: 's#'; rel: Rel; v: number }
  | { f: 'o'; isNull: boolean }
  | { f: 'q#'; rel: Rel; v: number };

/** A change to one field; values out of range wrap (set) or wrap/clamp (inc, dec). */
export type Update =
  | { f: 'a'; op: 'set'; v: Val }
  | { f: 'a'; op: 'inc' | 'dec'; wrap: boolean }
  | { f: 'b'; op: 'flip' }
  | { f: 'e'; op: 'set'; v: Val }
  | { f: 'm'; op: 'set'; key: Val; v: Val }
  | { f: 'm'; op: 'inc' | 'dec'; key: Val; wrap: boolean }
  | { f: 's'; op: 'add' | 'remove'; v: Val }
  | { f: 'o'; op: 'set'; v: Val | null }
  | { f: 'q'; op: 'push'; v: Val }
  | { f: 'q'; op: 'shift' };

export interface ActionDesc {
  /** none; over Id (a type); over [0, 1] (a list); over the members of s (a function of the
   * state); over Id then 0..m[id] (a function of the state and the earlier argument). */
  over: 'none' | 'id' | 'int' | 'member' | 'idThenUpTo';
  when: Atom[];
  /** One successor, or two (returned as an array). */
  then: Update[][];
  /** When this holds the effect returns nothing (null or []), though the guard held. */
  nothingIf: Atom | null;
  nothingAs: 'null' | 'empty';
}

export interface SpecDesc {
  sizes: { ids: number; aHi: number; mHi: number; setOf: 'id' | 'enum'; qMax: number };
  /** Each initial state is the all-zero state with these updates. */
  inits: Update[][];
  actions: ActionDesc[];
  /** Invariant i: not all of invariants[i] hold at once (so too the constraint). */
  invariants: Atom[][];
  /** A step property comparing a measure of the field before and after. */
  step: { measure: 'a' | 'm' | 's' | 'q'; rel: '>=' | '<=' | 'near' } | null;
  witness: Atom[] | null;
  constraint: Atom[] | null;
  terminal: Atom[] | null;
}

function typesOf(d: SpecDesc) {
  const Id = t.scalarset('Id', d.sizes.ids, { prefix: 'i' });
  const E = t.enum('x', 'y', 'z');
  const Elem: { values: readonly string[]; size: number } = d.sizes.setOf === 'id' ? Id : E;
  const state = t.record({
    a: t.int(0, d.sizes.aHi),
    b: t.bool(),
    e: E,
    m: t.map(Id, t.int(0, d.sizes.mHi)),
    s: t.set<string>(d.sizes.setOf === 'id' ? Id : E),
    o: t.option(Id),
    q: t.seq(E, d.sizes.qMax),
  });
  return { Id, E, Elem, state };
}
type T = ReturnType<typeof typesOf>;
type S = Infer<T['state']>;

/** Reads a Val given the action's arguments. */
function index(v: Val, args: readonly unknown[], T: T): number {
  if (typeof v === 'number') return v;
  const x = args[v === 'arg0' ? 0 : 1];
  if (typeof x === 'number') return x;
  if (typeof x === 'string') return T.Id.index.get(x) ?? T.E.index.get(x) ?? 0;
  return 0;
}

export function compare(x: number, rel: Rel, y: number): boolean {
  switch (rel) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '==': return x === y;
    case '!=': return x !== y;
    case '>=': return x >= y;
    case '>': return x > y;
  }
}

/** The set element a Val names: an id or an enum value, by what the set holds. */
const elemOf = (i: number, T: T) => T.Elem.values[i % T.Elem.size]!;

export function holds(at: Atom, s: S, args: readonly unknown[], T: T): boolean {
  const ix = (v: Val) => index(v, args, T);
  const id = (v: Val) => T.Id.values[ix(v) % T.Id.size]!;
  switch (at.f) {
    case 'a': return compare(s.a, at.rel, ix(at.v));
    case 'b': return s.b === at.is;
    case 'e': return (s.e === T.E.values[ix(at.is) % 3]) !== at.neg;
    case 'm': return compare(s.m.get(id(at.key))!, at.rel, ix(at.v));
    case 's': return s.s.has(elemOf(ix(at.has), T)) !== at.neg;
    case 's#': return compare(s.s.size, at.rel, at.v);
    case 'o': return (s.o === null) === at.isNull;
    case 'q#': return compare(s.q.size, at.rel, at.v);
  }
}

export const all = (atoms: Atom[], s: S, args: readonly unknown[], T: T) => atoms.every((at) => holds(at, s, args, T));

function apply(u: Update, s: S, args: readonly unknown[], d: SpecDesc, T: T): S {
  const ix = (v: Val) => index(v, args, T);
  const id = (v: Val) => T.Id.values[ix(v) % T.Id.size]!;
  const step = (x: number, hi: number, up: boolean, wrap: boolean) =>
    wrap ? (x + (up ? 1 : hi)) % (hi + 1) : Math.max(0, Math.min(hi, x + (up ? 1 : -1)));
  switch (u.f) {
    case 'a': return s.set('a', u.op === 'set' ? ix(u.v) % (d.sizes.aHi + 1) : step(s.a, d.sizes.aHi, u.op === 'inc', u.wrap));
    case 'b': return s.set('b', !s.b);
    case 'e': return s.set('e', T.E.values[ix(u.v) % 3]!);
    case 'm': {
      const k = id(u.key);
      const x = u.op === 'set' ? ix(u.v) % (d.sizes.mHi + 1) : step(s.m.get(k)!, d.sizes.mHi, u.op === 'inc', u.wrap);
      return s.set('m', s.m.set(k, x));
    }
    case 's': {
      const e = elemOf(ix(u.v), T);
      return s.set('s', u.op === 'add' ? s.s.add(e) : s.s.remove(e));
    }
    case 'o': return s.set('o', u.v === null ? null : id(u.v));
    case 'q':
      if (u.op === 'shift') return s.set('q', s.q.shift());
      return s.q.size < d.sizes.qMax ? s.set('q', s.q.push(T.E.values[ix(u.v) % 3]!)) : s;
  }
}

const applyAll = (us: Update[], s: S, args: readonly unknown[], d: SpecDesc, T: T) => us.reduce((x, u) => apply(u, x, args, d, T), s);

const measures = {
  a: (s: S) => s.a,
  m: (s: S) => s.m.reduce((sum, x) => sum + x, 0),
  s: (s: S) => s.s.size,
  q: (s: S) => s.q.size,
};

function domainOf(over: ActionDesc['over'], T: T): unknown[] {
  switch (over) {
    case 'none': return [];
    case 'id': return [T.Id];
    case 'int': return [[0, 1]];
    // Sorted, so the order of arguments is a function of the state's value, not its history.
    case 'member': return [(s: S) => [...s.s].sort()];
    case 'idThenUpTo': return [T.Id, (s: S, i: string) => Array.from({ length: s.m.get(i)! + 1 }, (_, n) => n)];
  }
}

export function buildSpec(d: SpecDesc): Spec {
  return defineSpec({
    name: 'random',
    types: () => typesOf(d),
    init: (T) => {
      const zero = T.state.make({
        a: 0, b: false, e: 'x', m: IMap(T.Id.values.map((i) => [i, 0] as const)), s: ISet<string>(), o: null, q: List<'x' | 'y' | 'z'>(),
      });
      return d.inits.map((us) => applyAll(us, zero, [], d, T));
    },
    actions: (T) => Object.fromEntries(d.actions.map((a, i) => [`A${i}`, {
      over: domainOf(a.over, T) as never,
      when: (s: S, ...args: unknown[]) => all(a.when, s, args, T),
      then: (s: S, ...args: unknown[]) => {
        if (a.nothingIf && holds(a.nothingIf, s, args, T)) return a.nothingAs === 'null' ? null : [];
        const nexts = a.then.map((us) => applyAll(us, s, args, d, T));
        return nexts.length === 1 ? nexts[0]! : nexts;
      },
    }])),
    properties: (T) => {
      const props: Record<string, ReturnType<typeof always<S>> | ReturnType<typeof always.step<S>> | ReturnType<typeof sometimes<S>>> = {};
      d.invariants.forEach((bad, i) => { props[`inv${i}`] = always((s: S) => !all(bad, s, [], T)); });
      const { step, witness } = d;
      if (step) {
        const f = measures[step.measure];
        props.step = always.step((s: S, n: S) => step.rel === '>=' ? f(n) >= f(s) : step.rel === '<=' ? f(n) <= f(s) : Math.abs(f(n) - f(s)) <= 1);
      }
      if (witness) props.witness = sometimes((s: S) => all(witness, s, [], T));
      return props;
    },
    constraint: d.constraint ? (s, T) => !all(d.constraint!, s, [], T) : undefined,
    terminal: d.terminal ? (s, T) => all(d.terminal!, s, [], T) : undefined,
  });
}

/** An upper bound on reachable states: fields no action writes keep their initial values. */
export function stateBound(d: SpecDesc): number {
  const { ids, aHi, mHi, setOf, qMax } = d.sizes;
  let q = 0;
  for (let n = 0; n <= qMax; n++) q += 3 ** n;
  const size = { a: aHi + 1, b: 2, e: 3, m: (mHi + 1) ** ids, s: 2 ** (setOf === 'id' ? ids : 3), o: ids + 1, q };
  const written = new Set(d.actions.flatMap((a) => a.then.flat().map((u) => u.f)));
  return d.inits.length * [...written].reduce((p, f) => p * size[f], 1);
}

const rel = fc.constantFrom<Rel>('<', '<=', '==', '!=', '>=', '>');
const val: fc.Arbitrary<Val> = fc.oneof(
  { weight: 2, arbitrary: fc.nat(2) },
  { weight: 2, arbitrary: fc.constant<Val>('arg0') },
  { weight: 1, arbitrary: fc.constant<Val>('arg1') },
);
const small = fc.nat(3);

export const atom: fc.Arbitrary<Atom> = fc.oneof(
  fc.record({ f: fc.constant('a' as const), rel, v: val }),
  fc.record({ f: fc.constant('b' as const), is: fc.boolean() }),
  fc.record({ f: fc.constant('e' as const), is: val, neg: fc.boolean() }),
  fc.record({ f: fc.constant('m' as const), key: val, rel, v: val }),
  fc.record({ f: fc.constant('s' as const), has: val, neg: fc.boolean() }),
  fc.record({ f: fc.constant('s#' as const), rel, v: small }),
  fc.record({ f: fc.constant('o' as const), isNull: fc.boolean() }),
  fc.record({ f: fc.constant('q#' as const), rel, v: small }),
);

/** Atoms false in the all-zero state, so that "not all of these" is often an invariant. */
const rareAtom: fc.Arbitrary<Atom> = fc.oneof(
  fc.record({ f: fc.constant('a' as const), rel: fc.constant('>=' as const), v: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ f: fc.constant('b' as const), is: fc.constant(true) }),
  fc.record({ f: fc.constant('e' as const), is: fc.integer({ min: 1, max: 2 }), neg: fc.constant(false) }),
  fc.record({ f: fc.constant('m' as const), key: val, rel: fc.constant('>=' as const), v: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ f: fc.constant('s' as const), has: val, neg: fc.constant(false) }),
  fc.record({ f: fc.constant('s#' as const), rel: fc.constant('>=' as const), v: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ f: fc.constant('o' as const), isNull: fc.constant(false) }),
  fc.record({ f: fc.constant('q#' as const), rel: fc.constant('>=' as const), v: fc.integer({ min: 1, max: 2 }) }),
);
const rare = fc.array(rareAtom, { minLength: 1, maxLength: 3 });

// Weighted towards changes that grow the state space (inc, add, push) over constant sets.
const w = <V>(weight: number, arbitrary: fc.Arbitrary<V>) => ({ weight, arbitrary });
export const update: fc.Arbitrary<Update> = fc.oneof(
  w(1, fc.record({ f: fc.constant('a' as const), op: fc.constant('set' as const), v: val })),
  w(3, fc.record({ f: fc.constant('a' as const), op: fc.constantFrom('inc' as const, 'dec' as const), wrap: fc.boolean() })),
  w(2, fc.record({ f: fc.constant('b' as const), op: fc.constant('flip' as const) })),
  w(1, fc.record({ f: fc.constant('e' as const), op: fc.constant('set' as const), v: val })),
  w(1, fc.record({ f: fc.constant('m' as const), op: fc.constant('set' as const), key: val, v: val })),
  w(3, fc.record({ f: fc.constant('m' as const), op: fc.constantFrom('inc' as const, 'dec' as const), key: val, wrap: fc.boolean() })),
  w(3, fc.record({ f: fc.constant('s' as const), op: fc.constantFrom('add' as const, 'remove' as const), v: val })),
  w(1, fc.record({ f: fc.constant('o' as const), op: fc.constant('set' as const), v: fc.option(val) })),
  w(2, fc.record({ f: fc.constant('q' as const), op: fc.constant('push' as const), v: val })),
  w(1, fc.record({ f: fc.constant('q' as const), op: fc.constant('shift' as const) })),
);

/** Null most of the time (and when shrinking), else a value. */
const rarely = <V>(arb: fc.Arbitrary<V>): fc.Arbitrary<V | null> =>
  fc.oneof({ withCrossShrink: true }, w(2, fc.constant(null)), w(1, arb));

const action: fc.Arbitrary<ActionDesc> = fc.record({
  over: fc.oneof(w(2, fc.constant('none' as const)), w(3, fc.constant('id' as const)), w(2, fc.constant('int' as const)),
    w(1, fc.constant('member' as const)), w(2, fc.constant('idThenUpTo' as const))),
  when: fc.oneof(w(4, fc.constant([] as Atom[])), w(2, fc.array(atom, { minLength: 1, maxLength: 1 })), w(1, fc.array(atom, { minLength: 2, maxLength: 2 }))),
  then: fc.array(fc.array(update, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
  nothingIf: rarely(rareAtom),
  nothingAs: fc.constantFrom('null', 'empty'),
});

const actionCount = fc.oneof({ withCrossShrink: true }, w(1, fc.constant(1)), w(1, fc.constant(2)), w(2, fc.constant(3)), w(3, fc.constant(4)));

// The static bound is loose: reachable spaces run at 1-5% of it (with the test's seed: median
// 10 distinct states, at most about 1,400 distinct and 20,000 generated).
export const MAX_BOUND = 40000;

export const specDesc: fc.Arbitrary<SpecDesc> = fc.record({
  sizes: fc.record({
    ids: fc.integer({ min: 2, max: 3 }),
    aHi: fc.integer({ min: 1, max: 3 }),
    mHi: fc.integer({ min: 1, max: 2 }),
    setOf: fc.constantFrom('id', 'enum'),
    qMax: fc.integer({ min: 1, max: 2 }),
  }),
  inits: fc.array(fc.array(update, { maxLength: 2 }), { minLength: 1, maxLength: 3 }),
  // Four drawn, then cut to 1-4 (mostly 3-4, as one action rarely reaches many states); the
  // cut shrinks towards one action.
  actions: fc.tuple(fc.array(action, { minLength: 4, maxLength: 4 }), actionCount).map(([as, n]) => as.slice(0, n)),
  invariants: fc.array(rare, { minLength: 1, maxLength: 2 }),
  step: rarely(fc.record({ measure: fc.constantFrom('a', 'm', 's', 'q'), rel: fc.constantFrom('>=', '<=', 'near') })),
  witness: rarely(rare),
  constraint: rarely(rare),
  terminal: rarely(fc.array(atom, { minLength: 1, maxLength: 2 })),
}).filter((d) => stateBound(d) <= MAX_BOUND);
