// Sequential models: what a correct object would return, one operation at a time. A model is
// `{ init, apply(state, op) -> [state, result] }`; the built-in register, key-value map and queue
// come with the types of their operations, to declare a history with.
import { List, Map as IMap } from 'immutable';
import { t, type Type } from '../spec/types.js';

export interface Model<S = any, O = any, R = any> {
  readonly name: string;
  readonly init: S;
  /** The state after op, and what op returns. Must be pure; states compare by value (Immutable). */
  apply(state: S, op: O): readonly [S, R];
  /**
   * The part of the object an operation touches (a key). Linearizability is local (Herlihy and
   * Wing; P-compositionality, Horn and Kroening): operations on different parts are checked as
   * separate histories, each from init. Sequential consistency is not local, so it ignores this.
   */
  partition?(op: O): unknown;
}

/** Register operations over values of V: Write(value) returns null, Read returns the value. */
export function registerOps<V>(value: Type<V>) {
  return t.union('type', { Write: { value }, Read: {} });
}

/** A read/write register holding `init` at first. */
export function register<V>(init: V): Model<V, { type: 'Write'; value: V } | { type: 'Read' }, V | null> {
  return {
    name: 'register',
    init,
    apply: (s, op) => (op.type === 'Write' ? [op.value, null] : [s, s]),
  };
}

/** Key-value operations: Put(key, value) returns null, Get(key) returns the key's value. */
export function kvOps<K, V>(key: Type<K>, value: Type<V>) {
  return t.union('type', { Put: { key, value }, Get: { key } });
}

/** A key-value map where every key holds `init` at first; checked key by key. */
export function kvMap<K, V>(init: V): Model<IMap<K, V>, { type: 'Put'; key: K; value: V } | { type: 'Get'; key: K }, V | null> {
  return {
    name: 'key-value map',
    init: IMap<K, V>(),
    apply: (s, op) => (op.type === 'Put' ? [s.set(op.key, op.value), null] : [s, s.get(op.key, init)]),
    partition: (op) => op.key,
  };
}

/** Queue operations: Enqueue(value) returns null, Dequeue returns the head or null when empty. */
export function queueOps<V>(value: Type<V>) {
  return t.union('type', { Enqueue: { value }, Dequeue: {} });
}

/** A FIFO queue, empty at first. */
export function queue<V>(): Model<List<V>, { type: 'Enqueue'; value: V } | { type: 'Dequeue' }, V | null> {
  return {
    name: 'queue',
    init: List<V>(),
    apply: (s, op) => (op.type === 'Enqueue' ? [s.push(op.value), null] : s.isEmpty() ? [s, null] : [s.shift(), s.first()!]),
  };
}
