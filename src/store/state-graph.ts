// The state graph: for each distinct state, its parent's index and which successor of the
// parent it was (its ordinal in the parent's deterministic expansion). Eight bytes a state;
// a trace is rebuilt by walking parents back and replaying the ordinals forward.

export const NO_PARENT = 0xffffffff;

export class StateGraph {
  private parents = new Uint32Array(1 << 16);
  private ordinals = new Uint32Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.parents.byteLength + this.ordinals.byteLength;
  }

  /** Records a state; `ordinal` is the successor index under `parent`, or the initial-state index. */
  add(parent: number, ordinal: number): number {
    if (this.count === this.parents.length) this.grow();
    this.parents[this.count] = parent;
    this.ordinals[this.count] = ordinal;
    return this.count++;
  }

  parentOf(index: number): number {
    return this.parents[index]!;
  }

  /**
   * The replay path of a state: the initial-state index, then successor ordinals.
   */
  pathTo(index: number): number[] {
    const path: number[] = [];
    for (let i = index; i !== NO_PARENT; i = this.parents[i]!) path.push(this.ordinals[i]!);
    return path.reverse();
  }

  /** Bytes the next doubling allocates (while the old arrays are still held). */
  get growthBytes(): number {
    return this.bytes * 2;
  }

  /** True when fewer than `margin` more states would make the arrays double. */
  growsWithin(margin: number): boolean {
    return this.count + margin > this.parents.length;
  }

  /** The records in use, for a checkpoint; `restore` rebuilds the graph from them. */
  serialize(): { parents: Uint32Array; ordinals: Uint32Array } {
    return { parents: this.parents.subarray(0, this.count), ordinals: this.ordinals.subarray(0, this.count) };
  }

  static restore(parents: Uint32Array, ordinals: Uint32Array): StateGraph {
    if (parents.length !== ordinals.length) throw new Error('state graph arrays differ in length');
    const g = new StateGraph();
    let cap = g.parents.length;
    while (cap < parents.length) cap *= 2;
    g.parents = new Uint32Array(cap);
    g.ordinals = new Uint32Array(cap);
    g.parents.set(parents);
    g.ordinals.set(ordinals);
    g.count = parents.length;
    return g;
  }

  private grow(): void {
    const grow = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.parents = grow(this.parents);
    this.ordinals = grow(this.ordinals);
  }
}
