// Random simulation: seeded random walks that check invariants and step properties at every
// step and note `sometimes` witnesses; the first violation found is then shrunk (shrink.ts).
// A step evaluates every guard but only the chosen instance's effect, and checks properties on
// the new state only; replay paths (successor ordinals) are worked out only for what is reported.
import { Writer } from '../state/codec.js';
import { createFingerprinter } from '../state/fingerprint.js';
import { StateCodec } from '../state/state-codec.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import type { ViolationKind } from '../report/model.js';
import { canonicalize } from './replay.js';
import { ordinalPath } from './walk-path.js';
import { ActionFailure, call, dynamicInstances, expand, nextStates } from './successors.js';
import { describeFailure, type Phase } from './failures.js';
import { SpecError } from '../spec/errors.js';

export interface SimulateOptions {
  seed: number;
  /** Number of walks (default: until the time limit, or 1000 walks). */
  runs?: number;
  /** Steps per walk at most (default 100). */
  depth?: number;
  timeLimitMs?: number;
  deadlock?: boolean;
  interrupt?: { readonly stop: boolean };
  /** Relative weight of each action by name (default 1; 0 never picks it). */
  weights?: Readonly<Record<string, number>>;
}

export interface SimulationFinding {
  property: string;
  kind: ViolationKind;
  /** Replay path of the walk up to the violation (initial state index, then ordinals). */
  path: number[];
}

export interface Simulation {
  seed: number;
  runs: number;
  steps: number;
  /** Distinct states the walks visited (by fingerprint). */
  distinct: number;
  durationMs: number;
  violation: SimulationFinding | null;
  witnesses: Array<{ property: string; path: number[] | null }>;
  stopReason: 'violation' | 'runs' | 'time-limit' | 'interrupted';
  /** The fingerprints of the visited states (for merging the counts of several walkers). */
  fingerprints: FingerprintSet;
}

/** mulberry32: a small, fast, seedable generator; the same seed gives the same walks. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Walker i's seed in a swarm (local threads or a cluster's batches): the seed itself for walker 0, a hash of (seed, i) for the others. */
export function walkerSeed(seed: number, i: number): number {
  return i === 0 ? seed : Math.floor(random((seed ^ Math.imul(i, 0x9e3779b9)) >>> 0)() * 2 ** 31);
}

