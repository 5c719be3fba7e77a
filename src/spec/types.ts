// Value types a spec declares for its state: each knows its finite domain, so the codec can
// encode values canonically and the explorer can enumerate action parameters.
import { List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import type { RecordOf } from 'immutable';
import { identifyByValue, InternTable, makeRecord, speedUpRecords } from './fast-record.js';
import { codes, SpecError } from './errors.js';

/** Domains larger than this are never materialised as arrays. */
export const MAX_ENUMERABLE = 1 << 16;

interface TypeBase<V> {
  /** Number of values in the domain (may be Infinity when it overflows a double). */
  readonly size: number;
  /** Phantom: the TypeScript type of the values. */
  readonly __value?: V;
}

export interface IntType extends TypeBase<number> { readonly kind: 'int'; readonly lo: number; readonly hi: number }
export interface BoolType extends TypeBase<boolean> { readonly kind: 'bool' }
export interface EnumType<V extends string = string> extends TypeBase<V> {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly index: ReadonlyMap<string, number>;
}
export interface ScalarsetType extends TypeBase<string> {
  readonly kind: 'scalarset';
  readonly name: string;
  readonly values: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Whether symmetry reduction may permute these ids. */
  readonly symmetric: boolean;
  /** A number unique to this scalarset in the process: where permutations of it are kept. */
  readonly slot: number;
}
export interface RecordType<F extends object = any> extends TypeBase<RecordOf<F>> {
  readonly kind: 'record';
  readonly fields: ReadonlyArray<readonly [string, Type]>;
  readonly factory: IRecord.Factory<any>;
  /** Builds a record value; every field must be given. */
  make(fields: F): RecordOf<F>;
  /** The record with these field values in declaration order (the codec's decoder builds with it). */
  build(values: unknown[]): RecordOf<F>;
  /** True when equal values are one object (every field a plain value or such a record). */
  readonly interned: boolean;
}
export interface UnionType<V = any, Tag extends string = string> extends TypeBase<V> {
  readonly kind: 'union';
  readonly tag: Tag;
  readonly variants: ReadonlyArray<readonly [string, RecordType]>;
  readonly byTag: ReadonlyMap<string, number>;
  /** Builds a value of the variant named by `fields[tag]`. */
  make(fields: any): V;
}
export interface MapType<K = any, V = any> extends TypeBase<IMap<K, V>> {
  readonly kind: 'map';
  readonly key: Type<K>;
  readonly value: Type<V>;
  /** A total map has every key of its key domain (a TLA+ function); a partial one any subset. */
  readonly total: boolean;
}
export interface SetType<E = any> extends TypeBase<ISet<E>> { readonly kind: 'set'; readonly elem: Type<E> }
export interface SeqType<E = any> extends TypeBase<List<E>> { readonly kind: 'seq'; readonly elem: Type<E>; readonly max: number }
export interface OptionType<V = any> extends TypeBase<V | null> { readonly kind: 'option'; readonly inner: Type<V> }

export type Type<V = any> =
  | (IntType & TypeBase<V>)
  | (BoolType & TypeBase<V>)
  | (EnumType & TypeBase<V>)
  | (ScalarsetType & TypeBase<V>)
  | (RecordType & TypeBase<V>)
  | (UnionType & TypeBase<V>)
  | (MapType & TypeBase<V>)
  | (SetType & TypeBase<V>)
  | (SeqType & TypeBase<V>)
  | (OptionType & TypeBase<V>);

/** The TypeScript type of a declared type's values. */
export type Infer<T> = T extends TypeBase<infer V> ? V : never;
type FieldsOf<F extends Record<string, Type>> = { [K in keyof F]: Infer<F[K]> };
type UnionOf<Tag extends string, V extends Record<string, Record<string, Type>>> = {
  [K in keyof V]: RecordOf<{ [P in Tag]: K } & FieldsOf<V[K]>>;
}[keyof V];

function fail(message: string): never {
  throw new TypeError(message);
}

function checkBound(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) fail(`${what} must be an integer, got ${String(n)}`);
}

/** Enum and scalarset values are encoded in at most two bytes. */
const MAX_NAMES = 1 << 16;

function indexOf(values: readonly string[], what: string): Map<string, number> {
  if (values.length > MAX_NAMES) fail(`${what} has ${values.length} values; at most ${MAX_NAMES}`);
  const index = new Map<string, number>();
  values.forEach((v, i) => {
    if (typeof v !== 'string') fail(`${what} values must be strings, got ${String(v)}`);
    if (index.has(v)) fail(`${what} lists '${v}' twice`);
    index.set(v, i);
  });
  return index;
}

function int(lo: number, hi: number): IntType {
  checkBound(lo, 't.int lower bound');
  checkBound(hi, 't.int upper bound');
  if (hi < lo) fail(`t.int(${lo}, ${hi}): empty range`);
  if (hi - lo >= 2 ** 32) fail(`t.int(${lo}, ${hi}): at most 2^32 values in a range`);
  return { kind: 'int', lo, hi, size: hi - lo + 1 };
}

