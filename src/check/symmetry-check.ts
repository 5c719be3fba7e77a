// Soundness check for symmetry reduction, run before a reduced search (on by default): on the
// first states of a breadth-first search inside the state constraint, and for two renamings
// that generate all renamings of each symmetric scalarset, successors must
// commute with the renaming and every property must keep its value. A spec that treats one id
// specially, or compares ids with `<`, fails here instead of silently getting wrong answers.
// Spec code that throws on the search's own states (a successor outside its declared type, a
// guard that throws) is reported as the engine would, with the replay path to the state.
import { codecOf, IDENTITY, makePerm, Reader, syncInverse, Writer, type Perm } from '../state/codec.js';
import { symmetricScalarsets } from '../state/symmetry.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import type { Failure } from '../report/model.js';
import { formatAction, formatValue } from '../report/format.js';
import { describeFailure, type Phase } from './failures.js';
import { codes } from '../spec/errors.js';
import { expand } from './successors.js';

export interface SymmetryProblem {
  /** What does not commute with the renaming: `action X`, `property Y`, `constraint`, ... */
  culprit: string;
  renaming: string;
  state: unknown;
  renamed: unknown;
  detail: string;
  /** Replay path to `state`. */
  path: number[];
}

export interface SymmetryCheckResult {
  statesChecked: number;
  renamings: number;
  problem: SymmetryProblem | null;
  /** Spec code threw on a state of the search: the engine's report of it (path: to the state expanded). */
  failure: Failure | null;
}

/** Successor keys (encodings) of one state and the instances that lead there, per action, in order. */
type Successors = Map<string, Array<{ key: string; args: readonly unknown[]; state: unknown }>>;

interface Swap { p: Perm; name: string }

/**
 * Checks up to `maxStates` states, and stops earlier once `maxSuccessors` successors (of the
 * states and of their renamings) were computed: a budget in work, not time, so the outcome is
 * the same on every machine, and the default check stays a fraction of a second.
 */
export function checkSymmetry(spec: CompiledSpec, maxStates = 2000, maxSuccessors = 10_000): SymmetryCheckResult {
  let work = 0;
  const codec = codecOf(spec.stateType);
  const w = new Writer();
  const key = (s: unknown, p: Perm = IDENTITY): string => {
    w.reset();
    codec.encode(w, s, p);
    return Buffer.from(w.buf.buffer, w.buf.byteOffset, w.pos).toString('latin1');
  };
  const decode = (k: string): unknown => codec.decode(new Reader(Uint8Array.from(Buffer.from(k, 'latin1'))));
  const rename = (s: unknown, p: Perm): unknown => decode(key(s, p));
  // Two renamings generate every renaming of a scalarset: swapping its first two ids, and
  // rotating them all (for three ids or more). Checking these two keeps the default check cheap.
  const swaps: Swap[] = symmetricScalarsets(spec.stateType).flatMap((s) => {
    const perm = (image: (j: number) => number, name: string): Swap => {
      const fwd: Int32Array[] = [];
      fwd[s.slot] = Int32Array.from({ length: s.size }, (_, j) => image(j));
      const p = makePerm(fwd);
      syncInverse(p);
      return { p, name };
    };
    const out = s.size < 2 ? [] : [perm((j) => (j === 0 ? 1 : j === 1 ? 0 : j), `${s.values[0]} <-> ${s.values[1]}`)];
    if (s.size >= 3) out.push(perm((j) => (j + 1) % s.size, `${s.values.join(' -> ')} -> ${s.values[0]}`));
    return out;
  });
  const result = (checked: number, problem: SymmetryProblem | null, failure: Failure | null = null): SymmetryCheckResult =>
    ({ statesChecked: checked, renamings: swaps.length, problem, failure });
  /** Expands s; on the search's own states a throw is the spec's failure (thrown as a Failure). */
  const byAction = (s: unknown, path: number[] | null): Successors => {
    const out: Successors = new Map(spec.actions.map((a) => [a.name, []]));
    let phase: Phase = 'init';
    let action: CompiledAction | null = null;
    let args: readonly unknown[] = [];
    let focus: unknown = s;
    try {
      expand(spec, s, (next, a, as) => {
        [phase, action, args, focus] = ['encode', a, as, next];
        out.get(a.name)!.push({ key: key(next), args: as, state: next });
        work++;
      });
    } catch (e) {
      if (path === null) throw e;
      throw describeFailure(e, { spec, phase, property: '', action, args, state: focus, parentPath: path });
    }
    return out;
  };

  const seen = new Set<string>();
  const queue: Array<{ state: unknown; path: number[] }> = [];
  try {
    spec.initStates().forEach((s, i) => {
      const k = key(s);
      if (!seen.has(k) && (spec.constraint === null || spec.constraint(s))) { seen.add(k); queue.push({ state: decode(k), path: [i] }); }
    });
  } catch {
    return result(0, null); // the engine reports the initial states' problem, with its own words
  }
  // The initial states must be closed under renaming too, or orbits stand for states that
  // are not reachable.
  for (const { state, path } of queue) {
    for (const { p, name } of swaps) {
      if (!seen.has(key(state, p))) {
        return result(0, { culprit: 'the initial states', detail: 'are not closed under it: the renamed initial state is not an initial state', renaming: name, state, renamed: rename(state, p), path });
      }
    }
  }
  let checked = 0;
  for (let qi = 0; qi < queue.length && checked < maxStates && work < maxSuccessors; qi++, checked++) {
    const { state: s, path } = queue[qi]!;
    let succ: Successors;
    try {
      succ = byAction(s, path);
    } catch (e) {
      if (isFailure(e)) return result(checked, null, e);
      throw e;
    }
    for (const { p, name } of swaps) {
      const ps = rename(s, p);
      const problem = compare(spec, s, ps, succ, p, rename, key, decode, (x) => byAction(x, null));
      if (problem) return result(checked + 1, { ...problem, renaming: name, state: s, renamed: ps, path });
    }
    // Successor ordinals follow expand's order, which is the actions' order.
    let ordinal = 0;
    for (const keys of succ.values()) {
      for (const { key: k } of keys) {
        const at = ordinal++;
        if (seen.has(k) || queue.length >= maxStates) continue;
        const next = decode(k);
        if (spec.constraint !== null && !spec.constraint(next)) continue;
        seen.add(k);
        queue.push({ state: next, path: [...path, at] });
      }
    }
  }
  return result(checked, null);
}

