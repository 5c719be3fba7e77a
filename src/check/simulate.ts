// Random simulation: seeded random walks that check invariants and step properties at every
// step and note `sometimes` witnesses; the first violation found is then shrunk (shrink.ts).
import { codecOf, IDENTITY, Writer } from '../state/codec.js';
import { createFingerprinter } from '../state/fingerprint.js';
import { OpenAddressingSet } from '../store/fingerprint-set.js';
import type { CompiledSpec } from '../spec/compile.js';
import type { ViolationKind } from '../report/model.js';
import { canonicalize } from './replay.js';
import { expand } from './successors.js';

export interface SimulateOptions {
  seed: number;
  /** Number of walks (default: until the time limit, or 1000 walks). */
  runs?: number;
  /** Steps per walk at most (default 100). */
  depth?: number;
  timeLimitMs?: number;
  deadlock?: boolean;
  interrupt?: { stop: boolean };
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

interface Step {
  next: unknown;
  ordinal: number;
  /** Index of the action instance that produced it (successors of one instance share it). */
  instance: number;
}

/** Successors of s with their ordinals, grouped by action instance. */
function successorsOf(spec: CompiledSpec, s: unknown): Step[] {
  const out: Step[] = [];
  let instance = -1;
  expand(spec, s, (next, _a, _args, k) => {
    if (k === 0) instance++;
    out.push({ next, ordinal: out.length, instance });
  });
  return out;
}

export async function simulate(spec: CompiledSpec, options: SimulateOptions): Promise<Simulation> {
  const started = performance.now();
  const rand = random(options.seed);
  const maxRuns = options.runs ?? (options.timeLimitMs === undefined ? 1000 : Infinity);
  const depth = options.depth ?? 100;
  const deadline = started + (options.timeLimitMs ?? Infinity);
  const deadlock = options.deadlock ?? true;
  const codec = codecOf(spec.stateType);
  const fp = await createFingerprinter();
  const seen = new OpenAddressingSet(1 << 12);
  const w = new Writer();
  const note = (s: unknown): void => {
    w.reset();
    codec.encode(w, s, IDENTITY);
    fp.hash(w.buf, w.pos);
    seen.add(fp.hi, fp.lo);
  };
  const witnessPaths: Array<number[] | null> = spec.witnesses.map(() => null);
  const checkState = (s: unknown, path: number[]): SimulationFinding | null => {
    for (const inv of spec.invariants) if (!inv.check(s)) return { property: inv.name, kind: 'invariant', path };
    spec.witnesses.forEach((wp, i) => {
      if (witnessPaths[i] === null && wp.check(s)) witnessPaths[i] = [...path];
    });
    return null;
  };
  const inits = spec.initStates();
  let runs = 0;
  let steps = 0;
  let violation: SimulationFinding | null = null;
  let stopReason: Simulation['stopReason'] = 'runs';
  let lastYield = performance.now();
  while (runs < maxRuns && violation === null) {
    if (performance.now() > deadline) { stopReason = 'time-limit'; break; }
    if (performance.now() - lastYield > 50) {
      await new Promise((resolve) => setImmediate(resolve)); // let Ctrl-C through
      lastYield = performance.now();
      if (options.interrupt?.stop) { stopReason = 'interrupted'; break; }
    }
    runs++;
    const start = Math.floor(rand() * inits.length);
    let s = canonicalize(spec, inits[start]);
    const path = [start];
    note(s);
    violation = checkState(s, path);
    for (let d = 0; d < depth && violation === null; d++) {
      const succ = successorsOf(spec, s);
      const inModel = spec.constraint ? succ.filter((x) => spec.constraint!(x.next)) : succ;
      for (const x of succ) {
        if (violation) break;
        if (inModel !== succ && !inModel.includes(x)) violation = checkState(x.next, [...path, x.ordinal]);
      }
      if (violation) break;
      if (succ.length === 0) {
        if (deadlock && (spec.terminal === null || !spec.terminal(s))) violation = { property: 'deadlock', kind: 'deadlock', path: [...path] };
        break;
      }
      if (inModel.length === 0) break;
      // Uniform over enabled action instances, then over that instance's successors.
      const instances = [...new Set(inModel.map((x) => x.instance))];
      const chosen = instances[Math.floor(rand() * instances.length)];
      const options2 = inModel.filter((x) => x.instance === chosen);
      const pick = options2[Math.floor(rand() * options2.length)]!;
      steps++;
      path.push(pick.ordinal);
      for (const sp of spec.steps) {
        if (!sp.check(s, pick.next)) { violation = { property: sp.name, kind: 'step', path: [...path] }; break; }
      }
      if (violation) break;
      s = canonicalize(spec, pick.next);
      note(s);
      violation = checkState(s, path);
    }
  }
  if (violation) stopReason = 'violation';
  return {
    seed: options.seed,
    runs,
    steps,
    distinct: seen.size,
    durationMs: performance.now() - started,
    violation,
    witnesses: spec.witnesses.map((wp, i) => ({ property: wp.name, path: witnessPaths[i]! })),
    stopReason,
  };
}
