// The rank of a small collection (a type of at most BITMASK_LIMIT values: a message's map of
// votes, a set of a few ids) in valuesOf's order, computed from its entries' ranks. It used to
// be found by encoding the collection and looking the bytes up among all its values', which
// cost a string and an array per call; symmetry reduction asks it for every renaming tried.
// valuesOf's orders (spec/types.ts): a map is a number in base |values| (partial maps: + 1,
// digit 0 is an absent key), its first key the most significant digit; a set is its bitmask
// over the element ranks; a sequence comes after every shorter one, then reads as a number in
// base |elements|, its first element the most significant digit.
import { List, Map as IMap, Set as ISet } from 'immutable';
import type { MapType, SeqType, SetType, Type } from '../spec/types.js';
import { eachEntry } from './provenance.js';

/** What this module needs of a codec (codec.ts passes its own; taking it as a parameter keeps the imports one way). */
interface Ranker<P> { rank(v: unknown, p: P): number }
type CodecOf<P> = (type: Type) => Ranker<P>;

/** rank(v, p) for a collection type of at most 2^53 values; throws `invalid` on a value outside it. */
export function collectionRank<P>(type: MapType | SetType | SeqType, codecOf: CodecOf<P>, invalid: Error): (v: unknown, p: P) => number {
  switch (type.kind) {
    case 'map': return mapRank(type, codecOf, invalid);
    case 'set': return setRank(type, codecOf, invalid);
    case 'seq': return seqRank(type, codecOf, invalid);
  }
}

// Each rank function keeps its sum in a closure while forEach runs (no allocation per call);
// no type contains itself, so a call never re-enters its own function.

function mapRank<P>(type: MapType, codecOf: CodecOf<P>, invalid: Error): (v: unknown, p: P) => number {
  const key = codecOf(type.key);
  const value = codecOf(type.value);
  const n = type.key.size;
  const digit = type.total ? 0 : 1;
  const base = type.value.size + digit;
  const weights = Array.from({ length: n }, (_, j) => base ** (n - 1 - j));
  let sum = 0;
  let perm: P;
  const add = (v: unknown, k: unknown): void => {
    sum += (value.rank(v, perm) + digit) * weights[key.rank(k, perm)]!;
  };
  return (m, p) => {
    if (!IMap.isMap(m) || (type.total && (m as IMap<unknown, unknown>).size !== n)) throw invalid;
    sum = 0;
    perm = p;
    eachEntry(m, add);
    return sum;
  };
}

function setRank<P>(type: SetType, codecOf: CodecOf<P>, invalid: Error): (v: unknown, p: P) => number {
  const elem = codecOf(type.elem);
  let mask = 0;
  let perm: P;
  const add = (e: unknown): void => {
    mask += 2 ** elem.rank(e, perm); // elements are distinct: each adds its own bit
  };
  return (s, p) => {
    if (!ISet.isSet(s)) throw invalid;
    mask = 0;
    perm = p;
    eachEntry(s, add);
    return mask;
  };
}

function seqRank<P>(type: SeqType, codecOf: CodecOf<P>, invalid: Error): (v: unknown, p: P) => number {
  const elem = codecOf(type.elem);
  const base = type.elem.size;
  // offsets[len]: how many sequences are shorter than len.
  const offsets = [0];
  for (let len = 1; len <= type.max; len++) offsets.push(offsets[len - 1]! + base ** (len - 1));
  let sum = 0;
  let perm: P;
  const add = (e: unknown): void => {
    sum = sum * base + elem.rank(e, perm);
  };
  return (l, p) => {
    if (!List.isList(l) || (l as List<unknown>).size > type.max) throw invalid;
    sum = 0;
    perm = p;
    (l as List<unknown>).forEach(add);
    return offsets[(l as List<unknown>).size]! + sum;
  };
}
