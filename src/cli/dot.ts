// `synod check --dot F`: the whole state graph of a small model, for Graphviz. Refuses models
// above DOT_LIMIT states, where a drawing would be unreadable and the graph slow to hold whole.
import { stateSpace } from '../check/state-space.js';
import type { CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { formatDot } from '../report/dot.js';
import { writeAtomic } from './io.js';

export const DOT_LIMIT = 1000;

/** Writes the state graph to `file`; returns the number of states drawn. */
export function writeDot(spec: CompiledSpec, file: string): number {
  const space = stateSpace(spec, { maxStates: DOT_LIMIT });
  if (!space.complete) {
    throw new SpecError(codes.badOption,
      `--dot draws models of at most ${DOT_LIMIT.toLocaleString('en-US')} states; ${spec.name}${spec.variant ? ` --variant ${spec.variant}` : ''} has more, so ${file} was not written`,
      'shrink the model with --param (fewer nodes, a lower bound), or explore it with `synod explore`');
  }
  const title = spec.variant ? `${spec.name} --variant ${spec.variant}` : spec.name;
  const nodes = space.nodes.map((n) => ({ id: n.id, state: n.state, initial: n.depth === 0, violated: n.violated, outside: n.outside }));
  writeAtomic(file, formatDot(title, nodes, space.edges), '--dot');
  return nodes.length;
}
