// Compiles declared types into canonical encoders and decoders over a reusable byte buffer:
// equal values always give equal bytes (sets and maps are written in a fixed order). An encoder
// can also write the value as renamed by a permutation of scalarset ids, which is what
// symmetry reduction compares.
import { List, Map as IMap, Set as ISet } from 'immutable';
import { valuesOf, type RecordType, type Type } from '../spec/types.js';
import { fieldsOf, recordPrototypes } from '../spec/fast-record.js';
import { ownList } from './owned-list.js';
import { collectionRank } from './collection-rank.js';
import { ARRAY_MAP_MAX, eachEntry, ownMapOf, ownSetOfPairs } from './provenance.js';
import { inTrieOrder, insertionIntoTrie, orderKey, type Pair } from './hash-order.js';

/** Thrown by an encoder on a value outside its type; the cold path finds the field path. */
export class InvalidValue extends Error {}
const INVALID = new InvalidValue('value outside its declared type');

/** Sets whose element domain has at most this many values are written as bitmasks. */
export const BITMASK_LIMIT = 256;

/** Sets bit i of a set's bitmask written at `at` (element i of the domain in valuesOf order). */
export function markBit(buf: Uint8Array, at: number, i: number): void {
  buf[at + (i >> 3)]! |= 1 << (i & 7);
}

