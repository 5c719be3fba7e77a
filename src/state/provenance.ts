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
import { Map as IMap, Set as ISet } from 'immutable';

interface Owned {
  size: number;
  __ownerID: unknown;
  /** The last collection made from this one by one step, and the element added or the key set. */
  __synodMade: unknown;
  __synodStep: unknown;
}
interface ImmutableSet extends Owned { _map: unknown }
interface ImmutableMap extends Owned { _root: unknown; __hash: unknown; __altered: boolean }

const SET = Object.getPrototypeOf(ISet()) as { add(this: Owned, x: unknown): Owned };
const MAP = Object.getPrototypeOf(IMap()) as { set(this: Owned, k: unknown, v: unknown): Owned };
const addToSet = SET.add;
const setInMap = MAP.set;

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
Object.defineProperty(OWNED_SET, 'add', {
  value: function add(this: Owned, x: unknown): Owned { return note(addToSet.call(this, x), this, x); },
  writable: true, configurable: true,
});
const OWNED_MAP = Object.create(MAP) as object;
Object.defineProperty(OWNED_MAP, 'set', {
  value: function set(this: Owned, k: unknown, v: unknown): Owned { return note(setInMap.call(this, k, v), this, k); },
  writable: true, configurable: true,
});

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
