// A chunk of encoded states passed between the coordinator and the worker threads of a
// parallel search: records of (parent index, successor ordinal, byte length, state bytes) in a
// plain ArrayBuffer that moves between threads without a copy. The states of a chunk have the
// consecutive indices base, base + 1, ... once the coordinator has numbered them.

export interface StateChunk {
  buffer: ArrayBuffer;
  /** Bytes used. */
  length: number;
  count: number;
  /** Index of the first state (set by the coordinator; -1 before). */
  base: number;
}

const HEADER = 12;

export class ChunkWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private count = 0;

  get states(): number {
    return this.count;
  }

  get bytes(): number {
    return this.pos;
  }

  push(parent: number, ordinal: number, bytes: Uint8Array, len: number): void {
    if (this.pos + HEADER + len > this.buf.length) this.grow(HEADER + len);
    this.view.setUint32(this.pos, parent, true);
    this.view.setUint32(this.pos + 4, ordinal, true);
    this.view.setUint32(this.pos + 8, len, true);
    this.buf.set(bytes.subarray(0, len), this.pos + HEADER);
    this.pos += HEADER + len;
    this.count++;
  }

  /** Hands over what was written (trimmed to size) and starts afresh. */
  take(): StateChunk {
    const chunk = { buffer: this.buf.buffer.slice(0, this.pos), length: this.pos, count: this.count, base: -1 };
    this.pos = 0;
    this.count = 0;
    return chunk;
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

/** Reads the records of a chunk in order; `bytes` views the current state's encoding. */
export class ChunkReader {
  private readonly view: DataView;
  private readonly all: Uint8Array;
  private pos = 0;
  parent = 0;
  ordinal = 0;
  bytes: Uint8Array = new Uint8Array(0);

  constructor(chunk: StateChunk) {
    this.all = new Uint8Array(chunk.buffer, 0, chunk.length);
    this.view = new DataView(chunk.buffer);
  }

  next(): boolean {
    if (this.pos >= this.all.length) return false;
    this.parent = this.view.getUint32(this.pos, true);
    this.ordinal = this.view.getUint32(this.pos + 4, true);
    const len = this.view.getUint32(this.pos + 8, true);
    this.bytes = this.all.subarray(this.pos + HEADER, this.pos + HEADER + len);
    this.pos += HEADER + len;
    return true;
  }
}
