// synod's speed-ups over Immutable stay inside synod's own values: importing synod and running
// its codec and records leaves every Immutable prototype as Immutable made it, so a program (or
// a test suite) that also uses Immutable for itself gets Immutable's behaviour, untouched.
// Only `immutable` is imported statically: the snapshot below is taken before synod loads.
import { describe, expect, it } from 'vitest';
import { is, List, Map as IMap, OrderedMap, OrderedSet, Record as IRecord, Seq, Set as ISet, Stack } from 'immutable';

/** Every own property of a prototype, with the values (or accessors) it holds. */
function snapshot(proto: object): Map<PropertyKey, unknown[]> {
  const out = new Map<PropertyKey, unknown[]>();
  for (const k of Reflect.ownKeys(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, k)!;
    out.set(k, [d.value, d.get, d.set, d.writable, d.enumerable]);
  }
  return out;
}

const UserRecord = IRecord({ a: 1, b: 'x' }, 'UserRecord');
const prototypes: Array<[string, object]> = [
  ['Set', Object.getPrototypeOf(ISet())], ['Map', Object.getPrototypeOf(IMap())], ['List', Object.getPrototypeOf(List())],
  ['OrderedSet', Object.getPrototypeOf(OrderedSet())], ['OrderedMap', Object.getPrototypeOf(OrderedMap())],
  ['Stack', Object.getPrototypeOf(Stack())], ['Seq', Object.getPrototypeOf(Seq([1]))],
  ['Record', Object.getPrototypeOf(Object.getPrototypeOf(UserRecord()))], ['UserRecord', Object.getPrototypeOf(UserRecord())],
];
const before = prototypes.map(([name, proto]) => [name, snapshot(proto)] as const);

describe('synod and Immutable values made outside it', () => {
  it('leaves Immutable\'s prototypes unmodified after its codec, records and search have run', async () => {
    const { t, compileSpec, defineSpec } = await import('synod');
    const { StateCodec } = await import('../../src/state/state-codec.js');
    const { Writer } = await import('../../src/state/codec.js');
    const { check } = await import('../../src/check/check.js');
    // Declared records (fast-record.ts), decoded parents with synod's own sets and maps
    // (provenance.ts), successors patched from them, and a whole search.
    const Id = t.scalarset('Id', 3);
    const Msg = t.record({ from: Id, n: t.int(0, 2) }, 'Msg');
    const S = t.record({ msgs: t.set(Msg), seen: t.map(Id, t.int(0, 2)) });
    const sc = new StateCodec(S);
    const w = new Writer();
    const init = S.make({ msgs: ISet(), seen: IMap(Id.values.map((i) => [i, 0] as const)) });
    sc.encode(w, init);
    const parent = sc.decodeParent(w.take()) as any;
    const next = parent.set('msgs', parent.msgs.add(Msg.make({ from: 'i1', n: 1 }))).setIn(['seen', 'i2'], 2);
    sc.encode(new Writer(), next);
    const spec = defineSpec({
      name: 'counters',
      types: () => ({ state: S, Id, Msg }),
      init: () => init,
      actions: () => ({
        send: {
          over: [Id],
          when: (s: any, i: string) => s.seen.get(i) < 2,
          then: (s: any, i: string) => s.set('msgs', s.msgs.add(Msg.make({ from: i, n: s.seen.get(i) }))).setIn(['seen', i], s.seen.get(i) + 1),
        },
      }),
    });
    const result = await check(compileSpec(spec), { symmetry: false, deadlock: false });
    expect(result.distinctStates).toBe(27);

    for (const [name, snap] of before) {
      const now = snapshot(prototypes.find(([n]) => n === name)![1]);
      expect([...now.keys()], name).toEqual([...snap.keys()]);
      for (const [k, v] of snap) expect(now.get(k), `${name}.${String(k)}`).toEqual(v);
    }
  });

  it('gives Sets, Maps and Records made by other code Immutable\'s own behaviour', async () => {
    await import('synod');
    const { stepFrom, NOT_MADE, isOwn } = await import('../../src/state/provenance.js');
    const s = ISet([1, 2]);
    const more = s.add(3);
    expect(Object.getPrototypeOf(more)).toBe(Object.getPrototypeOf(ISet()));
    expect(Object.keys(more)).toEqual(['size', '_map', '__ownerID']); // nothing of synod's added
    expect([stepFrom(more, s), isOwn(more)]).toEqual([NOT_MADE, false]);
    expect(more.equals(ISet([3, 2, 1]))).toBe(true);
    const m = IMap<string, number>({ x: 1 }).set('y', 2);
    expect(Object.keys(m)).toEqual(['size', '_root', '__ownerID', '__hash', '__altered']);
    expect(m.toJS()).toEqual({ x: 1, y: 2 });
    const r = UserRecord({ a: 2 });
    expect(r.set('b', 'y').toJS()).toEqual({ a: 2, b: 'y' });
    expect(is(r, UserRecord({ a: 2, b: 'x' }))).toBe(true);
    expect((Object.getPrototypeOf(r) as { __synodKeys?: unknown }).__synodKeys).toBeUndefined();
  });

  it('makes its own Sets and Maps behave as Immutable\'s wherever code can tell', async () => {
    const { ownMap, ownSet } = await import('../../src/state/provenance.js');
    const plain = ISet([1, 2, 3]);
    const own = ownSet(plain);
    expect(ISet.isSet(own) && own instanceof ISet).toBe(true);
    expect([is(own, plain), own.hashCode() === plain.hashCode(), String(own) === String(plain)]).toEqual([true, true, true]);
    expect(Object.getPrototypeOf(own.add(4))).toBe(Object.getPrototypeOf(ISet())); // what it makes is Immutable's
    expect(own.remove(1).union([7]).toArray().sort()).toEqual([2, 3, 7]);
    const map = IMap<string, number>({ a: 1, b: 2 });
    const ownM = ownMap(map);
    expect([IMap.isMap(ownM), is(ownM, map), ownM.hashCode() === map.hashCode()]).toEqual([true, true, true]);
    expect(ownM.update('a', (x) => x! + 1).toJS()).toEqual({ a: 2, b: 2 });
    expect(ownM.withMutations((x) => { x.set('c', 3); }).toJS()).toEqual({ a: 1, b: 2, c: 3 });
    expect(ownM.toJS()).toEqual({ a: 1, b: 2 }); // untouched by the mutation of its copy
  });
});