export class Writer {
  buf = new Uint8Array(1024);
  pos = 0;

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned LEB128: small counts take one byte. */
  varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  /** Appends src[start, end) without making a subarray view (this runs once per state). */
  copy(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    const buf = this.buf;
    let at = this.pos;
    for (let i = start; i < end; i++) buf[at++] = src[i]!;
    this.pos = at;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A copy of what was written. */
  take(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class Reader {
  pos = 0;
  constructor(public buf: Uint8Array) {}

  byte(): number {
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  }
}

/**
 * A renaming of scalarset ids: fwd[slot][i] is the new index of id i of the scalarset with that
 * slot (undefined: unchanged). `inverse` undoes it.
 */
export interface Perm {
  readonly fwd: ReadonlyArray<Int32Array | undefined>;
  readonly inverse: Perm;
}

export const IDENTITY: Perm = (() => {
  const p: { fwd: Int32Array[]; inverse: Perm | null } = { fwd: [], inverse: null };
  p.inverse = p as Perm;
  return p as Perm;
})();

/** Builds a Perm from new-index arrays per scalarset slot. */
export function makePerm(fwd: ReadonlyArray<Int32Array | undefined>): Perm {
  const inv: Array<Int32Array | undefined> = fwd.map((f) => {
    if (!f) return undefined;
    const r = new Int32Array(f.length);
    f.forEach((to, from) => { r[to] = from; });
    return r;
  });
  const p = { fwd, inverse: null as unknown as Perm };
  p.inverse = { fwd: inv, inverse: p };
  return p;
}

/** Recomputes p.inverse after the arrays of p.fwd were changed in place. */
export function syncInverse(p: Perm): void {
  p.fwd.forEach((f, slot) => {
    if (!f) return;
    const inv = p.inverse.fwd[slot]!;
    for (let i = 0; i < f.length; i++) inv[f[i]!] = i;
  });
}

export interface Codec<V = unknown> {
  /** Writes v (renamed by p) canonically; throws InvalidValue when v is outside the type. */
  encode(w: Writer, v: V, p: Perm): void;
  decode(r: Reader): V;
  /** Index of v (renamed by p) in valuesOf order; only for domains of at most BITMASK_LIMIT. */
  rank(v: V, p: Perm): number;
}

const codecs = new WeakMap<Type, Codec>();

/** The codec of a type (compiled once per type object). */
export function codecOf(type: Type): Codec<any> {
  let c = codecs.get(type);
  if (!c) {
    c = compile(type);
    codecs.set(type, c);
  }
  return c;
}

/** The number of bytes every value of the type encodes to, or null when it varies. */
export function fixedWidth(type: Type): number | null {
  switch (type.kind) {
    case 'int': return type.hi - type.lo < 0x100 ? 1 : type.hi - type.lo < 0x10000 ? 2 : 4;
    case 'bool': return 1;
    case 'enum': case 'scalarset': return type.values.length > 0x100 ? 2 : 1;
    case 'record': {
      let n = 0;
      for (const [, ft] of type.fields) {
        const w = fixedWidth(ft);
        if (w === null) return null;
        n += w;
      }
      return n;
    }
    case 'map': {
      const w = fixedWidth(type.value);
      return type.total && w !== null ? type.key.size * w : null;
    }
    case 'set': return type.elem.size <= BITMASK_LIMIT ? Math.ceil(type.elem.size / 8) : null;
    default: return null;
  }
}

/** Whether a type mentions a scalarset that symmetry may permute. */
export function hasSymmetric(type: Type): boolean {
  switch (type.kind) {
    case 'scalarset': return type.symmetric;
    case 'option': return hasSymmetric(type.inner);
    case 'record': return type.fields.some(([, ft]) => hasSymmetric(ft));
    case 'union': return type.variants.some(([, rt]) => hasSymmetric(rt));
    case 'map': return hasSymmetric(type.key) || hasSymmetric(type.value);
    case 'set':
    case 'seq': return hasSymmetric(type.elem);
    default: return false;
  }
}

/**
 * Whether rank() gives every value of the type an exact index: plain values and records of them
 * at any size below 2^53, collections only when small (they rank through their encodings).
 */
export function rankable(type: Type): boolean {
  if (type.size > Number.MAX_SAFE_INTEGER) return false;
  switch (type.kind) {
    case 'option': return rankable(type.inner);
    case 'record': return type.fields.every(([, ft]) => rankable(ft));
    case 'union': return type.variants.every(([, rt]) => rankable(rt));
    case 'map': case 'set': case 'seq': return type.size <= BITMASK_LIMIT;
    default: return true;
  }
}

function notRankable(): never {
  throw new Error('rank() of a type with more than 256 values');
}

function compile(type: Type): Codec {
  const c = compileType(type);
  // Small collections can be set elements too: rank them from their entries' ranks.
  if (c.rank === notRankable && type.size <= BITMASK_LIMIT && (type.kind === 'map' || type.kind === 'set' || type.kind === 'seq')) {
    c.rank = collectionRank(type, codecOf, INVALID);
  }
  return c;
}

function compileType(type: Type): Codec {
  switch (type.kind) {
    case 'int': return intCodec(type.lo, type.hi);
    case 'bool': return {
      encode(w, v) { if (v === true) w.byte(1); else if (v === false) w.byte(0); else throw INVALID; },
      decode: (r) => r.byte() === 1,
      rank(v) { if (typeof v !== 'boolean') throw INVALID; return v ? 1 : 0; },
    };
    case 'enum': return namedCodec(type.values, type.index, -1);
    case 'scalarset': return namedCodec(type.values, type.index, type.symmetric ? type.slot : -1);
    case 'option': return optionCodec(type.inner);
    case 'record': return recordCodec(type);
    case 'union': return unionCodec(type.variants.map(([, rt]) => rt));
    case 'map': return mapCodec(type.key, type.value, type.total);
    case 'set':
      if (type.elem.size <= BITMASK_LIMIT) return bitmaskSetCodec(type.elem);
      return rankable(type.elem) ? rankedSetCodec(type.elem) : sortedSetCodec(codecOf(type.elem));
    case 'seq': return seqCodec(codecOf(type.elem), type.max);
  }
}

function intCodec(lo: number, hi: number): Codec<number> {
  const width = hi - lo < 0x100 ? 1 : hi - lo < 0x10000 ? 2 : 4;
  return {
    encode(w, v) {
      if (!Number.isInteger(v) || v < lo || v > hi) throw INVALID;
      let x = v - lo;
      for (let i = 0; i < width; i++, x = Math.floor(x / 256)) w.byte(x & 0xff);
    },
    decode(r) {
      let x = 0;
      for (let i = 0, scale = 1; i < width; i++, scale *= 256) x += r.byte() * scale;
      return x + lo;
    },
    rank(v) {
      if (!Number.isInteger(v) || v < lo || v > hi) throw INVALID;
      return v - lo;
    },
  };
}

/** Enums and scalarsets: the value's index; a symmetric scalarset's index is renamed by p. */
function namedCodec(values: readonly string[], index: ReadonlyMap<string, number>, slot: number): Codec<string> {
  const wide = values.length > 0x100;
  const rank = (v: string, p: Perm): number => {
    const i = index.get(v);
    if (i === undefined) throw INVALID;
    if (slot < 0) return i;
    const f = p.fwd[slot];
    return f === undefined ? i : f[i]!;
  };
  return {
    encode(w, v, p) {
      const i = rank(v, p);
      if (wide) w.byte(i >> 8);
      w.byte(i & 0xff);
    },
    decode(r) {
      const i = wide ? (r.byte() << 8) | r.byte() : r.byte();
      return values[i]!;
    },
    rank,
  };
}

function optionCodec(innerType: Type): Codec {
  const inner = codecOf(innerType);
  return {
    encode(w, v, p) {
      if (v === null) w.byte(0);
      else if (v === undefined) throw INVALID;
      else { w.byte(1); inner.encode(w, v, p); }
    },
    decode: (r) => (r.byte() === 0 ? null : inner.decode(r)),
    rank(v, p) {
      if (v === undefined) throw INVALID;
      return v === null ? 0 : 1 + inner.rank(v, p);
    },
  };
}

function recordCodec(type: RecordType): Codec {
  const names = type.fields.map(([k]) => k);
  const fields = type.fields.map(([, ft]) => codecOf(ft));
  const sizes = type.fields.map(([, ft]) => ft.size);
  const factory = type.factory;
  const n = names.length;
  const symmetric = hasSymmetric(type);
  // Records of plain fields (messages, mostly) rank under a renaming from kept digits.
  const plain = (ft: Type): boolean => ft.kind === 'int' || ft.kind === 'bool' || ft.kind === 'enum' || ft.kind === 'scalarset';
  const flat = type.fields.every(([, ft]) => plain(ft) || (ft.kind === 'option' && plain(ft.inner)));
  // Per field, the slot of its symmetric scalarset (or -1), and 1 for an option (digit 0 is null).
  const idOf = (ft: Type): Type => (ft.kind === 'option' ? ft.inner : ft);
  const slots = type.fields.map(([, ft]) => { const id = idOf(ft); return id.kind === 'scalarset' && id.symmetric ? id.slot : -1; });
  const shifts = type.fields.map(([, ft]) => (ft.kind === 'option' ? 1 : 0));
  return {
    encode(w, v: any, p) {
      if (!(v instanceof factory)) throw INVALID;
      const f = fieldsOf(v);
      for (let i = 0; i < n; i++) fields[i]!.encode(w, f[i], p);
    },
    decode(r) {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = fields[i]!.decode(r);
      return type.build(values);
    },
    // Fields are digits, the first field most significant, matching valuesOf's order.
    rank(v, p) {
      if (!(v instanceof factory)) throw INVALID;
      // A set element's rank does not change unless ids are renamed: keep it on the record
      // (decoded sets share their element objects, and interned records are shared everywhere).
      const rec = v as { __ownerID?: unknown; __synodRank?: number; __synodDigits?: Int32Array };
      const owned = rec.__ownerID !== undefined;
      const keep = (p === IDENTITY || !symmetric) && !owned;
      if (keep && rec.__synodRank !== undefined) return rec.__synodRank;
      if (flat && !owned && !keep) {
        // Renamed: keep the record's own digits and rename the id digits through the
        // permutation's arrays (raft-election nodes=5, first 40k states: 6.1 s -> 5.8 s of CPU).
        let d = rec.__synodDigits;
        if (d === undefined) {
          const f = fieldsOf(v);
          d = new Int32Array(n);
          for (let i = 0; i < n; i++) d[i] = fields[i]!.rank(f[i], IDENTITY);
          rec.__synodDigits = d;
        }
        let r = 0;
        for (let i = 0; i < n; i++) {
          const slot = slots[i]!;
          const rename = slot < 0 ? undefined : p.fwd[slot];
          const digit = d[i]!;
          const shift = shifts[i]!;
          r = r * sizes[i]! + (rename === undefined || digit < shift ? digit : shift + rename[digit - shift]!);
        }
        return r;
      }
      const f = fieldsOf(v);
      let r = 0;
      for (let i = 0; i < n; i++) r = r * sizes[i]! + fields[i]!.rank(f[i], p);
      if (keep) rec.__synodRank = r;
      return r;
    },
  };
}

function unionCodec(variants: RecordType[]): Codec {
  const cs = variants.map((rt) => recordCodec(rt));
  const offsets: number[] = [];
  variants.reduce((o, rt) => { offsets.push(o); return o + rt.size; }, 0);
  // A variant is known by its record prototype (one factory each), without reading the tag.
  const byProto = new Map<unknown, number>(variants.flatMap((rt, i) => recordPrototypes(rt.factory).map((p) => [p, i] as const)));
  const which = (v: any): number => {
    const i = v !== null && typeof v === 'object' ? byProto.get(Object.getPrototypeOf(v)) : undefined;
    if (i === undefined) throw INVALID;
    return i;
  };
  return {
    encode(w, v, p) {
      const i = which(v);
      w.byte(i);
      cs[i]!.encode(w, v, p);
    },
    decode: (r) => cs[r.byte()]!.decode(r),
    rank(v, p) {
      const i = which(v);
      return offsets[i]! + cs[i]!.rank(v, p);
    },
  };
}

/**
 * Maps: values in key order (total), or a presence bitmask then the present keys' values
 * (partial). Under a renaming, the value written at key position j is the one stored under
 * the key that the renaming sends to keys[j].
 */
function mapCodec(keyType: Type, valueType: Type, total: boolean): Codec {
  if (!total && keyType.size > BITMASK_LIMIT && rankable(keyType)) return sparseMapCodec(keyType, valueType);
  const keys = valuesOf(keyType);
  const key = codecOf(keyType);
  const value = codecOf(valueType);
  const n = keys.length;
  const maskBytes = total ? 0 : Math.ceil(n / 8);
  const renamesKeys = hasSymmetric(keyType);
  const keySlot = keyType.kind === 'scalarset' ? keyType.slot : -1;
  const source = (j: number, p: Perm): number => {
    if (!renamesKeys || p === IDENTITY) return j;
    if (keySlot >= 0) {
      const inv = p.inverse.fwd[keySlot];
      return inv === undefined ? j : inv[j]!;
    }
    return key.rank(keys[j], p.inverse);
  };
  // One pass over the entries, each value put at its key's (renamed) position: looking each
  // key up with get() scans a small Immutable map with is(). TwoPhase rm=7: 10.3 s -> 8.7 s of CPU.
  const byKey = n <= BITMASK_LIMIT || rankable(keyType);
  const slots: unknown[] = new Array(n);
  const present = new Uint8Array(n);
  let into: Perm = IDENTITY;
  const place = (v: unknown, k: unknown): void => {
    const j = key.rank(k, into);
    slots[j] = v;
    present[j] = 1;
  };
  return {
    encode(w, m: any, p) {
      if (!IMap.isMap(m)) throw INVALID;
      if (total && m.size !== n) throw INVALID;
      w.ensure(maskBytes);
      const at = w.pos;
      w.buf.fill(0, at, at + maskBytes);
      w.pos += maskBytes;
      if (byKey) {
        into = p;
        present.fill(0);
        eachEntry(m, place);
        // No type contains itself, so encoding a value never re-enters this codec's slots.
        for (let j = 0; j < n; j++) {
          if (present[j] === 0) continue; // a total map of size n has every key
          if (!total) w.buf[at + (j >> 3)]! |= 1 << (j & 7);
          value.encode(w, slots[j], p);
          slots[j] = undefined;
        }
        return;
      }
      let found = 0;
      for (let j = 0; j < n; j++) {
        const v = m.get(keys[source(j, p)], INVALID);
        if (v === INVALID) {
          if (total) throw INVALID;
          continue;
        }
        if (!total) w.buf[at + (j >> 3)]! |= 1 << (j & 7);
        value.encode(w, v, p);
        found++;
      }
      if (found !== m.size) throw INVALID;
    },
    decode(r) {
      const at = r.pos;
      r.pos += maskBytes;
      // Small maps are built as the array of entries Immutable would build, in key order.
      const entries: Array<[unknown, unknown]> = [];
      for (let j = 0; j < n; j++) {
        if (total || r.buf[at + (j >> 3)]! & (1 << (j & 7))) entries.push([keys[j], value.decode(r)]);
      }
      if (entries.length <= ARRAY_MAP_MAX) return ownMapOf(entries);
      return IMap<unknown, unknown>().withMutations((m) => {
        for (const [k, v] of entries) m.set(k, v);
      });
    },
    rank: notRankable,
  };
}

/**
 * Entries of a collection put in the order of their (renamed) ranks, which are distinct: the
 * canonical order of a large set or partial map, found in time proportional to its entries and
 * not to its key type. Reused across calls (no type contains itself, so nothing re-enters it).
 */
class RankOrder {
  ranks: number[] = [];
  items: unknown[] = [];
  size = 0;

  clear(): void {
    this.size = 0;
  }

  add(rank: number, item: unknown): void {
    this.ranks[this.size] = rank;
    this.items[this.size++] = item;
  }

  sort(): void {
    const { ranks, items, size } = this;
    if (size <= 32) {
      // Insertion sort: collections in a state are mostly small, and this allocates nothing.
      for (let i = 1; i < size; i++) {
        const r = ranks[i]!;
        const x = items[i];
        let j = i - 1;
        for (; j >= 0 && ranks[j]! > r; j--) {
          ranks[j + 1] = ranks[j]!;
          items[j + 1] = items[j];
        }
        ranks[j + 1] = r;
        items[j + 1] = x;
      }
      return;
    }
    const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
    const r = order.map((i) => ranks[i]!);
    const x = order.map((i) => items[i]);
    for (let i = 0; i < size; i++) {
      ranks[i] = r[i]!;
      items[i] = x[i];
    }
  }

  /** Drops the references to the entries, so the scratch keeps no state alive. */
  release(): void {
    this.items.fill(undefined, 0, this.size);
    this.size = 0;
  }
}

/**
 * Partial maps over large key types: a count, then each entry's key rank (fixed width) and
 * value, in rank order. A presence bitmask would cost every state one bit per possible key.
 */
function sparseMapCodec(keyType: Type, valueType: Type): Codec {
  const keys = valuesOf(keyType);
  const key = codecOf(keyType);
  const value = codecOf(valueType);
  const width = keys.length <= 0x100 ? 1 : keys.length <= 0x10000 ? 2 : 3;
  const order = new RankOrder();
  let perm: Perm = IDENTITY;
  const gather = (v: unknown, k: unknown): void => order.add(key.rank(k, perm), v);
  return {
    encode(w, m: any, p) {
      if (!IMap.isMap(m)) throw INVALID;
      order.clear();
      perm = p;
      eachEntry(m, gather);
      order.sort();
      w.varint(order.size);
      for (let i = 0; i < order.size; i++) {
        for (let b = 0, x = order.ranks[i]!; b < width; b++, x >>>= 8) w.byte(x & 0xff);
        value.encode(w, order.items[i], p);
      }
      order.release();
    },
    decode(r) {
      const n = r.varint();
      return IMap<unknown, unknown>().withMutations((m) => {
        for (let i = 0; i < n; i++) {
          let j = 0;
          for (let b = 0; b < width; b++) j |= r.byte() << (8 * b);
          m.set(keys[j], value.decode(r));
        }
      });
    },
    rank: notRankable,
  };
}

/** Sets over large rankable domains: a count, then the elements' encodings in rank order. */
function rankedSetCodec(elemType: Type): Codec {
  const elem = codecOf(elemType);
  const order = new RankOrder();
  let perm: Perm = IDENTITY;
  const gather = (e: unknown): void => order.add(elem.rank(e, perm), e);
  return {
    encode(w, s: any, p) {
      if (!ISet.isSet(s)) throw INVALID;
      order.clear();
      perm = p;
      eachEntry(s, gather);
      order.sort();
      w.varint(order.size);
      for (let i = 0; i < order.size; i++) elem.encode(w, order.items[i], p);
      order.release();
    },
    decode(r) {
      const n = r.varint();
      const entries = new Array<Pair>(n);
      for (let i = 0; i < n; i++) {
        const e = elem.decode(r);
        entries[i] = [e, e];
      }
      // Synod's own set, as Immutable builds it by adding the elements in rank order.
      return ownSetOfPairs(n <= ARRAY_MAP_MAX ? entries : inTrieOrder(insertionIntoTrie(entries)));
    },
    rank: notRankable,
  };
}

/** The number of bits set in each byte. */
const BITS = Uint8Array.from({ length: 256 }, (_, b) => { let n = 0; for (let x = b; x > 0; x >>= 1) n += x & 1; return n; });

/** Sets over small domains: one bit per possible element, found by its (renamed) rank. */
function bitmaskSetCodec(elemType: Type): Codec {
  const all = valuesOf(elemType);
  const elem = codecOf(elemType);
  const maskBytes = Math.ceil(all.length / 8);
  // forEach, not for-of: Immutable's iterators allocate an object per step.
  let into: Writer;
  let at = 0;
  let perm: Perm = IDENTITY;
  const mark = (e: unknown): void => markBit(into.buf, at, elem.rank(e, perm));
  // Each element's entry, shared by every set decoded (Immutable never changes an entry in place).
  const pairs: Pair[] = all.map((e) => [e, e]);
  // The domain's trie keys, and its indices sorted by them (equal keys in valuesOf order).
  const keys = all.map(orderKey);
  const trieOrder = Int32Array.from(all.keys()).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return {
    encode(w, s: any, p) {
      if (!ISet.isSet(s)) throw INVALID;
      w.ensure(maskBytes);
      at = w.pos;
      w.buf.fill(0, at, at + maskBytes);
      w.pos += maskBytes;
      into = w;
      perm = p;
      eachEntry(s, mark); // no element is a set of this same type, so this never re-enters
    },
    decode(r) {
      const at = r.pos;
      r.pos += maskBytes;
      const buf = r.buf;
      let n = 0;
      for (let b = 0; b < maskBytes; b++) n += BITS[buf[at + b]!]!;
      const entries = new Array<Pair>(n);
      if (n <= ARRAY_MAP_MAX) {
        // valuesOf order: the order Immutable's array of entries keeps them in
        for (let i = 0, k = 0; k < n; i++) if (buf[at + (i >> 3)]! & (1 << (i & 7))) entries[k++] = pairs[i]!;
        return ownSetOfPairs(entries);
      }
      // The order of the trie Immutable builds by adding them in valuesOf order: by trie key,
      // equal hashes in the order they went in, which is valuesOf order but for the ninth
      // element, which went in first (hash-order.ts).
      let ninth = -1;
      for (let i = 0, k = 0; k <= ARRAY_MAP_MAX; i++) if (buf[at + (i >> 3)]! & (1 << (i & 7)) && k++ === ARRAY_MAP_MAX) ninth = i;
      for (let i = 0, k = 0; k < n; i++) {
        const j = trieOrder[i]!;
        if (!(buf[at + (j >> 3)]! & (1 << (j & 7)))) continue;
        let to = k++;
        // The ninth goes before the others of its hash (there are few: a linear move).
        if (j === ninth) for (; to > 0 && orderKey(entries[to - 1]![0]) === keys[j]; to--) entries[to] = entries[to - 1]!;
        entries[to] = pairs[j]!;
      }
      return ownSetOfPairs(entries);
    },
    rank: notRankable,
  };
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Sets over large domains that cannot be ranked: a count, then the elements' encodings in byte order. */
function sortedSetCodec(elem: Codec): Codec {
  const scratch = new Writer();
  return {
    encode(w, s: any, p) {
      if (!ISet.isSet(s)) throw INVALID;
      const parts: Uint8Array[] = [];
      for (const e of s) {
        scratch.reset();
        elem.encode(scratch, e, p);
        parts.push(scratch.take());
      }
      parts.sort(compareBytes);
      w.varint(parts.length);
      for (const part of parts) w.bytes(part);
    },
    decode(r) {
      const n = r.varint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(elem.decode(r));
      return ISet(out);
    },
    rank: notRankable,
  };
}

function seqCodec(elem: Codec, max: number): Codec {
  return {
    encode(w, l: any, p) {
      if (!List.isList(l) || l.size > max) throw INVALID;
      w.varint(l.size);
      for (const e of l) elem.encode(w, e, p);
    },
    decode(r) {
      const n = r.varint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(elem.decode(r));
      return ownList(out);
    },
    rank: notRankable,
  };
}
