// The state graph's edges, for liveness checking: compressed sparse rows over typed arrays.
// States are expanded in index order, so the successors of state i are the edges
// start[i] .. start[i+1]-1, and an edge's position in that run is its successor ordinal (what
// replay paths hold). Per edge: the target's index (OUTSIDE when the successor fell outside the
// state constraint) and a label (which action instance produced it, and whether it stutters:
// on the symmetry-reduced graph an edge back to its own orbit may be a real step). Eight bytes an edge and
// four a state; no JS object per edge.

/** The target of a successor outside the state constraint: enabled, but not in the graph. */
export const OUTSIDE = 0xffffffff;

export class EdgeList {
  private targets = new Uint32Array(1 << 10);
  private labels = new Uint32Array(1 << 10);
  private starts = new Uint32Array(1 << 10);
  private count = 0;
  private states = 0;

  /** Number of edges. */
  get size(): number {
    return this.count;
  }

  /** Number of states whose edges were recorded (expanded states). */
  get expanded(): number {
    return this.states;
  }

  get bytes(): number {
    return this.targets.byteLength + this.labels.byteLength + this.starts.byteLength;
  }

  /** Starts the edges of state `index`; states come in index order, each once. */
  begin(index: number): void {
    if (index !== this.states) throw new Error(`edge list: expanded state ${index}, expected ${this.states}`);
    if (this.states + 2 > this.starts.length) this.starts = grow(this.starts);
    this.starts[this.states++] = this.count;
    this.starts[this.states] = this.count;
  }

  add(target: number, label: number): void {
    if (this.count === this.targets.length) {
      this.targets = grow(this.targets);
      this.labels = grow(this.labels);
    }
    this.targets[this.count] = target;
    this.labels[this.count++] = label;
    this.starts[this.states] = this.count;
  }

  /** First edge of state i (for i < expanded). */
  start(i: number): number {
    return this.starts[i]!;
  }

  /** One past the last edge of state i. */
  end(i: number): number {
    return this.starts[i + 1]!;
  }

  target(e: number): number {
    return this.targets[e]!;
  }

  /** The edge's label (an action instance; see liveness/labels.ts). */
  label(e: number): number {
    return this.labels[e]! & ~STUTTER_BIT;
  }

  /** The records in use, for a checkpoint; `restore` rebuilds the list from them. */
  serialize(): { targets: Uint32Array; labels: Uint32Array; starts: Uint32Array } {
    return { targets: this.targets.subarray(0, this.count), labels: this.labels.subarray(0, this.count), starts: this.starts.subarray(0, this.states + 1) };
  }

  static restore(targets: Uint32Array, labels: Uint32Array, starts: Uint32Array): EdgeList {
    if (targets.length !== labels.length || starts.length === 0 || starts[starts.length - 1] !== targets.length) throw new Error('edge list arrays do not agree');
    const list = new EdgeList();
    list.targets = roomFor(targets, targets.length);
    list.labels = roomFor(labels, labels.length);
    list.starts = roomFor(starts, starts.length + 1);
    list.count = targets.length;
    list.states = starts.length - 1;
    return list;
  }

  /** Whether the edge is a stuttering step: its successor is its state itself. */
  stutter(e: number): boolean {
    return (this.labels[e]! & STUTTER_BIT) !== 0;
  }
}

/** In a label word given to add(): the successor is the state itself. */
export const STUTTER_BIT = 0x80000000;

/** A copy of `a` in an array of a power-of-two length above `n`. */
function roomFor(a: Uint32Array, n: number): Uint32Array<ArrayBuffer> {
  let cap = 1 << 10;
  while (cap <= n) cap *= 2;
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}

function grow(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
