// Compiles declared types into canonical encoders and decoders over a reusable byte buffer:
// equal values always give equal bytes (sets and maps are written in a fixed order).
import { List, Map as IMap, Set as ISet } from 'immutable';
import { valuesOf, type RecordType, type Type } from '../spec/types.js';

/** Thrown by an encoder on a value outside its type; the cold path finds the field path. */
export class InvalidValue extends Error {}
const INVALID = new InvalidValue('value outside its declared type');

/** Sets whose element domain has at most this many values are written as bitmasks. */
const BITMASK_LIMIT = 256;

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

export interface Codec<V = unknown> {
  encode(w: Writer, v: V): void;
  decode(r: Reader): V;
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

function compile(type: Type): Codec {
  switch (type.kind) {
    case 'int': return intCodec(type.lo, type.hi);
    case 'bool': return {
      encode(w, v) { if (v === true) w.byte(1); else if (v === false) w.byte(0); else throw INVALID; },
      decode: (r) => r.byte() === 1,
    };
    case 'enum':
    case 'scalarset': return namedCodec(type.values, type.index);
    case 'option': return optionCodec(codecOf(type.inner));
    case 'record': return recordCodec(type);
    case 'union': return unionCodec(type.tag, type.variants.map(([, rt]) => rt), type.byTag);
    case 'map': return type.total ? totalMapCodec(valuesOf(type.key), codecOf(type.value)) : partialMapCodec(valuesOf(type.key), codecOf(type.value));
    case 'set': return type.elem.size <= BITMASK_LIMIT ? bitmaskSetCodec(type.elem) : sortedSetCodec(codecOf(type.elem));
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
  };
}

function namedCodec(values: readonly string[], index: ReadonlyMap<string, number>): Codec<string> {
  const wide = values.length > 0x100;
  return {
    encode(w, v) {
      const i = index.get(v);
      if (i === undefined) throw INVALID;
      if (wide) w.byte(i >> 8);
      w.byte(i & 0xff);
    },
    decode(r) {
      const i = wide ? (r.byte() << 8) | r.byte() : r.byte();
      return values[i]!;
    },
  };
}

function optionCodec(inner: Codec): Codec {
  return {
    encode(w, v) {
      if (v === null) w.byte(0);
      else if (v === undefined) throw INVALID;
      else { w.byte(1); inner.encode(w, v); }
    },
    decode: (r) => (r.byte() === 0 ? null : inner.decode(r)),
  };
}

function recordCodec(type: RecordType): Codec {
  const names = type.fields.map(([k]) => k);
  const fields = type.fields.map(([, ft]) => codecOf(ft));
  const factory = type.factory;
  const n = names.length;
  return {
    encode(w, v: any) {
      if (!(v instanceof factory)) throw INVALID;
      for (let i = 0; i < n; i++) fields[i]!.encode(w, v.get(names[i]));
    },
    decode(r) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) o[names[i]!] = fields[i]!.decode(r);
      return factory(o);
    },
  };
}

function unionCodec(tag: string, variants: RecordType[], byTag: ReadonlyMap<string, number>): Codec {
  const cs = variants.map((rt) => recordCodec(rt));
  return {
    encode(w, v: any) {
      const i = byTag.get(v?.get?.(tag) as string);
      if (i === undefined) throw INVALID;
      w.byte(i);
      cs[i]!.encode(w, v);
    },
    decode: (r) => cs[r.byte()]!.decode(r),
  };
}

function totalMapCodec(keys: unknown[], value: Codec): Codec {
  return {
    encode(w, m: any) {
      if (!IMap.isMap(m) || m.size !== keys.length) throw INVALID;
      for (const k of keys) {
        const v = m.get(k, INVALID);
        if (v === INVALID) throw INVALID;
        value.encode(w, v);
      }
    },
    decode(r) {
      return IMap<unknown, unknown>().withMutations((m) => {
        for (const k of keys) m.set(k, value.decode(r));
      });
    },
  };
}

/** A presence bitmask over the key domain, then the present keys' values in key order. */
function partialMapCodec(keys: unknown[], value: Codec): Codec {
  const maskBytes = Math.ceil(keys.length / 8);
  return {
    encode(w, m: any) {
      if (!IMap.isMap(m)) throw INVALID;
      w.ensure(maskBytes);
      const at = w.pos;
      w.buf.fill(0, at, at + maskBytes);
      w.pos += maskBytes;
      let found = 0;
      for (let i = 0; i < keys.length; i++) {
        const v = m.get(keys[i], INVALID);
        if (v === INVALID) continue;
        w.buf[at + (i >> 3)]! |= 1 << (i & 7);
        value.encode(w, v);
        found++;
      }
      if (found !== m.size) throw INVALID;
    },
    decode(r) {
      const at = r.pos;
      r.pos += maskBytes;
      return IMap<unknown, unknown>().withMutations((m) => {
        for (let i = 0; i < keys.length; i++) {
          if (r.buf[at + (i >> 3)]! & (1 << (i & 7))) m.set(keys[i], value.decode(r));
        }
      });
    },
  };
}

