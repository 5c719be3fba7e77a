// Exhaustive breadth-first exploration with TLC's counting conventions. Per successor, in
// order: step properties -> encode -> state constraint -> fingerprint -> seen? -> record parent
// -> invariants and witnesses on new states only -> enqueue. Limits, clocks and progress are
// looked at once per block of states.
import { createFingerprinter } from '../state/fingerprint.js';
import { StateKeys } from './state-keys.js';
import { OpenAddressingSet } from '../store/fingerprint-set.js';
import { Frontier } from '../store/frontier.js';
import { NO_PARENT, StateGraph } from '../store/state-graph.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import { expand, type Emit } from './successors.js';
import { checkDeterminism, describeFailure, type Phase } from './failures.js';
import type { ActionCoverage, Failure, StopReason, SymmetryReport, ViolationKind } from '../report/model.js';
import type { EdgeRecorder } from '../liveness/recorder.js';
import { OUTSIDE } from '../store/edge-list.js';
import type { SearchState } from './checkpoint.js';

export interface ExploreOptions {
  maxStates?: number;
  maxDepth?: number;
  timeLimitMs?: number;
  /** Report states where no action is enabled (unless the spec calls them terminal). */
  deadlock?: boolean;
  /** Keep exploring after a violation; each property is reported once, with its shortest trace. */
  continueAfterViolation?: boolean;
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /** Fold states that differ only by a renaming of symmetric scalarset ids (default true). */
  symmetry?: boolean;
  /** Set `stop` to end the search at the next block (Ctrl-C). */
  interrupt?: { stop: boolean };
  /** Record every edge of the state graph here (liveness checking); none when absent. */
  edges?: EdgeRecorder;
  /** Continue a checkpointed search (checkpoint.ts) instead of starting from the initial states. */
  resume?: SearchState;
  /** Hand the search state to `save` every `everyMs` (at a block boundary) and when a limit or Ctrl-C stops the search. */
  checkpoint?: { everyMs: number; save: (state: SearchState) => void };
  /** Stop (incomplete) before the fingerprint set, graph and frontier would outgrow this many bytes. */
  maxMemoryBytes?: number;
}

export interface Progress {
  distinct: number;
  generated: number;
  queue: number;
  depth: number;
  elapsedMs: number;
}

export interface FoundViolation {
  property: string;
  kind: ViolationKind;
  /** Replay path (initial-state index, then successor ordinals); null for an unreached witness. */
  path: number[] | null;
}

export interface Exploration {
  distinct: number;
  generated: number;
  depth: number;
  queue: number;
  durationMs: number;
  /** True when every reachable state (within the constraint) was expanded. */
  complete: boolean;
  stopReason: StopReason | null;
  violations: FoundViolation[];
  witnesses: Array<{ property: string; path: number[] | null }>;
  coverage: ActionCoverage[];
  failure: Failure | null;
  symmetry: SymmetryReport | null;
  memory: { fingerprintBytes: number; graphBytes: number; frontierPeakBytes: number; budgetBytes?: number };
  /** Threads that expanded states (1: this one). */
  workers: number;
  /** Why a search that could use several threads used one. */
  workersNote?: string;
}

const BLOCK = 1024;
/** New states assumed possible within one block, when judging whether a store is about to double. */
const GROWTH_MARGIN = BLOCK * 64;

/** Stops the loop from inside an emit without unwinding through error handling. */
class Stop {}
const STOP = new Stop();