describe('synod\'s own small Sets and Maps, built from their entries', () => {
  it('are the maps and sets Immutable builds from the same entries, in every reading and writing method', async () => {
    const { ownMapOf, ownSetOf, stepFrom, ARRAY_MAP_MAX } = await import('../../src/state/provenance.js');
    const Pt = IRecord({ x: 0 }, 'Pt');
    const keys: unknown[] = ['a', 'b', 0, -0.5, 7, Pt({ x: 1 }), 'c', 'd'];
    expect(keys.length).toBe(ARRAY_MAP_MAX);
    for (let n = 0; n <= ARRAY_MAP_MAX; n++) {
      const entries = keys.slice(0, n).map((k, i) => [k, i * 10] as [unknown, unknown]);
      const plain = IMap<unknown, unknown>().withMutations((m) => { for (const [k, v] of entries) m.set(k, v); });
      const own = ownMapOf<IMap<unknown, unknown>>(entries.map(([k, v]) => [k, v]));
      expect([IMap.isMap(own), is(own, plain), own.hashCode() === plain.hashCode(), own.size]).toEqual([true, true, true, n]);
      expect([...own.entries()]).toEqual([...plain.entries()]); // same iteration order
      for (const k of [...keys, 'zz', Pt({ x: 1 }), Pt({ x: 2 }), NaN]) {
        // A key equal but not identical (a fresh record) is found as Immutable finds it.
        expect([own.get(k, 'none'), own.has(k)]).toEqual([plain.get(k, 'none'), plain.has(k)]);
        for (const v of [5, own.get(k)]) {
          const a = own.set(k, v);
          const b = plain.set(k, v);
          expect(is(a, b) && [...a.entries()].every(([x, y], i) => is(x, [...b.entries()][i]![0]) && y === [...b.entries()][i]![1])).toBe(true);
          expect(a === own).toBe(b === plain); // setting a value already there changes nothing
          expect(Object.getPrototypeOf(a)).toBe(a === own ? Object.getPrototypeOf(own) : Object.getPrototypeOf(IMap()));
          if (a !== own) expect(stepFrom(a, own)).toBe(k);
        }
      }
      const elems = keys.slice(0, n);
      const set = ownSetOf<ISet<unknown>>(elems.slice());
      const plainSet = ISet<unknown>().withMutations((s) => { for (const e of elems) s.add(e); });
      expect([ISet.isSet(set), is(set, plainSet), set.hashCode() === plainSet.hashCode()]).toEqual([true, true, true]);
      expect([...set]).toEqual([...plainSet]);
      for (const e of [...keys, 'zz', Pt({ x: 1 }), Pt({ x: 3 })]) expect(set.has(e)).toBe(plainSet.has(e));
      expect(stepFrom(set.add('new'), set)).toBe('new');
    }
  });
});

