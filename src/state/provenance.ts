// Synod's own Sets and Maps: what the codec decodes a state's collections to. Each remembers
// the last collection made from it by one add() or set(), so the state codec can write a
// successor's field as its parent's bytes with one element changed instead of walking the
// whole collection. Specs send with msgs.add(m) and update per-node maps with
// setIn([field, node], x) on nearly every step.
// PaxosCommit first 300k states (--property consistent), of CPU: 10.2 s -> 9.3 s (sets) -> 8.55 s (maps).
//
// They are Immutable Sets and Maps in every respect (isSet, equals, hashCode, every method),
// through a prototype of synod's own that inherits from Immutable's and overrides only add()
// or set(). Immutable's prototypes are left as they are: a Set or Map made outside synod is
// never one of these, and what add() and set() return is a plain Immutable collection.
import { List, Map as IMap, Set as ISet } from 'immutable';
import { isCanonical } from '../spec/fast-record.js';
import { additionsFor, ARRAY_MAP_MAX, inTrieOrder, insertAt, search, type Pair } from './hash-order.js';

interface Owned {
  size: number;
  __ownerID: unknown;
  /** The last collection made from this one by one step, and the element added or the key set. */
  __synodMade: unknown;
  __synodStep: unknown;
}
interface ImmutableSet extends Owned {
  _map: unknown;
  /** Whether every element is canonical (isCanonical): then a miss by === is a miss. Undefined: not yet known. */
  __synodCanonical: boolean | undefined;
}
interface ImmutableMap extends Owned { _root: ArrayMapNode | { constructor: unknown } | undefined; __hash: unknown; __altered: boolean }

const SET = Object.getPrototypeOf(ISet()) as {
  add(this: Owned, x: unknown): Owned;
  has(this: Owned, x: unknown): boolean;
  remove(this: Owned, x: unknown): Owned;
  __ensureOwner(this: Owned, ownerID: unknown): Owned;
  union(this: Owned, ...iters: unknown[]): Owned;
};
const MAP = Object.getPrototypeOf(IMap()) as {
  set(this: Owned, k: unknown, v: unknown): Owned;
  get(this: Owned, k: unknown, notSetValue?: unknown): unknown;
};
const addToSet = SET.add;
const hasInSet = SET.has;
const setInMap = MAP.set;
const getInMap = MAP.get;

/** Immutable's node of a map of at most ARRAY_MAP_MAX entries: [key, value] pairs in insertion order. */
interface ArrayMapNode { ownerID: unknown; entries: Array<[unknown, unknown]> }
const ArrayMapNode = (IMap({ x: 1 }) as unknown as ImmutableMap)._root!.constructor as new (ownerID: unknown, entries: Array<[unknown, unknown]>) => ArrayMapNode;
export { ARRAY_MAP_MAX };

/** Notes one step from `base`, unless nothing changed or base is being mutated in place. */
function note(made: Owned, base: Owned, step: unknown): Owned {
  if (made !== base && base.__ownerID === undefined) {
    base.__synodMade = made;
    base.__synodStep = step;
  }
  return made;
}

// Fixed-arity overrides (no rest arguments: these run for every message sent).
const OWNED_SET = Object.create(SET) as object;
const OWNED_MAP = Object.create(MAP) as object;
// Small maps (per-node state keyed by a node id) are Immutable's array of entries, which
// Immutable searches with is(): two valueOf() calls per key passed. A key found by === is
// the one is() finds (keys are distinct under is()), so get and set look by === first and
// fall back to Immutable's own search only when that misses.
// TwoPhase rm=7 (--no-symmetry --no-liveness), alternated: 12.5-15.1 s -> 9.4-11.6 s of CPU.
function define(proto: object, name: string, value: unknown): void {
  Object.defineProperty(proto, name, { value, writable: true, configurable: true });
}
/** The index of key k in a small map's entries, found by ===; -1 otherwise. */
function indexOf(m: ImmutableMap, k: unknown): number {
  const root = m._root;
  if (root === undefined || root.constructor !== ArrayMapNode) return -1;
  const e = (root as ArrayMapNode).entries;
  for (let i = 0; i < e.length; i++) if (e[i]![0] === k) return i;
  return -1;
}
define(OWNED_MAP, 'get', function get(this: ImmutableMap, k: unknown, notSetValue?: unknown): unknown {
  const i = indexOf(this, k);
  return i >= 0 ? (this._root as ArrayMapNode).entries[i]![1] : getInMap.call(this, k, notSetValue);
});
define(OWNED_MAP, 'set', function set(this: ImmutableMap, k: unknown, v: unknown): Owned {
  const i = this.__ownerID === undefined ? indexOf(this, k) : -1;
  if (i < 0) return note(setInMap.call(this, k, v), this, k);
  // What Immutable's ArrayMapNode.update and makeMap do for a key that is there.
  const entries = (this._root as ArrayMapNode).entries;
  if (entries[i]![1] === v) return this;
  const copy = entries.slice();
  copy[i] = [k, v];
  return note(plainMap(this.size, new ArrayMapNode(undefined, copy)), this, k);
});

