// A chunk expander in a worker process. It cannot read the owners' visited slices, so it keeps
// its own, which must only ever hold states the coordinator's holds too (then it drops no
// successor the owners would keep; the owners of the partitions drop the rest, see owner.ts).
// Every candidate a chunk offers is, once its level is over, in the visited set (it was new, or
// an earlier level had it). A chunk carries its level, so the candidates of chunks of an earlier
// level join this worker's set. A level table of its own, emptied for every chunk,
// keeps one candidate per state within a chunk, from its first (smallest) parent.
import { ChunkExpander, HI, LO, type ChunkResult, type ExpanderOptions } from '../check/chunk-expander.js';
import { FLAGS, flagWords } from '../check/chunk-expander.js';
import { ChunkReader } from '../check/state-chunk.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import { LevelTable } from '../store/level-table.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { Fingerprinter } from '../state/fingerprint.js';
import type { ChunkJob } from './wire.js';

export class WorkerExpander {
  private readonly seen = FingerprintSet.create(1 << 16);
  private level = LevelTable.create(1 << 14);
  private readonly expander: ChunkExpander;
  private readonly fields: number;
  private current = -1;
  /** Fingerprints (hi, lo) offered by this level's chunks. */
  private offered = new Uint32Array(1 << 14);
  private nOffered = 0;

  constructor(spec: CompiledSpec, fp: Fingerprinter, options: ExpanderOptions) {
    this.expander = new ChunkExpander(spec, fp, { seen: this.seen, level: this.level }, options);
    this.fields = FLAGS + flagWords(spec, options.edges);
  }

  /** States this worker knows to be visited. */
  get known(): number {
    return this.seen.size;
  }

  run(job: ChunkJob): ChunkResult {
    if (job.level > this.current) {
      this.learn();
      this.current = job.level;
    }
    for (;;) {
      this.level.clear();
      const r = this.expander.run(job.chunk, job.start, job.pending);
      if (r.resumeAt < 0) {
        this.remember(r);
        return r;
      }
      // The chunk offered more than the table holds: again, with a larger one.
      this.level = LevelTable.create(this.level.capacity * 2);
      this.expander.tables = { seen: this.seen, level: this.level };
    }
  }

  private remember(r: ChunkResult): void {
    const rd = new ChunkReader(r.candidates, this.fields);
    if (2 * (this.nOffered + r.candidates.count) > this.offered.length) {
      let size = this.offered.length * 2;
      while (size < 2 * (this.nOffered + r.candidates.count)) size *= 2;
      const grown = new Uint32Array(size);
      grown.set(this.offered.subarray(0, 2 * this.nOffered));
      this.offered = grown;
    }
    while (rd.next()) {
      this.offered[2 * this.nOffered] = rd.header[HI]!;
      this.offered[2 * this.nOffered + 1] = rd.header[LO]!;
      this.nOffered++;
    }
  }

  /** The last level's candidates are visited now: they join the set. */
  private learn(): void {
    for (let i = 0; i < this.nOffered; i++) this.seen.add(this.offered[2 * i]!, this.offered[2 * i + 1]!);
    this.nOffered = 0;
  }
}