function bool(): BoolType {
  return { kind: 'bool', size: 2 };
}

function enumOf<const V extends string[]>(...values: V): EnumType<V[number]> {
  if (values.length === 0) fail('t.enum needs at least one value');
  return { kind: 'enum', values, index: indexOf(values, 't.enum'), size: values.length };
}

export interface ScalarsetOptions {
  /** Name of each id is prefix + number (default: the set's name, first letter, lower case). */
  prefix?: string;
  /** Set false when the ids are not interchangeable (symmetry reduction will not permute them). */
  symmetric?: boolean;
}

let nextSlot = 0;

/** A set of `count` interchangeable ids, named like TLC model values: r1, r2, ... */
function scalarset(name: string, count: number, options: ScalarsetOptions = {}): ScalarsetType {
  checkBound(count, `t.scalarset('${name}') size`);
  if (count < 1) fail(`t.scalarset('${name}') needs at least one id, got ${count}`);
  const prefix = options.prefix ?? name.charAt(0).toLowerCase();
  const values = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  return {
    kind: 'scalarset', name, values, index: indexOf(values, name), size: count,
    symmetric: options.symmetric ?? true, slot: nextSlot++,
  };
}

function product(sizes: number[]): number {
  return sizes.reduce((a, b) => a * b, 1);
}

/**
 * A record made with Immutable's Record and no fields: every name it answers to (its methods,
 * its internal slots, Object.prototype's) is one a field cannot have, since `r.name` would
 * give that and not the field. Asked of a real record, so the list follows Immutable's version.
 */
const emptyRecord = IRecord({}, 'probe')();

function checkFieldName(k: string, name: string | undefined): void {
  if (!(k in emptyRecord)) return;
  const what = typeof (emptyRecord as any)[k] === 'function' ? 'method' : 'internal property';
  throw new SpecError(codes.reservedField,
    `t.record${name ? ` '${name}'` : ''}: field '${k}' clashes with the Immutable Record ${what} of that name (r.${k} would not read the field)`,
    `rename the field, to a name that says what it holds (e.g. 'logEntries' rather than 'entries', 'getter' rather than 'get')`);
}

function record<F extends Record<string, Type>>(fields: F, name?: string): RecordType<FieldsOf<F>> {
  const entries = Object.entries(fields) as Array<[string, Type]>;
  const defaults: Record<string, unknown> = {};
  for (const [k, ft] of entries) {
    if (!ft || typeof ft !== 'object' || !('kind' in ft)) fail(`t.record field '${k}' is not a type`);
    checkFieldName(k, name);
    defaults[k] = undefined;
  }
  const factory = IRecord(defaults, name);
  const keys = entries.map(([k]) => k);
  speedUpRecords(factory, keys);
  const table = entries.every(([, ft]) => internable(ft)) ? new InternTable(keys.length) : null;
  if (table !== null) identifyByValue(factory, keys, table);
  const build = table === null
    ? (values: unknown[]) => makeRecord(factory, keys, values)
    : (values: unknown[]) => table.get(values, () => makeRecord(factory, keys, values));
  return {
    kind: 'record', fields: entries, factory, size: product(entries.map(([, ft]) => ft.size)), build: build as any, interned: table !== null,
    make(values: FieldsOf<F>) {
      const fieldValues = keys.map((k) => {
        const v = (values as any)[k];
        if (v === undefined) fail(`record field '${k}' is missing`);
        return v;
      });
      return build(fieldValues) as any;
    },
  };
}

/** A tagged union of records: `t.union('type', { Commit: {}, Prepared: { rm: RM } })`. */
function union<const Tag extends string, V extends Record<string, Record<string, Type>>>(
  tag: Tag,
  variants: V,
): UnionType<UnionOf<Tag, V>, Tag> {
  const names = Object.keys(variants);
  if (names.length === 0) fail('t.union needs at least one variant');
  const byTag = indexOf(names, 't.union');
  const recs = names.map((n) => {
    if (tag in variants[n]!) fail(`t.union variant '${n}' must not declare the tag field '${tag}'`);
    return [n, record({ [tag]: enumOf(n), ...variants[n] }, n)] as const;
  });
  return {
    kind: 'union', tag, variants: recs, byTag, size: recs.reduce((a, [, r]) => a + r.size, 0),
    make(fields: any) {
      const i = byTag.get(fields?.[tag]);
      if (i === undefined) fail(`t.union: '${String(fields?.[tag])}' is not one of ${names.join(', ')}`);
      return recs[i]![1].make(fields) as any;
    },
  };
}

function requireEnumerableKey(key: Type, what: string): void {
  if (key.size > MAX_ENUMERABLE) fail(`${what} key type has ${key.size} values; at most ${MAX_ENUMERABLE}`);
}

/** A total map: every key of `key` maps to a value (a TLA+ function [K -> V]). */
function map<K, V>(key: Type<K>, value: Type<V>): MapType<K, V> {
  requireEnumerableKey(key, 't.map');
  return { kind: 'map', key, value, total: true, size: Math.pow(value.size, key.size) };
}

