// Soundness check for symmetry reduction: on the first states of a breadth-first search, and for
// each swap of two adjacent ids of each symmetric scalarset (swaps generate every renaming),
// successors must commute with the renaming and every property must keep its value. A spec
// that treats one id specially, or compares ids with `<`, fails here instead of silently
// getting wrong answers.
import { codecOf, IDENTITY, makePerm, Reader, syncInverse, Writer, type Perm } from '../state/codec.js';
import { symmetricScalarsets } from '../state/symmetry.js';
import type { CompiledSpec } from '../spec/compile.js';
import { formatValue } from '../report/format.js';
import { expand } from './successors.js';

export interface SymmetryProblem {
  /** What does not commute with the renaming: `action X`, `property Y`, `constraint`, ... */
  culprit: string;
  renaming: string;
  state: unknown;
  renamed: unknown;
  detail: string;
}

export interface SymmetryCheckResult {
  statesChecked: number;
  renamings: number;
  problem: SymmetryProblem | null;
}

export function checkSymmetry(spec: CompiledSpec, maxStates = 2000): SymmetryCheckResult {
  const codec = codecOf(spec.stateType);
  const w = new Writer();
  const key = (s: unknown, p: Perm = IDENTITY): string => {
    w.reset();
    codec.encode(w, s, p);
    return w.take().join(',');
  };
  const rename = (s: unknown, p: Perm): unknown => {
    w.reset();
    codec.encode(w, s, p);
    return codec.decode(new Reader(w.take()));
  };
  const swaps = symmetricScalarsets(spec.stateType).flatMap((s) =>
    Array.from({ length: s.size - 1 }, (_, i) => {
      const fwd: Int32Array[] = [];
      fwd[s.slot] = Int32Array.from({ length: s.size }, (_, j) => (j === i ? i + 1 : j === i + 1 ? i : j));
      const p = makePerm(fwd);
      syncInverse(p);
      return { p, name: `${s.values[i]} <-> ${s.values[i + 1]}` };
    }),
  );
  const byAction = (s: unknown): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>(spec.actions.map((a) => [a.name, new Set<string>()]));
    expand(spec, s, (next, a) => out.get(a.name)!.add(key(next)));
    return out;
  };
  const seen = new Set<string>();
  const queue: unknown[] = [];
  for (const s of spec.initStates()) if (!seen.has(key(s))) { seen.add(key(s)); queue.push(s); }
  // The initial states must be closed under renaming too, or orbits stand for states that
  // are not reachable.
  for (const s of queue) {
    for (const { p, name } of swaps) {
      if (!seen.has(key(s, p))) {
        return { statesChecked: 0, renamings: swaps.length, problem: { culprit: 'the initial states', detail: 'are not closed under it: the renamed initial state is not an initial state', renaming: name, state: s, renamed: rename(s, p) } };
      }
    }
  }
  let checked = 0;
  for (let qi = 0; qi < queue.length && checked < maxStates; qi++, checked++) {
    const s = queue[qi];
    const succ = byAction(s);
    for (const { p, name } of swaps) {
      const ps = rename(s, p);
      const problem = compare(spec, s, ps, succ, byAction(ps), p, rename, key);
      if (problem) return { statesChecked: checked + 1, renamings: swaps.length, problem: { ...problem, renaming: name, state: s, renamed: ps } };
    }
    for (const set of succ.values()) {
      for (const k of set) {
        if (seen.has(k) || queue.length >= maxStates) continue;
        seen.add(k);
        queue.push(codec.decode(new Reader(Uint8Array.from(k.split(',').map(Number)))));
      }
    }
  }
  return { statesChecked: checked, renamings: swaps.length, problem: null };
}

type Found = Omit<SymmetryProblem, 'renaming' | 'state' | 'renamed'> | null;

function compare(
  spec: CompiledSpec,
  s: unknown,
  ps: unknown,
  succ: Map<string, Set<string>>,
  renamedSucc: Map<string, Set<string>>,
  p: Perm,
  rename: (s: unknown, p: Perm) => unknown,
  key: (s: unknown, p?: Perm) => string,
): Found {
  for (const a of spec.actions) {
    const expected = new Set([...succ.get(a.name)!].map((k) => key(rename(decodeKey(spec, k), p))));
    const got = renamedSucc.get(a.name)!;
    if (expected.size !== got.size || [...expected].some((k) => !got.has(k))) {
      const n = (k: number) => `${k} successor${k === 1 ? '' : 's'}`;
      return { culprit: `action ${a.name}`, detail: `does not commute with it: ${n(succ.get(a.name)!.size)} from the state, ${n(got.size)} from the renamed state, and they are not renamings of each other` };
    }
  }
  const props: Array<[string, (x: unknown) => boolean]> = [
    ...spec.invariants.map((q) => [`property ${q.name}`, q.check] as [string, (x: unknown) => boolean]),
    ...spec.witnesses.map((q) => [`property ${q.name}`, q.check] as [string, (x: unknown) => boolean]),
  ];
  if (spec.constraint) props.push(['the state constraint', spec.constraint]);
  if (spec.terminal) props.push(['the terminal predicate', spec.terminal]);
  for (const [name, f] of props) {
    if (f(s) !== f(ps)) return { culprit: name, detail: `changes under it: ${f(s)} in the state, ${f(ps)} in the renamed state` };
  }
  for (const q of spec.steps) {
    for (const k of [...succ.values()].flatMap((set) => [...set])) {
      const next = decodeKey(spec, k);
      if (q.check(s, next) !== q.check(ps, rename(next, p))) {
        return { culprit: `property ${q.name}`, detail: `changes under it on the step to ${formatValue(next)}` };
      }
    }
  }
  return null;
}

function decodeKey(spec: CompiledSpec, k: string): unknown {
  return codecOf(spec.stateType).decode(new Reader(Uint8Array.from(k.split(',').map(Number))));
}
