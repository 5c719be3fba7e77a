// Random SYMMETRIC specs for the symmetry cross-check: fast-check draws a plain-data description
// (it shrinks and prints readably) and buildSymmetricSpec turns it into a real spec written with
// the DSL. Symmetric by construction: guards, effects and properties see ids only through the
// action's arguments and ids read from the state (the leader, the first argument's vote), compare
// ids only for equality, and otherwise use aggregates that ignore names (counts, every, some);
// properties quantify over every tuple of ids; the initial states are a set closed under renaming
// (the same updates applied for every tuple of ids). Nothing ever names an id or orders ids.
import fc from 'fast-check';
import { List, Map as IMap, Set as ISet, type RecordOf } from 'immutable';
import { always, defineSpec, sometimes, t, type ActionDef, type Property, type RecordType, type Spec, type Type } from 'synod';
import { compare, type Rel } from './random-spec.js';

/** An id: an argument, or one read from the state. Unresolved (null leader, no vote) makes an atom false and an update a no-op. */
export type Ref = 'a0' | 'a1' | 'leader' | 'vote0';
export type { Rel };
/** A per-node predicate, for aggregates. */
export type Pred = { p: 'role'; r: number } | { p: 'count'; rel: Rel; v: number } | { p: 'votedNull' } | { p: 'votedSelf' };

export type Atom =
  | { a: 'eq'; x: Ref; y: Ref; neg: boolean }
  | { a: 'role'; at: Ref; r: number; neg: boolean }
  | { a: 'count'; at: Ref; rel: Rel; v: number }
  | { a: 'countCmp'; x: Ref; y: Ref; rel: Rel }
  | { a: 'voted'; at: Ref; to: Ref | null; neg: boolean }
  | { a: 'votes'; at: Ref; rel: Rel; v: number } // how many nodes voted for `at`
  | { a: 'leader'; isNull: boolean }
  | { a: 'msg'; from: Ref; to: Ref; kind: number; neg: boolean }
  | { a: 'msgs#'; rel: Rel; v: number }
  | { a: 'nodes#'; pred: Pred; rel: Rel; v: number } // how many nodes satisfy pred
  | { a: 'quant'; q: 'every' | 'some'; pred: Pred; neg: boolean }
  | { a: 'counter'; rel: Rel; v: number }
  | { a: 'log'; at: Ref; head: boolean; neg: boolean } // `at` is in the log (at its head)
  | { a: 'log#'; rel: Rel; v: number }
  | { a: 'part'; at: Ref; is: number | null; neg: boolean } // null: no entry
  | { a: 'owner'; is: Ref | null; neg: boolean } // of the action's key argument
  | { a: 'owns'; at: Ref; rel: Rel; v: number };

export type Update =
  | { u: 'role'; at: Ref; r: number }
  | { u: 'allRole'; r: number }
  | { u: 'count'; at: Ref; op: 'inc' | 'dec' | 'set'; v: number; wrap: boolean }
  | { u: 'vote'; at: Ref; to: Ref | null }
  | { u: 'leader'; to: Ref | null }
  /** Adds a message unless the set already holds `msgCap`; `about`/`n` fill the extra field of 'about'/'big' messages. */
  | { u: 'send'; from: Ref; to: Ref; kind: number; about: Ref | null; n: number | 'counter' | 'count' }
  /** A message from `from` to every other node, when the set holds fewer than `msgCap`. */
  | { u: 'bcast'; from: Ref; kind: number }
  | { u: 'recv'; from: Ref; to: Ref; kind: number }
  | { u: 'drop'; to: Ref }
  | { u: 'counter'; op: 'inc' | 'dec'; wrap: boolean }
  | { u: 'log'; push: Ref | null } // null: shift
  | { u: 'part'; at: Ref; v: number | null } // null: delete
  | { u: 'owner'; to: Ref | null };

export interface ActionDesc {
  /** Node arguments (0-2), then a Key argument when `key` (and the spec has keys). */
  nodes: 0 | 1 | 2;
  key: boolean;
  /** Whether the first node ranges over the nodes that have role r (a function of the state). */
  firstHasRole: number | null;
  when: Atom[];
  /** One successor, or several (returned as an array). */
  then: Update[][];
  /** When this holds the effect returns null, though the guard held. */
  nothingIf: Atom | null;
}

/** ∃ a tuple of `nodes` ids (and a key) such that every atom holds. */
export interface Exists { nodes: 0 | 1 | 2; key: boolean; atoms: Atom[] }

