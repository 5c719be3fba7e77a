// Shrinking a counterexample found by simulation: delta debugging over its action sequence
// (drop steps, replay by action and arguments, keep the shortest run that still breaks the same
// property), then a bounded breadth-first search for anything shorter still.
import type { CompiledSpec } from '../spec/compile.js';
import { formatAction } from '../report/format.js';
import { check } from './check.js';
import { canonicalize } from './replay.js';
import { expand } from './successors.js';
import type { SimulationFinding } from './simulate.js';

/** A step named by what it does (not by its ordinal, which depends on the state). */
interface Move {
  label: string;
  /** Which of the instance's successors (for effects that return several). */
  k: number;
}

function movesOf(spec: CompiledSpec, path: number[]): Move[] {
  const moves: Move[] = [];
  let s = canonicalize(spec, spec.initStates()[path[0]!]);
  for (const ord of path.slice(1)) {
    let n = 0;
    let move: Move | null = null;
    let next: unknown;
    expand(spec, s, (x, a, args, k) => {
      if (n++ === ord) { move = { label: formatAction(a.name, args), k }; next = x; }
    });
    moves.push(move!);
    s = canonicalize(spec, next);
  }
  return moves;
}

/**
 * Replays moves from initial state `init`; returns the replay path up to where the property
 * is first broken, or null if a move is not enabled or the property is never broken.
 */
function violatingPath(spec: CompiledSpec, init: number, moves: Move[], f: SimulationFinding, deadlock: boolean): number[] | null {
  let s = canonicalize(spec, spec.initStates()[init]);
  const path = [init];
  const broken = (state: unknown, prev: unknown | null): boolean => {
    if (f.kind === 'invariant') return !spec.invariants.find((q) => q.name === f.property)!.check(state);
    if (f.kind === 'step') return prev !== null && !spec.steps.find((q) => q.name === f.property)!.check(prev, state);
    if (f.kind === 'deadlock') {
      let any = false;
      expand(spec, state, () => { any = true; });
      return deadlock && !any && (spec.terminal === null || !spec.terminal(state));
    }
    return false;
  };
  if (broken(s, null)) return path;
  for (const m of moves) {
    let n = 0;
    let found: { next: unknown; ord: number } | null = null;
    expand(spec, s, (x, a, args, k) => {
      const ord = n++;
      if (found === null && k === m.k && formatAction(a.name, args) === m.label) found = { next: x, ord };
    });
    if (found === null) return null;
    const { next, ord } = found as { next: unknown; ord: number };
    path.push(ord);
    const prev = s;
    s = canonicalize(spec, next);
    if (broken(s, prev)) return path;
  }
  return null;
}

/** ddmin over the moves: remove chunks while the property stays broken. */
function deltaDebug(spec: CompiledSpec, f: SimulationFinding, deadlock: boolean): number[] {
  const init = f.path[0]!;
  let moves = movesOf(spec, f.path);
  let best = f.path;
  let chunks = 2;
  while (moves.length >= 1) {
    const size = Math.ceil(moves.length / chunks);
    let reduced = false;
    for (let i = 0; i < moves.length; i += size) {
      const candidate = [...moves.slice(0, i), ...moves.slice(i + size)];
      const path = violatingPath(spec, init, candidate, f, deadlock);
      if (path !== null) {
        best = path;
        moves = movesOf(spec, path);
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size === 1) break;
      chunks = Math.min(chunks * 2, moves.length);
    }
  }
  return best;
}

export interface Shrunk {
  /** Replay path of the shortest run found that breaks the property. */
  path: number[];
  originalLength: number;
  /** How the final trace was found. */
  by: 'delta debugging' | 'breadth-first search';
}

/** Shrinks a violating walk; the BFS pass explores at most `bfsStates` states. */
export async function shrink(spec: CompiledSpec, f: SimulationFinding, options: { deadlock: boolean; bfsStates?: number }): Promise<Shrunk> {
  const dd = f.kind === 'sometimes' ? f.path : deltaDebug(spec, f, options.deadlock);
  const result: Shrunk = { path: dd, originalLength: f.path.length, by: 'delta debugging' };
  if (dd.length <= 1) return result;
  // Anything shorter is within depth dd.length - 1 of an initial state: look there, boundedly.
  const bfs = await check(spec, { maxDepth: dd.length - 1, maxStates: options.bfsStates ?? 200_000, continueAfterViolation: true, deadlock: options.deadlock });
  const shorter = bfs.violations.find((v) => v.property === f.property && v.trace && v.trace.steps.length < dd.length);
  if (shorter?.trace) {
    result.path = shorter.trace.path.split('/').map(Number);
    result.by = 'breadth-first search';
  }
  return result;
}
