// Strongly connected components of a subgraph of the edge list, by Tarjan's algorithm made
// iterative (graphs of millions of states would overflow the call stack). The subgraph is the
// states v with mark[v] === m; self-loops and edges leaving the subgraph are ignored.
import { OUTSIDE, type EdgeList } from '../store/edge-list.js';

export class SccFinder {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly callV: Int32Array;
  private readonly callE: Int32Array;

  constructor(private readonly edges: EdgeList, n: number) {
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callV = new Int32Array(n);
    this.callE = new Int32Array(n);
  }

  /** Calls onScc with the members of each component of the marked subgraph, reached from `roots`. */
  run(roots: readonly number[], mark: Int32Array, m: number, onScc: (members: number[]) => void): void {
    const { edges, index, low, onStack, stack, callV, callE } = this;
    for (const r of roots) index[r] = -1;
    let counter = 0;
    let sp = 0;
    for (const root of roots) {
      if (index[root] !== -1) continue;
      let depth = 0;
      callV[0] = root;
      callE[0] = edges.start(root);
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      while (depth >= 0) {
        const v = callV[depth]!;
        const e = callE[depth]!;
        if (e < edges.end(v)) {
          callE[depth] = e + 1;
          const w = edges.target(e);
          if (w === OUTSIDE || w === v || mark[w] !== m) continue;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = 1;
            depth++;
            callV[depth] = w;
            callE[depth] = edges.start(w);
          } else if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
          continue;
        }
        // v is finished: pop its component if it is a root, then return to the caller.
        if (low[v] === index[v]) {
          const members: number[] = [];
          let w: number;
          do {
            w = stack[--sp]!;
            onStack[w] = 0;
            members.push(w);
          } while (w !== v);
          onScc(members);
        }
        depth--;
        if (depth >= 0) {
          const u = callV[depth]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
    // Leave index[] clean for the next run over (some of) these states.
    for (const r of roots) index[r] = -1;
  }
}
