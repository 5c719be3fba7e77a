// Liveness edges through the one engine: the expanders write each expanded state's successors as
// (fingerprint, label) triples; once a level is settled every target has its state index, and
// the supervisor turns the level's edge streams into the recorder's edge list, in state order.
import type { EdgeRecorder } from '../liveness/recorder.js';
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
