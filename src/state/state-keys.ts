// What tells computed states apart, for every expander: a
// state's own encoding (what the frontier keeps), then its view and, under symmetry, the least
// encoding of its orbit, hashed to a 64-bit fingerprint.
import { codecOf, IDENTITY, Writer, type Codec } from './codec.js';
import type { Fingerprinter } from './fingerprint.js';
import { createCanonicalizer } from './symmetry.js';
import { StateCodec } from './state-codec.js';
import type { CompiledSpec } from '../spec/compile.js';

/** What StateKeys was doing when spec code (a view) or a value outside its type threw. */
export type KeyPhase = 'encode' | 'view' | 'symmetry';

export class StateKeys {
  /** The last encoded state's bytes. */
  readonly own = new Writer();
  /** What the last call was doing and on which value, for the report when it throws. */
  phase: KeyPhase = 'encode';
  focus: unknown;
  readonly canonicalizer;
  private readonly stateCodec: StateCodec;
  private readonly codec: Codec;
  private readonly view: ((s: unknown) => unknown) | null;
  private readonly viewed = new Writer();
  private readonly canonical = new Writer();

  constructor(spec: CompiledSpec, readonly fp: Fingerprinter, symmetry: boolean) {
    this.stateCodec = new StateCodec(spec.stateType);
    this.codec = codecOf(spec.stateType);
    this.view = spec.view;
    this.canonicalizer = symmetry ? createCanonicalizer(spec.stateType) : null;
  }

  /** Decodes a state to expand; the encodings of its successors copy the fields they share. */
  decodeParent(bytes: Uint8Array): unknown {
    return this.stateCodec.decodeParent(bytes);
  }

  clearParent(): void {
    this.stateCodec.clearParent();
  }

  /** Encodes `next` into `own`. */
  encode(next: unknown): void {
    this.phase = 'encode';
    this.focus = next;
    this.own.reset();
    this.stateCodec.encode(this.own, next);
  }

  /** Fingerprints the state `encode` was last given into fp.hi and fp.lo; returns the number of states its orbit stands for. */
  fingerprint(next: unknown): number {
    let key = next;
    let bytes = this.own;
    if (this.view !== null) {
      this.phase = 'view';
      key = this.view(next);
      this.phase = 'encode';
      this.focus = key;
      this.viewed.reset();
      this.codec.encode(this.viewed, key, IDENTITY);
      bytes = this.viewed;
    }
    if (this.canonicalizer === null) {
      this.fp.hash(bytes.buf, bytes.pos);
      return 1;
    }
    this.phase = 'symmetry';
    this.focus = key;
    const orbit = this.canonicalizer.canonicalize(key, bytes.buf, bytes.pos, this.canonical);
    this.fp.hash(this.canonical.buf, this.canonical.pos);
    return orbit;
  }
}
