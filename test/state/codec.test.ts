// The state codec: canonical bytes, exact round trips, injectivity, and rejection of values
// outside their type (with findInvalid naming the field path), over random declared types.
import fc from 'fast-check';
import { is, List, Map as IMap, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { t, valuesOf, type RecordType, type Type } from '../../src/spec/types.js';
import { StateCodec } from '../../src/state/state-codec.js';
import { isOwn, NOT_MADE, ownMap, ownSet, stepFrom } from '../../src/state/provenance.js';
import { codecOf, IDENTITY, InvalidValue, makePerm, Reader, Writer } from '../../src/state/codec.js';
import { findInvalid } from '../../src/state/validate.js';
import {
  badValues, iterationOrder, keyType, nestedSmallElem, rebuild, rng, sitesOf, stateTypeArb, typeArb, valueArb,
} from './arbitraries.js';

const SEED = 0x5eed;
const w = new Writer();

function encode(type: Type, v: unknown): Uint8Array {
  w.reset();
  codecOf(type).encode(w, v, IDENTITY);
  return w.take();
}

function decode(type: Type, bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  const v = codecOf(type).decode(r);
  expect(r.pos).toBe(bytes.length); // decoding consumes exactly what encoding wrote
  return v;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const withValue = (types: fc.Arbitrary<Type>) => types.chain((ty) => fc.tuple(fc.constant(ty), valueArb(ty)));

describe('canonical encoding (random types)', () => {
  it('the same value built in another insertion order encodes to the same bytes', () => {
    let reordered = 0;
    const runs = 250;
    fc.assert(
      fc.property(withValue(stateTypeArb), fc.integer(), ([ty, v], seed) => {
        const again = rebuild(ty, v, rng(seed));
        expect(is(again, v)).toBe(true);
        if (iterationOrder(again) !== iterationOrder(v)) reordered++;
        expect(hex(encode(ty, again))).toBe(hex(encode(ty, v)));
      }),
      { seed: SEED, numRuns: runs },
    );
    // The property only means something if rebuilding really changed iteration orders.
    expect(reordered).toBeGreaterThan(runs / 5);
  });

  it('round trip: decode(encode(v)) equals v and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(withValue(stateTypeArb), ([ty, v]) => {
        expect(findInvalid(ty, v)).toBeNull();
        const bytes = encode(ty, v);
        const back = decode(ty, bytes);
        expect(is(back, v)).toBe(true);
        expect(hex(encode(ty, back))).toBe(hex(bytes));
      }),
      { seed: SEED + 1, numRuns: 250 },
    );
  });

  it('encodings are self-delimiting: two values written back to back decode in turn', () => {
    fc.assert(
      fc.property(stateTypeArb.chain((ty) => fc.tuple(fc.constant(ty), valueArb(ty), valueArb(ty))), ([ty, a, b]) => {
        const c = codecOf(ty);
        w.reset();
        c.encode(w, a, IDENTITY);
        c.encode(w, b, IDENTITY);
        const r = new Reader(w.take());
        expect(is(c.decode(r), a)).toBe(true);
        expect(is(c.decode(r), b)).toBe(true);
        expect(r.pos).toBe(r.buf.length);
      }),
      { seed: SEED + 2, numRuns: 150 },
    );
  });

  it('two values have equal bytes exactly when they are equal', () => {
    const pairs = typeArb(2).chain((ty) => fc.tuple(fc.constant(ty), valueArb(ty), valueArb(ty)));
    fc.assert(
      fc.property(pairs, ([ty, a, b]) => {
        expect(hex(encode(ty, a)) === hex(encode(ty, b))).toBe(is(a, b));
      }),
      { seed: SEED + 3, numRuns: 400 },
    );
  });
});

