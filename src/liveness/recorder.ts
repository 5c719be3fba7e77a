// What the engine feeds during a liveness run: an index of fingerprints (so an edge to a state
// seen before can name it), one edge per successor of each expanded state, and for each new
// state the truth of the liveness properties' predicates, as the expanders evaluated them (so
// no state has to be kept, and no spec code runs here).
import type { CompiledSpec } from '../spec/compile.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import { EdgeList } from '../store/edge-list.js';
import { formatAction } from '../report/format.js';
import { labelsOf, predicatesOf, type Labels } from './labels.js';
import { RenamingTable, unpackRenaming, type RenamingShape } from './renaming.js';

/** Int32 per index, growing by doubling. */
class Ints {
  constructor(public a = new Int32Array(1 << 10)) {}
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Int32Array(Math.max(this.a.length * 2, i + 1));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
  get bytes(): number {
    return this.a.byteLength;
  }
}

/** One byte per state per predicate, growing by doubling. */
class Bits {
  constructor(private a = new Uint8Array(1 << 12)) {}
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

/** A recorder in a checkpoint: its counts (JSON) and its arrays as byte sections, in the order saved() lists them. */
export interface SavedRecorder {
  meta: { states: number; predicates: number; reduced: boolean; renamings: number };
  sections: Uint8Array[];
}

const bytesOf = (a: Uint32Array | Int32Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const words = (b: Uint8Array): Uint32Array => new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
/** A copy with room to grow (at least 1,024 entries). */
function grownCopy<T extends Int32Array | Uint8Array>(make: (n: number) => T, from: ArrayLike<number>): T {
  const a = make(Math.max(1 << 10, from.length * 2));
  a.set(from);
  return a;
}

export class EdgeRecorder {
  readonly fingerprints = FingerprintSet.create(1 << 10, { indexed: true });
  edges = new EdgeList();
  readonly labels: Labels;
  /** Initial states (indexes) and their position in the spec's list of initial states. */
  readonly inits: number[] = [];
  readonly initOrdinals: number[] = [];
  private states = 0;
  private preds: Array<{ property: string; bits: Bits }>;
  /**
   * On the symmetry-reduced graph (shape not null): per state, the renaming that maps it to its
   * orbit's canonical form; per edge, the successor's. An edge from u to v with renamings ru
   * and rt then leads to rt^-1 . rv applied to v's state (liveness/quotient.ts).
   */
  readonly renamings = new RenamingTable();
  private statePerm = new Ints();
  private edgePerm = new Ints();

  constructor(private readonly spec: CompiledSpec, readonly shape: RenamingShape | null = null) {
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

  /** A successor of the state being expanded: its index, or OUTSIDE the state constraint, and its label (| STUTTER_BIT). */
  add(target: number, label: number): void {
    this.edges.add(target, label);
  }

  /** Under symmetry: the renaming of the state being expanded, packed in `words` from `at`. */
  stateRenaming(index: number, words: Uint32Array, at: number): void {
    this.statePerm.set(index, this.renamings.intern(unpackRenaming(this.shape!, words, at)));
  }

  /** Under symmetry: the renaming of the last edge's successor. */
  edgeRenaming(words: Uint32Array, at: number): void {
    this.edgePerm.set(this.edges.size - 1, this.renamings.intern(unpackRenaming(this.shape!, words, at)));
  }

  /** The renaming that maps state i to its canonical form. */
  renamingOf(i: number): Uint8Array {
    return this.renamings.all[this.statePerm.a[i]!]!;
  }

  /** The renaming that maps edge e's successor to its canonical form. */
  renamingOfEdge(e: number): Uint8Array {
    return this.renamings.all[this.edgePerm.a[e]!]!;
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
    const sym = this.shape === null ? 0 : this.statePerm.bytes + this.edgePerm.bytes + this.renamings.bytes;
    return this.fingerprints.bytes + this.edges.bytes + this.preds.reduce((a, p) => a + p.bits.bytes, 0) + sym;
  }

  /** What a checkpoint keeps of the graph recorded so far (views of the recorder's arrays: write them before it goes on). */
  saved(): SavedRecorder {
    const e = this.edges.serialize();
    const sections = [this.fingerprints.inOrder(), e.targets, e.labels, e.starts, Uint32Array.from(this.inits), Uint32Array.from(this.initOrdinals)].map(bytesOf);
    for (const p of this.preds) sections.push(p.bits.view(this.states));
    if (this.shape !== null) {
      const all = new Uint8Array(this.renamings.all.length * this.shape.ids);
      this.renamings.all.forEach((r, i) => all.set(r, i * this.shape!.ids));
      sections.push(all, bytesOf(this.statePerm.a.subarray(0, this.edges.expanded)), bytesOf(this.edgePerm.a.subarray(0, this.edges.size)));
    }
    return { meta: { states: this.states, predicates: this.preds.length, reduced: this.shape !== null, renamings: this.renamings.all.length }, sections };
  }

  /** A recorder that goes on from a checkpoint's; null when that one recorded another kind of graph. */
  static restore(spec: CompiledSpec, shape: RenamingShape | null, saved: SavedRecorder): EdgeRecorder | null {
    const r = new EdgeRecorder(spec, shape);
    const { meta, sections } = saved;
    if (meta.reduced !== (shape !== null) || meta.predicates !== r.preds.length || sections.length !== 6 + meta.predicates + (shape ? 3 : 0)) return null;
    const [fps, targets, labels, starts, inits, initOrdinals] = sections.slice(0, 6).map(words) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    for (let i = 0; i < meta.states; i++) r.fingerprints.add(fps[2 * i]!, fps[2 * i + 1]!);
    r.states = meta.states;
    r.edges = EdgeList.restore(targets, labels, starts);
    inits.forEach((v, i) => { r.inits.push(v); r.initOrdinals.push(initOrdinals[i]!); });
    r.preds = r.preds.map((p, k) => ({ property: p.property, bits: new Bits(grownCopy((n) => new Uint8Array(n), sections[6 + k]!)) }));
    if (shape !== null) {
      const [all, statePerm, edgePerm] = sections.slice(6 + meta.predicates);
      for (let i = 0; i < meta.renamings; i++) r.renamings.intern(all!.slice(i * shape.ids, (i + 1) * shape.ids));
      const ints = (b: Uint8Array): Ints => new Ints(grownCopy((n) => new Int32Array(n), new Int32Array(b.buffer, b.byteOffset, b.byteLength >>> 2)));
      r.statePerm = ints(statePerm!);
      r.edgePerm = ints(edgePerm!);
    }
    return r;
  }

  get compiled(): CompiledSpec {
    return this.spec;
  }
}
