// The search for a fair lasso that violates a liveness property, on the recorded graph.
//
// Every form reduces to one question: is there a reachable "bad suffix", a fair infinite
// behaviour that stays in the states `keep` from some state in `start` on (and, for <>[]p,
// visits an `accept` state infinitely often)? <>p: keep = start = not p, starting at an
// initial state. p ~> q: keep = not q, start = p and not q. []<>p: keep = start = not p.
// <>[]p: keep = start = every state, accept = not p.
//
// 1. BFS over (state, phase): phase 0 before the bad suffix, phase 1 inside it. It gives the
//    region R of states where a bad suffix can be, and the shortest prefix to each.
// 2. A state of R where no fair action is enabled may stutter for ever: a lasso with an empty
//    cycle (TLA+ behaviours may always stutter; only fairness forbids it).
// 3. Tarjan's SCCs of R, each checked Emerson-Lei style: a weak class enabled in every state
//    of the component and never taken inside it rules the component out; a strong class enabled
//    somewhere and never taken removes the states where it is enabled, and what is left is split
//    into components again. A component left standing holds a fair cycle.
// 4. The lasso enters the fair component (or stuttering state) nearest to an initial state, and
//    its cycle is stitched from shortest paths inside the component through one witness per
//    fairness obligation: shortest prefix, but a cycle that is not guaranteed minimal.
//
// Stuttering steps (a successor equal to its state) neither enable nor take an action, as in
// TLA+'s ENABLED <<A>>_v and <<A>>_v. Successors outside the state constraint are not in the
// graph, but they do make their action enabled: a lasso is a real behaviour inside the
// constraint, fair in the whole system.
import { OUTSIDE, type EdgeList } from '../store/edge-list.js';
import type { Labels } from './labels.js';
import { SccFinder } from './scc.js';

export interface Problem {
  /** States where the bad suffix may stay (1) or not (0). */
  keep: Uint8Array;
  /** States where the bad suffix may begin. */
  start: Uint8Array;
  /** False: the bad suffix must begin at an initial state (for <>p). */
  anyPrefix: boolean;
  /** States the cycle must visit (for <>[]p); null: any cycle. */
  accept: Uint8Array | null;
}

export interface GraphView {
  readonly edges: EdgeList;
  readonly labels: Labels;
  /** Number of states (all expanded). */
  readonly states: number;
  /** State indexes of the initial states. */
  readonly inits: readonly number[];
}

/** A step of a lasso: the edge taken from state `from`. */
export interface Step {
  from: number;
  edge: number;
}

export interface Lasso {
  /** The initial state the lasso starts from. */
  init: number;
  /** Steps from the initial state to the first state of the cycle. */
  prefix: Step[];
  /** Steps of the cycle, back to where it began; empty: stuttering for ever; null: not built (the fair component is given). */
  cycle: Step[] | null;
  /** The fair component the cycle lies in (null: stuttering for ever at the prefix's end). */
  component: number[] | null;
}

/**
 * How the fairness of a strongly connected component is judged, in some space of class ids.
 * On the plain graph a class is a fairness class of labels.ts; on the symmetry-reduced graph
 * (quotient.ts) it is a class followed through the renamings along the component's edges.
 */
export interface ComponentFairness {
  /** Class ids are below this. */
  readonly size: number;
  strong(c: number): boolean;
  /** Starts judging component `comp`; `inside(w)`: w is in it. */
  enter(comp: readonly number[], inside: (w: number) => boolean): void;
  /** Each class enabled at v, once; `full`: every instance it stands for is enabled there (what a weak class needs). */
  enabled(v: number, visit: (c: number, full: boolean) => void): void;
  /** Each class taken by an edge of v that stays inside the component. */
  taken(v: number, visit: (c: number) => void): void;
}

/** Fairness on the graph as recorded: a class is enabled where one of its edges leaves a state. */
export function plainFairness(g: GraphView): ComponentFairness {
  const { edges, labels } = g;
  const classOf = labels.classOf;
  const stamp = new Int32Array(labels.strong.length).fill(-1);
  let stampId = 0;
  let inside: (w: number) => boolean = () => false;
  return {
    size: labels.strong.length,
    strong: (c) => labels.strong[c]!,
    enter: (_comp, f) => { inside = f; },
    enabled(v, visit) {
      const id = stampId++;
      for (let e = edges.start(v); e < edges.end(v); e++) {
        if (edges.stutter(e)) continue;
        const c = classOf[edges.label(e)]!;
        if (c < 0 || stamp[c] === id) continue;
        stamp[c] = id;
        visit(c, true);
      }
    },
    taken(v, visit) {
      for (let e = edges.start(v); e < edges.end(v); e++) {
        const c = classOf[edges.label(e)]!;
        if (c >= 0 && !edges.stutter(e) && inside(edges.target(e))) visit(c);
      }
    },
  };
}

/**
 * The lasso nearest to an initial state. `fairness` judges components (default: the plain
 * graph's classes); without `buildCycle` the cycle is left to the caller (null), who gets the
 * fair component instead.
 */