/** Small declared types (at most 1000 values), for exhaustive checks. */
function smallTypeArb(depth: number): fc.Arbitrary<Type> {
  const small = keyType.filter((k) => k.size <= 4);
  if (depth === 0) return small;
  const sub = smallTypeArb(depth - 1);
  const fields = (n: number) => fc.array(sub, { maxLength: n })
    .map((ts) => Object.fromEntries(ts.map((ty, i) => [`f${i}`, ty])));
  return fc.oneof(
    small,
    fields(3).map((f) => t.record(f) as Type),
    fc.array(fields(2), { minLength: 1, maxLength: 3 }).map((vs) => t.union('tag', Object.fromEntries(vs.map((f, i) => [`V${i}`, f]))) as Type),
    fc.tuple(small, sub).map(([k, v]) => t.map(k, v) as Type),
    fc.tuple(small, sub).map(([k, v]) => t.partialMap(k, v) as Type),
    sub.map((e) => t.set(e) as Type),
    fc.tuple(sub, fc.integer({ min: 0, max: 2 })).map(([e, n]) => t.seq(e, n) as Type),
    sub.filter((e) => e.kind !== 'option').map((e) => t.option(e) as Type),
  ).filter((ty) => ty.size <= 1000);
}

function checkExhaustive(ty: Type): void {
  const all = valuesOf(ty);
  expect(all.length).toBe(ty.size);
  expect(ISet(all).size).toBe(all.length); // valuesOf lists each value once
  const c = codecOf(ty);
  const seen = new Map<string, unknown>();
  const problems: string[] = [];
  for (const v of all) {
    // Plain checks in the loop (not expect): some domains here have 65536 values.
    const invalid = findInvalid(ty, v);
    if (invalid) problems.push(invalid);
    w.reset();
    c.encode(w, v, IDENTITY);
    const bytes = w.take();
    const key = hex(bytes);
    if (seen.has(key)) problems.push(`${String(seen.get(key))} and ${String(v)} both encode to ${key}`);
    seen.set(key, v);
    const r = new Reader(bytes);
    if (!is(c.decode(r), v) || r.pos !== bytes.length) problems.push(`${String(v)} does not round trip`);
    if (problems.length > 5) break;
  }
  expect(problems).toEqual([]);
}

describe('injectivity on small domains', () => {
  it('every value of a random small type has its own encoding', () => {
    fc.assert(fc.property(smallTypeArb(2), (ty) => checkExhaustive(ty)), { seed: SEED + 4, numRuns: 120 });
  });

  it.each<[string, Type]>([
    ['set of sets', t.set(t.set(t.scalarset('N', 3)))],
    ['set of options', t.set(t.option(t.enum('a', 'b', 'c')))],
    ['partial map to option (absent differs from null)', t.partialMap(t.enum('a', 'b', 'c'), t.option(t.bool()))],
    ['seq of options', t.seq(t.option(t.bool()), 3)],
    ['union with an empty variant', t.union('type', { Commit: {}, Prepared: { rm: t.scalarset('RM', 3) }, Abort: {} })],
    ['set of records (bitmask by encoding)', t.set(t.record({ a: t.bool(), b: t.int(-1, 1) }))],
    ['2-byte ints', t.int(-5, 65_530)],
    ['300 named ids (2-byte names)', t.scalarset('Big', 300)],
    ['65536 named ids', t.scalarset('Huge', 65_536)],
  ])('%s', (_, ty) => checkExhaustive(ty));
});

// A bitmask set ranks a record, union or option element field by field; a field holding a
// collection (set, seq, map) is ranked through its own table of encodings (a bug once mixed
// those up with the whole element's).
describe('sets of records, unions and options holding collections', () => {
  it('round trip (random shapes)', () => {
    const arb = nestedSmallElem.chain((elem) => fc.tuple(fc.constant(t.set(elem) as Type), valueArb(t.set(elem))));
    fc.assert(
      fc.property(arb, ([ty, v]) => {
        expect(findInvalid(ty, v)).toBeNull();
        expect(is(decode(ty, encode(ty, v)), v)).toBe(true);
      }),
      { seed: SEED + 6, numRuns: 100 },
    );
  });

  it('a set of {a: bool, b: set(bool)} accepts its own values', () => {
    const R = t.record({ a: t.bool(), b: t.set(t.bool()) });
    const v = ISet([R.make({ a: true, b: ISet([true]) })]);
    expect(findInvalid(t.set(R), v)).toBeNull();
    expect(() => encode(t.set(R), v)).not.toThrow();
  });

  it('a set of a union with a map field decodes to what was encoded', () => {
    const U = t.union('k', { A: { m: t.map(t.enum('x', 'y'), t.bool()) }, B: {} });
    const v = ISet([U.make({ k: 'A', m: IMap({ x: true, y: false }) })]);
    expect(is(decode(t.set(U), encode(t.set(U), v)), v)).toBe(true);
  });
});

