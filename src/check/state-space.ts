// A small state space held whole, with its edges: the graph behind `check --dot` and the
// explorer's view of the states around the current one. Concrete states (no symmetry folding),
// told apart by their canonical bytes; only for models small enough to draw.
import { codecOf, IDENTITY, Reader, Writer } from '../state/codec.js';
import type { CompiledSpec } from '../spec/compile.js';
import { formatAction } from '../report/format.js';
import { expand } from './successors.js';

export interface SpaceNode {
  id: number;
  /** The canonical state (decoded from its bytes, so Sets and Maps are in canonical order). */
  state: unknown;
  /** Distance from the start states (0 for a start state). */
  depth: number;
  /** Successor ordinals from the start state `start` to this one, along a shortest path. */
  start: number;
  ordinals: number[];
  /** Invariants this state breaks. */
  violated: string[];
  /** Outside the state constraint: drawn, but not expanded. */
  outside: boolean;
}

export interface SpaceEdge {
  from: number;
  to: number;
  /** The successor's ordinal at `from` (its replay-path number). */
  ordinal: number;
  label: string;
}

export interface StateSpace {
  nodes: SpaceNode[];
  edges: SpaceEdge[];
  /** False when maxStates or maxDepth left states or edges out. */
  complete: boolean;
}

export interface SpaceOptions {
  /** Where to start (default: the spec's initial states). */
  starts?: readonly unknown[];
  maxStates?: number;
  maxDepth?: number;
}

/** Breadth-first from the start states, keeping every state and every edge between kept states. */
export function stateSpace(spec: CompiledSpec, options: SpaceOptions = {}): StateSpace {
  const codec = codecOf(spec.stateType);
  const w = new Writer();
  const keyOf = (s: unknown): { key: string; bytes: Uint8Array } => {
    w.reset();
    codec.encode(w, s, IDENTITY);
    const bytes = w.take();
    return { key: bytes.join(','), bytes };
  };
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const ids = new Map<string, number>();
  const nodes: SpaceNode[] = [];
  const edges: SpaceEdge[] = [];
  let complete = true;

  /** The id of a state, adding it if there is room; -1 when the graph is full. */
  const intern = (s: unknown, depth: number, start: number, ordinals: number[]): number => {
    const { key, bytes } = keyOf(s);
    const known = ids.get(key);
    if (known !== undefined) return known;
    if (nodes.length >= maxStates) {
      complete = false;
      return -1;
    }
    const state = codec.decode(new Reader(bytes));
    const id = nodes.length;
    ids.set(key, id);
    nodes.push({
      id, state, depth, start, ordinals,
      violated: spec.invariants.filter((inv) => !inv.check(state)).map((inv) => inv.name),
      outside: spec.constraint !== null && !spec.constraint(state),
    });
    return id;
  };

  const starts = options.starts ?? spec.initStates();
  starts.forEach((s, i) => intern(s, 0, i, []));
  for (let at = 0; at < nodes.length; at++) {
    const node = nodes[at]!;
    if (node.outside) continue;
    if (node.depth >= maxDepth) {
      complete = false;
      continue;
    }
    let ordinal = 0;
    expand(spec, node.state, (next, a, args) => {
      const ord = ordinal++;
      const to = intern(next, node.depth + 1, node.start, [...node.ordinals, ord]);
      if (to >= 0) edges.push({ from: node.id, to, ordinal: ord, label: formatAction(a.name, args) });
    });
  }
  return { nodes, edges, complete };
}
