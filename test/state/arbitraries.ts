// fast-check generators for the codec tests: random declared types, random values of them,
// the same value rebuilt in another insertion order, and values broken at a named field path.
import fc from 'fast-check';
import { is, List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import { t, valuesOf, type Type } from '../../src/spec/types.js';

/** More than 256 values: sets over these domains take the sorted-list encoding, not the bitmask. */
const BIG = 300;
const bigEnum = t.enum(...Array.from({ length: BIG }, (_, i) => `e${i}`));
const bigIds = t.scalarset('Big', BIG);

/** Key types for maps: at most 12 keys, so maps cross Immutable's 8-entry node boundary. */
export const keyType: fc.Arbitrary<Type> = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((n) => t.scalarset('Node', n)),
  fc.integer({ min: 1, max: 5 }).map((n) => t.enum(...['a', 'b', 'c', 'd', 'e'].slice(0, n))),
  fc.constant(t.bool()),
  fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 })).map(([lo, w]) => t.int(lo, lo + w)),
);

const leaf: fc.Arbitrary<Type> = fc.oneof(
  { arbitrary: keyType, weight: 4 },
  fc.integer({ min: 0, max: 40 }).map((n) => t.int(0, n)),
  fc.constantFrom<Type>(t.int(0, 300), t.int(-1000, 70_000), bigEnum, bigIds),
);

/** Element types with more than 256 values. */
const bigElem: fc.Arbitrary<Type> = fc.constantFrom<Type>(
  t.int(0, 256), t.int(-5, 400), bigEnum, bigIds,
  t.record({ a: t.int(0, 20), b: t.int(0, 20) }),
  t.set(t.int(0, 9)),
  t.union('kind', { A: { x: t.int(0, 200) }, B: { y: t.int(0, 100) }, C: {} }),
  t.seq(t.enum('x', 'y'), 8),
);

/**
 * Key types with more than 256 values: partial maps over the rankable ones are written sparsely
 * (a count, then key ranks and values), over the others with a presence bitmask.
 */
const bigKey: fc.Arbitrary<Type> = fc.constantFrom<Type>(
  t.int(0, 299), bigEnum, bigIds,
  t.record({ a: t.int(0, 20), b: t.int(0, 20) }),
  t.union('type', { Ping: { to: bigIds }, Pong: { from: t.scalarset('Node', 3), n: t.int(0, 99) } }),
  t.set(t.int(0, 8)),
);

const fieldNames = ['alpha', 'beta', 'gamma', 'delta'];

function fieldsOf(sub: fc.Arbitrary<Type>, max: number): fc.Arbitrary<Record<string, Type>> {
  return fc.array(sub, { maxLength: max }).map((ts) => Object.fromEntries(ts.map((ty, i) => [fieldNames[i]!, ty])));
}

/**
 * Small element types (at most 256 values, so sets of them use the bitmask) that are records,
 * unions or options holding a collection: their rank cannot be computed field by field.
 */
export const nestedSmallElem: fc.Arbitrary<Type> = fc.tuple(
  fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((n) => t.set(t.scalarset('Node', n)) as Type),
    fc.integer({ min: 0, max: 2 }).map((n) => t.seq(t.bool(), n) as Type),
    fc.constant(t.map(t.enum('x', 'y'), t.bool()) as Type),
    fc.constant(t.partialMap(t.enum('x', 'y'), t.bool()) as Type),
  ),
  fc.constantFrom<Type>(t.bool(), t.int(0, 2), t.enum('p', 'q')),
  fc.nat(3),
).map(([coll, scalar, how]): Type => {
  switch (how) {
    case 0: return t.record({ a: scalar, b: coll });
    case 1: return t.record({ b: coll, a: scalar });
    case 2: return t.union('k', { A: { a: scalar }, B: { b: coll } });
    default: return t.option(coll);
  }
});