describe('encoding boundaries', () => {
  it('sets switch from a bitmask to a sorted list above 256 possible elements', () => {
    const small = t.set(t.int(0, 255));
    const large = t.set(t.int(0, 256));
    expect(encode(small, ISet()).length).toBe(32); // one bit per possible element
    expect(encode(large, ISet()).length).toBe(1); // just the count
    expect(encode(large, ISet([256, 3])).length).toBe(1 + 2 * 2);
    for (const [ty, v] of [[small, ISet([0, 255, 7])], [large, ISet([256, 0, 255])]] as const) {
      expect(is(decode(ty, encode(ty, v)), v)).toBe(true);
    }
    expect(hex(encode(large, ISet([256, 3, 100])))).toBe(hex(encode(large, ISet([100, 256, 3]))));
  });

  it('a partial map or set over a large key type costs its entries, not its key type', () => {
    // A message type of 648 values (as a Raft port's bag has) and one of 60,000.
    const Node = t.scalarset('Node', 3);
    const Msg = t.union('type', { Vote: { from: Node, to: Node, term: t.int(1, 36) } });
    expect(Msg.size).toBe(324);
    const Wide = t.union('type', { Vote: { from: Node, to: Node, term: t.int(1, 36) }, Big: { n: t.int(0, 59_675) } });
    const [m1, m2] = [Msg.make({ type: 'Vote', from: 'n1', to: 'n2', term: 7 }), Msg.make({ type: 'Vote', from: 'n3', to: 'n1', term: 36 })];
    const [w1, w2] = [Wide.make({ type: 'Vote', from: 'n1', to: 'n2', term: 7 }), Wide.make({ type: 'Big', n: 59_000 })];
    // Count, then per entry a 2-byte key rank and the value.
    expect(encode(t.partialMap(Msg, t.int(1, 3)), IMap([[m1, 2], [m2, 1]])).length).toBe(1 + 2 * 3);
    expect(encode(t.partialMap(Wide, t.int(1, 3)), IMap([[w1, 2], [w2, 1]])).length).toBe(1 + 2 * 3);
    expect(encode(t.partialMap(Wide, t.int(1, 3)), IMap()).length).toBe(1);
    // Sets: count, then the elements' encodings (variant byte, then the fields, tag included) in rank order.
    expect(encode(t.set(Wide), ISet([w2, w1])).length).toBe(1 + 5 + 4);
    expect(hex(encode(t.set(Wide), ISet([w2, w1])))).toBe(hex(encode(t.set(Wide), ISet([w1, w2]))));
  });

  it('a large partial map or set renamed by a permutation encodes as the renamed value', () => {
    const Node = t.scalarset('Node', 3);
    const Msg = t.union('type', { Vote: { from: Node, to: Node, term: t.int(1, 36) } });
    const vote = (from: string, to: string, term: number) => Msg.make({ type: 'Vote', from, to, term });
    const fwd: Array<Int32Array | undefined> = [];
    fwd[Node.slot] = Int32Array.from([1, 2, 0]); // n1 -> n2 -> n3 -> n1
    const p = makePerm(fwd);
    const rename = (n: string) => `n${((Number(n.slice(1)) - 1 + 1) % 3) + 1}`;
    const bag = IMap([[vote('n1', 'n2', 3), 1], [vote('n3', 'n1', 1), 2], [vote('n2', 'n2', 36), 1]]);
    const renamed = bag.mapKeys((m) => vote(rename(m.from), rename(m.to), m.term));
    for (const [ty, v, r] of [
      [t.partialMap(Msg, t.int(1, 2)), bag, renamed],
      [t.set(Msg), bag.keySeq().toSet(), renamed.keySeq().toSet()],
    ] as const) {
      w.reset();
      codecOf(ty).encode(w, v, p);
      expect(hex(w.take())).toBe(hex(encode(ty, r)));
      expect(is(decode(ty, encode(ty, v)), v)).toBe(true);
    }
  });

  it('ints take 1, 2 or 4 bytes and round trip at the width edges', () => {
    const cases: Array<[Type, number, number[]]> = [
      [t.int(0, 255), 1, [0, 255]],
      [t.int(-10, 245), 1, [-10, 0, 245]],
      [t.int(0, 256), 2, [0, 255, 256]],
      [t.int(0, 65_535), 2, [0, 256, 65_535]],
      [t.int(0, 65_536), 4, [0, 65_535, 65_536]],
      [t.int(-(2 ** 31), 2 ** 31 - 1), 4, [-(2 ** 31), -1, 0, 1, 2 ** 24, 2 ** 31 - 1]],
      [t.int(0, 2 ** 32 - 1), 4, [0, 2 ** 31, 2 ** 32 - 1]],
    ];
    for (const [ty, width, vs] of cases) {
      const seen = new Set<string>();
      for (const v of vs) {
        const b = encode(ty, v);
        expect(b.length).toBe(width);
        expect(decode(ty, b)).toBe(v);
        seen.add(hex(b));
      }
      expect(seen.size).toBe(vs.length);
    }
  });

  // Ints are written in at most 4 bytes and names in at most 2, so wider domains are refused
  // when declared rather than colliding silently.
  it('refuses int ranges of more than 2^32 values', () => {
    expect(() => t.int(0, 2 ** 32)).toThrow(/at most 2\^32 values/);
    expect(() => t.int(0, 2 ** 32 - 1)).not.toThrow();
  });

  it('refuses scalarsets and enums of more than 65536 values', () => {
    expect(() => t.scalarset('N', 65_537)).toThrow(/at most 65536/);
    expect(() => t.enum(...Array.from({ length: 65_537 }, (_, i) => `v${i}`))).toThrow(/at most 65536/);
  });

  it('refuses an option of an option (two kinds of null)', () => {
    expect(() => t.option(t.option(t.bool()))).toThrow(/ambiguous/);
  });

  it('varints round trip up to 2^53 - 1 and the writer grows past its first buffer', () => {
    const ns = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    const big = new Writer();
    for (const n of ns) big.varint(n);
    const r = new Reader(big.take());
    expect(ns.map(() => r.varint())).toEqual(ns);
    expect(big.take().length).toBe(1 + 1 + 1 + 2 + 2 + 3 + 5 + 5 + 8);
  });

  it('a partial map keeps its presence mask when its values make the buffer grow', () => {
    const Node = t.scalarset('Node', 12);
    const ty = t.partialMap(Node, t.set(t.int(0, 100_000)));
    const v = IMap(Node.values.filter((_, i) => i % 3 !== 1).map((n, i) =>
      [n, ISet(Array.from({ length: 200 }, (_, j) => (j * 499 + i * 7) % 100_001))] as [string, ISet<number>]));
    const fresh = new Writer();
    codecOf(ty).encode(fresh, v, IDENTITY);
    expect(fresh.pos).toBeGreaterThan(1024);
    expect(is(decode(ty, fresh.take()), v)).toBe(true);
  });
});