// Sets. Up to ARRAY_MAP_MAX elements, Immutable's array of entries in insertion order; beyond,
// where Immutable would hash the elements into a trie, synod's own sets stay an array of
// entries, in the order that trie iterates (hash-order.ts). Adding a message copies an array
// instead of rebuilding trie nodes, and decoding one builds the array straight from the mask.
// Whatever would change such a set otherwise (remove, withMutations, union) is given the trie
// Immutable would have, so it behaves and orders as Immutable's.
/** The entries of a set of synod's own kept in trie order (more than ARRAY_MAP_MAX of them), or null. */
function bigEntries(s: ImmutableSet): Pair[] | null {
  if (s.size <= ARRAY_MAP_MAX) return null;
  const root = (s._map as ImmutableMap)._root;
  return root !== undefined && root.constructor === ArrayMapNode ? (root as ArrayMapNode).entries : null;
}
/** The same set as Immutable builds it (a hashed trie, Immutable's own prototype). */
function trie(entries: readonly Pair[]): Owned {
  const added = additionsFor(entries);
  return ISet().withMutations((s) => { for (const e of added) s.add(e[0]); }) as unknown as Owned;
}
define(OWNED_SET, 'add', function add(this: ImmutableSet, x: unknown): Owned {
  const root = (this._map as ImmutableMap)._root;
  if (this.__ownerID !== undefined || root === undefined || root.constructor !== ArrayMapNode) return note(addToSet.call(this, x), this, x);
  const e = (root as ArrayMapNode).entries;
  for (let i = 0; i < e.length; i++) if (e[i]![0] === x) return this;
  if (e.length < ARRAY_MAP_MAX) return note(addToSet.call(this, x), this, x); // appended, as Immutable does
  if (e.length === ARRAY_MAP_MAX) {
    // Eight in insertion order become a trie of nine, which Immutable fills with the ninth first.
    if (hasInSet.call(this, x)) return note(addToSet.call(this, x), this, x); // an equal element, replaced by x
    return note(ownSetOfPairs(inTrieOrder([[x, x], ...e])), this, x);
  }
  const at = search(e, x);
  if (at < 0) return note(ownSetOfPairs(insertAt(e, -1 - at, x)), this, x);
  // An element equal to x but not x: Immutable puts x in its place.
  const copy = e.slice();
  copy[at] = [x, x];
  return note(ownSetOfPairs(copy), this, x);
});
// Specs ask msgs.has(m) of messages mostly not sent: Immutable's search compares m with every
// element by is(). Elements and m that are all canonical (interned messages, plain values)
// are equal only when identical, so the search by === is the answer.
/** Whether every element of the set is canonical (kept on the set: its elements never change). */
function allCanonical(s: ImmutableSet): boolean {
  if (s.__synodCanonical !== undefined) return s.__synodCanonical;
  let all = true;
  eachEntry(s, (x) => { all &&= isCanonical(x); });
  return (s.__synodCanonical = all);
}
define(OWNED_SET, 'has', function has(this: ImmutableSet, x: unknown): boolean {
  if (indexOf(this._map as ImmutableMap, x) >= 0) return true;
  const root = (this._map as ImmutableMap)._root;
  if (root !== undefined && root.constructor === ArrayMapNode && isCanonical(x) && allCanonical(this)) return false;
  const e = bigEntries(this);
  return e === null ? hasInSet.call(this, x) : search(e, x) >= 0;
});
for (const name of ['remove', 'delete']) {
  define(OWNED_SET, name, function remove(this: ImmutableSet, x: unknown): Owned {
    const e = bigEntries(this);
    if (e === null) return SET.remove.call(this, x);
    return search(e, x) < 0 ? this : SET.remove.call(trie(e), x);
  });
}
// A union adds its elements one by one: a big set is copied once per new element, instead of
// being rebuilt as a trie for withMutations (MultiPaxos-SMR sends with msgs.union(ms)).
for (const name of ['union', 'merge', 'concat']) {
  define(OWNED_SET, name, function union(this: ImmutableSet, ...iters: unknown[]): Owned {
    // (Immutable gives back a lone Set added to an empty one, not a copy.)
    if (!iters.every(this.size === 0 ? Array.isArray : byValues)) return SET.union.apply(this, iters);
    let s = this as unknown as Owned & { add(x: unknown): Owned };
    const add = (x: unknown): void => { s = s.add(x) as typeof s; };
    for (const it of iters) {
      if (Array.isArray(it)) for (let i = 0; i < it.length; i++) add(it[i]);
      else (it as ISet<unknown>).forEach(add);
    }
    return s;
  });
}
/** Arrays, Sets and Lists: what union reads by their values in order. */
function byValues(x: unknown): boolean {
  return Array.isArray(x) || ISet.isSet(x) || List.isList(x);
}
define(OWNED_SET, '__ensureOwner', function __ensureOwner(this: ImmutableSet, ownerID: unknown): Owned {
  const e = ownerID === this.__ownerID ? null : bigEntries(this);
  return SET.__ensureOwner.call(e === null ? this : trie(e), ownerID);
});