export async function explore(spec: CompiledSpec, options: ExploreOptions = {}): Promise<Exploration> {
  const started = performance.now();
  const fp = await createFingerprinter();
  const edges = options.edges ?? null;
  const resumed = options.resume;
  // Edges are not part of a checkpoint: check() never asks for both.
  if (edges !== null && (resumed !== undefined || options.checkpoint !== undefined)) throw new Error('a search that records edges cannot be checkpointed');
  const seen = edges !== null ? edges.fingerprints : resumed?.seen ?? new OpenAddressingSet();
  const graph = resumed?.graph ?? new StateGraph();
  const frontier = resumed?.frontier ?? new Frontier();
  const keys = new StateKeys(spec, fp, options.symmetry !== false);
  const sym = keys.canonicalizer;
  let orbitStates = 0; // states the distinct orbits stand for
  const { invariants, steps, witnesses, constraint } = spec;
  const deadlock = options.deadlock ?? true;
  const keepGoing = options.continueAfterViolation ?? false;
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const deadline = started + (options.timeLimitMs ?? Infinity);
  const progressEvery = options.progressIntervalMs ?? 1000;

  const nA = spec.actions.length;
  const enabled = new Float64Array(nA);
  const fired = new Float64Array(nA);
  const fresh = new Float64Array(nA);
  const violated = new Set<string>();
  const violations: FoundViolation[] = [];
  const witnessPaths: Array<number[] | null> = witnesses.map(() => null);
  let witnessesLeft = witnesses.length;

  let generated = 0;
  let depth = 0;
  let level = 0;
  let nextLevelStart = 0;
  let frontierPeak = 0;
  let stopReason: StopReason | null = null;
  let failure: Failure | null = null;
  let unexpanded = 0; // a state popped but not expanded when a limit stopped the search

  // What the loop is doing, for the error report when a spec function throws.
  let curIndex = NO_PARENT;
  let curState: unknown;
  let ordinal = 0;
  let phase: Phase = 'init';
  let phaseProperty = '';
  let phaseAction: CompiledAction | null = null;
  let phaseArgs: readonly unknown[] = [];

  const elapsedBefore = resumed?.counters.elapsedMs ?? 0;
  if (resumed) {
    const c = resumed.counters;
    ({ generated, depth, frontierPeak, orbitStates } = c);
    enabled.set(c.enabled);
    fired.set(c.fired);
    fresh.set(c.fresh);
    for (const v of c.violations) { violations.push(v); violated.add(v.property); }
    c.witnessPaths.forEach((p, i) => { if (p !== null) { witnessPaths[i] = p; witnessesLeft--; } });
  }
  const snapshot = (): SearchState => ({
    seen: seen as OpenAddressingSet, // never an indexed set: a search with edges has no checkpoints
    graph, frontier,
    counters: {
      generated, depth, level, nextLevelStart, frontierPeak, orbitStates, elapsedMs: elapsedBefore + performance.now() - started,
      enabled: [...enabled], fired: [...fired], fresh: [...fresh], violations: [...violations], witnessPaths: [...witnessPaths],
    },
  });
  const maxMemory = options.maxMemoryBytes ?? Infinity;
  /** Bytes the stores hold, plus what a doubling due within the next block would allocate. */
  const projectedBytes = (): number => seen.bytes + graph.bytes + frontier.bytes
    + (seen.growsWithin(GROWTH_MARGIN) ? seen.growthBytes : 0) + (graph.growsWithin(GROWTH_MARGIN) ? graph.growthBytes : 0);
  const checkpointEvery = options.checkpoint?.everyMs ?? Infinity;
  let checkpointAt = started + checkpointEvery;

  const pathOf = (parent: number, ord: number): number[] =>
    parent === NO_PARENT ? [ord] : [...graph.pathTo(parent), ord];

  const violation = (property: string, kind: ViolationKind, path: number[]): void => {
    violated.add(property);
    violations.push({ property, kind, path });
    if (!keepGoing) {
      stopReason = 'violation';
      throw STOP;
    }
  };

  const checkInvariants = (s: unknown, parent: number, ord: number): void => {
    for (let i = 0; i < invariants.length; i++) {
      const inv = invariants[i]!;
      phase = 'invariant';
      phaseProperty = inv.name;
      if (!inv.check(s) && !violated.has(inv.name)) violation(inv.name, 'invariant', pathOf(parent, ord));
    }
  };

  /** Handles one computed state: a successor of curIndex, or an initial state. */
  const visit = (next: unknown, parent: number, ord: number, action: CompiledAction | null): void => {
    generated++;
    // An effect that changed nothing hands back its state object (Immutable keeps unchanged
    // collections): that state is seen already. PaxosCommit's re-sent messages, mostly.
    if (next === curState && edges === null) return;
    phase = 'encode'; // the phase and the value are then the keys' own
    keys.encode(next);
    if (constraint !== null) {
      phase = 'constraint';
      if (!constraint(next)) {
        if (edges !== null && action !== null) edges.add(OUTSIDE, action, phaseArgs);
        checkInvariants(next, parent, ord);
        return;
      }
    }
    phase = 'encode';
    const orbit = keys.fingerprint(next);
    const isNew = seen.add(fp.hi, fp.lo);
    if (edges !== null && action !== null) edges.add(edges.fingerprints.lastIndex, action, phaseArgs);
    if (!isNew) return;
    orbitStates += orbit;
    const index = graph.add(parent, ord);
    if (edges !== null) edges.added(index, next, ord);
    if (action !== null) fresh[action.index]++;
    if (level + 1 > depth) depth = level + 1;
    checkInvariants(next, parent, ord);
    if (witnessesLeft > 0) {
      for (let i = 0; i < witnesses.length; i++) {
        if (witnessPaths[i] !== null) continue;
        phase = 'witness';
        phaseProperty = witnesses[i]!.name;
        if (witnesses[i]!.check(next)) {
          witnessPaths[i] = graph.pathTo(index);
          witnessesLeft--;
        }
      }
    }
    frontier.push(index, keys.own.buf, keys.own.pos);
  };

  const emit: Emit = (next, action, args, k) => {
    const ord = ordinal++;
    phaseAction = action;
    phaseArgs = args;
    fired[action.index]++;
    if (k === 0) enabled[action.index]++;
    for (let i = 0; i < steps.length; i++) {
      const sp = steps[i]!;
      phase = 'step';
      phaseProperty = sp.name;
      if (!sp.check(curState, next) && !violated.has(sp.name)) violation(sp.name, 'step', pathOf(curIndex, ord));
    }
    visit(next, curIndex, ord, action);
  };

  try {
    phase = 'init';
    const inits = resumed ? [] : spec.initStates();
    for (let i = 0; i < inits.length; i++) visit(inits[i], NO_PARENT, i, null);
    nextLevelStart = graph.size;
    level = 1;
    if (resumed) ({ level, nextLevelStart } = resumed.counters);
    let blockEnd = performance.now() + progressEvery;
    let yieldAt = performance.now() + 50;
    for (let n = 0; frontier.length > 0; n++) {
      if (n % BLOCK === 0 && n > 0) {
        const now = performance.now();
        if (now > deadline) { stopReason = 'time-limit'; break; }
        if (projectedBytes() > maxMemory) { stopReason = 'memory'; break; }
        if (now >= checkpointAt) {
          options.checkpoint!.save(snapshot());
          checkpointAt = performance.now() + checkpointEvery;
        }
        if (now >= blockEnd) {
          blockEnd = now + progressEvery;
          options.onProgress?.({ distinct: graph.size, generated, queue: frontier.length, depth, elapsedMs: now - started });
        }
        if (now >= yieldAt) {
          // Let signal handlers and timers run (Ctrl-C arrives through the event loop).
          await new Promise((resolve) => setImmediate(resolve));
          yieldAt = performance.now() + 50;
          if (options.interrupt?.stop) { stopReason = 'interrupted'; break; }
        }
      }
      if (graph.size >= maxStates) { stopReason = 'max-states'; break; }
      if (frontier.bytes > frontierPeak) frontierPeak = frontier.bytes;
      const index = frontier.pop();
      if (index >= nextLevelStart) {
        level++;
        nextLevelStart = graph.size;
      }
      if (level >= maxDepth) { stopReason = 'max-depth'; unexpanded = 1; break; }
      curState = keys.decodeParent(frontier.popped);
      curIndex = index;
      phaseAction = null;
      ordinal = 0;
      if (index < 16 || (index & 4095) === 0) {
        const problem = checkDeterminism(spec, curState);
        if (problem) { failure = { ...problem, path: graph.pathTo(index) }; stopReason = 'error'; break; }
      }
      if (edges !== null) edges.begin(index);
      expand(spec, curState, emit);
      if (ordinal === 0 && deadlock) {
        phase = 'terminal';
        if ((spec.terminal === null || !spec.terminal(curState)) && !violated.has('deadlock')) {
          violation('deadlock', 'deadlock', graph.pathTo(index));
        }
      }
    }
  } catch (e) {
    if (e !== STOP) {
      const inKeys = (phase as Phase) === 'encode';
      failure = describeFailure(e, { spec, phase: inKeys ? keys.phase : phase, property: phaseProperty, action: phaseAction, args: phaseArgs, state: keys.focus, parentPath: curIndex === NO_PARENT ? [] : graph.pathTo(curIndex) });
      stopReason = 'error';
    }
  }

  // The loop stopped between two states: a checkpoint taken now resumes exactly.
  const resumable: Array<StopReason | null> = ['time-limit', 'interrupted', 'memory', 'max-states'];
  if (options.checkpoint && resumable.includes(stopReason) && unexpanded === 0) options.checkpoint.save(snapshot());
  const complete = stopReason === null;
  if (complete) {
    witnesses.forEach((wp, i) => {
      if (witnessPaths[i] === null) violations.push({ property: wp.name, kind: 'sometimes', path: null });
    });
  }
  return {
    distinct: graph.size,
    generated,
    depth,
    queue: frontier.length + unexpanded,
    durationMs: elapsedBefore + performance.now() - started,
    complete,
    stopReason,
    violations,
    witnesses: witnesses.map((wp, i) => ({ property: wp.name, path: witnessPaths[i]! })),
    coverage: spec.actions.map((a) => ({ action: a.name, enabled: enabled[a.index]!, generated: fired[a.index]!, distinct: fresh[a.index]! })),
    failure,
    symmetry: sym && { scalarsets: sym.scalarsets.map((s) => s.name), groupSize: sym.groupSize, states: orbitStates },
    memory: { fingerprintBytes: seen.bytes, graphBytes: graph.bytes, frontierPeakBytes: frontierPeak, ...(options.maxMemoryBytes ? { budgetBytes: options.maxMemoryBytes } : {}) },
    workers: 1,
  };
}
