// Synod's own sets of more than eight elements are arrays kept in the order Immutable's hashed
// trie iterates (src/state/hash-order.ts). A spec sees that order (it picks witnesses and emits
// successors in it), so it must be Immutable's exactly, hash collisions included: these compare
// every decoded set, and every set made from one, with the set Immutable builds from the same
// additions. The message types below have many colliding hashes (Immutable's record hash is weak).
import { hash, is, List, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { t, valuesOf, type Type } from '../../src/spec/types.js';
import { codecOf, IDENTITY, Reader, Writer } from '../../src/state/codec.js';
import { isOwn } from '../../src/state/provenance.js';
import { fieldsOf, makeRecord } from '../../src/spec/fast-record.js';
import { rng } from './arbitraries.js';

const RM = t.scalarset('RM', 2);
const Acceptor = t.scalarset('Acceptor', 3);
// Paxos Commit's messages at rm=2, acceptors=3, ballots=2: 144 values, written as a bitmask.
const PaxosMsg = t.union('type', {
  phase1a: { ins: RM, bal: t.int(1, 1) },
  phase1b: { ins: RM, mbal: t.int(0, 1), bal: t.int(-1, 1), val: t.enum('prepared', 'aborted', 'none'), acc: Acceptor },
  phase2a: { ins: RM, bal: t.int(0, 1), val: t.enum('prepared', 'aborted') },
  phase2b: { acc: Acceptor, ins: RM, bal: t.int(0, 1), val: t.enum('prepared', 'aborted') },
  Commit: {},
  Abort: {},
});
// 441 values: written as a count and the elements in rank order.
const Pair = t.record({ a: t.int(0, 20), b: t.int(0, 20) }, 'Pair');

function roundTrip(type: Type, v: unknown): unknown {
  const w = new Writer();
  codecOf(type).encode(w, v, IDENTITY);
  return codecOf(type).decode(new Reader(w.take()));
}

const collisions = (values: unknown[]): number => values.length - new Set(values.map((v) => hash(v))).size;

describe.each<[string, Type]>([['bitmask', PaxosMsg], ['ranked', Pair]])('a decoded %s set of messages', (_kind, elem) => {
  const all = valuesOf(elem);
  const type = t.set(elem);

  it('has hash collisions to test against', () => {
    expect(collisions(all)).toBeGreaterThan(10);
  });

  it('iterates, and makes sets that iterate, as the sets Immutable builds from the same additions', () => {
    const next = rng(21);
    const pick = (): unknown => all[Math.floor(next() * all.length)];
    const same = (a: ISet<unknown>, b: ISet<unknown>): void => {
      expect([...a]).toEqual([...b]); // identical objects, in the same order
      const each: unknown[] = [];
      a.forEach((x) => { each.push(x); });
      expect(each).toEqual([...b]);
      expect(a.size).toBe(b.size);
      expect(is(a, b) && a.hashCode() === b.hashCode()).toBe(true);
    };
    let big = 0;
    for (let run = 0; run < 300; run++) {
      const n = Math.floor(next() * 30);
      const added: unknown[] = [];
      for (let i = 0; i < n; i++) added.push(pick());
      const plain = ISet<unknown>(added);
      // Decoding adds the elements in valuesOf order (what the codec's plain build did).
      const ordered = ISet<unknown>().withMutations((s) => { for (const x of all) if (plain.has(x)) s.add(x); });
      let own = roundTrip(type, plain) as ISet<unknown>;
      let ref = ordered;
      expect(isOwn(own)).toBe(true);
      if (own.size > 8) big++;
      same(own, ref);
      for (const x of all.slice(0, 40)) {
        // the interned message, and an equal copy that is not it (found by is(), not ===)
        const copy = makeRecord((x as any).constructor, (x as any).__synodKeys, fieldsOf(x).slice());
        expect(copy === x || !is(copy, x)).toBe(false);
        expect([own.has(x), own.has(copy), own.add(copy) === own]).toEqual([ref.has(x), ref.has(copy), ref.add(copy) === ref]);
        expect([...own.add(copy)].map((m) => m === copy)).toEqual([...ref.add(copy)].map((m) => m === copy)); // replaced, as Immutable does
      }
      for (let step = 0; step < 12; step++) {
        const x = pick();
        const y = pick();
        const op = Math.floor(next() * 8);
        // add (mostly: what specs do), union, remove, withMutations, filter, subtract, map, concat
        const [a, b] = op <= 2 ? [own.add(x), ref.add(x)]
          : op === 3 ? [own.union([x, y]), ref.union([x, y])]
            : op === 4 ? [own.remove(x), ref.remove(x)]
              : op === 5 ? [own.withMutations((s) => { s.add(x).add(y); }), ref.withMutations((s) => { s.add(x).add(y); })]
                : op === 6 ? [own.subtract(List([x])).union(ISet([y])), ref.subtract(List([x])).union(ISet([y]))]
                  : [own.filter((m) => m !== x).concat([y]), ref.filter((m) => m !== x).concat([y])];
        same(a, b);
        if (b === ref) expect(a).toBe(own); // nothing new: the same set, as Immutable gives
        own = a;
        ref = b;
      }
    }
    expect(big).toBeGreaterThan(100);
  });

  it('orders a ninth element that shares its hash with one of eight as Immutable does', () => {
    const byHash = new Map<number, unknown[]>();
    for (const x of all) byHash.set(hash(x), [...(byHash.get(hash(x)) ?? []), x]);
    const pairs = [...byHash.values()].filter((g) => g.length > 1);
    expect(pairs.length).toBeGreaterThan(5);
    for (const [a, b] of pairs) {
      const others = all.filter((x) => x !== a && x !== b);
      for (const [first, then] of [[a, b], [b, a]]) {
        // eight elements (first among them) in valuesOf order, then the ninth, then a tenth
        const eight = all.filter((x) => x === first || others.slice(0, 7).includes(x));
        const plain = ISet<unknown>().withMutations((s) => { for (const x of eight) s.add(x); });
        const own = roundTrip(type, plain) as ISet<unknown>;
        expect([...own]).toEqual([...plain]);
        expect([...own.add(then)]).toEqual([...plain.add(then)]);
        expect([...own.add(then).add(others[9])]).toEqual([...plain.add(then).add(others[9])]);
        // nine decoded, where the ninth in valuesOf order shares a hash with an earlier one
        const nine = ISet<unknown>().withMutations((s) => { for (const x of all) if (x === then || eight.includes(x)) s.add(x); });
        expect([...(roundTrip(type, nine) as ISet<unknown>)]).toEqual([...nine]);
      }
    }
  });
});
