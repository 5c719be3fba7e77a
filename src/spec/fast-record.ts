// Faster reads, equality and hashing for the Immutable Records that declared record types make.
// Immutable keeps a record's fields in a List and reads one through has() + List.get(); specs,
// the codec and Set.has on message sets read fields millions of times, so each record keeps a
// plain array of its field values, made on first read (records never change once built).
// PaxosCommit, first 150,000 states: 19.7 s -> 11.0 s with these and the codec's kept ranks.
import { is, List, Map as IMap, type Record as IRecord } from 'immutable';
import { nearest } from './suggest.js';

/** What this module relies on inside an Immutable Record (checked once per factory below). */
interface RecordInternals {
  _values: { toArray(): unknown[] };
  __ownerID: unknown;
  __synodFields?: unknown[];
  __synodHash?: number;
  __synodId?: string;
}

/**
 * The field values of a record of a declared type, in declaration order. A record being
 * mutated inside withMutations (it has an owner) is read afresh, never cached.
 */
export function fieldsOf(r: unknown): unknown[] {
  const x = r as RecordInternals;
  if (x.__synodFields !== undefined) return x.__synodFields;
  const values = x._values.toArray();
  if (x.__ownerID === undefined) x.__synodFields = values;
  return values;
}

/** Replaces get(), equals(), hashCode() and the one-step updates of a record factory's prototype. */
export function speedUpRecords(factory: IRecord.Factory<any>, keys: readonly string[]): void {
  const proto = factory.prototype as any;
  const indices: Record<string, number> = Object.create(null);
  keys.forEach((k, i) => { indices[k] = i; });
  if (!internalsAsExpected(factory({}), keys)) return; // another Immutable version: keep its code
  proto.__synodKeys = keys;
  // Immutable keeps a record's values in a List; ours keep an array and make the List only
  // when Immutable's own code asks for it (every successor state used to build one).
  // PaxosCommit first 300k states: 12.7 s -> 12.1 s of CPU.
  Object.defineProperty(proto, '_values', {
    configurable: true,
    get(this: { __synodList?: unknown; __synodFields?: unknown[] }) {
      return this.__synodList ?? (this.__synodList = List(this.__synodFields));
    },
    set(this: { __synodList?: unknown }, v: unknown) {
      this.__synodList = v;
    },
  });
  const get = proto.get;
  proto.get = function (this: unknown, k: string, notSetValue?: unknown): unknown {
    const i = indices[k];
    return i === undefined ? get.call(this, k, notSetValue) : fieldsOf(this)[i];
  };
  // Immutable's field getters (`m.type`, how specs read fields) call this.get(name), and
  // Immutable makes them unchangeable. The records makeRecord builds have a prototype of their
  // own, derived from the factory's, whose getters read the field's slot directly (the setters,
  // allowed inside withMutations, stay Immutable's). recordPrototypes() names both.
  // PaxosCommit first 300k states: record reads 5.8 % -> 2.3 % of the expander's profile.
  const fast = Object.create(proto) as object;
  keys.forEach((k, i) => {
    const d = Object.getOwnPropertyDescriptor(proto, k);
    Object.defineProperty(fast, k, {
      configurable: true,
      set: d?.set,
      get(this: RecordInternals): unknown {
        const f = this.__synodFields;
        return f !== undefined ? f[i] : fieldsOf(this)[i];
      },
    });
  });
  proto.__synodFast = fast;
  // Immutable compares and hashes records through a fresh Seq each time, which dominated
  // `set.has(message)` in message-passing specs (3.7x faster with this).
  const equals = proto.equals;
  const hashCode = proto.hashCode;
  proto.equals = function (this: unknown, other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof factory)) {
      // Set.has compares a union's variants with each other: different keys, never equal.
      const theirs = (other as { __synodKeys?: readonly string[] } | null)?.__synodKeys;
      if (theirs === undefined || !sameKeys(keys, theirs)) return theirs === undefined ? equals.call(this, other) : false;
    }
    const a = fieldsOf(this);
    const b = fieldsOf(other);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      // Field values are mostly strings and numbers: === decides those without Immutable's is().
      if (x !== y && (typeof x !== 'object' || x === null || !is(x, y))) return false;
    }
    return true;
  };
  proto.hashCode = function (this: RecordInternals): number {
    return this.__synodHash ?? (this.__synodHash = hashCode.call(this));
  };
  // Updates. Immutable's own go through a generic updateIn that asks every level what kind
  // of collection it is (a quarter of TwoPhase's time, in s.setIn(['rmState', r], x)).
  // TwoPhase rm=7: 7.5 s -> 6.2 s of CPU; PaxosCommit first 300k states: 16.2 s -> 14.7 s.
  // Inside withMutations, and for whatever the fast path does not cover, Immutable's run.
  const set = proto.set;
  proto.set = function (this: RecordInternals, k: string, v: unknown): unknown {
    const i = indices[k];
    // Immutable ignores a key the record does not have: a misspelt field would change nothing.
    if (i === undefined) throw new TypeError(noField(k, keys));
    if (this.__ownerID !== undefined) return set.call(this, k, v);
    const f = fieldsOf(this);
    if (f[i] === v) return this;
    const values = f.slice();
    values[i] = v;
    return makeRecord(factory, keys, values);
  };
  const setIn = proto.setIn;
  proto.setIn = function (this: RecordInternals, path: unknown, v: unknown): unknown {
    const r = Array.isArray(path) && this.__ownerID === undefined ? updatePath(this, path, 0, () => v) : MISSING;
    return r === MISSING ? setIn.call(this, path, v) : r;
  };
  const updateIn = proto.updateIn;
  proto.updateIn = function (this: RecordInternals, path: unknown, ...rest: unknown[]): unknown {
    const fn = rest[0];
    const r = rest.length === 1 && typeof fn === 'function' && Array.isArray(path) && this.__ownerID === undefined
      ? updatePath(this, path, 0, fn as (old: unknown) => unknown) : MISSING;
    return r === MISSING ? updateIn.call(this, path, ...rest) : r;
  };
  const update = proto.update;
  proto.update = function (this: RecordInternals, ...args: unknown[]): unknown {
    const [k, fn] = args;
    const r = args.length === 2 && typeof fn === 'function' && this.__ownerID === undefined
      ? updatePath(this, [k], 0, fn as (old: unknown) => unknown) : MISSING;
    return r === MISSING ? update.apply(this, args) : r;
  };
}