export function findLasso(g: GraphView, problem: Problem, fairness: ComponentFairness = plainFairness(g), buildCycle = true): Lasso | null {
  const { edges, labels, states: n } = g;
  const { keep, start, anyPrefix, accept } = problem;
  const classOf = labels.classOf;
  const K = fairness.size;

  // 1. Shortest paths over (state, phase); node = 2 * state + phase.
  const dist = new Int32Array(2 * n).fill(-1);
  const parentNode = new Int32Array(2 * n).fill(-1);
  const parentEdge = new Int32Array(2 * n).fill(-1);
  const queue = new Int32Array(2 * n);
  let qt = 0;
  const reach = (node: number, from: number, edge: number, d: number): void => {
    if (dist[node] !== -1) return;
    dist[node] = d;
    parentNode[node] = from;
    parentEdge[node] = edge;
    queue[qt++] = node;
  };
  for (const v of g.inits) {
    if (anyPrefix) reach(2 * v, -1, -1, 0);
    if (start[v]) reach(2 * v + 1, -1, -1, 0);
  }
  for (let qh = 0; qh < qt; qh++) {
    const x = queue[qh]!;
    const u = x >> 1;
    const phase = x & 1;
    const d = dist[x]! + 1;
    for (let e = edges.start(u); e < edges.end(u); e++) {
      const v = edges.target(e);
      if (v === OUTSIDE || v === u) continue;
      if (phase === 0) {
        reach(2 * v, x, e, d);
        if (start[v]) reach(2 * v + 1, x, e, d);
      } else if (keep[v]) reach(2 * v + 1, x, e, d);
    }
  }
  const region: number[] = [];
  for (let v = 0; v < n; v++) if (dist[2 * v + 1]! >= 0) region.push(v);
  const d1 = (v: number): number => dist[2 * v + 1]!;

  /** Whether a fair action is enabled at v (a non-stuttering successor with a fairness class). */
  const fairEnabled = (v: number): boolean => {
    for (let e = edges.start(v); e < edges.end(v); e++) if (!edges.stutter(e) && classOf[edges.label(e)]! >= 0) return true;
    return false;
  };
  /** A one-state component holds a cycle only through a real step back to it (reduced graph). */
  const loops = (v: number): boolean => {
    for (let e = edges.start(v); e < edges.end(v); e++) if (edges.target(e) === v && !edges.stutter(e)) return true;
    return false;
  };

  // 2. Stuttering for ever where no fair action is enabled.
  let best: { entry: number; component: number[] | null } | null = null;
  for (const v of region) {
    if (accept !== null && !accept[v]) continue;
    if (best !== null && d1(v) >= d1(best.entry)) continue;
    if (!fairEnabled(v)) best = { entry: v, component: null };
  }

  // 3. Fair components (Emerson-Lei).
  const mark = new Int32Array(n);
  let nextMark = 1;
  for (const v of region) mark[v] = nextMark;
  const scc = new SccFinder(edges, n);
  const work: number[][] = [];
  scc.run(region, mark, nextMark++, (c) => { if (c.length > 1 || loops(c[0]!)) work.push(c); });
  const enabledCount = new Int32Array(K);
  const fullCount = new Int32Array(K);
  const taken = new Uint8Array(K);
  const seenClass = new Uint8Array(K);
  const touched: number[] = [];
  while (work.length > 0) {
    const comp = work.pop()!;
    const m = nextMark++;
    for (const v of comp) mark[v] = m;
    let entry = comp[0]!;
    for (const v of comp) if (d1(v) < d1(entry)) entry = v;
    if (best !== null && d1(entry) >= d1(best.entry)) continue; // cannot give a shorter prefix
    for (const c of touched) { enabledCount[c] = 0; fullCount[c] = 0; taken[c] = 0; seenClass[c] = 0; }
    touched.length = 0;
    const touch = (c: number): void => { if (!seenClass[c]) { seenClass[c] = 1; touched.push(c); } };
    fairness.enter(comp, (w) => w !== OUTSIDE && mark[w] === m);
    for (const v of comp) {
      fairness.enabled(v, (c, full) => { touch(c); enabledCount[c]++; if (full) fullCount[c]++; });
      fairness.taken(v, (c) => { touch(c); taken[c] = 1; });
    }
    let weakFails = false;
    const strongBad: number[] = [];
    for (const c of touched) {
      if (taken[c] || enabledCount[c] === 0) continue;
      if (!fairness.strong(c)) { if (fullCount[c] === comp.length) weakFails = true; }
      else strongBad.push(c);
    }
    if (weakFails) continue;
    if (accept !== null && !comp.some((v) => accept[v])) continue;
    if (strongBad.length > 0) {
      const bad = new Uint8Array(K);
      for (const c of strongBad) bad[c] = 1;
      const rest = comp.filter((v) => {
        let ok = true;
        fairness.enabled(v, (c) => { if (bad[c]) ok = false; });
        return ok;
      });
      const m2 = nextMark++;
      for (const v of rest) mark[v] = m2;
      scc.run(rest, mark, m2, (c) => { if (c.length > 1 || loops(c[0]!)) work.push(c); });
      continue;
    }
    best = { entry, component: comp };
  }
  if (best === null) return null;

  // 4. The lasso.
  const prefix: Step[] = [];
  let node = 2 * best.entry + 1;
  while (parentNode[node]! !== -1) {
    const from = parentNode[node]!;
    prefix.push({ from: from >> 1, edge: parentEdge[node]! });
    node = from;
  }
  prefix.reverse();
  const init = node >> 1;
  const cycle = best.component === null ? [] : buildCycle ? cycleThrough(g, best.component, best.entry, accept) : null;
  return { init, prefix, cycle, component: best.component };
}

