// A history of client operations kept in the spec's state: a list of invocation (Call) and
// response (Ret) events, declared with the spec's own types so the codec encodes it and symmetry
// reduction renames the processes in it. The checkers read it back as operations (intervals).
import { List, Record as IRecord, type RecordOf } from 'immutable';
import { t, type SeqType, type Type, type UnionType } from '../spec/types.js';

export interface HistoryOptions<P, O, R> {
  /** Who calls operations: a scalarset, an enum, or a union of records (e.g. writer | reader). */
  process: Type<P>;
  /** The operations (e.g. registerOps(Value)): values of this type go into Call events. */
  op: Type<O>;
  /** What an operation returns (use t.option(...) when some return nothing: they return null). */
  result: Type<R>;
  /** At most this many operations are recorded (each takes two events). */
  maxOps: number;
}

/** One operation of a history: from its call (event index) to its return (Infinity: pending). */
export interface Operation<P = unknown, O = unknown, R = unknown> {
  readonly id: number;
  readonly process: P;
  readonly op: O;
  /** The recorded result; undefined while pending. */
  readonly result: R | undefined;
  readonly call: number;
  readonly ret: number;
}

/** An event of a history: a process calls an operation, or its pending operation returns. */
export type HistoryEvent<P, O, R> =
  | RecordOf<{ event: 'Call'; process: P; op: O }>
  | RecordOf<{ event: 'Ret'; process: P; result: R }>;

export interface History<P, O, R> {
  /** The state field's type: a list of Call and Ret events. */
  readonly type: SeqType<HistoryEvent<P, O, R>>;
  readonly event: UnionType<HistoryEvent<P, O, R>>;
  /** The empty history (for init). */
  readonly empty: List<HistoryEvent<P, O, R>>;
  /** h with process p invoking op (p must have no operation pending). */
  call(h: List<HistoryEvent<P, O, R>>, p: P, op: O): List<HistoryEvent<P, O, R>>;
  /** h with p's pending operation returning result. */
  ret(h: List<HistoryEvent<P, O, R>>, p: P, result: R): List<HistoryEvent<P, O, R>>;
  /** The operation p has pending, or undefined. */
  pending(h: List<HistoryEvent<P, O, R>>, p: P): O | undefined;
}

/**
 * Declares a history field: `const H = history({ process: Client, op: registerOps(V), result:
 * t.option(V), maxOps: 4 })`, then `hist: H.type` in the state and `H.call(s.hist, c, op)` in
 * the actions. Processes are sequential: one pending operation each.
 */
export function history<P, O, R>(options: HistoryOptions<P, O, R>): History<P, O, R> {
  const event = t.union('event', {
    Call: { process: options.process, op: options.op },
    Ret: { process: options.process, result: options.result },
  });
  const type = t.seq(event, 2 * options.maxOps);
  const pending = (h: List<any>, p: P): O | undefined => {
    for (let i = h.size - 1; i >= 0; i--) {
      const e = h.get(i);
      if (!sameValue(e.process, p)) continue;
      return e.event === 'Call' ? e.op : undefined;
    }
    return undefined;
  };
  const append = (h: List<any>, e: unknown): List<any> => {
    if (h.size >= type.max) throw new Error(`history: more than ${options.maxOps} operations; raise maxOps`);
    return h.push(e);
  };
  return {
    type: type as SeqType<HistoryEvent<P, O, R>>, event: event as UnionType<HistoryEvent<P, O, R>>, empty: List(),
    pending,
    call(h, p, op) {
      if (pending(h, p) !== undefined) throw new Error(`history: ${show(p)} calls ${show(op)} while an operation of its own is pending`);
      return append(h, event.make({ event: 'Call', process: p, op }));
    },
    ret(h, p, result) {
      if (pending(h, p) === undefined) throw new Error(`history: ${show(p)} returns ${show(result)} with no operation pending`);
      return append(h, event.make({ event: 'Ret', process: p, result }));
    },
  };
}

/** The operations of a list of events, in call order; a Ret without a pending Call is an error. */
export function operationsOf(events: Iterable<any>): Operation[] {
  const ops: Array<{ -readonly [K in keyof Operation]: Operation[K] }> = [];
  const open: Array<number> = []; // indexes into ops of pending operations
  let i = 0;
  for (const e of events) {
    const at = open.findIndex((k) => sameValue(ops[k]!.process, e.process));
    if (e.event === 'Call') {
      if (at >= 0) throw new Error(`history: ${show(e.process)} calls again at event ${i} with an operation pending`);
      open.push(ops.length);
      ops.push({ id: ops.length, process: e.process, op: e.op, result: undefined, call: i, ret: Infinity });
    } else {
      if (at < 0) throw new Error(`history: ${show(e.process)} returns at event ${i} with no operation pending`);
      const op = ops[open[at]!]!;
      op.result = e.result;
      op.ret = i;
      open.splice(at, 1);
    }
    i++;
  }
  return ops;
}

/** Value equality for history values (primitives, Immutable values). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const eq = (a as { equals?: (o: unknown) => boolean } | null)?.equals;
  return typeof eq === 'function' ? eq.call(a, b) : false;
}

/** A short text for a value: records as Name(field values), lists as [a, b]. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== 'object') return String(v);
  const o = v as any;
  if (List.isList(o)) return `[${o.map(show).join(', ')}]`;
  if (IRecord.isRecord(o)) return recordText(o.toObject());
  if (Object.getPrototypeOf(o) === Object.prototype) return recordText(o);
  return typeof o.toString === 'function' ? o.toString() : JSON.stringify(o);
}

/** Fields as `Tag(a, b)` when the first field is a capitalised tag (a union's), else `a, b`. */
function recordText(r: object): string {
  const entries: Array<[string, unknown]> = Object.entries(r);
  const tagged = entries.length > 0 && typeof entries[0]![1] === 'string' && /^[A-Z]/.test(entries[0]![1] as string);
  const name = tagged ? (entries.shift()![1] as string) : '';
  const inner = entries.map(([, x]) => show(x)).join(', ');
  if (name) return inner ? `${name}(${inner})` : name;
  return inner;
}
