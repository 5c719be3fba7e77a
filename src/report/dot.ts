// The state graph of a small model as Graphviz DOT (`synod check --dot F`): one box per state
// listing its fields, an edge per action instance; initial states doubled, states that break an
// invariant filled red, states outside the constraint dashed.
import { describeState } from './diff.js';

export interface DotNode {
  id: number;
  state: unknown;
  initial: boolean;
  violated: readonly string[];
  outside: boolean;
}

export interface DotEdge {
  from: number;
  to: number;
  label: string;
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function formatDot(name: string, nodes: readonly DotNode[], edges: readonly DotEdge[]): string {
  const out = [`digraph ${quote(name)} {`, '  node [shape=box, fontname="monospace", fontsize=10];', '  edge [fontname="monospace", fontsize=9];'];
  for (const n of nodes) {
    const lines = describeState(n.state);
    if (n.violated.length) lines.push(`violates: ${n.violated.join(', ')}`);
    // \l ends a left-justified line in a Graphviz label.
    const label = `${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\l')}\\l`;
    const attrs = [`label="${label}"`];
    if (n.initial) attrs.push('peripheries=2');
    if (n.violated.length) attrs.push('style=filled', 'fillcolor="#f4b6b6"');
    if (n.outside) attrs.push('style=dashed');
    out.push(`  s${n.id} [${attrs.join(', ')}];`);
  }
  for (const e of edges) out.push(`  s${e.from} -> s${e.to} [label=${quote(e.label)}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