/** Random declared types, nested up to `depth` levels. */
export function typeArb(depth: number): fc.Arbitrary<Type> {
  if (depth === 0) return leaf;
  const sub = typeArb(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    fieldsOf(sub, 3).map((f) => t.record(f) as Type),
    fc.array(fieldsOf(sub, 2), { minLength: 1, maxLength: 3 })
      .map((vs) => t.union('tag', Object.fromEntries(vs.map((f, i) => [`V${i}`, f]))) as Type),
    fc.tuple(keyType, sub).map(([k, v]) => t.map(k, v) as Type),
    fc.tuple(keyType, sub).map(([k, v]) => t.partialMap(k, v) as Type),
    fc.tuple(bigKey, sub).map(([k, v]) => t.partialMap(k, v) as Type),
    fc.tuple(bigKey, fc.constantFrom<Type>(t.bool(), t.int(0, 3))).map(([k, v]) => t.map(k, v) as Type),
    fc.oneof(sub.filter((e) => e.size <= 256), nestedSmallElem).map((e) => t.set(e) as Type),
    fc.oneof(bigElem, sub.filter((e) => e.size > 256)).map((e) => t.set(e) as Type),
    fc.tuple(sub, fc.integer({ min: 0, max: 3 })).map(([e, max]) => t.seq(e, max) as Type),
    // An option of an option is refused by t.option (two kinds of null).
    sub.filter((e) => e.kind !== 'option').map((e) => t.option(e) as Type),
  );
}

/** A random state type: a record at the top, as a spec's `state` is. */
export const stateTypeArb: fc.Arbitrary<Type> = fieldsOf(typeArb(2), 4).map((f) => t.record(f) as Type);

/** Random values of a type. */
export function valueArb(type: Type): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'int': return fc.integer({ min: type.lo, max: type.hi });
    case 'bool': return fc.boolean();
    case 'enum':
    case 'scalarset': return fc.constantFrom(...type.values);
    case 'option': return fc.option(valueArb(type.inner), { nil: null });
    case 'record': {
      const fields = type.fields;
      if (fields.length === 0) return fc.constant(type.make({}));
      return fc.tuple(...fields.map(([, ft]) => valueArb(ft)))
        .map((vs) => type.make(Object.fromEntries(fields.map(([k], i) => [k, vs[i]]))));
    }
    case 'union': return fc.oneof(...type.variants.map(([, rt]) => valueArb(rt)));
    case 'map': {
      const keys = valuesOf(type.key);
      if (!type.total && keys.length > 12) {
        // A few of many possible keys, as a message bag holds.
        return fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), valueArb(type.value)), { maxLength: 12, selector: ([k]) => k })
          .map((pairs) => IMap(pairs));
      }
      const v = type.total ? valueArb(type.value) : fc.option(valueArb(type.value), { nil: undefined });
      return fc.tuple(...keys.map(() => v))
        .map((vs) => IMap(keys.flatMap((k, i) => (vs[i] === undefined ? [] : [[k, vs[i]] as [unknown, unknown]]))));
    }
    case 'set':
      if (type.elem.size <= 256) return fc.subarray(valuesOf(type.elem)).map((es) => ISet(es));
      return fc.uniqueArray(valueArb(type.elem), { maxLength: 20, comparator: (a, b) => is(a, b) }).map((es) => ISet(es));
    case 'seq': return fc.array(valueArb(type.elem), { maxLength: type.max }).map((es) => List(es));
  }
}

/** A small deterministic PRNG (mulberry32), so rebuilding is reproducible from a fast-check seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** The same value, built again from scratch with every Set, Map and record filled in a random order. */
export function rebuild(type: Type, v: any, rand: () => number): any {
  switch (type.kind) {
    case 'option': return v === null ? null : rebuild(type.inner, v, rand);
    case 'record': {
      const entries = type.fields.map(([k, ft]) => [k, rebuild(ft, v.get(k), rand)] as const);
      return type.factory(Object.fromEntries(shuffle(entries, rand)));
    }
    case 'union': return rebuild(type.variants[type.byTag.get(v.get(type.tag))!]![1], v, rand);
    case 'map': {
      const es = shuffle([...v].map(([k, x]: [unknown, unknown]) => [k, rebuild(type.value, x, rand)] as [unknown, unknown]), rand);
      const how = Math.floor(rand() * 3);
      if (how === 0) return IMap(es);
      const m = es.reduce((acc, [k, x]) => acc.set(k, x), IMap<unknown, unknown>());
      // Delete and re-add one entry: it moves to the end of the iteration order.
      return how === 2 && es.length > 1 ? m.delete(es[0]![0]).set(es[0]![0], es[0]![1]) : m;
    }
    case 'set': {
      const es = shuffle([...v].map((e) => rebuild(type.elem, e, rand)), rand);
      const how = Math.floor(rand() * 3);
      if (how === 0) return ISet(es);
      const s = es.reduce((acc, e) => acc.add(e), ISet<unknown>());
      return how === 2 && es.length > 1 ? s.delete(es[0]).add(es[0]) : s;
    }
    case 'seq': {
      const es = [...v].map((e) => rebuild(type.elem, e, rand));
      return rand() < 0.5 ? List(es) : List([...es, 'extra']).pop();
    }
    default: return v;
  }
}