/** Why set('k', ...) fails on a record without a field k (with the nearest field, if one is close). */
function noField(k: unknown, keys: readonly string[]): string {
  const near = typeof k === 'string' ? nearest(k, keys) : undefined;
  return `the record has no field '${String(k)}'${near ? ` (did you mean '${near}'?)` : ''}; its fields: ${keys.join(', ')}`;
}

const MISSING = {};
const MAP = Object.getPrototypeOf(IMap());
const LIST = Object.getPrototypeOf(List());

/**
 * Sets path[i..] in `c` to leaf(old value), as Immutable's updateIn does (unchanged values keep
 * their collections), when every step is an Immutable Map, List or declared record and every
 * key is there; MISSING otherwise, before `leaf` is called, so the caller can fall back.
 */
function updatePath(c: any, path: readonly unknown[], i: number, leaf: (old: unknown) => unknown): unknown {
  const k = path[i];
  const old = c.get(k, MISSING);
  if (old === MISSING) return MISSING;
  let next: unknown;
  if (i === path.length - 1) next = leaf(old);
  else {
    if (!fastUpdatable(old)) return MISSING;
    next = updatePath(old, path, i + 1, leaf);
    if (next === MISSING) return MISSING;
  }
  return next === old ? c : c.set(k, next);
}

function fastUpdatable(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  // A Map of synod's own (state/provenance.ts) has a prototype made from Map's.
  if (proto === null) return false;
  return proto === MAP || proto === LIST || Object.getPrototypeOf(proto) === MAP ||
    (proto.__synodKeys !== undefined && (x as RecordInternals).__ownerID === undefined);
}

/**
 * A record of the factory with these field values (in declaration order), built without
 * Immutable's per-construction Seq over an object (a tenth of PaxosCommit's spec time).
 */
export function makeRecord(factory: IRecord.Factory<any>, keys: readonly string[], values: unknown[]): unknown {
  const proto = factory.prototype as { __synodKeys?: readonly string[]; __synodFast?: object };
  if (proto.__synodKeys === undefined) return factory(Object.fromEntries(keys.map((k, i) => [k, values[i]])));
  const r = Object.create(proto.__synodFast!) as RecordInternals & { __synodList?: unknown; __synodRank?: number; __synodDigits?: unknown; __synodIHash?: number; __synodTrie?: number; __synodCanonical?: boolean };
  r.__ownerID = undefined;
  r.__synodFields = values;
  // Every slot filled in later is there from the start: one object shape for all records,
  // so property reads in the hot loop stay monomorphic. TwoPhase rm=7: 6.2 s -> 4.85 s of CPU.
  r.__synodHash = undefined;
  r.__synodId = undefined;
  r.__synodRank = undefined;
  r.__synodList = undefined;
  r.__synodDigits = undefined;
  r.__synodIHash = undefined;
  r.__synodTrie = undefined; // state/hash-order.ts
  r.__synodCanonical = false;
  return r;
}