describe('values outside their type', () => {
  const RM = t.scalarset('RM', 3);
  const Msg = t.union('type', { Prepared: { rm: RM }, Commit: {}, Abort: {} });
  const Last = t.record({ rm: RM, ok: t.bool() });
  const State = t.record({
    rmState: t.map(RM, t.enum('working', 'prepared', 'committed', 'aborted')),
    tmPrepared: t.set(RM),
    msgs: t.set(Msg),
    round: t.int(0, 3),
    last: t.option(Last),
    log: t.seq(t.int(0, 9), 2),
    votes: t.partialMap(RM, t.bool()),
  });
  const good = State.make({
    rmState: IMap(RM.values.map((r) => [r, 'working'])),
    tmPrepared: ISet(['r1']),
    msgs: ISet([Msg.make({ type: 'Prepared', rm: 'r1' }), Msg.make({ type: 'Commit' })]),
    round: 1,
    last: null,
    log: List([3]),
    votes: IMap({ r2: true }),
  }) as any;
  const RMs = "a RM id (r1, r2, r3)";

  it('accepts the well-typed state', () => {
    expect(findInvalid(State, good)).toBeNull();
    expect(() => encode(State, good)).not.toThrow();
  });

  it.each<[string, (s: any) => unknown, string]>([
    ['enum value not in the list', (s) => s.setIn(['rmState', 'r2'], 'bogus'),
      "state.rmState['r2']: expected one of 'working', 'prepared', 'committed', 'aborted', got 'bogus'"],
    ['missing key of a total map', (s) => s.deleteIn(['rmState', 'r3']),
      `state.rmState: a total map needs all 3 keys of ${RMs}, got 2`],
    ['int above its range', (s) => s.set('round', 4), 'state.round: expected int 0..3, got 4'],
    ['int below its range', (s) => s.set('round', -1), 'state.round: expected int 0..3, got -1'],
    ['non-integer', (s) => s.set('round', 1.5), 'state.round: expected int 0..3, got 1.5'],
    ['bad field inside a set element', (s) => s.update('msgs', (m: any) => m.add(Msg.make({ type: 'Prepared', rm: 'r9' }))),
      `state.msgs element.rm: expected ${RMs}, got 'r9'`],
    ['plain object in a set of union values', (s) => s.update('msgs', (m: any) => m.add({ type: 'Commit' })),
      `state.msgs element: expected a Prepared | Commit | Abort value made with its type's make(), got {"type":"Commit"}`],
    ['bad id in a set', (s) => s.update('tmPrepared', (m: any) => m.add('r4')), `state.tmPrepared element: expected ${RMs}, got 'r4'`],
    ['plain Immutable Map where a record is declared', (s) => s.set('last', IMap({ rm: 'r1', ok: true })),
      `state.last: expected a record {rm, ok} made with its type's make(), got Map {"rm":"r1","ok":true}`],
    ['List longer than its max', (s) => s.set('log', List([1, 2, 3])), 'state.log: at most 2 elements allowed, got 3'],
    ['bad List element', (s) => s.set('log', List([1, 10])), 'state.log[1]: expected int 0..9, got 10'],
    ['bad key of a partial map', (s) => s.setIn(['votes', 'r7'], false), `state.votes key: expected ${RMs}, got 'r7'`],
    ['bool field given a number', (s) => s.set('last', Last.make({ rm: 'r1', ok: 1 as never })),
      'state.last.ok: expected boolean, got 1'],
    ['JS array where a Set is declared', (s) => s.set('tmPrepared', ['r1']), `state.tmPrepared: expected an Immutable Set of ${RMs}, got ["r1"]`],
  ])('%s', (_, breakIt, message) => {
    const bad = breakIt(good);
    expect(() => encode(State, bad)).toThrow(InvalidValue);
    expect(findInvalid(State, bad)).toBe(message);
  });

  it('a plain Immutable Map as the whole state', () => {
    const bad = IMap(good.toObject());
    expect(() => encode(State, bad)).toThrow(InvalidValue);
    expect(findInvalid(State, bad)).toMatch(/^state: expected a record \{rmState, tmPrepared, msgs, round, last, log, votes\}/);
  });

  it('random corruptions: encode rejects them and findInvalid names the broken place', () => {
    const arb = withValue(stateTypeArb).chain(([ty, v]) => fc.tuple(fc.constant(ty), fc.constant(v), fc.nat(), fc.nat()));
    fc.assert(
      fc.property(arb, ([ty, v, i, j]) => {
        const sites = sitesOf(ty, v, 'state');
        const site = sites[i % sites.length]!;
        const bads = badValues(site.type, site.value);
        const [bad, suffix] = bads[j % bads.length]!;
        const broken = site.put(bad);
        expect(() => encode(ty, broken)).toThrow(InvalidValue);
        const found = findInvalid(ty, broken);
        expect(found?.startsWith(`${site.path}${suffix}: `), `expected ${site.path}${suffix}, got ${found}`).toBe(true);
      }),
      { seed: SEED + 5, numRuns: 400 },
    );
  });
});

