// What the engine feeds during a liveness run: an index of fingerprints (so an edge to a state
// seen before can name it), one edge per successor of each expanded state, and for each new
// state the truth of the liveness properties' predicates, as the expanders evaluated them (so
// no state has to be kept, and no spec code runs here).
import type { CompiledSpec } from '../spec/compile.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import { EdgeList } from '../store/edge-list.js';
import { formatAction } from '../report/format.js';
import { labelsOf, predicatesOf, type Labels } from './labels.js';

/** One byte per state per predicate, growing by doubling. */
class Bits {
  private a = new Uint8Array(1 << 12);
  set(i: number, v: boolean): void {
    if (i >= this.a.length) {
      const b = new Uint8Array(Math.max(this.a.length * 2, i + 1));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v ? 1 : 0;
  }
  view(n: number): Uint8Array {
    return this.a.subarray(0, n);
  }
  get bytes(): number {
    return this.a.byteLength;
  }
}

export class EdgeRecorder {
  readonly fingerprints = FingerprintSet.create(1 << 10, { indexed: true });
  readonly edges = new EdgeList();
  readonly labels: Labels;
  /** Initial states (indexes) and their position in the spec's list of initial states. */
  readonly inits: number[] = [];
  readonly initOrdinals: number[] = [];
  private states = 0;
  private readonly preds: Array<{ property: string; bits: Bits }>;

  constructor(private readonly spec: CompiledSpec) {
    this.labels = labelsOf(spec, formatAction);
    this.preds = predicatesOf(spec).map((p) => ({ property: p.property, bits: new Bits() }));
  }

  /**
   * A new state: its fingerprint, its position among the initial states (-1 for a successor),
   * and its flag words, in which the predicates' truth starts at bit `firstBit`.
   */
  added(index: number, hi: number, lo: number, initOrdinal: number, flags: Uint32Array, flagsAt: number, firstBit: number): void {
    if (!this.fingerprints.add(hi, lo) || this.fingerprints.lastIndex !== index) throw new Error(`liveness: state ${index} recorded out of order`);
    this.states = index + 1;
    if (initOrdinal >= 0) {
      this.inits.push(index);
      this.initOrdinals.push(initOrdinal);
    }
    for (let k = 0; k < this.preds.length; k++) {
      const bit = firstBit + k;
      this.preds[k]!.bits.set(index, (flags[flagsAt + (bit >>> 5)]! & (1 << (bit & 31))) !== 0);
    }
  }

  /** The explorer starts expanding state `index`. */
  begin(index: number): void {
    this.edges.begin(index);
  }

  /** A successor of the state being expanded: its index, or OUTSIDE the state constraint, and its label. */
  add(target: number, label: number): void {
    this.edges.add(target, label);
  }

  get size(): number {
    return this.states;
  }

  /** The truth of property `name`'s p (which 0) or q (which 1) in every state. */
  truth(name: string, which: 0 | 1): Uint8Array {
    const ps = this.preds.filter((p) => p.property === name);
    return ps[which]!.bits.view(this.states);
  }

  /** Bytes held for liveness beyond a plain safety run. */
  get bytes(): number {
    return this.fingerprints.bytes + this.edges.bytes + this.preds.reduce((a, p) => a + p.bits.bytes, 0);
  }

  get compiled(): CompiledSpec {
    return this.spec;
  }
}
