// A slow, obviously-correct liveness oracle for tiny graphs: the explicit state graph with
// canonical strings, and a fair lasso found by trying every set of states as the set a
// behaviour visits infinitely often (no SCCs, no Emerson-Lei). Also a lasso validator that
// judges a counterexample from its states alone: real cycle, property violated, fair.
import type { CompiledAction, CompiledSpec, CompiledLiveness } from '../../src/spec/compile.js';
import type { Trace } from '../../src/report/model.js';
import { canonical } from './explorer.js';

interface Succ { next: unknown; key: string; cls: string | null; inside: boolean }

function argTuples(a: CompiledAction, s: unknown): unknown[][] {
  let tuples: unknown[][] = [[]];
  for (const d of a.domains) {
    const next: unknown[][] = [];
    for (const args of tuples) for (const v of typeof d === 'function' ? [...d(s, ...args)] : d) next.push([...args, v]);
    tuples = next;
  }
  return tuples;
}

/** The fairness class an instance belongs to (null: not fair). */
export function classOf(a: CompiledAction, args: readonly unknown[]): string | null {
  if (!a.fair) return null;
  return a.fair.each ? `${a.name}(${args.map(canonical).join(',')})` : a.name;
}
const strongOf = (spec: CompiledSpec, cls: string): boolean => spec.actions.find((a) => a.name === cls.replace(/\(.*$/, ''))!.fair!.strong;

/** Successors with their fairness class; `inside` false for those outside the state constraint. */
export function fairSuccessors(spec: CompiledSpec, s: unknown): Succ[] {
  const out: Succ[] = [];
  for (const a of spec.actions) {
    for (const args of argTuples(a, s)) {
      if (a.when && !a.when(s, ...args)) continue;
      const r = a.then(s, ...args);
      if (r === null || r === undefined) continue;
      for (const next of Array.isArray(r) ? r : [r]) {
        out.push({ next, key: canonical(next), cls: classOf(a, args), inside: !spec.constraint || spec.constraint(next) });
      }
    }
  }
  return out;
}

/** Classes enabled in s: a non-stuttering successor, inside the constraint or not. */
function enabledIn(spec: CompiledSpec, s: unknown): Set<string> {
  const key = canonical(s);
  return new Set(fairSuccessors(spec, s).filter((x) => x.cls !== null && x.key !== key).map((x) => x.cls!));
}

interface Node { state: unknown; edges: Array<{ to: string; cls: string | null }>; enabled: Set<string>; init: boolean }

export function explicitGraph(spec: CompiledSpec, limit: number): Map<string, Node> | null {
  const graph = new Map<string, Node>();
  const queue: unknown[] = [];
  const add = (s: unknown, init: boolean): void => {
    const k = canonical(s);
    const old = graph.get(k);
    if (old) { old.init ||= init; return; }
    graph.set(k, { state: s, edges: [], enabled: enabledIn(spec, s), init });
    queue.push(s);
  };
  for (const s of spec.initStates()) if (!spec.constraint || spec.constraint(s)) add(s, true);
  for (let h = 0; h < queue.length; h++) {
    if (graph.size > limit) return null;
    const s = queue[h]!;
    const node = graph.get(canonical(s))!;
    for (const x of fairSuccessors(spec, s)) {
      if (!x.inside || x.key === canonical(s)) continue;
      node.edges.push({ to: x.key, cls: x.cls });
      add(x.next, false);
    }
  }
  return graph;
}

/** Number of states before the loop of the shortest-prefix fair lasso violating l, or null when l holds. */
export function referenceLiveness(spec: CompiledSpec, graph: Map<string, Node>, l: CompiledLiveness): number | null {
  const p = (k: string) => l.p(graph.get(k)!.state);
  const q = (k: string) => l.q!(graph.get(k)!.state);
  const keep = (k: string) => l.form === 'eventually' || l.form === 'alwaysEventually' ? !p(k) : l.form === 'leadsTo' ? !q(k) : true;
  const start = (k: string) => l.form === 'leadsTo' ? p(k) && !q(k) : keep(k);
  const accept = (k: string) => l.form !== 'eventuallyAlways' || !p(k);
  // Distances over (state, phase) by plain BFS.
  const dist = new Map<string, number>();
  const queue: Array<[string, number]> = [];
  const reach = (k: string, ph: number, d: number) => {
    const id = `${ph}|${k}`;
    if (!dist.has(id)) { dist.set(id, d); queue.push([k, ph]); }
  };
  for (const [k, n] of graph) {
    if (!n.init) continue;
    if (l.form !== 'eventually') reach(k, 0, 0);
    if (start(k)) reach(k, 1, 0);
  }
  for (let h = 0; h < queue.length; h++) {
    const [k, ph] = queue[h]!;
    const d = dist.get(`${ph}|${k}`)! + 1;
    for (const e of graph.get(k)!.edges) {
      if (ph === 0) { reach(e.to, 0, d); if (start(e.to)) reach(e.to, 1, d); }
      else if (keep(e.to)) reach(e.to, 1, d);
    }
  }
  const region = [...graph.keys()].filter((k) => dist.has(`1|${k}`));
  let best: number | null = null;
  for (let mask = 1; mask < 1 << region.length; mask++) {
    const S = region.filter((_, i) => mask & (1 << i));
    const inS = new Set(S);
    if (!connected(graph, S, inS) || !S.some(accept)) continue;
    const taken = new Set(S.flatMap((k) => graph.get(k)!.edges.filter((e) => inS.has(e.to) && e.cls !== null).map((e) => e.cls!)));
    const classes = new Set(S.flatMap((k) => [...graph.get(k)!.enabled]));
    const fair = [...classes].every((c) => taken.has(c) || (!strongOf(spec, c) && S.some((k) => !graph.get(k)!.enabled.has(c))));
    if (!fair) continue;
    const d = Math.min(...S.map((k) => dist.get(`1|${k}`)!)) + 1;
    if (best === null || d < best) best = d;
  }
  return best;
}

/** Is S (with the edges inside it) strongly connected? A single state is (by stuttering). */
function connected(graph: Map<string, Node>, S: string[], inS: Set<string>): boolean {
  const from = (k: string, forward: boolean): Set<string> => {
    const seen = new Set([k]);
    const stack = [k];
    while (stack.length) {
      const x = stack.pop()!;
      for (const y of S) {
        const edge = forward ? graph.get(x)!.edges.some((e) => e.to === y) : graph.get(y)!.edges.some((e) => e.to === x);
        if (edge && !seen.has(y) && inS.has(y)) { seen.add(y); stack.push(y); }
      }
    }
    return seen;
  };
  return from(S[0]!, true).size === S.length && from(S[0]!, false).size === S.length;
}

/**
 * Why a lasso is not a fair behaviour violating l, or null when it is one. The trace's steps
 * are real (replay built them); this checks the loop, the property and fairness.
 */
export function lassoProblem(spec: CompiledSpec, trace: Trace, l: CompiledLiveness): string | null {
  const loop = trace.loop;
  if (loop === undefined) return 'no loop';
  const states = trace.steps.map((s) => s.state);
  const stutter = loop === states.length - 1;
  if (!stutter && canonical(states.at(-1)) !== canonical(states[loop])) return 'the last state is not the loop state';
  const cycleStates = stutter ? [states[loop]] : states.slice(loop, -1);
  const all = stutter ? states : states.slice(0, -1);
  const p = (s: unknown) => l.p(s);
  const q = (s: unknown) => l.q!(s);
  switch (l.form) {
    case 'eventually': if (all.some(p)) return 'p holds somewhere'; break;
    case 'alwaysEventually': if (cycleStates.some(p)) return 'p holds on the cycle'; break;
    case 'eventuallyAlways': if (cycleStates.every(p)) return 'p holds all along the cycle'; break;
    case 'leadsTo': {
      const i = all.findIndex((s, j) => p(s) && !q(s) && all.slice(j).every((x) => !q(x)));
      if (i < 0 || cycleStates.some(q)) return 'no p state followed by q never holding';
    }
  }
  const taken = new Set<string>();
  if (!stutter) {
    for (let i = loop + 1; i < trace.steps.length; i++) {
      const step = trace.steps[i]!;
      const a = spec.actions.find((x) => x.name === step.action)!;
      const c = classOf(a, step.args);
      if (c !== null && canonical(states[i - 1]) !== canonical(states[i])) taken.add(c);
    }
  }
  const enabled = cycleStates.map((s) => enabledIn(spec, s));
  for (const c of new Set(enabled.flatMap((e) => [...e]))) {
    if (taken.has(c)) continue;
    if (strongOf(spec, c)) return `strong fairness of ${c}: enabled on the cycle, never taken`;
    if (enabled.every((e) => e.has(c))) return `weak fairness of ${c}: always enabled on the cycle, never taken`;
  }
  return null;
}