describe('the state codec in the search loop', () => {
  it('decodes a run of parents (reusing fields equal to the previous one) as decoding each afresh', () => {
    const states = stateTypeArb.chain((ty) => fc.tuple(fc.constant(ty), fc.array(valueArb(ty), { minLength: 2, maxLength: 6 })));
    fc.assert(fc.property(states, ([ty, values]) => {
      const type = ty as RecordType;
      const sc = new StateCodec(type);
      // Siblings share fields: also feed each value twice and with a field of the previous one.
      const first = type.fields[0]?.[0];
      const run = values.flatMap((v, i) => [v, v, i > 0 && first !== undefined ? (v as any).set(first, (values[i - 1] as any).get(first)) : v]);
      for (const v of run) {
        const bytes = encode(type, v);
        const parent = sc.decodeParent(bytes);
        expect(is(parent, decode(type, bytes))).toBe(true);
        // Successors copy the shared fields' bytes from the parent: still the full encoding.
        const out = new Writer();
        sc.encode(out, v);
        expect(hex(out.take())).toBe(hex(bytes));
      }
    }), { seed: SEED, numRuns: 200 });
  });
});

describe('ranks under a renaming', () => {
  it('records of plain fields rank from kept digits as the field-by-field rank does', () => {
    const Id = t.scalarset('Id', 3);
    const Other = t.scalarset('Other', 2);
    const R = t.record({ a: Id, n: t.int(0, 2), b: t.option(Id), c: t.option(Other), on: t.bool() });
    const codec = codecOf(R);
    const perms = [[1, 2, 0], [2, 1, 0], [0, 1, 2]].flatMap((f) => [[1, 0], [0, 1]].map((g) => {
      const fwd: Array<Int32Array | undefined> = [];
      fwd[Id.slot] = Int32Array.from(f);
      fwd[Other.slot] = Int32Array.from(g);
      return makePerm(fwd);
    }));
    for (const v of valuesOf(R)) {
      for (const p of perms) {
        // A record inside withMutations is never cached: it takes the field-by-field path.
        let slow = -1;
        (v as any).withMutations((m: unknown) => { slow = codec.rank(m, p); });
        expect(codec.rank(v, p)).toBe(slow);
        expect(codec.rank(v, p)).toBe(slow); // and again, from the digits kept on the record
      }
    }
  });
});