export interface SymSpecDesc {
  sizes: { nodes: number; roles: number; countHi: number; counterHi: number; msgCap: number };
  /** plain {from,to,kind}; about adds an option(Node); big adds an int 0..40 (> 256 values: a sorted-list set). */
  shape: { msgs: 'plain' | 'about' | 'big'; part: boolean; log: boolean; keys: boolean };
  /** Each gives the states made from the zero state by `then`, for every tuple of `nodes` ids (all different when `distinct`). */
  inits: Array<{ nodes: 0 | 1 | 2; distinct: boolean; then: Update[] }>;
  actions: ActionDesc[];
  /** Invariant i: no tuple satisfies invariants[i] ("at most one leader": no two different leaders). */
  invariants: Exists[];
  step: { measure: Measure; rel: '>=' | '<=' | 'near' } | null;
  witness: Exists | null;
  /** States where some tuple satisfies it are outside the constraint. */
  constraint: Exists | null;
  terminal: Exists | null;
}

export type Measure = 'counter' | 'sumCount' | 'msgs' | 'leaders' | 'votes' | 'log' | 'eachCount';

const ROLES = ['f', 'c', 'l'];
const KINDS = ['req', 'ack'];
const PARTS = ['p', 'q'];
const BIG_N = 40;

export function typesOf(d: SymSpecDesc) {
  const Node = t.scalarset('Node', d.sizes.nodes);
  const Key = t.scalarset('Key', 2);
  const Role = t.enum(...ROLES.slice(0, d.sizes.roles));
  const Kind = t.enum(...KINDS);
  const extra: Record<string, Type> = d.shape.msgs === 'about' ? { about: t.option(Node) } : d.shape.msgs === 'big' ? { n: t.int(0, BIG_N) } : {};
  const Msg: RecordType = t.record({ from: Node, to: Node, kind: Kind, ...extra });
  // Typed loosely (RecordType<any>): the optional fields make a union the DSL's inference does not need here.
  const state: RecordType = t.record({
    role: t.map(Node, Role),
    count: t.map(Node, t.int(0, d.sizes.countHi)),
    votedFor: t.map(Node, t.option(Node)),
    leader: t.option(Node),
    msgs: t.set(Msg),
    counter: t.int(0, d.sizes.counterHi),
    ...(d.shape.part ? { part: t.partialMap(Node, t.enum(...PARTS)) } : {}),
    ...(d.shape.log ? { log: t.seq(Node, 2) } : {}),
    ...(d.shape.keys ? { owner: t.map(Key, t.option(Node)) } : {}),
  } as Record<string, Type>);
  return { Node, Key, Msg, state };
}
type T = ReturnType<typeof typesOf>;
type Msg = RecordOf<{ from: string; to: string; kind: string; about?: string | null; n?: number }>;
/** The state; the optional fields exist only when the description's shape has them. */
type S = RecordOf<{
  role: IMap<string, string>; count: IMap<string, number>; votedFor: IMap<string, string | null>; leader: string | null;
  msgs: ISet<Msg>; counter: number; part?: IMap<string, string>; log?: List<string>; owner?: IMap<string, string | null>;
}>;

/** What an atom or update sees: the state, the node arguments, the key argument. */
interface Ctx { s: S; args: readonly string[]; key: string | undefined; d: SymSpecDesc; T: T }

function resolve(r: Ref, c: Ctx): string | undefined {
  const leader = c.s.leader ?? undefined;
  switch (r) {
    case 'a0': return c.args[0] ?? leader;
    case 'a1': return c.args[1] ?? c.args[0] ?? leader;
    case 'leader': return leader;
    case 'vote0': {
      const n = c.args[0] ?? leader;
      return n === undefined ? undefined : c.s.votedFor.get(n) ?? undefined;
    }
  }
}

const roleName = (r: number, d: SymSpecDesc) => ROLES[r % d.sizes.roles]!;

function satisfies(p: Pred, n: string, c: Ctx): boolean {
  switch (p.p) {
    case 'role': return c.s.role.get(n) === roleName(p.r, c.d);
    case 'count': return compare(c.s.count.get(n)!, p.rel, p.v);
    case 'votedNull': return c.s.votedFor.get(n) === null;
    case 'votedSelf': return c.s.votedFor.get(n) === n;
  }
}

