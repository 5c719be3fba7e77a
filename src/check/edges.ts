// Liveness edges through the one engine: the expanders write each expanded state's successors as
// (fingerprint, label) triples; once a level is settled every target has its state index, and
// the supervisor turns the level's edge streams into the recorder's edge list, in state order.
// A checkpoint keeps the recorder and the streams of the level's settled part.
import { EdgeRecorder, type SavedRecorder } from '../liveness/recorder.js';
import type { RenamingShape } from '../liveness/renaming.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { ExtraSections } from '../store/checkpoint.js';
import { OUTSIDE } from '../store/edge-list.js';
import { OUTSIDE_FP } from './chunk-expander.js';

/** The edge stream of a settled part of a level: the successors of the states from index `first` on. */
export interface EdgeRun {
  first: number;
  words: Uint32Array;
}

export function levelEdges(recorder: EdgeRecorder, runs: readonly EdgeRun[]): void {
  const index = recorder.fingerprints;
  const W = recorder.shape?.words ?? 0; // under symmetry: a renaming after the count and after each triple
  for (const { first, words } of runs) {
    for (let pos = 0, state = first; pos < words.length; state++) {
      const n = words[pos++]!;
      recorder.begin(state);
      if (W > 0) recorder.stateRenaming(state, words, pos);
      pos += W;
      for (let k = 0; k < n; k++, pos += 3 + W) {
        const hi = words[pos]!;
        const lo = words[pos + 1]!;
        const target = hi === OUTSIDE_FP && lo === OUTSIDE_FP ? OUTSIDE : index.find(hi, lo);
        if (target < 0) throw new Error(`liveness: an edge of state ${state} leads to a state never recorded`);
        recorder.add(target, words[pos + 2]!);
        if (W > 0) recorder.edgeRenaming(words, pos + 3);
      }
    }
  }
}

/** The part of a run for the states before `upTo` (a search stopped inside the run's chunk). */
export function runBefore(recorder: EdgeRecorder, run: EdgeRun, upTo: number): EdgeRun {
  const W = recorder.shape?.words ?? 0;
  let pos = 0;
  for (let state = run.first; state < upTo && pos < run.words.length; state++) pos += 1 + W + run.words[pos]! * (3 + W);
  return { first: run.first, words: run.words.subarray(0, pos) };
}

interface SavedEdgesMeta {
  recorder: SavedRecorder['meta'];
  recorderSections: number;
  /** Where each pending run starts; its words follow the recorder's sections. */
  pending: number[];
}

/**
 * Liveness's graph in a checkpoint: the recorder's sections, then the edge streams of the
 * level's settled part (not turned into edges yet: some targets are numbered only when the level is).
 */
export function savedEdges(recorder: EdgeRecorder, pending: readonly EdgeRun[]): ExtraSections {
  const r = recorder.saved();
  const meta: SavedEdgesMeta = { recorder: r.meta, recorderSections: r.sections.length, pending: pending.map((p) => p.first) };
  return { meta, sections: [...r.sections, ...pending.map((p) => new Uint8Array(p.words.buffer, p.words.byteOffset, p.words.byteLength))] };
}

/** The recorder a checkpoint saved, or null when it saved none or another kind (reduced or not). */
export function restoredRecorder(spec: CompiledSpec, shape: RenamingShape | null, extra: ExtraSections | undefined): EdgeRecorder | null {
  if (extra === undefined) return null;
  const meta = extra.meta as SavedEdgesMeta;
  return EdgeRecorder.restore(spec, shape, { meta: meta.recorder, sections: extra.sections.slice(0, meta.recorderSections) });
}

/** The edge streams of the level a checkpoint stopped in. */
export function pendingRuns(extra: ExtraSections | undefined): EdgeRun[] {
  if (extra === undefined) return [];
  const meta = extra.meta as SavedEdgesMeta;
  return meta.pending.map((first, i) => {
    const b = extra.sections[meta.recorderSections + i]!;
    return { first, words: new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2) };
  });
}