describe('ranks of small collections', () => {
  // The definition: the index in valuesOf of the value whose encoding is v's encoding under p.
  it.each<[string, Type]>([
    ['total map over ids to ids', t.map(t.scalarset('K', 3), t.option(t.scalarset('K2', 1)))],
    ['total map over ids to plain values', t.map(t.scalarset('K', 2), t.int(0, 3))],
    ['partial map over ids to records', t.partialMap(t.scalarset('K', 2), t.record({ b: t.int(0, 1), o: t.option(t.scalarset('K3', 2)) }))],
    ['set of ids', t.set(t.scalarset('E', 4))],
    ['set of options', t.set(t.option(t.enum('a', 'b')))],
    ['seq of ids', t.seq(t.scalarset('E', 3), 3)],
    ['seq of records', t.seq(t.record({ a: t.bool() }), 4)],
  ])('%s: valuesOf order, and under every renaming the rank of the renamed value', (_, ty) => {
    const all = valuesOf(ty);
    const byBytes = new Map(all.map((v, i) => [hex(encode(ty, v)), i]));
    const slots = symmetricSlots(ty);
    const codec = codecOf(ty);
    for (const p of allPerms(slots)) {
      all.forEach((v, i) => {
        w.reset();
        codec.encode(w, v, p);
        expect(codec.rank(v, p)).toBe(byBytes.get(hex(w.take())));
        if (p === IDENTITY) expect(codec.rank(v, p)).toBe(i);
      });
    }
  });

  it('rejects values outside the type', () => {
    const ty = t.map(t.enum('x', 'y'), t.bool());
    const codec = codecOf(ty);
    expect(() => codec.rank(IMap({ x: true }), IDENTITY)).toThrow(InvalidValue);
    expect(() => codec.rank(IMap({ x: true, z: false }), IDENTITY)).toThrow(InvalidValue);
    expect(() => codec.rank(ISet([true]), IDENTITY)).toThrow(InvalidValue);
    expect(() => codecOf(t.seq(t.bool(), 2)).rank(List([true, true, false]), IDENTITY)).toThrow(InvalidValue);
    expect(() => codecOf(t.set(t.bool())).rank(ISet([1]), IDENTITY)).toThrow(InvalidValue);
  });
});

/** Symmetric scalarsets a type mentions: slot -> size. */
function symmetricSlots(ty: Type, out = new Map<number, number>()): Map<number, number> {
  switch (ty.kind) {
    case 'scalarset': if (ty.symmetric) out.set(ty.slot, ty.size); break;
    case 'option': symmetricSlots(ty.inner, out); break;
    case 'record': for (const [, ft] of ty.fields) symmetricSlots(ft, out); break;
    case 'union': for (const [, rt] of ty.variants) symmetricSlots(rt, out); break;
    case 'map': symmetricSlots(ty.key, out); symmetricSlots(ty.value, out); break;
    case 'set': case 'seq': symmetricSlots(ty.elem, out); break;
  }
  return out;
}