/** A map as Immutable's makeMap makes it (Immutable's own prototype). */
function plainMap(size: number, root: ArrayMapNode): Owned {
  const r = Object.create(MAP) as ImmutableMap;
  r.size = size;
  r._root = root;
  r.__ownerID = undefined;
  r.__hash = undefined;
  r.__altered = false;
  return r;
}

/**
 * Synod's own map of these entries (distinct keys, at most ARRAY_MAP_MAX of them), built as
 * Immutable builds it by setting them in this order into an empty map, without its searches.
 */
export function ownMapOf<M>(entries: Array<[unknown, unknown]>): M {
  if (entries.length === 0) return ownMap(IMap()) as M;
  const r = Object.create(OWNED_MAP) as ImmutableMap;
  r.size = entries.length;
  r._root = new ArrayMapNode(undefined, entries);
  r.__ownerID = undefined;
  r.__hash = undefined;
  r.__altered = false;
  r.__synodMade = undefined;
  r.__synodStep = undefined;
  return r as unknown as M;
}

/** Synod's own set of these distinct elements (at most ARRAY_MAP_MAX), as ownMapOf builds maps. */
export function ownSetOf<S>(elems: unknown[]): S {
  return ownSetOfPairs(elems.map((e) => [e, e]));
}

/**
 * Synod's own set of these entries ([e, e] for each element e, never changed: entries can be
 * shared), which are in insertion order (at most ARRAY_MAP_MAX) or in trie order (more).
 */
export function ownSetOfPairs<S>(entries: Pair[]): S {
  if (entries.length === 0) return ownSet(ISet()) as S;
  const r = Object.create(OWNED_SET) as ImmutableSet;
  r.size = entries.length;
  r._map = plainMap(entries.length, new ArrayMapNode(undefined, entries));
  r.__ownerID = undefined;
  r.__synodCanonical = undefined;
  r.__synodMade = undefined;
  r.__synodStep = undefined;
  return r as unknown as S;
}

/**
 * The same set as synod's own (it shares the set's structure). The slots are those Immutable's
 * makeSet gives a set (test/spec/immutable-internals.test.ts pins them), plus ours.
 */
export function ownSet<S>(s: S): S {
  const from = s as unknown as ImmutableSet;
  const r = Object.create(OWNED_SET) as ImmutableSet;
  r.size = from.size;
  r._map = from._map;
  r.__ownerID = undefined;
  r.__synodCanonical = undefined;
  r.__synodMade = undefined;
  r.__synodStep = undefined;
  return r as unknown as S;
}

/** The same map as synod's own; the slots are those of Immutable's makeMap, plus ours. */
export function ownMap<M>(m: M): M {
  const from = m as unknown as ImmutableMap;
  const r = Object.create(OWNED_MAP) as ImmutableMap;
  r.size = from.size;
  r._root = from._root;
  r.__ownerID = undefined;
  r.__hash = from.__hash;
  r.__altered = false;
  r.__synodMade = undefined;
  r.__synodStep = undefined;
  return r as unknown as M;
}

/** Whether a value is one of synod's own Sets or Maps. */
export function isOwn(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === OWNED_SET || proto === OWNED_MAP;
}

/**
 * The element added to `base` to make `made`, or the key set in `base` to make it; NOT_MADE
 * when `base` is not synod's own or `made` is not the last collection made from it in one step.
 */
export function stepFrom(made: unknown, base: unknown): unknown {
  const b = base as Owned | null;
  return b !== null && typeof b === 'object' && b.__synodMade === made && made !== undefined ? b.__synodStep : NOT_MADE;
}
export const NOT_MADE = Symbol('not made in one step');

/**
 * Calls fn(value, key) for each entry of a Map (fn(x, x) for each element of a Set), in
 * Immutable's order; a small map's array of entries, and every set the codec decodes, is read
 * directly, without forEach's closures per level (a third of encoding a state under a renaming).
 * fn's return value is ignored: this never stops early.
 */
export function eachEntry(c: unknown, fn: (value: any, key: any) => unknown): void {
  const proto = Object.getPrototypeOf(c);
  // Sets and Maps only (an OrderedMap, say, keeps its entries elsewhere).
  const map = proto === MAP || proto === OWNED_MAP ? c as ImmutableMap
    : proto === SET || proto === OWNED_SET ? (c as ImmutableSet)._map as ImmutableMap : undefined;
  const root = map?._root;
  if (root !== undefined && root.constructor === ArrayMapNode) {
    const e = (root as ArrayMapNode).entries;
    for (let i = 0; i < e.length; i++) fn(e[i]![1], e[i]![0]);
  } else (c as { forEach(f: typeof fn): void }).forEach(fn);
}