/** The prototypes a record of the factory can have: the factory's (records Immutable builds) and synod's. */
export function recordPrototypes(factory: IRecord.Factory<any>): object[] {
  const proto = factory.prototype as { __synodFast?: object };
  return proto.__synodFast === undefined ? [proto] : [proto, proto.__synodFast];
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function internalsAsExpected(probe: any, keys: readonly string[]): boolean {
  return (
    probe !== null && typeof probe._values?.toArray === 'function' &&
    probe._values.toArray().length === keys.length && '__ownerID' in probe
  );
}

/**
 * One record object per field values, for record types whose fields are plain values or such
 * records (messages, mostly): Set.has and equality then meet the same object, whose hash is
 * kept, instead of hashing and comparing a fresh record each time. A trie of Maps keyed by the
 * field values (SameValueZero: primitives by value, interned records by identity).
 * PaxosCommit, first 150,000 states: 10.9 s -> 8.7 s of CPU (with === for plain fields in equals).
 */
export class InternTable {
  private readonly root = new Map<unknown, unknown>();
  private only: unknown = undefined; // the one record of a type without fields

  constructor(private readonly arity: number) {}

  get(values: unknown[], create: () => unknown): unknown {
    if (this.arity === 0) return (this.only ??= canonical(create()));
    let m = this.root;
    for (let i = 0; i < this.arity - 1; i++) {
      let next = m.get(values[i]) as Map<unknown, unknown> | undefined;
      if (next === undefined) m.set(values[i], (next = new Map()));
      m = next;
    }
    const last = values[this.arity - 1];
    let r = m.get(last);
    if (r === undefined) m.set(last, (r = canonical(create())));
    return r;
  }
}

/**
 * Marks the one record an InternTable keeps for its field values: a record equal to it is
 * either it or a copy made otherwise (by set(), or by Immutable's factory), so a set of such
 * records that lacks this one by === lacks every record equal to it (provenance.ts).
 */
function canonical(r: unknown): unknown {
  (r as { __synodCanonical: boolean }).__synodCanonical = true;
  return r;
}

/** Whether x is a value that a collection holding only such values has exactly when it holds x by ===. */
export function isCanonical(x: unknown): boolean {
  if (x === null) return true;
  if (typeof x === 'object') return (x as { __synodCanonical?: boolean }).__synodCanonical === true;
  return typeof x !== 'function' && x === x; // primitives, but NaN (is() finds NaN, === does not)
}

/**
 * Gives the records of an interned type a valueOf(): one string per value, shared by every
 * record equal to it. Immutable's is() compares valueOf()s before calling equals(), so a
 * small Set or Map (a linear scan with is()) tells two records apart with one string compare.
 * The string spells the keys and values, so records of two factories that Immutable calls
 * equal still match, and sorting records by the default comparator stays by content.
 * TwoPhase rm=7 (--no-symmetry --no-liveness): 8.7 s -> 7.9 s of CPU; PaxosCommit first 300k states 17.3 -> 16.3 s.
 */
export function identifyByValue(factory: IRecord.Factory<any>, keys: readonly string[], table: InternTable): void {
  const proto = factory.prototype as any;
  proto.valueOf = function (this: RecordInternals): string {
    if (this.__synodId !== undefined) return this.__synodId;
    const values = fieldsOf(this);
    const canonical = table.get(values, () => makeRecord(factory, keys, values.slice())) as RecordInternals;
    const id = canonical.__synodId ?? (canonical.__synodId = spell(keys, fieldsOf(canonical)));
    if (this.__ownerID === undefined) this.__synodId = id;
    return id;
  };
}

/** An injective spelling of interned field values: plain values, null, and interned records. */
function spell(keys: readonly string[], values: unknown[]): string {
  let s = '\u0001{';
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    s += `${i > 0 ? ',' : ''}${keys[i]}:${typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? (v as object).valueOf() : String(v)}`;
  }
  return `${s}}`;
}