/** IDENTITY, then every renaming of the given scalarsets. */
function allPerms(slots: Map<number, number>): Array<typeof IDENTITY> {
  const permsOf = (n: number): number[][] => (n === 0 ? [[]] : permsOf(n - 1).flatMap((q) => Array.from({ length: n }, (_, i) => [...q.slice(0, i), n - 1, ...q.slice(i)])));
  let fwds: Array<Array<Int32Array | undefined>> = [[]];
  for (const [slot, size] of slots) {
    fwds = fwds.flatMap((f) => permsOf(size).map((q) => { const g = f.slice(); g[slot] = Int32Array.from(q); return g; }));
  }
  return [IDENTITY, ...fwds.map((f) => makePerm(f))];
}

describe('a successor whose set is its parent\'s plus one element', () => {
  it('encodes as the parent\'s bitmask plus that bit, equal to the full encoding', () => {
    const Id = t.scalarset('Id', 3);
    const Msg = t.union('type', { ping: { to: Id }, pong: { from: Id, n: t.int(0, 2) } });
    const S = t.record({ n: t.int(0, 3), msgs: t.set(Msg) });
    const sc = new StateCodec(S);
    const all = valuesOf(Msg);
    const parent = S.make({ n: 1, msgs: ISet([all[0]!, all[4]!]) });
    sc.decodeParent(encode(S, parent));
    const decoded = sc.decodeParent(encode(S, parent)) as any;
    for (const m of all) {
      for (const next of [decoded.update('msgs', (ms: any) => ms.add(m)), decoded.set('n', 2).set('msgs', decoded.msgs.add(m))]) {
        const out = new Writer();
        sc.encode(out, next);
        expect(hex(out.take())).toBe(hex(encode(S, next)));
      }
    }
    // Two adds, or an add to another set: encoded in full, still right.
    const twice = decoded.update('msgs', (ms: any) => ms.add(all[1]).add(all[2]));
    const other = decoded.set('msgs', ISet([all[3]!]).add(all[5]));
    for (const next of [twice, other]) {
      const out = new Writer();
      sc.encode(out, next);
      expect(hex(out.take())).toBe(hex(encode(S, next)));
    }
  });
});

describe('a successor whose set of many possible elements is its parent\'s plus one', () => {
  it('encodes as the parent\'s elements with the new one put in at its rank, equal to the full encoding', () => {
    const Id = t.scalarset('Id', 3);
    // 3 * 300 + 3 * 3 * 4 = 936 messages, of 3 to 5 bytes: a count, then the elements in rank order
    const Msg = t.union('type', { ping: { to: Id, n: t.int(0, 299) }, pong: { from: Id, to: t.option(Id), k: t.int(0, 3) } });
    const S = t.record({ n: t.int(0, 3), msgs: t.set(Msg) });
    const sc = new StateCodec(S);
    const all = valuesOf(Msg);
    const next = rng(7);
    // sizes around Immutable's array of eight and the varint's one byte (127)
    for (const size of [0, 1, 7, 8, 9, 30, 126, 127, 128]) {
      const parent = S.make({ n: 1, msgs: ISet(Array.from({ length: size }, () => all[Math.floor(next() * all.length)]!)) });
      const decoded = sc.decodeParent(encode(S, parent)) as any;
      expect(isOwn(decoded.msgs)).toBe(true);
      for (let k = 0; k < 40; k++) {
        const m = k < 2 ? all[k === 0 ? 0 : all.length - 1] : all[Math.floor(next() * all.length)];
        for (const make of [() => decoded.update('msgs', (ms: any) => ms.add(m)), () => decoded.set('n', 2).set('msgs', decoded.msgs.union([m]))]) {
          const succ = make(); // (a set remembers only the last step made from it)
          if (succ.msgs.size > decoded.msgs.size) expect(stepFrom(succ.msgs, decoded.msgs)).toBe(m);
          const out = new Writer();
          sc.encode(out, succ);
          expect(hex(out.take())).toBe(hex(encode(S, succ)));
        }
      }
      // A message outside the type is refused, as a full encoding refuses it.
      const stranger = t.record({ to: Id }).make({ to: 'i1' });
      expect(() => sc.encode(new Writer(), decoded.update('msgs', (ms: any) => ms.add(stranger)))).toThrow(InvalidValue);
    }
  });
});

