// The top-level state record's codec, with one trick for the search loop: a successor usually
// shares most fields with its parent (Immutable's structural sharing keeps them identical
// objects), so those fields' bytes are copied from the parent's encoding instead of encoded
// again. Equal bytes as a full encoding, by construction.
import { BITMASK_LIMIT, codecOf, fixedWidth, IDENTITY, InvalidValue, markBit, rankable, Reader, Writer, type Codec } from './codec.js';
import type { RecordType, Type } from '../spec/types.js';
import { fieldsOf, makeRecord } from '../spec/fast-record.js';
import { isOwn, NOT_MADE, ownMap, ownSet, stepFrom } from './provenance.js';

export class StateCodec {
  private readonly names: string[];
  private readonly fields: ReturnType<typeof codecOf>[];
  private readonly factory: RecordType['factory'];
  /** Field boundaries in the parent's bytes: field i is [starts[i], starts[i + 1]). */
  private starts: Int32Array;
  /** Boundaries being written for the next parent (decodeParent, encodeStep); swapped with `starts`. */
  private stepStarts: Int32Array;
  private parent: any = null;
  private parentBytes: Uint8Array = new Uint8Array(0);
  private readonly reader = new Reader(new Uint8Array(0));
  /** Per field, how to patch the parent's bytes when the field is the parent's plus one step. */
  private readonly patchers: Array<Patcher | null>;
  /** Per ranked-set field of the parent, where its elements lie (made on the first patch). */
  private elements: Array<Elements | null>;

  constructor(type: RecordType) {
    this.names = type.fields.map(([k]) => k);
    this.fields = type.fields.map(([, ft]) => codecOf(ft));
    this.factory = type.factory;
    this.starts = new Int32Array(this.names.length + 1);
    this.stepStarts = new Int32Array(this.names.length + 1);
    this.patchers = type.fields.map(([, ft]) => patcherOf(ft));
    this.elements = this.patchers.map(() => null);
  }

  /** Decodes a state and remembers it (and where its fields lie) as the parent of what follows. */
  decodeParent(bytes: Uint8Array): unknown {
    const r = this.reader;
    r.buf = bytes;
    r.pos = 0;
    const values = new Array<unknown>(this.names.length);
    // States next to each other in the frontier are often siblings that share most fields:
    // a field whose bytes start with the previous parent's encoding of it is that same value
    // (encodings are self-delimiting: the decoder would read just those bytes), so it reuses
    // the decoded value. TwoPhase rm=7: 7.9 s -> 7.5 s of CPU.
    const before = this.parent === null ? null : fieldsOf(this.parent);
    const old = this.parentBytes;
    const oldStarts = this.starts;
    const starts = this.stepStarts;
    for (let i = 0; i < this.names.length; i++) {
      const at = r.pos;
      starts[i] = at;
      const prev = oldStarts[i]!;
      const len = oldStarts[i + 1]! - prev;
      if (before !== null && at + len <= bytes.length && sameBytes(bytes, at, old, prev, len)) {
        values[i] = before[i];
        r.pos = at + len;
      } else values[i] = this.own(i, this.fields[i]!.decode(r));
    }
    starts[this.names.length] = r.pos;
    this.stepStarts = oldStarts;
    this.starts = starts;
    this.parent = makeRecord(this.factory, this.names, values);
    this.parentBytes = bytes;
    this.elements.fill(null);
    return this.parent;
  }

  /**
   * A field that can be patched is decoded to synod's own collection, which remembers the one
   * step that makes a successor's field from it (provenance.ts).
   */
  private own(i: number, v: unknown): unknown {
    const p = this.patchers[i];
    return p === null || isOwn(v) ? v : p.kind === 'map' ? ownMap(v) : ownSet(v);
  }

  /** Forgets the parent (initial states have none). */
  clearParent(): void {
    this.parent = null;
  }

  /**
   * For random walks, where each state is the parent of the next: encodes `v` like `encode`,
   * then makes it the parent of the next call. Alternate two writers: the parent's bytes stay
   * in the previous call's writer. Returns the state to walk on from: `v`, or an equal state
   * whose patchable collections are synod's own (so the next step's encoding can patch them).
   */
  encodeStep(w: Writer, v: any): unknown {
    const starts = this.stepStarts;
    this.encodeFields(w, v, starts);
    this.stepStarts = this.starts;
    this.starts = starts;
    this.parent = this.adopt(v);
    this.parentBytes = w.buf;
    this.elements.fill(null);
    return this.parent;
  }