/** Sets over small domains: one bit per possible element, found by its rank. */
function bitmaskSetCodec(elem: Type): Codec {
  const all = valuesOf(elem);
  const rank = rankerOf(elem);
  const maskBytes = Math.ceil(all.length / 8);
  return {
    encode(w, s: any) {
      if (!ISet.isSet(s)) throw INVALID;
      w.ensure(maskBytes);
      const at = w.pos;
      w.buf.fill(0, at, at + maskBytes);
      w.pos += maskBytes;
      for (const e of s) {
        const i = rank(e);
        w.buf[at + (i >> 3)]! |= 1 << (i & 7);
      }
    },
    decode(r) {
      const at = r.pos;
      r.pos += maskBytes;
      const out: unknown[] = [];
      for (let i = 0; i < all.length; i++) {
        if (r.buf[at + (i >> 3)]! & (1 << (i & 7))) out.push(all[i]);
      }
      return ISet(out);
    },
  };
}

/**
 * Rank of a value in its domain (its index in valuesOf order): mixed-radix arithmetic for
 * scalars, records and unions; via the encoding for collections (rare as set elements).
 */
function rankerOf(elem: Type): (v: unknown) => number {
  switch (elem.kind) {
    case 'int': return (v: any) => {
      if (!Number.isInteger(v) || v < elem.lo || v > elem.hi) throw INVALID;
      return v - elem.lo;
    };
    case 'bool': return (v) => {
      if (typeof v !== 'boolean') throw INVALID;
      return v ? 1 : 0;
    };
    case 'enum':
    case 'scalarset': return (v: any) => {
      const i = elem.index.get(v);
      if (i === undefined) throw INVALID;
      return i;
    };
    case 'option': {
      const inner = rankerOf(elem.inner);
      return (v) => {
        if (v === undefined) throw INVALID;
        return v === null ? 0 : 1 + inner(v);
      };
    }
    case 'record': return recordRanker(elem);
    case 'union': {
      const offsets: number[] = [];
      let offset = 0;
      const rankers = elem.variants.map(([, rt]) => {
        offsets.push(offset);
        offset += rt.size;
        return recordRanker(rt);
      });
      return (v: any) => {
        const i = elem.byTag.get(v?.get?.(elem.tag) as string);
        if (i === undefined) throw INVALID;
        return offsets[i]! + rankers[i]!(v);
      };
    }
    default: {
      // A collection with a small domain: look its encoding up among all its values'.
      const c = codecOf(elem);
      const w = new Writer();
      const rankByBytes = new Map<string, number>();
      valuesOf(elem).forEach((v, i) => {
        w.reset();
        c.encode(w, v);
        rankByBytes.set(w.take().join(','), i);
      });
      return (v) => {
        w.reset();
        c.encode(w, v);
        const i = rankByBytes.get(w.take().join(','));
        if (i === undefined) throw INVALID;
        return i;
      };
    }
  }
}

/** Fields are digits, the first field most significant, matching valuesOf's order. */
function recordRanker(type: RecordType): (v: unknown) => number {
  const names = type.fields.map(([k]) => k);
  const sizes = type.fields.map(([, ft]) => ft.size);
  const rankers = type.fields.map(([, ft]) => rankerOf(ft));
  const factory = type.factory;
  return (v: any) => {
    if (!(v instanceof factory)) throw INVALID;
    let r = 0;
    for (let i = 0; i < names.length; i++) r = r * sizes[i]! + rankers[i]!(v.get(names[i]));
    return r;
  };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Sets over large domains: a count, then the elements' encodings in byte order. */
function sortedSetCodec(elem: Codec): Codec {
  const scratch = new Writer();
  return {
    encode(w, s: any) {
      if (!ISet.isSet(s)) throw INVALID;
      const parts: Uint8Array[] = [];
      for (const e of s) {
        scratch.reset();
        elem.encode(scratch, e);
        parts.push(scratch.take());
      }
      parts.sort(compareBytes);
      w.varint(parts.length);
      for (const p of parts) w.bytes(p);
    },
    decode(r) {
      const n = r.varint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(elem.decode(r));
      return ISet(out);
    },
  };
}

function seqCodec(elem: Codec, max: number): Codec {
  return {
    encode(w, l: any) {
      if (!List.isList(l) || l.size > max) throw INVALID;
      w.varint(l.size);
      for (const e of l) elem.encode(w, e);
    },
    decode(r) {
      const n = r.varint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(elem.decode(r));
      return List(out);
    },
  };
}
