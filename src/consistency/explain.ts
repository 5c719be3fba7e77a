// Why a history is not linearizable (or not sequentially consistent), in one paragraph: shrink
// it to a small core that still fails, then say which order each operation's result needs and
// which order real time (or program order) imposes, so the contradiction can be read off.
import { sameValue, show, type Operation } from './history.js';
import { isLinearizable, partitions } from './linearizability.js';
import { Bits, Seen } from './memo.js';
import type { Model } from './models.js';
import { isSequentiallyConsistent } from './sequential-consistency.js';
import { opName } from './timeline.js';

export type Consistency = 'linearizable' | 'sequentially consistent';

/** a must come before b: it returned before b was called, or (SC) it is earlier in b's process. */
function precedes(mode: Consistency, a: Operation, b: Operation): boolean {
  if (mode === 'linearizable') return a.ret < b.call;
  return sameValue(a.process, b.process) && a.call < b.call;
}

const holds = (mode: Consistency, ops: readonly Operation[], model: Model) =>
  mode === 'linearizable' ? isLinearizable(ops, model) : isSequentiallyConsistent(ops, model);

interface Needs {
  /** Some order that keeps the precedences gives this operation its result. */
  possible: boolean;
  /** Operations before it in every such order, and in none. */
  always: Set<number>;
  never: Set<number>;
}

/**
 * For each operation, what its own result needs: over every sequence of the operations that
 * ends with it and gives it its result (the others' results, real time and program order
 * aside; those are stated separately), which operations are always before it and which never
 * are. Memoised on (operations placed, model state), so the sets are exact.
 */
function needsOf(ops: readonly Operation[], model: Model): Map<number, Needs> {
  const ids = ops.map((o) => o.id);
  const out = new Map<number, Needs>(ids.map((id) => [id, { possible: false, always: new Set(ids), never: new Set(ids) }]));
  const placed = new Bits(Math.max(...ids) + 1);
  const seen = new Seen();
  const visit = (state: unknown): void => {
    if (!seen.add(placed.key(), state)) return;
    for (const o of ops) {
      if (placed.has(o.id)) continue;
      const [next, result] = model.apply(state, o.op);
      if (o.ret === Infinity || sameValue(result, o.result)) {
        const n = out.get(o.id)!;
        n.possible = true;
        for (const id of ids) {
          if (!placed.has(id)) n.always.delete(id);
          else n.never.delete(id);
        }
      }
      placed.set(o.id);
      visit(next);
      placed.clear(o.id);
    }
  };
  visit(model.init);
  return out;
}

/** A small failing core: drop operations while the rest still fails and every result stays possible on its own. */
export function core(mode: Consistency, ops: readonly Operation[], model: Model): Operation[] {
  let current = mode === 'linearizable' ? partitions(ops, model).find((p) => !isLinearizable(p, model)) ?? [...ops] : [...ops];
  if (current.length > MAX_EXPLAINED) return current;
  const allPossible = (sub: Operation[]) => [...needsOf(sub, model).values()].every((n) => n.possible);
  if (!allPossible(current)) return current;
  for (const o of [...current].reverse()) {
    const rest = current.filter((p) => p !== o);
    if (rest.length > 0 && !holds(mode, rest, model) && allPossible(rest)) current = rest;
  }
  return current;
}

/** Histories longer than this are not shrunk or explained (the search over sequences is exponential). */
const MAX_EXPLAINED = 12;

/** One paragraph: the core's forced orders, what each result needs, and the contradiction. */
export function explain(mode: Consistency, ops: readonly Operation[], model: Model): string {
  const c = core(mode, ops, model);
  if (c.length > MAX_EXPLAINED) return `No order of these ${c.length} operations explains every result (too many to explain further; at most ${MAX_EXPLAINED}).`;
  const needs = needsOf(c, model);
  const byId = new Map(c.map((o) => [o.id, o]));
  const list = (s: Iterable<number>) => [...s].map((id) => opName(byId.get(id)!)).join(' and ');
  const impossible = c.filter((o) => !needs.get(o.id)!.possible);
  if (impossible.length > 0) {
    const o = impossible[0]!;
    return `${opName(o)}: no sequence of these operations gives that result; the ${model.name} never returns it here.`;
  }
  const sentences: string[] = [];
  const forced = c.flatMap((a) => c.filter((b) => precedes(mode, a, b) && !c.some((m) => precedes(mode, a, m) && precedes(mode, m, b))).map((b) => [a, b] as const));
  for (const [a, b] of forced) {
    sentences.push(mode === 'linearizable'
      ? `${opName(a)} returned (event ${a.ret}) before ${opName(b)} was called (event ${b.call}), so it comes first`
      : `${opName(a)} comes before ${opName(b)} in the program order of ${show(a.process)}`);
  }
  // What each result needs beyond the forced order (its forced predecessors need no mention).
  const forcedBefore = (o: Operation) => new Set(c.filter((p) => precedes(mode, p, o)).map((p) => p.id));
  const forcedAfter = (o: Operation) => new Set(c.filter((p) => precedes(mode, o, p)).map((p) => p.id));
  for (const o of c) {
    const n = needs.get(o.id)!;
    const before = [...n.always].filter((id) => !forcedBefore(o).has(id));
    const notBefore = [...n.never].filter((id) => id !== o.id && !forcedAfter(o).has(id));
    const parts: string[] = [];
    if (before.length) parts.push(`${list(before)} before it`);
    if (notBefore.length) parts.push(`${list(notBefore)} not before it`);
    if (parts.length && o.ret !== Infinity) sentences.push(`${opName(o)} is explained only with ${parts.join(', and ')}`);
  }
  const last = c.filter((o) => o.ret !== Infinity).reduce((a, b) => (b.ret > a.ret ? b : a));
  const which = mode === 'linearizable' ? 'real-time' : 'program';
  return `${sentences.join('; ')}. No order of these ${c.length} operations keeps the ${which} order and gives every result, `
    + `so the history is not ${mode}; it became so when ${opName(last)} returned (event ${last.ret}).`;
}