/** A partial map: any subset of the keys, each with a value. */
function partialMap<K, V>(key: Type<K>, value: Type<V>): MapType<K, V> {
  requireEnumerableKey(key, 't.partialMap');
  return { kind: 'map', key, value, total: false, size: Math.pow(value.size + 1, key.size) };
}

function set<E>(elem: Type<E>): SetType<E> {
  return { kind: 'set', elem, size: Math.pow(2, elem.size) };
}

/** A list of at most `max` elements. */
function seq<E>(elem: Type<E>, max: number): SeqType<E> {
  checkBound(max, 't.seq max length');
  if (max < 0) fail(`t.seq max length must be >= 0, got ${max}`);
  let size = 0;
  for (let n = 0; n <= max; n++) size += Math.pow(elem.size, n);
  return { kind: 'seq', elem, max, size };
}

/** A value or null. */
function option<V>(inner: Type<V>): OptionType<V> {
  if (inner.kind === 'option') fail('t.option of an option is ambiguous (two kinds of null); use t.union');
  return { kind: 'option', inner, size: inner.size + 1 };
}

export const t = { int, bool, enum: enumOf, scalarset, record, union, map, partialMap, set, seq, option };

/** Every value of a type, in canonical (rank) order. */
export function valuesOf<V>(type: Type<V>): V[] {
  if (type.size > MAX_ENUMERABLE) {
    throw new TypeError(`cannot enumerate ${describeType(type)}: ${type.size} values (at most ${MAX_ENUMERABLE})`);
  }
  return enumerate(type) as V[];
}

function enumerate(type: Type): unknown[] {
  switch (type.kind) {
    case 'int': return Array.from({ length: type.size }, (_, i) => type.lo + i);
    case 'bool': return [false, true];
    case 'enum':
    case 'scalarset': return [...type.values];
    case 'option': return [null, ...enumerate(type.inner)];
    case 'record': return recordsOf(type);
    case 'union': return type.variants.flatMap(([, r]) => recordsOf(r));
    case 'map': return mapsOf(type);
    case 'set': return subsetsOf(enumerate(type.elem));
    case 'seq': return seqsOf(enumerate(type.elem), type.max);
  }
}

function recordsOf(type: RecordType): unknown[] {
  let acc: unknown[][] = [[]];
  for (const [, ft] of type.fields) {
    const vs = enumerate(ft);
    acc = acc.flatMap((values) => vs.map((v) => [...values, v]));
  }
  return acc.map((values) => type.build(values));
}

/** Values that compare by identity once interned: plain values, and records made only of them. */
function internable(type: Type): boolean {
  switch (type.kind) {
    case 'int': case 'bool': case 'enum': case 'scalarset': return true;
    case 'option': return internable(type.inner);
    case 'record': return type.interned;
    case 'union': return type.variants.every(([, r]) => r.interned);
    default: return false;
  }
}

function mapsOf(type: MapType): unknown[] {
  const values = enumerate(type.value);
  const choices = type.total ? values : [undefined, ...values];
  let acc: Array<Array<[unknown, unknown]>> = [[]];
  for (const k of enumerate(type.key)) {
    acc = acc.flatMap((pairs) => choices.map((v) => (v === undefined ? pairs : [...pairs, [k, v] as [unknown, unknown]])));
  }
  return acc.map((pairs) => IMap(pairs));
}

function subsetsOf(elems: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let mask = 0; mask < 1 << elems.length; mask++) {
    out.push(ISet(elems.filter((_, i) => mask & (1 << i))));
  }
  return out;
}

function seqsOf(elems: unknown[], max: number): unknown[] {
  const out: unknown[] = [];
  let layer: unknown[][] = [[]];
  for (let n = 0; n <= max; n++) {
    for (const l of layer) out.push(List(l));
    layer = layer.flatMap((l) => elems.map((e) => [...l, e]));
  }
  return out;
}

/** A short human name for a type, for error messages. */
export function describeType(type: Type): string {
  switch (type.kind) {
    case 'int': return `int ${type.lo}..${type.hi}`;
    case 'bool': return 'boolean';
    case 'enum': return `one of ${type.values.map((v) => `'${v}'`).join(', ')}`;
    case 'scalarset': return `a ${type.name} id (${type.values.join(', ')})`;
    case 'record': return `a record {${type.fields.map(([k]) => k).join(', ')}} made with its type's make()`;
    case 'union': return `a ${type.variants.map(([n]) => n).join(' | ')} value made with its type's make()`;
    case 'map': return `an Immutable Map (${type.total ? 'total' : 'partial'}) from ${describeType(type.key)} to ${describeType(type.value)}`;
    case 'set': return `an Immutable Set of ${describeType(type.elem)}`;
    case 'seq': return `an Immutable List of at most ${type.max} ${describeType(type.elem)}`;
    case 'option': return `null or ${describeType(type.inner)}`;
  }
}
