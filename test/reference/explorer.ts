// A slow, obviously-correct BFS explorer used as an oracle for the engine: own successor
// enumeration, own canonical strings, full traces carried per state, TLC's counting conventions.
import { List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import type { CompiledAction, CompiledSpec } from '../../src/spec/compile.js';

export interface RefOptions {
  /** Report states with no successor that are not terminal (default true). */
  deadlock?: boolean;
  /** Run to completion, keeping the first (shortest) violation of each property. */
  continueAfterViolation?: boolean;
}

export interface RefViolation {
  property: string;
  kind: 'invariant' | 'step' | 'deadlock' | 'sometimes' | 'liveness';
  /** Number of states in the trace; null for a `sometimes` never satisfied. */
  length: number | null;
}

export interface RefResult {
  verdict: 'ok' | 'violation';
  distinct: number;
  generated: number;
  depth: number;
  complete: boolean;
  /** In the order found. */
  violations: RefViolation[];
  /** Trace length of the first state satisfying each `sometimes` (null if none was found). */
  witnesses: Record<string, number | null>;
  /** Per action: instances that gave a successor, and successors, up to where the search stopped. */
  coverage: Record<string, { enabled: number; fired: number }>;
}

// Immutable values never change, so a value's string can be remembered by identity (states
// share their unchanged parts, which makes this a large saving).
const memo = new WeakMap<object, string>();

/** A canonical string for an Immutable value: equal values, equal strings, whatever the order of insertion. */
export function canonical(v: unknown): string {
  if (typeof v !== 'object' || v === null) return serialise(v);
  let text = memo.get(v);
  if (text === undefined) {
    text = serialise(v);
    memo.set(v, text);
  }
  return text;
}

function serialise(v: unknown): string {
  if (IRecord.isRecord(v)) {
    const fields = [...(v as Iterable<[string, unknown]>)].map(([k, x]) => `${k}:${canonical(x)}`);
    return `R(${IRecord.getDescriptiveName(v)}){${fields.join(',')}}`;
  }
  if (IMap.isMap(v)) {
    const entries = [...(v as IMap<unknown, unknown>)].map(([k, x]) => [canonical(k), canonical(x)] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `M{${entries.map(([k, x]) => `${k}=>${x}`).join(',')}}`;
  }
  if (ISet.isSet(v)) return `S{${[...(v as ISet<unknown>)].map(canonical).sort().join(',')}}`;
  if (List.isList(v)) return `L[${[...(v as List<unknown>)].map(canonical).join(',')}]`;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  throw new Error(`reference explorer: cannot serialise ${String(v)}`);
}

/** Every argument tuple of an action in `s`, in order: the cartesian product of its domains. */
function argTuples(a: CompiledAction, s: unknown): unknown[][] {
  if (a.instances) return a.instances.map((args) => [...args]);
  let tuples: unknown[][] = [[]];
  for (const d of a.domains) {
    const next: unknown[][] = [];
    for (const args of tuples) {
      const values = typeof d === 'function' ? [...d(s, ...args)] : d;
      for (const v of values) next.push([...args, v]);
    }
    tuples = next;
  }
  return tuples;
}

/** Every successor of `s` with its action, and whether it is its instance's first. */
function firings(spec: CompiledSpec, s: unknown): Array<{ next: unknown; action: string; first: boolean }> {
  const out: Array<{ next: unknown; action: string; first: boolean }> = [];
  for (const a of spec.actions) {
    for (const args of argTuples(a, s)) {
      if (a.when && !a.when(s, ...args)) continue;
      const r = a.then(s, ...args);
      if (r === null || r === undefined) continue;
      (Array.isArray(r) ? r : [r]).forEach((next, k) => out.push({ next, action: a.name, first: k === 0 }));
    }
  }
  return out;
}

/** Every successor of `s`: each action in order, each argument tuple in order, guard then effect. */
export function successors(spec: CompiledSpec, s: unknown): unknown[] {
  return firings(spec, s).map((f) => f.next);
}

class Stop {}

// The order of work per successor copies the engine's (step properties, constraint, seen?,
// record, invariants, witnesses), so even the counts at the moment a violation stops the search
// are comparable: they are a deterministic function of the spec and the BFS order.
export function referenceCheck(spec: CompiledSpec, options: RefOptions = {}): RefResult {
  const deadlock = options.deadlock ?? true;
  const keepGoing = options.continueAfterViolation ?? false;
  const visited = new Map<string, unknown[]>(); // canonical string -> trace (the states from an initial one)
  const queue: unknown[][] = []; // traces whose last state is still to be expanded
  const violations: RefViolation[] = [];
  const witnesses: Record<string, number | null> = {};
  for (const w of spec.witnesses) witnesses[w.name] = null;
  let generated = 0;
  let depth = 0;
  const coverage = Object.fromEntries(spec.actions.map((a) => [a.name, { enabled: 0, fired: 0 }]));

  const report = (property: string, kind: RefViolation['kind'], length: number): void => {
    if (violations.some((v) => v.property === property)) return;
    violations.push({ property, kind, length });
    if (!keepGoing) throw new Stop();
  };
  const checkInvariants = (s: unknown, length: number): void => {
    for (const inv of spec.invariants) if (!inv.check(s)) report(inv.name, 'invariant', length);
  };
  const visit = (s: unknown, parentTrace: unknown[]): void => {
    generated++;
    const length = parentTrace.length + 1;
    if (spec.constraint && !spec.constraint(s)) {
      checkInvariants(s, length);
      return;
    }
    const key = canonical(s);
    if (visited.has(key)) return;
    const trace = [...parentTrace, s];
    visited.set(key, trace);
    depth = Math.max(depth, length);
    checkInvariants(s, length);
    for (const w of spec.witnesses) {
      if (witnesses[w.name] === null && w.check(s)) witnesses[w.name] = length;
    }
    queue.push(trace);
  };

  let complete = false;
  try {
    for (const s of spec.initStates()) visit(s, []);
    for (let head = 0; head < queue.length; head++) {
      const trace = queue[head]!;
      const s = trace[trace.length - 1];
      const nexts = firings(spec, s);
      for (const { next, action, first } of nexts) {
        coverage[action]!.fired++;
        if (first) coverage[action]!.enabled++;
        for (const step of spec.steps) if (!step.check(s, next)) report(step.name, 'step', trace.length + 1);
        visit(next, trace);
      }
      if (nexts.length === 0 && deadlock && !(spec.terminal && spec.terminal(s))) report('deadlock', 'deadlock', trace.length);
    }
    complete = true;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  if (complete) {
    for (const w of spec.witnesses) if (witnesses[w.name] === null) violations.push({ property: w.name, kind: 'sometimes', length: null });
  }
  return {
    verdict: violations.length > 0 ? 'violation' : 'ok',
    distinct: visited.size,
    generated,
    depth,
    complete,
    violations,
    witnesses,
    coverage,
  };
}