function holds(at: Atom, c: Ctx): boolean {
  const { s } = c;
  const one = (r: Ref, f: (n: string) => boolean) => { const n = resolve(r, c); return n !== undefined && f(n); };
  const target = (r: Ref | null): string | null | undefined => (r === null ? null : resolve(r, c));
  switch (at.a) {
    case 'eq': { const x = resolve(at.x, c), y = resolve(at.y, c); return x !== undefined && y !== undefined && (x === y) !== at.neg; }
    case 'role': return one(at.at, (n) => (s.role.get(n) === roleName(at.r, c.d)) !== at.neg);
    case 'count': return one(at.at, (n) => compare(s.count.get(n)!, at.rel, at.v));
    case 'countCmp': { const x = resolve(at.x, c), y = resolve(at.y, c); return x !== undefined && y !== undefined && compare(s.count.get(x)!, at.rel, s.count.get(y)!); }
    case 'voted': { const to = target(at.to); return to !== undefined && one(at.at, (n) => (s.votedFor.get(n) === to) !== at.neg); }
    case 'votes': return one(at.at, (n) => compare(s.votedFor.count((v) => v === n), at.rel, at.v));
    case 'leader': return (s.leader === null) === at.isNull;
    case 'msg': {
      const from = resolve(at.from, c), to = resolve(at.to, c);
      return from !== undefined && to !== undefined && s.msgs.some((m) => m.from === from && m.to === to && m.kind === KINDS[at.kind]) !== at.neg;
    }
    case 'msgs#': return compare(s.msgs.size, at.rel, at.v);
    case 'nodes#': return compare(c.T.Node.values.filter((n) => satisfies(at.pred, n, c)).length, at.rel, at.v);
    case 'quant': return (at.q === 'every' ? c.T.Node.values.every((n) => satisfies(at.pred, n, c)) : c.T.Node.values.some((n) => satisfies(at.pred, n, c))) !== at.neg;
    case 'counter': return compare(s.counter, at.rel, at.v);
    case 'log': return s.log !== undefined && one(at.at, (n) => (at.head ? s.log!.first() === n : s.log!.includes(n)) !== at.neg);
    case 'log#': return s.log !== undefined && compare(s.log.size, at.rel, at.v);
    case 'part': return s.part !== undefined && one(at.at, (n) => (s.part!.get(n) === (at.is === null ? undefined : PARTS[at.is])) !== at.neg);
    case 'owner': {
      const to = target(at.is);
      return s.owner !== undefined && c.key !== undefined && to !== undefined && (s.owner.get(c.key) === to) !== at.neg;
    }
    case 'owns': return s.owner !== undefined && one(at.at, (n) => compare(s.owner!.count((o) => o === n), at.rel, at.v));
  }
}

const all = (atoms: Atom[], c: Ctx) => atoms.every((at) => holds(at, c));