export async function simulate(spec: CompiledSpec, options: SimulateOptions): Promise<Simulation> {
  const started = performance.now();
  const rand = random(options.seed);
  const maxRuns = options.runs ?? (options.timeLimitMs === undefined ? 1000 : Infinity);
  const depth = options.depth ?? 100;
  const deadline = started + (options.timeLimitMs ?? Infinity);
  const deadlock = options.deadlock ?? true;
  const { actions, invariants, steps: stepProps, witnesses, constraint } = spec;
  const weightOf = actions.map((a) => options.weights?.[a.name] ?? 1);
  const weighted = weightOf.some((w) => w !== 1);
  const zeroWeight = weightOf.includes(0);
  /** Whether s has a successor at all, counting the actions of weight 0 (a walk that only
   * they could continue ends there, but it is no deadlock). */
  const enabledAtAll = (s: unknown): boolean => {
    let any = false;
    expand(spec, s, () => { any = true; });
    return any;
  };

  // Distinct states: fingerprints of the encodings, which share unchanged fields' bytes with
  // the previous state's (two writers, alternating). A state seen before passed the invariants
  // and witness checks then: they are pure, so they are not evaluated again.
  const stateCodec = new StateCodec(spec.stateType);
  const fp = await createFingerprinter();
  const seen = FingerprintSet.create(1 << 12);
  const writers = [new Writer(), new Writer()];
  let flip = 0;
  /** The state the walk goes on from: the last one noted, with the codec's own collections (equal to it). */
  let current: unknown;
  /** True when s is new. */
  const note = (s: unknown): boolean => {
    const w = writers[flip ^= 1]!;
    w.reset();
    current = stateCodec.encodeStep(w, s);
    fp.hash(w.buf, w.pos);
    return seen.add(fp.hi, fp.lo);
  };

  // The walk so far: states, and the action and arguments of each step.
  let init = 0;
  const walkStates: unknown[] = [];
  const walkActions: number[] = [];
  const walkArgs: unknown[][] = [];
  const pathNow = (): number[] => ordinalPath(spec, init, walkActions, walkArgs, walkStates);

  const witnessPaths: Array<number[] | null> = witnesses.map(() => null);
  let witnessesLeft = witnesses.length;
  // What the walk is doing, for the report when spec code throws.
  let phase: Phase = 'init';
  let phaseProperty = '';
  const firstBroken = (s: unknown): string | null => {
    phase = 'invariant';
    for (let i = 0; i < invariants.length; i++) {
      phaseProperty = invariants[i]!.name;
      if (!invariants[i]!.check(s)) return invariants[i]!.name;
    }
    return null;
  };
  const noteWitnesses = (s: unknown): void => {
    phase = 'witness';
    for (let i = 0; i < witnesses.length; i++) {
      phaseProperty = witnesses[i]!.name;
      if (witnessPaths[i] === null && witnesses[i]!.check(s)) {
        witnessPaths[i] = pathNow();
        witnessesLeft--;
      }
    }
  };

  // The action instances to draw from: those of static domains once, state-dependent ones
  // added at each step. A step draws instances without replacement (a partial Fisher-Yates
  // shuffle, or by weight) and evaluates guards until one is enabled: the first enabled
  // instance of a random order is uniform over the enabled ones (proportional to weight), and
  // most guards are never evaluated.
  const poolAction: number[] = [];
  const poolArgs: unknown[][] = [];
  for (const a of actions) {
    if (a.instances && weightOf[a.index] !== 0) for (const args of a.instances) { poolAction.push(a.index); poolArgs.push(args as unknown[]); }
  }
  const staticCount = poolAction.length;
  const dynamicActions = actions.filter((a) => !a.instances && weightOf[a.index] !== 0);
  let order = Int32Array.from({ length: staticCount }, (_, i) => i);
  let stepViolation: SimulationFinding | null = null;
  let leftModel = false; // a successor fell outside the state constraint this step
  /** The next state of a random step from s, or undefined when no action is enabled. */
  const step = (s: unknown): unknown => {
    leftModel = false;
    if (dynamicActions.length > 0) {
      poolAction.length = staticCount;
      poolArgs.length = staticCount;
    }
    for (const a of dynamicActions) {
      let instances: unknown[][];
      try { instances = dynamicInstances(a, s); } catch (e) { throw new ActionFailure(a, [], 'domain', e); }
      for (const args of instances) { poolAction.push(a.index); poolArgs.push(args); }
    }
    const n = poolAction.length;
    // `order` stays a permutation of the static instances from step to step (a shuffle may
    // start from any order); state-dependent instances need it rebuilt.
    if (dynamicActions.length > 0) {
      if (order.length < n) order = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) order[i] = i;
    }
    let total = 0;
    if (weighted) for (let i = 0; i < n; i++) total += weightOf[poolAction[i]!]!;
    for (let i = 0; i < n; i++) {
      let j = i;
      if (!weighted) j += Math.floor(rand() * (n - i));
      else {
        let r = rand() * total;
        while (j < n - 1 && r >= weightOf[poolAction[order[j]!]!]!) r -= weightOf[poolAction[order[j++]!]!]!;
        total -= weightOf[poolAction[order[j]!]!]!;
      }
      const p = order[j]!;
      order[j] = order[i]!;
      order[i] = p;
      const a = actions[poolAction[p]!]!;
      const args = poolArgs[p]!;
      try {
        if (a.when !== undefined && !call(a.when, s, args)) continue;
      } catch (e) {
        throw new ActionFailure(a, args, 'guard', e);
      }
      // An effect that yields nothing (or nothing within the constraint) is not enabled after all.
      let results = nextStates(a, s, args);
      if (constraint !== null && results.length > 0) results = inConstraint(results, a, args);
      if (stepViolation) return undefined;
      if (results.length === 0) continue;
      walkActions.push(a.index);
      walkArgs.push(args);
      return results.length === 1 ? results[0] : results[Math.floor(rand() * results.length)];
    }
    return undefined;
  };
  /** Successors outside the state constraint are checked against the invariants, not walked. */
  const inConstraint = (results: unknown[], a: CompiledAction, args: readonly unknown[]): unknown[] => {
    const kept: unknown[] = [];
    for (const x of results) {
      if (constraint!(x)) { kept.push(x); continue; }
      leftModel = true;
      const broken = firstBroken(x);
      if (broken !== null) {
        walkActions.push(a.index);
        walkArgs.push(args as unknown[]);
        walkStates.push(x);
        stepViolation = { property: broken, kind: 'invariant', path: pathNow() };
        return [];
      }
    }
    return kept;
  };

  const inits = spec.initStates().map((s) => canonicalize(spec, s));
  let runs = 0;
  let steps = 0;
  let violation: SimulationFinding | null = null;
  let stopReason: Simulation['stopReason'] = 'runs';
  let lastYield = performance.now();
  try {
    while (runs < maxRuns && violation === null) {
      if (performance.now() > deadline) { stopReason = 'time-limit'; break; }
      if (performance.now() - lastYield > 50) {
        await new Promise((resolve) => setImmediate(resolve)); // let Ctrl-C through
        lastYield = performance.now();
        if (options.interrupt?.stop) { stopReason = 'interrupted'; break; }
      }
      runs++;
      init = Math.floor(rand() * inits.length);
      let s = inits[init];
      walkStates.length = 0;
      walkActions.length = 0;
      walkArgs.length = 0;
      walkStates.push(s);
      stateCodec.clearParent();
      phase = 'encode';
      const fresh = note(s);
      s = current;
      if (fresh) {
        const broken = firstBroken(s);
        if (broken !== null) { violation = { property: broken, kind: 'invariant', path: [init] }; break; }
        if (witnessesLeft > 0) noteWitnesses(s);
      }
      for (let d = 0; d < depth; d++) {
        phase = 'constraint';
        const next = step(s);
        if (stepViolation) { violation = stepViolation; break; }
        if (next === undefined) {
          phase = 'terminal';
          if (deadlock && !leftModel && !(zeroWeight && enabledAtAll(s)) && (spec.terminal === null || !spec.terminal(s))) violation = { property: 'deadlock', kind: 'deadlock', path: pathNow() };
          break;
        }
        steps++;
        walkStates.push(next);
        phase = 'step';
        for (let i = 0; i < stepProps.length; i++) {
          phaseProperty = stepProps[i]!.name;
          if (!stepProps[i]!.check(s, next)) { violation = { property: stepProps[i]!.name, kind: 'step', path: pathNow() }; break; }
        }
        if (violation) break;
        if (next === s) continue; // a stuttering step: nothing new to fingerprint or check
        phase = 'encode';
        const isNew = note(next);
        s = current;
        if (!isNew) continue;
        const bad = firstBroken(s);
        if (bad !== null) { violation = { property: bad, kind: 'invariant', path: pathNow() }; break; }
        if (witnessesLeft > 0) noteWitnesses(s);
      }
    }
  } catch (e) {
    // Spec code threw: a coded error with the replay path to the last state the walk reached.
    const state = walkStates.at(-1);
    walkStates.length = Math.min(walkStates.length, walkActions.length + 1);
    if (phase === 'encode' && walkStates.length > 1) { walkStates.length--; walkActions.length--; walkArgs.length--; }
    let path: number[] = [];
    try { path = pathNow(); } catch { /* the walk cannot be replayed: report without a path */ }
    const f = describeFailure(e, { spec, phase, property: phaseProperty, action: walkActions.length ? actions[walkActions.at(-1)!]! : null, args: walkArgs.at(-1) ?? [], state, parentPath: path });
    throw new SpecError(f.code, `${f.message}\n  during random walk ${runs} (seed ${options.seed}), ${path.length ? `at replay path ${path.join('/')}` : 'at its start'}`, f.hint);
  }
  if (violation) stopReason = 'violation';
  return {
    seed: options.seed,
    runs,
    steps,
    distinct: seen.size,
    durationMs: performance.now() - started,
    violation,
    witnesses: witnesses.map((wp, i) => ({ property: wp.name, path: witnessPaths[i]! })),
    stopReason,
    fingerprints: seen,
  };
}
