// Checkpoints of the one engine, taken at a chunk boundary of a level: the visited set with the
// level's settled new states, the state graph, the frontier (the level's states not yet settled,
// then the next level's found so far) and the counters. The layout is a one-state-at-a-time
// breadth-first search's, so a checkpoint taken with any number of expanders resumes with any other.
import type { FingerprintSet } from '../store/fingerprint-set.js';
import { Frontier } from '../store/frontier.js';
import type { StateGraph } from '../store/state-graph.js';
import type { SearchState } from './exploration.js';
import { CHUNK_STATES, type LevelSettle, type Tally } from './level-settle.js';
import { ChunkReader, ChunkWriter, type StateChunk } from './state-chunk.js';
import type { EdgeRecorder } from '../liveness/recorder.js';
import { savedEdges, type EdgeRun } from './edges.js';

/** Fingerprints (hi, lo) of the current level's settled new states, in index order. */
export interface Fresh {
  fps: Uint32Array;
  count: number;
}

export interface EngineAt {
  seen: FingerprintSet;
  graph: StateGraph;
  tally: Tally;
  fresh: Fresh;
  /** The level being expanded, and the depth of the states it finds. */
  level: ReadonlyArray<StateChunk | null>;
  settle: LevelSettle;
  depth: number;
  /** One past the last index of the level's states. */
  to: number;
  frontierPeak: number;
  elapsedMs: number;
  /** Liveness's graph so far, and the edge streams of the level's settled part. */
  liveness: { recorder: EdgeRecorder; pending: readonly EdgeRun[] } | null;
}

export function snapshot(at: EngineAt): SearchState {
  const seen = at.seen.copy();
  for (let i = 0; i < at.fresh.count; i++) seen.add(at.fresh.fps[2 * i]!, at.fresh.fps[2 * i + 1]!);
  const frontier = new Frontier();
  const from = at.settle.resumeFrom;
  const push = (chunk: StateChunk, skipBelow: number): void => {
    const r = new ChunkReader(chunk);
    for (let index = chunk.base; r.next(); index++) if (index >= skipBelow) frontier.push(index, r.bytes, r.bytes.length);
  };
  for (const c of at.level) if (c !== null) push(c, from);
  for (const c of at.settle.queuedChunks()) push(c, 0);
  const t = at.tally;
  return {
    seen, graph: at.graph, frontier,
    counters: {
      generated: t.generated, depth: t.depth, level: at.depth - 1, nextLevelStart: at.to, frontierPeak: at.frontierPeak, orbitStates: t.orbitStates,
      elapsedMs: at.elapsedMs, enabled: [...t.enabled], fired: [...t.fired], fresh: [...t.fresh], violations: [...t.violations], witnessPaths: [...t.witnessPaths],
    },
    ...(at.liveness ? { extra: savedEdges(at.liveness.recorder, at.liveness.pending) } : {}),
  };
}

/** Where a checkpoint resumes: the tally restored, the level's chunks left, and the next level's states found before. */
export function resumeLevel(state: SearchState, tally: Tally): {
  chunks: StateChunk[]; from: number; to: number; depth: number; carried: Array<{ index: number; bytes: Uint8Array }>;
} {
  const c = state.counters;
  tally.generated = c.generated;
  tally.depth = c.depth;
  tally.orbitStates = c.orbitStates;
  tally.enabled.set(c.enabled);
  tally.fired.set(c.fired);
  tally.fresh.set(c.fresh);
  for (const v of c.violations) { tally.violations.push(v); tally.violated.add(v.property); }
  c.witnessPaths.forEach((p, i) => { tally.witnessPaths[i] = p; });
  const chunks: StateChunk[] = [];
  const carried: Array<{ index: number; bytes: Uint8Array }> = [];
  const out = new ChunkWriter(0);
  let base = -1;
  let from = c.nextLevelStart;
  for (const f = state.frontier; f.length > 0;) {
    const index = f.pop();
    if (index >= c.nextLevelStart) {
      carried.push({ index, bytes: f.popped.slice() });
      continue;
    }
    if (out.states === 0) base = index;
    if (chunks.length === 0 && out.states === 0) from = index;
    out.push(f.popped, f.popped.length);
    if (out.states >= CHUNK_STATES) chunks.push(out.take(base));
  }
  if (out.states > 0) chunks.push(out.take(base));
  return { chunks, from, to: c.nextLevelStart, depth: c.level + 1, carried };
}
