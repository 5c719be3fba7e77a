// Synod's own Lists: what the codec decodes a state's sequences to. Specs read sequences with
// filter, map, includes and forEach on every guard (MultiPaxos-SMR asks `terminated`, two
// filters of the client history, for each replica and message); Immutable runs those through
// lazy Seqs and a List built by set() per element. Ours are Immutable Lists in every respect,
// with a prototype derived from Immutable's that iterates the List's one array directly and
// makes filter's and map's results the same way. Immutable's own prototype is left as it is.
// A MultiPaxos `terminated` on a three-event history: about 13 us -> 4 us.
import { List } from 'immutable';

/** The slots Immutable's makeList gives a list (test/spec/immutable-internals.test.ts pins them). */
interface ImmutableList {
  size: number;
  _origin: number;
  _capacity: number;
  _level: number;
  _root: unknown;
  _tail: { array: unknown[] } | undefined;
  __ownerID: unknown;
  __hash: unknown;
  __altered: boolean;
}

const LIST = Object.getPrototypeOf(List()) as object;
/** Immutable's leaf node: a list shorter than BRANCH keeps every value in its tail's array. */
const VNode = (List([0]) as unknown as ImmutableList)._tail!.constructor as new (array: unknown[], ownerID: unknown) => { array: unknown[] };
const BRANCH = 32;
const SHIFT = 5;

const OWNED_LIST = Object.create(LIST) as Record<string, unknown>;

/**
 * A List of these values, synod's own when short (it keeps `values`, which nobody else may
 * change); built as Immutable's List(values) builds a short list.
 */
export function ownList<V>(values: V[]): List<V> {
  if (values.length === 0 || values.length >= BRANCH) return List(values);
  const l = Object.create(OWNED_LIST) as ImmutableList;
  l.size = values.length;
  l._origin = 0;
  l._capacity = values.length;
  l._level = SHIFT;
  l._root = undefined;
  l._tail = new VNode(values, undefined);
  l.__ownerID = undefined;
  l.__hash = undefined;
  l.__altered = false;
  return l as unknown as List<V>;
}

type Fn = (v: unknown, i: number, list: unknown) => unknown;

// Every Collection method that reads the values (forEach, some, every, includes, count, find,
// toArray, reduce, equals, hashCode) goes through __iterate. An owned list is never changed in
// place (Immutable copies a node before it writes to it), so its tail's array is its values.
function define(name: string, value: unknown): void {
  Object.defineProperty(OWNED_LIST, name, { value, writable: true, configurable: true });
}
define('__iterate', function __iterate(this: ImmutableList, fn: Fn, reverse?: boolean): number {
  const a = this._tail!.array;
  const n = this.size;
  if (reverse) {
    let i = n;
    while (i > 0) if (fn(a[--i], i, this) === false) break;
    return i; // as Immutable's List answers
  }
  let i = 0;
  while (i < n) if (fn(a[i], i++, this) === false) break;
  return i;
});
define('filter', function filter(this: ImmutableList, predicate: Fn, context?: unknown): unknown {
  const a = this._tail!.array;
  const out: unknown[] = [];
  for (let i = 0; i < this.size; i++) if (predicate.call(context, a[i], i, this)) out.push(a[i]);
  return ownList(out);
});
define('map', function map(this: ImmutableList, mapper: Fn, context?: unknown): unknown {
  const a = this._tail!.array;
  const out = new Array<unknown>(this.size);
  let same = true;
  for (let i = 0; i < this.size; i++) {
    out[i] = mapper.call(context, a[i], i, this);
    if (out[i] !== a[i]) same = false;
  }
  return same ? this : ownList(out); // Immutable's map, too, gives back the list when no value changed
});
