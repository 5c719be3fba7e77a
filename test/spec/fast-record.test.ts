// Records of declared types take a faster path for reads, equality and hashing than Immutable's
// own; they must still behave exactly like Immutable records wherever a spec can tell.
import { describe, expect, it } from 'vitest';
import { is, List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import { t, valuesOf } from 'synod';
import { codecOf, IDENTITY, Reader, Writer } from '../../src/state/codec.js';

const Node = t.scalarset('Node', 3);
const Pair = t.record({ a: t.int(0, 3), b: Node });
const Same = t.record({ a: t.int(0, 3), b: Node }); // another declared type with the same fields
const Msg = t.union('type', { ping: { from: Node }, pong: { from: Node, n: t.int(0, 2) } });

describe('declared records', () => {
  it('read fields by property, get() and toJS like Immutable records', () => {
    const r = Pair.make({ a: 2, b: 'n1' });
    expect(r.a).toBe(2);
    expect(r.get('b')).toBe('n1');
    expect(r.get('nope' as 'a', 'fallback')).toBe('fallback');
    expect(r.toJS()).toEqual({ a: 2, b: 'n1' });
  });

  it('see updates: set, update and withMutations give records with the new values', () => {
    const r = Pair.make({ a: 1, b: 'n1' });
    const s = r.set('a', 3);
    expect([r.a, s.a, s.b]).toEqual([1, 3, 'n1']);
    const m = r.withMutations((x) => {
      x.set('a', 2);
      expect(x.a).toBe(2); // read inside withMutations sees the write, not a stale copy
      x.set('b', 'n3');
    });
    expect([m.a, m.b]).toEqual([2, 'n3']);
    expect(r.update('a', (a) => a + 1).a).toBe(2);
  });

  it('are equal and hash alike exactly when their fields are', () => {
    const r = Pair.make({ a: 1, b: 'n2' });
    const s = Pair.make({ a: 0, b: 'n2' }).set('a', 1);
    expect(is(r, s)).toBe(true);
    expect(r.hashCode()).toBe(s.hashCode());
    expect(is(r, Pair.make({ a: 1, b: 'n3' }))).toBe(false);
    // Immutable's rule for records of two types with the same keys is kept.
    const plain = IRecord({ a: 0, b: '' })({ a: 1, b: 'n2' });
    expect(is(r, Same.make({ a: 1, b: 'n2' }))).toBe(is(plain, IRecord({ a: 0, b: '' })({ a: 1, b: 'n2' })));
  });

  it('tell union variants apart in sets', () => {
    const ping = Msg.make({ type: 'ping', from: 'n1' });
    const pong = Msg.make({ type: 'pong', from: 'n1', n: 0 });
    const set = ISet([ping, pong]);
    expect(set.size).toBe(2);
    expect(set.has(Msg.make({ type: 'pong', from: 'n1', n: 0 }))).toBe(true);
    expect(set.has(Msg.make({ type: 'pong', from: 'n1', n: 1 }))).toBe(false);
    expect(is(ping, pong)).toBe(false);
  });

  it('are one object per value when every field is a plain value (interned), decoded ones too', () => {
    const a = Msg.make({ type: 'pong', from: 'n2', n: 1 });
    expect(Msg.make({ type: 'pong', from: 'n2', n: 1 })).toBe(a);
    expect(Msg.make({ type: 'pong', from: 'n2', n: 2 })).not.toBe(a);
    const w = new Writer();
    codecOf(Msg).encode(w, a, IDENTITY);
    expect(codecOf(Msg).decode(new Reader(w.buf.subarray(0, w.pos)))).toBe(a);
    expect(valuesOf(Msg)).toContain(a);
    // A record with a collection field is not interned: equal, not identical.
    const Box = t.record({ items: t.set(Node) });
    const b = Box.make({ items: ISet(['n1']) });
    const c = Box.make({ items: ISet(['n1']) });
    expect(c).not.toBe(b);
    expect(is(b, c)).toBe(true);
  });

  it('of an interned type answer valueOf() alike exactly when equal, however they were built', () => {
    const Nested = t.record({ msg: Msg, flag: t.bool(), maybe: t.option(Node) });
    const values = valuesOf(Nested);
    // Built by make, by Immutable's set() (not interned) and inside withMutations.
    const rebuilt = values.map((v) => v.set('flag', !v.flag).set('flag', v.flag));
    const mutated = values.map((v) => v.withMutations((x) => { x.set('flag', !v.flag); x.set('flag', v.flag); }));
    for (let i = 0; i < values.length; i++) {
      expect(rebuilt[i]).not.toBe(values[i]);
      expect(rebuilt[i]!.valueOf()).toBe(values[i]!.valueOf());
      expect(mutated[i]!.valueOf()).toBe(values[i]!.valueOf());
      expect(is(rebuilt[i], values[i])).toBe(true);
    }
    expect(new globalThis.Set(values.map((v) => v.valueOf())).size).toBe(values.length);
    expect(ISet(rebuilt).equals(ISet(values))).toBe(true);
    expect(ISet(values).has(rebuilt[values.length - 1])).toBe(true);
    // Immutable calls records of two types with the same keys and values equal; so do we.
    expect(is(Pair.make({ a: 1, b: 'n2' }), Same.make({ a: 1, b: 'n2' }))).toBe(true);
    // A value of another kind that happens to print alike is still not equal.
    expect(is(Pair.make({ a: 1, b: 'n2' }), Pair.make({ a: 1, b: 'n2' }).toString())).toBe(false);
  });

  it('update through setIn, updateIn and update exactly as Immutable does', () => {
    const S = t.record({ m: t.map(Node, t.map(Node, t.int(0, 3))), l: t.seq(t.int(0, 3), 3), p: Pair });
    const Plain = IRecord({ m: undefined as unknown, l: undefined as unknown, p: undefined as unknown });
    const ours = S.make({ m: IMap([['n1', IMap([['n2', 1]])]]), l: List([1, 2]), p: Pair.make({ a: 0, b: 'n1' }) });
    const theirs = Plain({ m: ours.m, l: ours.l, p: IRecord({ a: 0, b: '' })({ a: 0, b: 'n1' }) });
    const same = (a: any, b: any) => expect(JSON.stringify(a.toJS())).toBe(JSON.stringify(b.toJS()));
    same(ours.setIn(['m', 'n1', 'n2'], 3), theirs.setIn(['m', 'n1', 'n2'], 3));
    same(ours.setIn(['m', 'n3', 'n1'], 2), theirs.setIn(['m', 'n3', 'n1'], 2)); // creates the missing map
    same(ours.setIn(['l', 1], 0), theirs.setIn(['l', 1], 0));
    same(ours.setIn(['p', 'a'], 2), theirs.setIn(['p', 'a'], 2));
    same(ours.updateIn(['m', 'n1', 'n2'], (x: any) => x + 1), theirs.updateIn(['m', 'n1', 'n2'], (x: any) => x + 1));
    same((ours as any).updateIn(['m', 'n1', 'n3'], 0, (x: any) => x + 2), (theirs as any).updateIn(['m', 'n1', 'n3'], 0, (x: any) => x + 2));
    same(ours.update('l', (l: any) => l.push(3)), theirs.update('l', (l: any) => l.push(3)));
    expect(ours.update((r: any) => r.set('l', List())).l.size).toBe(0);
    // Nothing changed: the very same objects, as Immutable keeps them.
    expect(ours.setIn(['m', 'n1', 'n2'], 1)).toBe(ours);
    expect(ours.update('p', (p: any) => p)).toBe(ours);
    expect(ours.set('l', ours.l)).toBe(ours);
    const changed = ours.setIn(['m', 'n1', 'n2'], 2);
    expect(changed.l).toBe(ours.l);
    expect(changed.m.get('n1')).not.toBe(ours.m.get('n1'));
    // An updater runs once, also when the path leads through a missing key.
    let calls = 0;
    (ours as any).updateIn(['m', 'n2', 'n1'], 0, (x: any) => { calls++; return x; });
    ours.updateIn(['m', 'n1', 'n2'], (x: any) => { calls++; return x; });
    expect(calls).toBe(2);
    // Unknown fields: Immutable ignores them, a declared record refuses them (a misspelt field).
    expect((theirs as any).set('nope', 1)).toBe(theirs);
    expect(() => ours.setIn(['nope', 'n1'], 1)).toThrow("the record has no field 'nope'; its fields: m, l, p");
    expect(() => (ours as any).set('nope', 1)).toThrow("the record has no field 'nope'");
    expect(() => (ours as any).update('nope', () => 1)).toThrow("the record has no field 'nope'");
    expect(() => (ours as any).merge({ nope: 1 })).toThrow("the record has no field 'nope'");
    expect(() => ours.withMutations((x: any) => { x.set('lp', 1); })).toThrow("the record has no field 'lp' (did you mean 'l'?)");
    const m = ours.withMutations((x: any) => { x.setIn(['p', 'a'], 3); x.set('l', List([0])); });
    expect([m.p.a, m.l.toArray(), ours.p.a]).toEqual([3, [0], 0]);
  });
});
