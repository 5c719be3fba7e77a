// The property helpers a spec lists: linearizable({ history, model }) and
// sequentiallyConsistent({ history, model }). Each is an ordinary state invariant over the
// history the spec records, plus an explanation the report prints under a violation's trace.
import type { List } from 'immutable';
import type { HistoryView, Invariant } from '../spec/define.js';
import { operationsOf, show, type Operation } from './history.js';
import { core, explain, type Consistency } from './explain.js';
import { isLinearizable } from './linearizability.js';
import type { Model } from './models.js';
import { isSequentiallyConsistent } from './sequential-consistency.js';
import { opText, timeline } from './timeline.js';

export interface ConsistencyOptions<S> {
  /** The history field of the state (declared with history(...)). */
  history: (s: S) => List<any>;
  model: Model;
  doc?: string;
}

/** Every history of every reachable state is linearizable with respect to the model. */
export function linearizable<S>(options: ConsistencyOptions<S>): Invariant<S> {
  return consistency('linearizable', options, isLinearizable);
}

/** Every history of every reachable state is sequentially consistent with respect to the model. */
export function sequentiallyConsistent<S>(options: ConsistencyOptions<S>): Invariant<S> {
  return consistency('sequentially consistent', options, isSequentiallyConsistent);
}

function consistency<S>(mode: Consistency, o: ConsistencyOptions<S>, test: (ops: Operation[], m: Model) => boolean): Invariant<S> {
  if (typeof o?.history !== 'function' || typeof o.model?.apply !== 'function') {
    throw new TypeError(`${mode === 'linearizable' ? 'linearizable' : 'sequentiallyConsistent'}({ history, model }): history must be a function of the state, model a { init, apply } model`);
  }
  const verdict = cachedVerdict((h) => test(operationsOf(h), o.model));
  return {
    kind: 'invariant',
    check: (s) => verdict(o.history(s)),
    doc: o.doc ?? `every history is ${mode} (model: ${o.model.name})`,
    explain: (s) => explanation(mode, operationsOf(o.history(s)), o.model),
    history: (s) => historyView(mode, o.history(s), o.model, verdict),
  };
}

/** The history as the explorer draws it; when it fails, the core no order explains, and why. */
function historyView(mode: Consistency, h: List<any>, model: Model, verdict: (h: List<any>) => boolean): HistoryView {
  const ops = operationsOf(h);
  return {
    events: h.size,
    ops: ops.map((x) => ({ id: x.id, process: show(x.process), text: opText(x), call: x.call, ret: x.ret === Infinity ? null : x.ret })),
    violation: verdict(h) ? null : { core: core(mode, ops, model).map((x) => x.id), explanation: explain(mode, ops, model) },
  };
}

/** The timeline, then the paragraph (what report/ prints under the trace). */
export function explanation(mode: Consistency, ops: readonly Operation[], model: Model): string {
  return [`history (one line per process; event order left to right):`, ...timeline(ops).map((l) => `  ${l}`), ...wrap(explain(mode, ops, model), 100)].join('\n');
}

/** Words in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Bounds the verdict cache (per thread); it is cleared when full. */
const CACHE_LIMIT = 1 << 16;

/**
 * Many states share a history, so verdicts are cached by the history's value. A history that
 * ends with a call has the verdict of the history before it: a new pending operation may take
 * effect later or never, so it cannot make a history inconsistent (in either sense).
 */
function cachedVerdict(test: (h: List<any>) => boolean): (h: List<any>) => boolean {
  const cache = new Map<number, Array<[List<any>, boolean]>>();
  let size = 0;
  const verdict = (h: List<any>): boolean => {
    if (h.size === 0) return true;
    if (h.last()?.event === 'Call') return verdict(h.pop());
    const key = h.hashCode();
    const bucket = cache.get(key);
    const hit = bucket?.find(([k]) => k.equals(h));
    if (hit) return hit[1];
    const ok = test(h);
    if (size >= CACHE_LIMIT) {
      cache.clear();
      size = 0;
    }
    if (bucket && cache.has(key)) bucket.push([h, ok]);
    else cache.set(key, [[h, ok]]);
    size++;
    return ok;
  };
  return verdict;
}