function isFailure(e: unknown): e is Failure {
  return typeof e === 'object' && e !== null && 'code' in e && 'path' in e && !(e instanceof Error);
}

type Found = Omit<SymmetryProblem, 'renaming' | 'state' | 'renamed' | 'path'> | null;

function compare(
  spec: CompiledSpec,
  s: unknown,
  ps: unknown,
  succ: Successors,
  p: Perm,
  rename: (s: unknown, p: Perm) => unknown,
  key: (s: unknown, p?: Perm) => string,
  decode: (k: string) => unknown,
  expandRenamed: (s: unknown) => Successors,
): Found {
  let renamedSucc: Successors;
  try {
    renamedSucc = expandRenamed(ps);
  } catch (e) {
    return { culprit: 'an action', detail: `throws on the renamed state but not on the state: ${(e as Error)?.message ?? String(e)}` };
  }
  for (const a of spec.actions) {
    const mine = succ.get(a.name)!;
    const theirs = renamedSucc.get(a.name)!;
    const got = new Set(theirs.map((x) => x.key));
    const renamedKeys = mine.map((x) => key(x.state, p));
    const renamed = new Set(renamedKeys);
    const lost = mine.find((_, i) => !got.has(renamedKeys[i]!));
    const extra = theirs.find((x) => !renamed.has(x.key));
    if (lost !== undefined) {
      return { culprit: `action ${a.name}`, detail: `does not commute with it: from the state, ${formatAction(a.name, lost.args)} leads to ${formatValue(decode(lost.key))}, but from the renamed state no step of ${a.name} leads to its renaming ${formatValue(rename(decode(lost.key), p))}` };
    }
    if (extra !== undefined) {
      return { culprit: `action ${a.name}`, detail: `does not commute with it: from the renamed state, ${formatAction(a.name, extra.args)} leads to ${formatValue(decode(extra.key))}, which is the renaming of no successor of the state` };
    }
  }
  const props: Array<[string, (x: unknown) => boolean]> = [
    ...spec.invariants.map((q) => [`property ${q.name}`, q.check] as [string, (x: unknown) => boolean]),
    ...spec.witnesses.map((q) => [`property ${q.name}`, q.check] as [string, (x: unknown) => boolean]),
    ...spec.liveness.flatMap((l) => [[`property ${l.name}`, l.p], ...(l.q ? [[`property ${l.name}`, l.q]] : [])] as Array<[string, (x: unknown) => boolean]>),
  ];
  if (spec.constraint) props.push(['the state constraint', spec.constraint]);
  if (spec.terminal) props.push(['the terminal predicate', spec.terminal]);
  for (const [name, f] of props) {
    if (f(s) !== f(ps)) return { culprit: name, detail: `changes under it: ${f(s)} in the state, ${f(ps)} in the renamed state` };
  }
  for (const q of spec.steps) {
    for (const { state: next } of [...succ.values()].flat()) {
      if (q.check(s, next) !== q.check(ps, rename(next, p))) {
        return { culprit: `property ${q.name}`, detail: `changes under it on the step to ${formatValue(next)}` };
      }
    }
  }
  return null;
}

/**
 * The check as the engine runs it, on an expander (spec code may never return): null when the
 * spec passed, else a failure (SYN308, or what spec code threw) in plain data.
 */
export function symmetryFailure(spec: CompiledSpec): Failure | null {
  const r = checkSymmetry(spec);
  if (r.failure) return r.failure;
  const p = r.problem;
  if (p === null) return null;
  return {
    code: codes.asymmetric,
    message: `the spec is not symmetric under the renaming ${p.renaming}: ${p.culprit} ${p.detail}\n  state:   ${formatValue(p.state)}\n  renamed: ${formatValue(p.renamed)}`,
    hint: 'give the scalarset { symmetric: false } when its ids really differ (or fix the action or property), or check with --no-symmetry; --no-check-symmetry skips this check',
    ...(p.culprit.startsWith('action ') ? { action: p.culprit.slice('action '.length) } : {}),
    path: p.path,
  };
}