function apply(u: Update, c: Ctx): S {
  const { s, d } = c;
  const at = (r: Ref, f: (n: string) => S): S => { const n = resolve(r, c); return n === undefined ? s : f(n); };
  const step = (x: number, hi: number, up: boolean, wrap: boolean) =>
    wrap ? (x + (up ? 1 : hi)) % (hi + 1) : Math.max(0, Math.min(hi, x + (up ? 1 : -1)));
  switch (u.u) {
    case 'role': return at(u.at, (n) => s.set('role', s.role.set(n, roleName(u.r, d))));
    case 'allRole': return s.set('role', s.role.map(() => roleName(u.r, d)));
    case 'count': return at(u.at, (n) => s.set('count', s.count.set(n,
      u.op === 'set' ? u.v % (d.sizes.countHi + 1) : step(s.count.get(n)!, d.sizes.countHi, u.op === 'inc', u.wrap))));
    case 'vote': {
      const to = u.to === null ? null : resolve(u.to, c);
      return to === undefined ? s : at(u.at, (n) => s.set('votedFor', s.votedFor.set(n, to)));
    }
    case 'leader': {
      const to = u.to === null ? null : resolve(u.to, c);
      return to === undefined ? s : s.set('leader', to);
    }
    case 'send': {
      const from = resolve(u.from, c), to = resolve(u.to, c);
      if (from === undefined || to === undefined) return s;
      const base = { from, to, kind: KINDS[u.kind]! };
      let m: Msg;
      if (d.shape.msgs === 'about') {
        const about = u.about === null ? null : resolve(u.about, c) ?? null;
        m = c.T.Msg.make({ ...base, about } as never) as Msg;
      } else if (d.shape.msgs === 'big') {
        const n = u.n === 'counter' ? s.counter : u.n === 'count' ? s.count.get(from)! : u.n;
        m = c.T.Msg.make({ ...base, n: Math.min(n, BIG_N) } as never) as Msg;
      } else m = c.T.Msg.make(base as never) as Msg;
      return s.msgs.size >= d.sizes.msgCap && !s.msgs.has(m) ? s : s.set('msgs', s.msgs.add(m));
    }
    case 'bcast': return at(u.from, (from) => {
      if (s.msgs.size >= d.sizes.msgCap) return s;
      const others = c.T.Node.values.filter((n) => n !== from);
      const extra = d.shape.msgs === 'about' ? { about: null } : d.shape.msgs === 'big' ? { n: 0 } : {};
      return s.set('msgs', s.msgs.union(others.map((to) => c.T.Msg.make({ from, to, kind: KINDS[u.kind]!, ...extra } as never) as Msg)));
    });
    case 'recv': {
      const from = resolve(u.from, c), to = resolve(u.to, c);
      if (from === undefined || to === undefined) return s;
      return s.set('msgs', s.msgs.filterNot((m) => m.from === from && m.to === to && m.kind === KINDS[u.kind]));
    }
    case 'drop': return at(u.to, (to) => s.set('msgs', s.msgs.filterNot((m) => m.to === to)));
    case 'counter': return s.set('counter', step(s.counter, d.sizes.counterHi, u.op === 'inc', u.wrap));
    case 'log': {
      if (s.log === undefined) return s;
      if (u.push === null) return s.set('log', s.log.shift());
      return s.log.size >= 2 ? s : at(u.push, (n) => s.set('log', s.log!.push(n)));
    }
    case 'part': {
      if (s.part === undefined) return s;
      return at(u.at, (n) => s.set('part', u.v === null ? s.part!.delete(n) : s.part!.set(n, PARTS[u.v]!)));
    }
    case 'owner': {
      if (s.owner === undefined || c.key === undefined) return s;
      const to = u.to === null ? null : resolve(u.to, c);
      return to === undefined ? s : s.set('owner', s.owner.set(c.key, to));
    }
  }
}

function applyAll(us: Update[], c: Ctx): S {
  return us.reduce((s, u) => apply(u, { ...c, s }), c.s);
}

/** Every tuple of `nodes` ids (all different if asked), each with every key when `key`. */
function tuples(nodes: number, distinct: boolean, key: boolean, T: T, d: SymSpecDesc): Array<{ args: string[]; key: string | undefined }> {
  let acc: string[][] = [[]];
  for (let i = 0; i < nodes; i++) acc = acc.flatMap((a) => T.Node.values.filter((n) => !distinct || !a.includes(n)).map((n) => [...a, n]));
  const keys = key && d.shape.keys ? T.Key.values : [undefined];
  return acc.flatMap((args) => keys.map((k) => ({ args, key: k })));
}

/** The predicate "some tuple satisfies every atom of e" (tuples listed once). */
function existsIn(e: Exists, T: T, d: SymSpecDesc): (s: S) => boolean {
  const ts = tuples(e.nodes, false, e.key, T, d);
  return (s) => ts.some(({ args, key }) => all(e.atoms, { s, args, key, d, T }));
}

/** existsIn for the constraint and terminal predicate, which get T on each call: built once per T. */
const built = new WeakMap<object, Map<Exists, (s: S) => boolean>>();
function perTypes(e: Exists, T: T, d: SymSpecDesc): (s: S) => boolean {
  let m = built.get(T);
  if (!m) built.set(T, (m = new Map()));
  let f = m.get(e);
  if (!f) m.set(e, (f = existsIn(e, T, d)));
  return f;
}

const measures: Record<Exclude<Measure, 'eachCount'>, (s: S) => number> = {
  counter: (s) => s.counter,
  sumCount: (s) => s.count.reduce((a, x) => a + x, 0),
  msgs: (s) => s.msgs.size,
  leaders: (s) => s.role.count((r) => r === 'l') + (s.leader === null ? 0 : 1),
  votes: (s) => s.votedFor.count((v) => v !== null),
  log: (s) => s.log?.size ?? 0,
};