/** The iteration order of every Set and Map inside a value, as a string. */
export function iterationOrder(v: unknown): string {
  const walk = (x: any): unknown => {
    if (IMap.isMap(x)) return ['M', ...[...x].map(([k, y]) => [walk(k), walk(y)])];
    if (ISet.isSet(x)) return ['S', ...[...x].map(walk)];
    if (List.isList(x)) return ['L', ...[...x].map(walk)];
    if (IRecord.isRecord(x)) return ['R', ...Object.entries((x as any).toObject()).map(([k, y]) => [k, walk(y)])];
    return x;
  };
  return JSON.stringify(walk(v));
}

/** A place inside a value: its type, its value, its path as findInvalid names it, and how to replace it. */
export interface Site {
  type: Type;
  value: any;
  path: string;
  put: (replacement: unknown) => unknown;
}

export function showKey(k: unknown): string {
  if (typeof k === 'string') return `'${k}'`;
  // Record and Set keys (of large key types) print with their kind, as findInvalid shows them.
  if (ISet.isSet(k)) return `Set ${JSON.stringify(k.toJS())}`;
  if (k !== null && typeof k === 'object' && 'toJS' in k) return `Record ${JSON.stringify((k as { toJS(): unknown }).toJS())}`;
  return JSON.stringify(k);
}

/** Every site inside a value (the value itself first). */
export function sitesOf(type: Type, v: any, path: string, put: (x: unknown) => unknown = (x) => x): Site[] {
  if (type.kind === 'option' && v !== null) return sitesOf(type.inner, v, path, put);
  const out: Site[] = [{ type, value: v, path, put }];
  const add = (sub: Type, x: unknown, p: string, up: (x: unknown) => unknown) => out.push(...sitesOf(sub, x, p, up));
  switch (type.kind) {
    case 'record':
      for (const [k, ft] of type.fields) add(ft, v.get(k), `${path}.${k}`, (x) => put(v.set(k, x)));
      break;
    case 'union': {
      const rt = type.variants[type.byTag.get(v.get(type.tag))!]![1];
      for (const [k, ft] of rt.fields) if (k !== type.tag) add(ft, v.get(k), `${path}.${k}`, (x) => put(v.set(k, x)));
      break;
    }
    case 'map':
      for (const [k, x] of v) add(type.value, x, `${path}[${showKey(k)}]`, (y) => put(v.set(k, y)));
      break;
    case 'set':
      for (const e of v) add(type.elem, e, `${path} element`, (y) => put(v.delete(e).add(y)));
      break;
    case 'seq':
      (v as List<unknown>).forEach((e, i) => add(type.elem, e, `${path}[${i}]`, (y) => put(v.set(i, y))));
      break;
  }
  return out;
}

/** Values outside a type, each with what findInvalid adds to the site's path ('' when it names the site). */
export function badValues(type: Type, v: any): Array<[unknown, string]> {
  const some = v !== null && v !== undefined;
  switch (type.kind) {
    case 'int': return [[type.hi + 1, ''], [type.lo - 1, ''], [type.lo + 0.5, ''], [String(type.lo), '']];
    case 'bool': return [[0, ''], ['true', '']];
    case 'enum':
    case 'scalarset': return [['zz-not-a-value', ''], [0, '']];
    case 'option': return [[undefined, ''], ...badValues(type.inner, v)];
    case 'record': {
      const out: Array<[unknown, string]> = [[{}, ''], [IMap(), '']];
      if (some) {
        const o = v.toObject();
        out.push([IMap(o), ''], [IRecord(o)(o), '']); // same fields, but not made by this type
      }
      return out;
    }
    case 'union': return some ? [[{}, ''], [v.set(type.tag, 'NoSuchVariant'), '']] : [[{}, '']];
    case 'map': {
      const out: Array<[unknown, string]> = [[{}, ''], [ISet(), '']];
      if (some && v.size > 0) {
        out.push([v.set('zz-bad-key', v.first()), ' key']);
        if (type.total) out.push([v.delete(v.keySeq().first()), '']);
      }
      return out;
    }
    case 'set': return some ? [[[], ''], [List(), ''], [v.add('zz-bad'), ' element']] : [[[], ''], [List(), '']];
    case 'seq': {
      const out: Array<[unknown, string]> = [[[], ''], [ISet(), '']];
      if (some && v.size > 0) out.push([v.concat(Array(type.max + 1 - v.size).fill(v.first())), '']);
      if (some && v.size < type.max) out.push([v.push('zz-bad'), `[${v.size}]`]);
      return out;
    }
  }
}
