// Renamings as plain bytes, for liveness on the symmetry-reduced graph: a renaming of every
// symmetric scalarset at once is one byte per id (its new global index: the scalarsets' ids are
// numbered one after the other in slot order), so expanders can send it in an edge stream and
// the supervisor can compose, invert and intern renamings without knowing the state's type.
import type { ScalarsetType } from '../spec/types.js';

/** How many ids the scalarsets have together, and the first global index of each slot. */
export interface RenamingShape {
  readonly ids: number;
  /** Words (4 ids each) a renaming takes in an edge stream. */
  readonly words: number;
  readonly offset: ReadonlyMap<number, number>;
  readonly scalarsets: readonly ScalarsetType[];
}

/** Null when the ids do not fit a byte each (more than 255 of them). */
export function renamingShape(scalarsets: readonly ScalarsetType[]): RenamingShape | null {
  const offset = new Map<number, number>();
  let ids = 0;
  for (const s of scalarsets) {
    offset.set(s.slot, ids);
    ids += s.size;
  }
  if (ids > 255) return null;
  return { ids, words: Math.ceil(ids / 4), offset, scalarsets };
}

/** Writes a canonicalizer's renaming (fwd[slot][id] = new id) into `out` from word `at`. */
export function packRenaming(shape: RenamingShape, fwd: ReadonlyArray<Int32Array | undefined>, out: Uint32Array, at: number): void {
  out.fill(0, at, at + shape.words);
  for (const s of shape.scalarsets) {
    const f = fwd[s.slot]!;
    const base = shape.offset.get(s.slot)!;
    for (let i = 0; i < s.size; i++) {
      const g = base + i;
      out[at + (g >>> 2)]! |= (base + f[i]!) << ((g & 3) * 8);
    }
  }
}

/** Reads a packed renaming as bytes (image of each global id). */
export function unpackRenaming(shape: RenamingShape, words: Uint32Array, at: number): Uint8Array {
  const r = new Uint8Array(shape.ids);
  for (let g = 0; g < shape.ids; g++) r[g] = (words[at + (g >>> 2)]! >>> ((g & 3) * 8)) & 0xff;
  return r;
}

/** a after b: (a . b)[i] = a[b[i]] (rename by b first, then by a). */
export function compose(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) c[i] = a[b[i]!]!;
  return c;
}

export function invert(a: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) r[a[i]!] = i;
  return r;
}

export function isIdentity(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== i) return false;
  return true;
}

export function renamingKey(a: Uint8Array): string {
  return String.fromCharCode(...a);
}

/** Distinct renamings, each stored once and named by an index. */
export class RenamingTable {
  private readonly ids = new Map<string, number>();
  readonly all: Uint8Array[] = [];

  intern(r: Uint8Array): number {
    const key = renamingKey(r);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.all.length;
      this.ids.set(key, id);
      this.all.push(r);
    }
    return id;
  }

  get bytes(): number {
    return this.all.reduce((n, r) => n + r.length + 48, 0);
  }
}
