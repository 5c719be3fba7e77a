// What the explorer feeds during a liveness run: an indexed visited set (so an edge to a state
// seen before can name it), one edge per successor of each expanded state, and for each new
// state the truth of the liveness properties' predicates (so no state has to be kept).
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { IndexedFingerprintSet } from '../store/indexed-fingerprint-set.js';
import { EdgeList } from '../store/edge-list.js';
import { formatAction } from '../report/format.js';
import { labelsOf, type Labels } from './labels.js';

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
  readonly fingerprints = new IndexedFingerprintSet(1 << 10);
  readonly edges = new EdgeList();
  readonly labels: Labels;
  /** Initial states (indexes) and their position in the spec's list of initial states. */
  readonly inits: number[] = [];
  readonly initOrdinals: number[] = [];
  private states = 0;
  private readonly preds: Array<{ property: string; fn: (s: unknown) => boolean; bits: Bits }> = [];

  constructor(private readonly spec: CompiledSpec) {
    this.labels = labelsOf(spec, formatAction);
    for (const l of spec.liveness) {
      this.preds.push({ property: l.name, fn: l.p, bits: new Bits() });
      if (l.q) this.preds.push({ property: l.name, fn: l.q, bits: new Bits() });
    }
  }

  /** A new state, with its ordinal (its position among the initial states, for those). */
  added(index: number, s: unknown, ordinal: number): void {
    this.states = index + 1;
    if (this.edges.expanded === 0) {
      this.inits.push(index);
      this.initOrdinals.push(ordinal);
    }
    for (const p of this.preds) {
      let v: boolean;
      try {
        v = p.fn(s);
      } catch (e) {
        throw new SpecError(codes.propertyThrew, `property '${p.property}' threw: ${(e as Error)?.message ?? String(e)}`);
      }
      p.bits.set(index, v);
    }
  }

  /** The explorer starts expanding state `index`. */
  begin(index: number): void {
    this.edges.begin(index);
  }

  /** A successor of the state being expanded: its index, or OUTSIDE the state constraint. */
  add(target: number, action: CompiledAction, args: readonly unknown[]): void {
    this.edges.add(target, this.labels.of(action, args));
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
