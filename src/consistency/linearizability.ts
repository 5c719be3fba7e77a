// Linearizability of a history against a sequential model: Wing and Gong's search with Lowe's
// memoisation (just-in-time linearizability), after splitting the history by the model's
// partition (P-compositionality: linearizability is local, so each key is checked alone).
import { sameValue, show, type Operation } from './history.js';
import { Bits, Seen } from './memo.js';
import type { Model } from './models.js';

/** True when some order of the operations, one that keeps real-time order, explains every result. */
export function isLinearizable(ops: readonly Operation[], model: Model): boolean {
  return partitions(ops, model).every((part) => wingGong(part, model));
}

/** The history split by the model's partition key (one part when the model has none). */
export function partitions(ops: readonly Operation[], model: Model): Operation[][] {
  if (!model.partition) return [[...ops]];
  const parts = new Map<string, Operation[]>();
  for (const o of ops) {
    const k = show(model.partition(o.op));
    const part = parts.get(k);
    if (part) part.push(o);
    else parts.set(k, [o]);
  }
  return [...parts.values()];
}

/** A call or return event in the doubly linked list the search lifts operations out of. */
interface Entry {
  op: Operation;
  index: number;
  isCall: boolean;
  /** The return entry of a call entry. */
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

function entries(ops: readonly Operation[]): Entry {
  // Pending operations return after everything else: they may take effect at any point or never.
  const events: Entry[] = [];
  for (const op of ops) {
    const call: Entry = { op, index: op.call, isCall: true, match: null, prev: null, next: null };
    const ret: Entry = { op, index: op.ret, isCall: false, match: null, prev: null, next: null };
    call.match = ret;
    events.push(call, ret);
  }
  events.sort((a, b) => a.index - b.index || (a.op.id - b.op.id));
  const head: Entry = { op: null as never, index: -1, isCall: false, match: null, prev: null, next: null };
  let last = head;
  for (const e of events) {
    e.prev = last;
    last.next = e;
    last = e;
  }
  return head;
}

function lift(e: Entry): void {
  e.prev!.next = e.next;
  if (e.next) e.next.prev = e.prev;
  const m = e.match!;
  m.prev!.next = m.next;
  if (m.next) m.next.prev = m.prev;
}

function unlift(e: Entry): void {
  const m = e.match!;
  m.prev!.next = m;
  if (m.next) m.next.prev = m;
  e.prev!.next = e;
  if (e.next) e.next.prev = e;
}

/**
 * The search: walk the events in time order; at a call, try to linearize that operation now
 * (the model must give its recorded result); at a return whose operation is not linearized yet,
 * backtrack. A (done-set, state) pair seen before is never searched again (Lowe).
 */
function wingGong(ops: readonly Operation[], model: Model): boolean {
  const head = entries(ops);
  const done = new Bits(ops.reduce((n, o) => Math.max(n, o.id + 1), 0));
  const seen = new Seen();
  const stack: Array<{ entry: Entry; state: unknown }> = [];
  let state: unknown = model.init;
  let entry = head.next;
  while (entry !== null) {
    if (entry.isCall) {
      const o = entry.op;
      const [next, result] = model.apply(state, o.op);
      if (o.ret === Infinity || sameValue(result, o.result)) {
        done.set(o.id);
        if (seen.add(done.key(), next)) {
          stack.push({ entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        done.clear(o.id);
      }
      entry = entry.next;
    } else {
      // Every operation that returned is linearized once only pending returns are left.
      if (entry.op.ret === Infinity) return true;
      const top = stack.pop();
      if (top === undefined) return false;
      state = top.state;
      done.clear(top.entry.op.id);
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return true;
}
