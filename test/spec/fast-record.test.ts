// Records of declared types take a faster path for reads, equality and hashing than Immutable's
// own; they must still behave exactly like Immutable records wherever a spec can tell.
import { describe, expect, it } from 'vitest';
import { is, Record as IRecord, Set as ISet } from 'immutable';
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
});
