// Symmetry reduction: the canonical form of a state is the least encoding over its orbit under
// all permutations of each symmetric scalarset, so distinct canonical forms = distinct orbits
// (TLC's count with SYMMETRY Permutations). Rather than trying all n! renamings, ids are first
// sorted by a permutation-invariant signature; only ids whose signatures tie are permuted, and
// a tie group whose every swap leaves the state unchanged (an automorphism) is not enumerated.
import { codecOf, compareBytes, makePerm, syncInverse, Writer } from './codec.js';
import type { ScalarsetType, Type } from '../spec/types.js';
import { signatureWalker, type Signatures } from './signature.js';

export interface Canonicalizer {
  /** The symmetric scalarsets, in slot order. */
  readonly scalarsets: readonly ScalarsetType[];
  /** Number of renamings in the group: the product of n! over the scalarsets. */
  readonly groupSize: number;
  /**
   * Writes the canonical encoding of `v` into `out`; `concrete` holds v's own encoding.
   * Returns the size of v's orbit (group size / number of renamings that fix v).
   */
  canonicalize(v: unknown, concrete: Uint8Array, concreteLen: number, out: Writer): number;
  /**
   * The renaming that the last canonicalize applied (fwd[slot][id] = new id): the canonical form
   * is the state renamed by it. Liveness on the reduced graph needs it to follow ids along edges.
   */
  readonly renaming: ReadonlyArray<Int32Array | undefined>;
  /** Work done so far: calls, calls that had to try several arrangements, encodings made. */
  readonly stats: { calls: number; enumerated: number; encodings: number };
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** Every symmetric scalarset a type mentions, each once. */
export function symmetricScalarsets(type: Type, found = new Map<number, ScalarsetType>()): ScalarsetType[] {
  switch (type.kind) {
    case 'scalarset': if (type.symmetric) found.set(type.slot, type); break;
    case 'option': symmetricScalarsets(type.inner, found); break;
    case 'record': for (const [, ft] of type.fields) symmetricScalarsets(ft, found); break;
    case 'union': for (const [, rt] of type.variants) symmetricScalarsets(rt, found); break;
    case 'map': symmetricScalarsets(type.key, found); symmetricScalarsets(type.value, found); break;
    case 'set':
    case 'seq': symmetricScalarsets(type.elem, found); break;
  }
  return [...found.values()].sort((a, b) => a.slot - b.slot);
}

/** Ids of one scalarset that share a signature: their relative order is not yet decided. */
interface TieGroup {
  slot: number;
  ids: number[];
  /** The sorted positions the group occupies. */
  positions: number[];
}

/** Null when the type has no symmetric scalarset (nothing to reduce). */
export function createCanonicalizer(type: Type): Canonicalizer | null {
  const scalarsets = symmetricScalarsets(type);
  if (scalarsets.length === 0) return null;
  const codec = codecOf(type);
  const sigs: Signatures = new Map(scalarsets.map((s) => [s.slot, new Int32Array(s.size)]));
  const walk = signatureWalker(type);
  const groupSize = scalarsets.reduce((g, s) => g * factorial(s.size), 1);
  const stats = { calls: 0, enumerated: 0, encodings: 0 };
  const scratch = new Writer();
  const best = new Writer();
  // One renaming, rewritten in place for each candidate (fwd[slot][id] = new index).
  const fwd: Int32Array[] = [];
  for (const s of scalarsets) fwd[s.slot] = new Int32Array(s.size);
  const perm = makePerm(fwd);
  const swapFwd: Int32Array[] = [];
  for (const s of scalarsets) swapFwd[s.slot] = Int32Array.from({ length: s.size }, (_, i) => i);
  const swap = makePerm(swapFwd);
  const bestFwd: Int32Array[] = [];
  for (const s of scalarsets) bestFwd[s.slot] = new Int32Array(s.size);

  /** Encodes v under the current `fwd` arrays. */
  const encodeWith = (v: unknown, w: Writer): void => {
    syncInverse(perm);
    stats.encodings++;
    w.reset();
    codec.encode(w, v, perm);
  };

  /** True when swapping ids a and b of one scalarset maps v to itself. */
  const swapFixes = (v: unknown, slot: number, a: number, b: number, concrete: Uint8Array, len: number): boolean => {
    const f = swapFwd[slot]!;
    f[a] = b;
    f[b] = a;
    syncInverse(swap);
    stats.encodings++;
    scratch.reset();
    codec.encode(scratch, v, swap);
    f[a] = a;
    f[b] = b;
    return scratch.pos === len && compareBytes(scratch.buf.subarray(0, len), concrete.subarray(0, len)) === 0;
  };

  return {
    scalarsets,
    groupSize,
    stats,
    renaming: fwd,
    canonicalize(v, concrete, len, out) {
      stats.calls++;
      for (const a of sigs.values()) a.fill(0);
      walk(v, 0, sigs);
      // Sort each scalarset's ids by signature; collect ties.
      const ties: TieGroup[] = [];
      let identity = true;
      let fixers = 1; // renamings known to fix v
      for (const s of scalarsets) {
        const sig = sigs.get(s.slot)!;
        const order = Array.from({ length: s.size }, (_, i) => i).sort((a, b) => sig[a]! - sig[b]! || a - b);
        const f = fwd[s.slot]!;
        order.forEach((id, pos) => {
          f[id] = pos;
          if (id !== pos) identity = false;
        });
        for (let i = 0; i < order.length; ) {
          let j = i + 1;
          while (j < order.length && sig[order[j]!] === sig[order[i]!]) j++;
          if (j - i > 1) {
            const ids = order.slice(i, j);
            const free = ids.every((id, k) => k === 0 || swapFixes(v, s.slot, ids[k - 1]!, id, concrete, len));
            if (free) fixers *= factorial(ids.length);
            else ties.push({ slot: s.slot, ids, positions: ids.map((_, k) => i + k) });
          }
          i = j;
        }
      }
      if (ties.length === 0) {
        if (identity) {
          out.reset();
          out.ensure(len);
          out.buf.set(concrete.subarray(0, len));
          out.pos = len;
        } else encodeWith(v, out);
        return groupSize / fixers;
      }
      stats.enumerated++;
      // Try every arrangement of the tied ids; keep the least encoding and count the
      // arrangements that give the same state as the first one (they fix v).
      let first = true;
      let same = 0;
      let baseline: Uint8Array | null = null;
      const visit = (g: number): void => {
        if (g === ties.length) {
          encodeWith(v, scratch);
          const bytes = scratch.buf.subarray(0, scratch.pos);
          if (first) {
            baseline = scratch.take();
            first = false;
          }
          if (compareBytes(bytes, baseline!) === 0) same++;
          if (best.pos === 0 || compareBytes(bytes, best.buf.subarray(0, best.pos)) < 0) {
            best.reset();
            best.bytes(bytes);
            for (const s of scalarsets) bestFwd[s.slot]!.set(fwd[s.slot]!);
          }
          return;
        }
        const { slot, ids, positions } = ties[g]!;
        permutations(positions.length, (arrangement) => {
          const f = fwd[slot]!;
          ids.forEach((id, k) => { f[id] = positions[arrangement[k]!]!; });
          visit(g + 1);
        });
      };
      best.reset();
      visit(0);
      out.reset();
      out.bytes(best.buf.subarray(0, best.pos));
      for (const s of scalarsets) fwd[s.slot]!.set(bestFwd[s.slot]!);
      return groupSize / (fixers * same);
    },
  };
}

/** Calls back with every permutation of 0..n-1 (Heap's algorithm; the array is reused). */
function permutations(n: number, each: (p: readonly number[]) => void): void {
  const a = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  each(a);
  for (let i = 1; i < n; ) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      [a[j], a[i]] = [a[i]!, a[j]!];
      each(a);
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}
