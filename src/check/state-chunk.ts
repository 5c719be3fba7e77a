// A chunk of encoded states passed between the supervisor and the expanders of the engine: records of (a few uint32 header fields, byte length, state bytes) in a plain
// ArrayBuffer that moves between threads without a copy. A frontier chunk has no header
// fields: its states have the consecutive indices base, base + 1, ...; a chunk of candidates
// (what a thread found) says per state where it came from (see chunk-expander.ts).

export interface StateChunk {
  buffer: ArrayBuffer;
  /** Bytes used. */
  length: number;
  count: number;
  /** Index of the first state of a frontier chunk (-1 for candidates). */
  base: number;
}

export class ChunkWriter {
  /** The header fields of the next record: set them, then push. */
  readonly header: Uint32Array;
  private buf: Uint8Array<ArrayBuffer>;
  private view: DataView;
  private pos = 0;
  private last = 0;
  private count = 0;

  constructor(private readonly fields: number, capacity = 1 << 16) {
    this.header = new Uint32Array(fields);
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  get states(): number {
    return this.count;
  }

  get bytes(): number {
    return this.pos;
  }

  push(bytes: Uint8Array, len: number): void {
    const size = 4 * this.fields + 4 + len;
    if (this.pos + size > this.buf.length) this.grow(size);
    const { view, header } = this;
    let at = this.pos;
    this.last = at;
    for (let i = 0; i < header.length; i++, at += 4) view.setUint32(at, header[i]!, true);
    view.setUint32(at, len, true);
    this.buf.set(bytes.subarray(0, len), at + 4);
    this.pos = at + 4 + len;
    this.count++;
  }

  /** Changes a header field of the record pushed last. */
  setLast(field: number, value: number): void {
    this.view.setUint32(this.last + 4 * field, value, true);
  }

  /** A copy of what was written so far; the writer goes on. */
  peek(base = -1): StateChunk {
    return { buffer: this.buf.buffer.slice(0, this.pos), length: this.pos, count: this.count, base };
  }

  /** Hands over what was written (trimmed to size) and starts afresh. */
  take(base = -1): StateChunk {
    const chunk = { buffer: this.buf.buffer.slice(0, this.pos), length: this.pos, count: this.count, base };
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

/** Reads the records of a chunk in order; `header` and `bytes` describe the current one. */
export class ChunkReader {
  readonly header: Uint32Array;
  bytes: Uint8Array = new Uint8Array(0);
  private readonly view: DataView;
  private readonly all: Uint8Array;
  private pos = 0;

  constructor(chunk: StateChunk, fields = 0) {
    this.header = new Uint32Array(fields);
    this.all = new Uint8Array(chunk.buffer, 0, chunk.length);
    this.view = new DataView(chunk.buffer);
  }

  next(): boolean {
    if (this.pos >= this.all.length) return false;
    const { view, header } = this;
    let at = this.pos;
    for (let i = 0; i < header.length; i++, at += 4) header[i] = view.getUint32(at, true);
    const len = view.getUint32(at, true);
    this.bytes = this.all.subarray(at + 4, at + 4 + len);
    this.pos = at + 4 + len;
    return true;
  }
}