export function buildSymmetricSpec(d: SymSpecDesc): Spec {
  return defineSpec({
    name: 'random-symmetric',
    types: () => typesOf(d),
    init: (T) => {
      const zero = T.state.make({
        role: IMap(T.Node.values.map((n) => [n, ROLES[0]!] as const)),
        count: IMap(T.Node.values.map((n) => [n, 0] as const)),
        votedFor: IMap(T.Node.values.map((n) => [n, null] as const)),
        leader: null,
        msgs: ISet(),
        counter: 0,
        ...(d.shape.part ? { part: IMap() } : {}),
        ...(d.shape.log ? { log: List() } : {}),
        ...(d.shape.keys ? { owner: IMap(T.Key.values.map((k) => [k, null] as const)) } : {}),
      } as never) as S;
      return d.inits.flatMap((i) => tuples(i.nodes, i.distinct, false, T, d).map(({ args }) => applyAll(i.then, { s: zero, args, key: undefined, d, T })));
    },
    actions: (T) => Object.fromEntries(d.actions.map((a, i) => {
      const key = a.key && d.shape.keys;
      const first = a.firstHasRole === null ? T.Node : (s: S) => T.Node.values.filter((n) => s.role.get(n) === roleName(a.firstHasRole!, d));
      const over = [...(a.nodes >= 1 ? [first] : []), ...(a.nodes >= 2 ? [T.Node] : []), ...(key ? [T.Key] : [])];
      const ctx = (s: S, args: string[]): Ctx => ({ s, args: args.slice(0, a.nodes), key: key ? args[a.nodes] : undefined, d, T });
      return [`A${i}`, {
        over: over as never,
        when: (s: S, ...args: string[]) => all(a.when, ctx(s, args)),
        then: (s: S, ...args: string[]) => {
          const c = ctx(s, args);
          if (a.nothingIf && holds(a.nothingIf, c)) return null;
          const nexts = a.then.map((us) => applyAll(us, c));
          return nexts.length === 1 ? nexts[0]! : nexts;
        },
      } as ActionDef<any>];
    })),
    properties: (T) => {
      const props: Record<string, Property<any>> = {};
      d.invariants.forEach((bad, i) => {
        const found = existsIn(bad, T, d);
        props[`inv${i}`] = always((s: S) => !found(s));
      });
      const { step, witness } = d;
      if (step) {
        props.step = always.step((s: S, n: S) => {
          if (step.measure === 'eachCount') return T.Node.values.every((i) => compare(n.count.get(i)!, step.rel === 'near' ? '>=' : step.rel, s.count.get(i)!));
          const f = measures[step.measure];
          return step.rel === '>=' ? f(n) >= f(s) : step.rel === '<=' ? f(n) <= f(s) : Math.abs(f(n) - f(s)) <= 1;
        });
      }
      if (witness) props.witness = sometimes(existsIn(witness, T, d));
      return props;
    },
    constraint: d.constraint ? (s, T) => !perTypes(d.constraint!, T, d)(s as S) : undefined,
    terminal: d.terminal ? (s, T) => perTypes(d.terminal!, T, d)(s as S) : undefined,
  });
}

// ---- arbitraries ----

type Shape = SymSpecDesc['shape'];
const w = <V>(weight: number, arbitrary: fc.Arbitrary<V>) => ({ weight, arbitrary });
/** Null most of the time (and when shrinking), else a value. */
const rarely = <V>(arb: fc.Arbitrary<V>): fc.Arbitrary<V | null> => fc.oneof({ withCrossShrink: true }, w(2, fc.constant(null)), w(1, arb));
const lit = <V extends string>(v: V) => fc.constant(v);
/** The alternatives whose field the shape has (weight 0: left out). */
const pick = <V>(alts: Array<[number, fc.Arbitrary<V>]>): fc.Arbitrary<V> => fc.oneof(...alts.filter(([n]) => n > 0).map(([n, a]) => w(n, a)));

const ref: fc.Arbitrary<Ref> = fc.oneof(w(5, lit('a0')), w(4, lit('a1')), w(1, lit('leader')), w(1, lit('vote0')));
const optRef: fc.Arbitrary<Ref | null> = fc.option(ref);
const optBit: fc.Arbitrary<number | null> = fc.option(fc.nat(1));
const rel = fc.constantFrom<Rel>('<', '<=', '==', '!=', '>=', '>');
const small = fc.nat(2);
const one2 = fc.integer({ min: 1, max: 2 });
/** Mostly a role other than the initial one, so that the update changes something. */
const nonzero = fc.oneof(w(1, fc.constant(0)), w(3, one2));
const kind = fc.nat(1);
const bool = fc.boolean();
const no = fc.constant(false);
const pred: fc.Arbitrary<Pred> = fc.oneof(
  fc.record({ p: lit('role'), r: small }), fc.record({ p: lit('count'), rel, v: small }),
  fc.record({ p: lit('votedNull') }), fc.record({ p: lit('votedSelf') }),
);

