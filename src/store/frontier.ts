// The BFS frontier: a FIFO of (state index, encoded state) kept as bytes in chunks, so states
// waiting to be expanded hold no Immutable objects. Consumed chunks are dropped.

const CHUNK = 1 << 20;

export class Frontier {
  private chunks: Uint8Array[] = [];
  private views: DataView[] = [];
  /** Bytes written into each chunk (the last one is still growing). */
  private ends: number[] = [];
  private head = 0; // read offset in chunks[0]
  private count = 0;
  private held = 0;
  /** The bytes of the state returned by the last pop (valid until the next pop). */
  popped: Uint8Array = new Uint8Array(0);

  get length(): number {
    return this.count;
  }

  /** Bytes allocated by the queue's chunks. */
  get bytes(): number {
    return this.held;
  }

  push(index: number, buf: Uint8Array, len: number): void {
    const need = 8 + len;
    let last = this.chunks.length - 1;
    if (last < 0 || this.ends[last]! + need > this.chunks[last]!.length) {
      const chunk = new Uint8Array(Math.max(CHUNK, need));
      this.chunks.push(chunk);
      this.views.push(new DataView(chunk.buffer));
      this.ends.push(0);
      this.held += chunk.length;
      last++;
    }
    const at = this.ends[last]!;
    const view = this.views[last]!;
    view.setUint32(at, index, true);
    view.setUint32(at + 4, len, true);
    const chunk = this.chunks[last]!;
    for (let i = 0; i < len; i++) chunk[at + 8 + i] = buf[i]!; // no subarray view per state
    this.ends[last] = at + need;
    this.count++;
  }

  /** The waiting entries in queue order, as byte pieces, for a checkpoint. */
  serialize(): { pieces: Uint8Array[]; count: number } {
    const pieces = this.chunks.map((c, i) => c.subarray(i === 0 ? this.head : 0, this.ends[i]!));
    return { pieces, count: this.count };
  }

  /** Rebuilds a frontier from the concatenated pieces of `serialize`. */
  static restore(bytes: Uint8Array, count: number): Frontier {
    const f = new Frontier();
    if (count === 0) return f;
    const chunk = new Uint8Array(Math.max(CHUNK, bytes.length));
    chunk.set(bytes);
    f.chunks.push(chunk);
    f.views.push(new DataView(chunk.buffer));
    f.ends.push(bytes.length);
    f.held = chunk.length;
    f.count = count;
    return f;
  }

  /** Removes the oldest entry and returns its state index; its bytes are in `popped`. */
  pop(): number {
    if (this.count === 0) throw new Error('pop from an empty frontier');
    while (this.head >= this.ends[0]!) {
      this.held -= this.chunks[0]!.length;
      this.chunks.shift();
      this.views.shift();
      this.ends.shift();
      this.head = 0;
    }
    const view = this.views[0]!;
    const index = view.getUint32(this.head, true);
    const len = view.getUint32(this.head + 4, true);
    this.popped = this.chunks[0]!.subarray(this.head + 8, this.head + 8 + len);
    this.head += 8 + len;
    this.count--;
    return index;
  }
}