describe('records of declared types', () => {
  it('read fields through a prototype of synod\'s own, derived from the factory\'s', async () => {
    const { t } = await import('synod');
    const { recordPrototypes } = await import('../../src/spec/fast-record.js');
    const R = t.record({ a: t.int(0, 3), b: t.bool() }, 'R');
    const r = R.make({ a: 2, b: true });
    const [base, fast] = recordPrototypes(R.factory);
    expect(Object.getPrototypeOf(r)).toBe(fast);
    expect(Object.getPrototypeOf(fast)).toBe(base);
    expect(r instanceof R.factory).toBe(true);
    expect([r.a, r.b, r.get('a'), r.set('a', 3).a, r.toJS()]).toEqual([2, true, 2, 3, { a: 2, b: true }]);
    expect(() => { (r as any).a = 1; }).toThrow(); // Immutable's setter: no writes outside withMutations
    const m = r.withMutations((x: any) => { x.a = 0; expect(x.a).toBe(0); });
    expect([m.a, r.a]).toEqual([0, 2]);
    expect(is(r, R.factory({ a: 2, b: true }))).toBe(true); // a record Immutable built: equal
  });
});

describe('synod\'s own Lists', () => {
  it('answer every reading method as Immutable\'s Lists do, and leave List\'s prototype alone', async () => {
    const { ownList } = await import('../../src/state/owned-list.js');
    const listProto = snapshot(Object.getPrototypeOf(List()));
    for (const values of [[3], [1, 2, 3, 2], Array.from({ length: 31 }, (_, i) => i % 7)]) {
      const own = ownList(values.slice());
      const plain = List(values);
      const even = (x: number) => x % 2 === 0;
      expect(is(own, plain) && own.hashCode() === plain.hashCode()).toBe(true);
      expect(own.filter(even).toArray()).toEqual(plain.filter(even).toArray());
      expect(own.filter((_x, i) => i > 0).map((x, i) => x * 10 + i).toArray()).toEqual(plain.filter((_x, i) => i > 0).map((x, i) => x * 10 + i).toArray());
      expect(own.map((x) => x)).toBe(own); // unchanged values: the same list, as Immutable's map gives
      expect([own.includes(2), own.some(even), own.every(even), own.count(even), own.find(even), own.indexOf(2), own.last()])
        .toEqual([plain.includes(2), plain.some(even), plain.every(even), plain.count(even), plain.find(even), plain.indexOf(2), plain.last()]);
      expect(own.reduce((a, x) => a + x, 0)).toBe(plain.reduce((a, x) => a + x, 0));
      const seen: Array<[number, number]> = [];
      expect(own.forEach((x, i) => { seen.push([x, i]); return i < 1; })).toBe(plain.forEach((_x, i) => i < 1));
      expect(seen).toEqual(values.slice(0, 2).map((x, i) => [x, i]));
      expect([...own]).toEqual(values);
      expect(own.reverse().toArray()).toEqual([...values].reverse());
      expect(ISet(own).equals(ISet(plain))).toBe(true);
    }
    expect([...snapshot(Object.getPrototypeOf(List()))]).toEqual([...listProto]);
  });
});