function atomArb(sh: Shape): fc.Arbitrary<Atom> {
  const [log, part, keys] = [sh.log ? 1 : 0, sh.part ? 1 : 0, sh.keys ? 1 : 0];
  return pick<Atom>([
    [3, fc.record({ a: lit('eq'), x: ref, y: ref, neg: bool })],
    [3, fc.record({ a: lit('role'), at: ref, r: small, neg: bool })],
    [2, fc.record({ a: lit('count'), at: ref, rel, v: small })],
    [1, fc.record({ a: lit('countCmp'), x: ref, y: ref, rel })],
    [2, fc.record({ a: lit('voted'), at: ref, to: optRef, neg: bool })],
    [1, fc.record({ a: lit('votes'), at: ref, rel, v: small })],
    [1, fc.record({ a: lit('leader'), isNull: bool })],
    [2, fc.record({ a: lit('msg'), from: ref, to: ref, kind, neg: bool })],
    [1, fc.record({ a: lit('msgs#'), rel, v: small })],
    [1, fc.record({ a: lit('nodes#'), pred, rel, v: small })],
    [1, fc.record({ a: lit('quant'), q: fc.constantFrom('every' as const, 'some' as const), pred, neg: bool })],
    [1, fc.record({ a: lit('counter'), rel, v: small })],
    [log, fc.record({ a: lit('log'), at: ref, head: bool, neg: bool })],
    [log, fc.record({ a: lit('log#'), rel, v: small })],
    [part, fc.record({ a: lit('part'), at: ref, is: optBit, neg: bool })],
    [keys, fc.record({ a: lit('owner'), is: optRef, neg: bool })],
    [keys, fc.record({ a: lit('owns'), at: ref, rel, v: small })],
  ]);
}

/** Atoms false in the zero state, so that "no tuple satisfies these" is often an invariant. */
function rareAtomArb(sh: Shape): fc.Arbitrary<Atom> {
  return pick<Atom>([
    [3, fc.record({ a: lit('role'), at: ref, r: one2, neg: no })],
    [2, fc.record({ a: lit('count'), at: ref, rel: lit('>='), v: one2 })],
    [2, fc.record({ a: lit('voted'), at: ref, to: ref, neg: no })],
    [1, fc.record({ a: lit('votes'), at: ref, rel: lit('>='), v: one2 })],
    [1, fc.record({ a: lit('leader'), isNull: no })],
    [2, fc.record({ a: lit('msg'), from: ref, to: ref, kind, neg: no })],
    [1, fc.record({ a: lit('msgs#'), rel: lit('>='), v: one2 })],
    [1, fc.record({ a: lit('nodes#'), pred: fc.record({ p: lit('role'), r: one2 }), rel: lit('>='), v: one2 })],
    [1, fc.record({ a: lit('counter'), rel: lit('>='), v: one2 })],
    [sh.log ? 1 : 0, fc.record({ a: lit('log'), at: ref, head: bool, neg: no })],
    [sh.part ? 1 : 0, fc.record({ a: lit('part'), at: ref, is: fc.nat(1), neg: no })],
    [sh.keys ? 1 : 0, fc.record({ a: lit('owner'), is: ref, neg: no })],
  ]);
}