describe('a successor whose map is its parent\'s with one key set', () => {
  it('encodes with that key\'s value rewritten in place, equal to the full encoding', () => {
    const Id = t.scalarset('Id', 3);
    const Rec = t.record({ a: t.int(0, 300), b: Id }); // fixed width: 3 bytes
    const S = t.record({
      flat: t.map(Id, t.enum('x', 'y')),
      nested: t.map(Id, t.map(Id, Rec)),
      partial: t.partialMap(Id, t.int(0, 2)),
      listed: t.map(Id, t.seq(Id, 2)),
    });
    const sc = new StateCodec(S);
    const parent = valueArbSample(S);
    const decoded = sc.decodeParent(encode(S, parent)) as any;
    const other = (v: string) => (v === 'x' ? 'y' : 'x');
    const successors = [
      ...['i1', 'i2', 'i3'].map((k) => decoded.setIn(['flat', k], other(decoded.flat.get(k)))),
      decoded.setIn(['nested', 'i3', 'i1', 'a'], (decoded.nested.get('i3').get('i1').a + 1) % 300),
      decoded.setIn(['nested', 'i1', 'i1'], Rec.make({ a: 301 - 1 - decoded.nested.get('i1').get('i1').a, b: 'i2' })),
      decoded.update('partial', (m: any) => m.set('i1', 2)),
      decoded.update('partial', (m: any) => m.remove('i2')),
      decoded.setIn(['listed', 'i2'], List(['i1'])),
      decoded.set('flat', decoded.flat.set('i1', 'x').set('i3', 'y')),
    ];
    for (const next of successors) {
      const out = new Writer();
      sc.encode(out, next);
      expect(hex(out.take())).toBe(hex(encode(S, next)));
    }
    // A key outside the map's type is refused, as a full encoding refuses it.
    expect(() => sc.encode(new Writer(), decoded.setIn(['flat', 'i9'], 'x'))).toThrow(InvalidValue);
  });
});

function valueArbSample(type: Type): unknown {
  return fc.sample(valueArb(type), { seed: SEED, numRuns: 1 })[0];
}


describe('provenance of sets and maps', () => {
  it('remembers the last step made from synod\'s own collection, not from what that made', () => {
    const a = ownSet(ISet([1]));
    const b = a.add(2);
    const c = b.add(3);
    expect(stepFrom(b, a)).toBe(2);
    expect(stepFrom(c, b)).toBe(NOT_MADE); // b is a plain Immutable Set
    expect(a.add(1)).toBe(a); // unchanged: the same set, nothing made
    expect(stepFrom(b, a)).toBe(2);
    const d = a.add(4);
    expect([stepFrom(d, a), stepFrom(b, a)]).toEqual([4, NOT_MADE]); // only the last step
    const m = ownMap(IMap([['k', 1]]));
    expect(stepFrom(m.set('j', 2), m)).toBe('j');
    expect(stepFrom(m.withMutations((x) => { x.set('j', 3); }), m)).toBe(NOT_MADE);
    const plain = ISet([1]);
    expect(stepFrom(plain.add(2), plain)).toBe(NOT_MADE); // Immutable's own sets are not followed
  });

  it('decodes a patchable field of a parent to synod\'s own collection, and walks on owned states', () => {
    const Id = t.scalarset('Id', 3);
    const S = t.record({ msgs: t.set(Id), flat: t.map(Id, t.int(0, 2)), log: t.seq(Id, 2) });
    const sc = new StateCodec(S);
    const state = S.make({ msgs: ISet(['i1']), flat: IMap([['i1', 0], ['i2', 1], ['i3', 2]]), log: List() });
    const parent = sc.decodeParent(encode(S, state)) as any;
    expect([isOwn(parent.msgs), isOwn(parent.flat), isOwn(parent.log)]).toEqual([true, true, false]);
    expect(stepFrom(parent.msgs.add('i2'), parent.msgs)).toBe('i2');
    const walked = sc.encodeStep(new Writer(), state) as any;
    expect(is(walked, state)).toBe(true);
    expect([isOwn(walked.msgs), isOwn(walked.flat)]).toEqual([true, true]);
  });
});