  /** `v`, or an equal state with synod's own collections in its patchable fields. */
  private adopt(v: unknown): unknown {
    const f = fieldsOf(v);
    let values: unknown[] | null = null;
    for (let i = 0; i < f.length; i++) {
      if (this.patchers[i] === null || isOwn(f[i])) continue;
      values ??= f.slice();
      values[i] = this.own(i, f[i]);
    }
    return values === null ? v : makeRecord(this.factory, this.names, values);
  }

  /** Writes field i as the parent's bytes with one step applied, when x is made so from y. */
  private patch(w: Writer, i: number, x: unknown, y: unknown): boolean {
    const step = stepFrom(x, y);
    if (step === NOT_MADE) return false;
    const p = this.patchers[i]!;
    const at = w.pos;
    if (p.kind === 'set') {
      w.copy(this.parentBytes, this.starts[i]!, this.starts[i + 1]!);
      markBit(w.buf, at, p.elem.rank(step, IDENTITY));
      return true;
    }
    if (p.kind === 'ranked') {
      // A count, then the elements in rank order: the new one goes in at its rank.
      const e = (this.elements[i] ??= this.elementsOf(i, p.elem));
      const r = p.elem.rank(step, IDENTITY);
      let lo = 0;
      let hi = e.ranks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e.ranks[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      w.varint(e.ranks.length + 1);
      w.copy(this.parentBytes, e.starts[0]!, e.starts[lo]!);
      p.elem.encode(w, step, IDENTITY);
      w.copy(this.parentBytes, e.starts[lo]!, this.starts[i + 1]!);
      return true;
    }
    // A total map with one key set: rewrite that key's value in place (values are fixed-width).
    if ((x as { size: number }).size !== p.keys) return false; // a new key: not in the type
    w.copy(this.parentBytes, this.starts[i]!, this.starts[i + 1]!);
    const end = w.pos;
    w.pos = at + p.key.rank(step, IDENTITY) * p.width;
    p.value.encode(w, (x as { get(k: unknown): unknown }).get(step), IDENTITY);
    w.pos = end;
    return true;
  }

  /** The ranks of the parent's elements in ranked-set field i, and where each one's bytes start. */
  private elementsOf(i: number, elem: Codec): Elements {
    const r = this.reader;
    r.buf = this.parentBytes;
    r.pos = this.starts[i]!;
    const n = r.varint();
    const ranks = new Array<number>(n);
    const starts = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      starts[k] = r.pos;
      ranks[k] = elem.rank(elem.decode(r), IDENTITY); // interned messages keep their ranks
    }
    starts[n] = r.pos;
    return { ranks, starts };
  }

  /** Encodes a state, copying the bytes of fields it shares with the parent. */
  encode(w: Writer, v: any): void {
    this.encodeFields(w, v, null);
  }

  /** The encoding loop; `starts`, when given, gets where each field's bytes begin. */
  private encodeFields(w: Writer, v: any, starts: Int32Array | null): void {
    if (!(v instanceof this.factory)) throw new InvalidValue('not a state record');
    const parent = this.parent === null ? null : fieldsOf(this.parent);
    const values = fieldsOf(v);
    for (let i = 0; i < this.names.length; i++) {
      const x = values[i];
      if (starts !== null) starts[i] = w.pos;
      if (parent !== null && x === parent[i]) w.copy(this.parentBytes, this.starts[i]!, this.starts[i + 1]!);
      else if (parent !== null && this.patchers[i] !== null && this.patch(w, i, x, parent[i])) continue;
      else this.fields[i]!.encode(w, x, IDENTITY);
    }
    if (starts !== null) starts[this.names.length] = w.pos;
  }
}

function sameBytes(a: Uint8Array, at: number, b: Uint8Array, from: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[at + i] !== b[from + i]) return false;
  return true;
}

type Patcher =
  | { kind: 'set'; elem: Codec }
  | { kind: 'ranked'; elem: Codec }
  | { kind: 'map'; key: Codec; value: Codec; width: number; keys: number };

/** Where the elements of a ranked set lie in the parent's bytes (starts[n]: the end). */
interface Elements { ranks: number[]; starts: Int32Array }

/** Sets (bitmasks, or elements in rank order), and total maps with fixed-width values, can be patched. */
function patcherOf(type: Type): Patcher | null {
  if (type.kind === 'set' && type.elem.size <= BITMASK_LIMIT) return { kind: 'set', elem: codecOf(type.elem) };
  if (type.kind === 'set' && rankable(type.elem)) return { kind: 'ranked', elem: codecOf(type.elem) };
  if (type.kind !== 'map' || !type.total || type.key.size > BITMASK_LIMIT) return null;
  const width = fixedWidth(type.value);
  return width === null ? null : { kind: 'map', key: codecOf(type.key), value: codecOf(type.value), width, keys: type.key.size };
}