/**
 * A cycle from `entry` inside a fair component that discharges every fairness obligation:
 * for each class enabled somewhere in it, take one of its edges (or, for a weak class that is
 * not taken, visit a state where it is disabled); for <>[]p, visit an accept state.
 */
function cycleThrough(g: GraphView, comp: readonly number[], entry: number, accept: Uint8Array | null): Step[] {
  const { edges, labels, states: n } = g;
  const classOf = labels.classOf;
  const K = labels.strong.length;
  const inComp = new Uint8Array(n);
  for (const v of comp) inComp[v] = 1;
  const inside = (w: number, v: number): boolean => w !== OUTSIDE && w !== v && inComp[w] === 1;

  // Obligations: classes enabled somewhere in the component; done once one is discharged.
  const pending = new Uint8Array(K);
  const takenHere = new Uint8Array(K);
  let open = 0;
  for (const v of comp) {
    for (let e = edges.start(v); e < edges.end(v); e++) {
      const c = classOf[edges.label(e)]!;
      if (c < 0 || edges.target(e) === v) continue;
      if (!pending[c]) { pending[c] = 1; open++; }
      if (inside(edges.target(e), v)) takenHere[c] = 1;
    }
  }
  let needAccept = accept !== null;
  const seenClass = new Int32Array(K).fill(-1);
  const visitState = (v: number): void => {
    if (needAccept && accept![v]) needAccept = false;
    // A weak class not taken inside the component is discharged where it is disabled.
    for (let e = edges.start(v); e < edges.end(v); e++) {
      const c = classOf[edges.label(e)]!;
      if (c >= 0 && edges.target(e) !== v) seenClass[c] = v;
    }
    for (let c = 0; c < K; c++) {
      if (pending[c] && !takenHere[c] && !labels.strong[c] && seenClass[c] !== v) { pending[c] = 0; open--; }
    }
  };
  const takeEdge = (e: number): void => {
    const c = classOf[edges.label(e)]!;
    if (c >= 0 && pending[c]) { pending[c] = 0; open--; }
  };
  /** Does v discharge a state obligation, or have an edge that discharges a class? */
  const goalEdge = (v: number): number => {
    for (let e = edges.start(v); e < edges.end(v); e++) {
      const c = classOf[edges.label(e)]!;
      if (c >= 0 && pending[c] && takenHere[c] && inside(edges.target(e), v)) return e;
    }
    return -1;
  };
  const dischargesHere = (v: number): boolean => {
    if (needAccept && accept![v]) return true;
    const enabled = new Set<number>();
    for (let e = edges.start(v); e < edges.end(v); e++) {
      const c = classOf[edges.label(e)]!;
      if (c >= 0 && edges.target(e) !== v) enabled.add(c);
    }
    for (let c = 0; c < K; c++) if (pending[c] && !takenHere[c] && !labels.strong[c] && !enabled.has(c)) return true;
    return false;
  };

  const cycle: Step[] = [];
  const prev = new Int32Array(n);
  const prevEdge = new Int32Array(n);
  /** Shortest path inside the component from `from` to the first state satisfying `goal`. */
  const walk = (from: number, goal: (v: number) => boolean): number => {
    prev.fill(-2);
    prev[from] = -1;
    const q = [from];
    for (let h = 0; h < q.length; h++) {
      const v = q[h]!;
      if (h > 0 && goal(v)) {
        const path: Step[] = [];
        for (let x = v; prev[x]! !== -1; x = prev[x]!) path.push({ from: prev[x]!, edge: prevEdge[x]! });
        path.reverse();
        for (const s of path) {
          cycle.push(s);
          takeEdge(s.edge);
          visitState(edges.target(s.edge));
        }
        return v;
      }
      for (let e = edges.start(v); e < edges.end(v); e++) {
        const w = edges.target(e);
        if (!inside(w, v) || prev[w] !== -2) continue;
        prev[w] = v;
        prevEdge[w] = e;
        q.push(w);
      }
    }
    throw new Error('liveness: a fair component is not strongly connected');
  };
  let at = entry;
  visitState(entry);
  while (open > 0 || needAccept) {
    const e = goalEdge(at);
    if (e >= 0) {
      cycle.push({ from: at, edge: e });
      takeEdge(e);
      at = edges.target(e);
      visitState(at);
      continue;
    }
    at = walk(at, (v) => goalEdge(v) >= 0 || dischargesHere(v));
  }
  // Nothing to discharge: stuttering at the entry is fair (the caller prefers it anyway).
  if (at !== entry) walk(at, (v) => v === entry);
  return cycle;
}