// Weighted towards changes that grow the state space.
function updateArb(sh: Shape): fc.Arbitrary<Update> {
  return pick<Update>([
    [3, fc.record({ u: lit('role'), at: ref, r: nonzero })],
    [1, fc.record({ u: lit('allRole'), r: small })],
    [3, fc.record({ u: lit('count'), at: ref, op: fc.oneof(w(3, lit('inc')), w(1, lit('dec')), w(1, lit('set'))), v: small, wrap: bool })],
    [3, fc.record({ u: lit('vote'), at: ref, to: optRef })],
    [2, fc.record({ u: lit('leader'), to: optRef })],
    [3, fc.record({ u: lit('send'), from: ref, to: ref, kind, about: optRef, n: fc.oneof(fc.nat(BIG_N), lit('counter'), lit('count')) })],
    [1, fc.record({ u: lit('bcast'), from: ref, kind })],
    [1, fc.record({ u: lit('recv'), from: ref, to: ref, kind })],
    [1, fc.record({ u: lit('drop'), to: ref })],
    [2, fc.record({ u: lit('counter'), op: fc.oneof(w(3, lit('inc')), w(1, lit('dec'))), wrap: bool })],
    [sh.log ? 2 : 0, fc.record({ u: lit('log'), push: optRef })],
    [sh.part ? 2 : 0, fc.record({ u: lit('part'), at: ref, v: optBit })],
    [sh.keys ? 2 : 0, fc.record({ u: lit('owner'), to: optRef })],
  ]);
}

const nodes: fc.Arbitrary<0 | 1 | 2> = fc.oneof(w(1, fc.constant(0 as const)), w(3, fc.constant(1 as const)), w(3, fc.constant(2 as const)));
const withKey = (sh: Shape) => (sh.keys ? fc.oneof(w(1, no), w(1, fc.constant(true))) : no);
const actionCount = fc.oneof({ withCrossShrink: true }, w(1, fc.constant(1)), w(1, fc.constant(2)), w(2, fc.constant(3)), w(3, fc.constant(4)));

function restArb(sh: Shape) {
  const atom = atomArb(sh);
  const update = updateArb(sh);
  const rare = rareAtomArb(sh);
  const exists = (atoms: fc.Arbitrary<Atom[]>): fc.Arbitrary<Exists> => fc.record({ nodes, key: withKey(sh), atoms });
  /** Mostly atoms false in the zero state, sometimes with a general one (such as a0 != a1). */
  const rareConj = fc.tuple(fc.array(rare, { minLength: 1, maxLength: 2 }), fc.array(atom, { maxLength: 1 })).map(([r, g]) => [...r, ...g]);
  const action: fc.Arbitrary<ActionDesc> = fc.record({
    nodes,
    key: withKey(sh),
    firstHasRole: rarely(fc.oneof(w(2, fc.constant(0)), w(1, one2))),
    when: fc.oneof(w(3, fc.constant([] as Atom[])), w(3, fc.array(atom, { minLength: 1, maxLength: 1 })), w(1, fc.array(atom, { minLength: 2, maxLength: 3 }))),
    then: fc.array(fc.array(update, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
    nothingIf: rarely(rare),
  });
  return fc.record({
    inits: fc.array(fc.record({ nodes: fc.oneof(w(3, fc.constant(0 as const)), w(2, fc.constant(1 as const)), w(1, fc.constant(2 as const))), distinct: bool, then: fc.array(update, { maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
    // Four drawn, then cut to 1-4; the cut shrinks towards one action.
    actions: fc.tuple(fc.array(action, { minLength: 4, maxLength: 4 }), actionCount).map(([as, n]) => as.slice(0, n)),
    invariants: fc.array(exists(rareConj), { minLength: 1, maxLength: 2 }),
    step: rarely(fc.record({ measure: fc.constantFrom<Measure>('counter', 'sumCount', 'msgs', 'leaders', 'votes', 'log', 'eachCount'), rel: fc.constantFrom('>=' as const, '<=' as const, 'near' as const) })),
    witness: rarely(exists(rareConj)),
    constraint: rarely(exists(rareConj)),
    terminal: rarely(exists(fc.array(atom, { minLength: 1, maxLength: 2 }))),
  });
}

export const symSpecDesc: fc.Arbitrary<SymSpecDesc> = fc.record({
  sizes: fc.record({
    nodes: fc.oneof(w(2, fc.constant(2)), w(3, fc.constant(3)), w(2, fc.constant(4))),
    roles: fc.integer({ min: 2, max: 3 }),
    countHi: fc.integer({ min: 1, max: 2 }),
    counterHi: fc.integer({ min: 1, max: 2 }),
    msgCap: fc.integer({ min: 1, max: 2 }),
  }),
  shape: fc.record({
    msgs: fc.constantFrom('plain' as const, 'about' as const, 'big' as const),
    part: bool,
    log: bool,
    keys: fc.oneof(w(2, no), w(1, fc.constant(true))),
  }),
}).chain(({ sizes, shape }) => restArb(shape).map((rest) => ({ sizes, shape, ...rest })));
