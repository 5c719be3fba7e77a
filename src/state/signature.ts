// Permutation-invariant signatures of scalarset ids: for each id, a multiset hash of where it
// occurs in the state (the type path) and what surrounds it there (the enclosing collection
// element with every symmetric id blanked). Renaming ids renames signatures and nothing else,
// so sorting ids by signature is a renaming-independent order, up to ties.
import { List, Map as IMap, Set as ISet } from 'immutable';
import type { Type, UnionType } from '../spec/types.js';
import { eachEntry } from './provenance.js';
import { fieldsOf, recordPrototypes } from '../spec/fast-record.js';
import { hasSymmetric } from './codec.js';

/** Per scalarset slot, one accumulator per id. */
export type Signatures = Map<number, Int32Array>;

/** A 32-bit mix of two words (murmur3's finaliser over a combination). */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0xcc9e2d51), 0x1b873593) ^ 0x5bd1e995;
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A hash of a value that ignores which symmetric ids it names (sets and maps hash as multisets). */
export function invariantHash(type: Type): (v: unknown) => number {
  switch (type.kind) {
    case 'int': return (v) => v as number;
    case 'bool': return (v) => (v ? 1 : 2);
    case 'enum': return (v) => type.index.get(v as string)! + 3;
    case 'scalarset': return type.symmetric ? () => 0x5ca1ab1e : (v) => type.index.get(v as string)! + 3;
    case 'option': {
      const inner = invariantHash(type.inner);
      return (v) => (v === null ? 0 : mix(1, inner(v)));
    }
    case 'record': {
      const fields = type.fields.map(([, ft]) => invariantHash(ft));
      const hashOf = (v: unknown): number => {
        const values = fieldsOf(v);
        let h = 7;
        for (let i = 0; i < fields.length; i++) h = mix(h, fields[i]!(values[i]));
        return h;
      };
      if (!type.interned) return hashOf;
      // An interned record (a message) is one object per value: keep its hash on it
      // (paxos maxBallot=3, first 50k states: 5.4 s -> 5.2 s of CPU).
      return (v) => {
        const r = v as { __ownerID?: unknown; __synodIHash?: number };
        if (r.__synodIHash !== undefined) return r.__synodIHash;
        const h = hashOf(v);
        if (r.__ownerID === undefined) r.__synodIHash = h;
        return h;
      };
    }
    case 'union': {
      const variants = type.variants.map(([, rt]) => invariantHash(rt));
      const which = variantOf(type);
      return (v) => {
        const i = which(v);
        return mix(i, variants[i]!(v));
      };
    }
    case 'map': {
      const k = invariantHash(type.key);
      const val = invariantHash(type.value);
      return (m: any) => {
        let sum = 0;
        eachEntry(m, (x, key) => { sum = (sum + mix(k(key), val(x))) | 0; });
        return mix(m.size, sum);
      };
    }
    case 'set': {
      const e = invariantHash(type.elem);
      return (s: any) => {
        let sum = 0;
        eachEntry(s, (x) => { sum = (sum + e(x)) | 0; });
        return mix(s.size, sum);
      };
    }
    case 'seq': {
      const e = invariantHash(type.elem);
      return (l: any) => {
        let h = (l as List<unknown>).size;
        (l as List<unknown>).forEach((x) => { h = mix(h, e(x)); });
        return h;
      };
    }
  }
}

/** The index of a union value's variant, found by its record prototype (one factory each). */
function variantOf(type: UnionType): (v: unknown) => number {
  const byProto = new Map<unknown, number>(type.variants.flatMap(([, rt], i) => recordPrototypes(rt.factory).map((p) => [p, i] as const)));
  return (v) => byProto.get(Object.getPrototypeOf(v))!;
}

type Walker = (v: unknown, local: number, sigs: Signatures) => void;
const nothing: Walker = () => {};

/** Adds, for every occurrence of a symmetric id in a state, mix(path, local) to its signature. */
export function signatureWalker(type: Type): (v: unknown, local: number, sigs: Signatures) => void {
  return walker(type, hashString('state'));
}

// Iteration here is by Immutable's forEach and records' field arrays: its iterators
// allocate an object per step, and signatures are taken for every state generated
// (raft-election nodes=5, first 40k states: 7.1 s -> 6.1 s of CPU, with the pruning below).
function walker(type: Type, path: number): Walker {
  if (!hasSymmetric(type)) return nothing; // no symmetric id inside: nothing to sign
  switch (type.kind) {
    case 'scalarset': {
      const { slot, index } = type;
      return (v, local, sigs) => {
        const acc = sigs.get(slot)!;
        const i = index.get(v as string)!;
        acc[i] = (acc[i]! + mix(path, local)) | 0;
      };
    }
    case 'option': {
      const inner = walker(type.inner, path);
      return (v, local, sigs) => { if (v !== null) inner(v, local, sigs); };
    }
    case 'record': {
      const fields = type.fields.map(([k, ft]) => walker(ft, mix(path, hashString(k))));
      const used = fields.flatMap((f, i) => (f === nothing ? [] : [i]));
      return (v, local, sigs) => {
        const values = fieldsOf(v);
        for (let j = 0; j < used.length; j++) {
          const i = used[j]!;
          fields[i]!(values[i], local, sigs);
        }
      };
    }
    case 'union': {
      const variants = type.variants.map(([n, rt]) => walker(rt, mix(path, hashString(n))));
      const which = variantOf(type);
      return (v, local, sigs) => variants[which(v)]!(v, local, sigs);
    }
    case 'map': {
      const kh = invariantHash(type.key);
      const vh = invariantHash(type.value);
      const kw = walker(type.key, mix(path, 1));
      const vw = walker(type.value, mix(path, 2));
      return (m: any, _local, sigs) => {
        eachEntry(m, (x, k) => {
          const entry = mix(kh(k), vh(x));
          kw(k, entry, sigs);
          vw(x, entry, sigs);
        });
      };
    }
    case 'set': {
      const eh = invariantHash(type.elem);
      const ew = walker(type.elem, mix(path, 3));
      return (s: any, _local, sigs) => { eachEntry(s, (x) => { ew(x, eh(x), sigs); }); };
    }
    case 'seq': {
      const eh = invariantHash(type.elem);
      const ew = walker(type.elem, mix(path, 4));
      return (l: any, _local, sigs) => {
        let i = 0;
        (l as List<unknown>).forEach((x) => { ew(x, mix(eh(x), i++), sigs); });
      };
    }
    default: return nothing;
  }
}
