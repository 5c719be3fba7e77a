// synod as a library: what the commands do, for programs and tests that drive it themselves.
// Load and compile a spec file, check it (on worker threads), simulate it, and write what the
// commands write (the text report, the JSON summary, ITF traces). The option types here are the
// public ones: plain values, no engine internals. It lives beside the commands because it
// shares their spec loader and worker scripts (src/index.ts re-exports it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check as explore } from '../check/check.js';
import type { Progress } from '../check/exploration.js';
import { parsePath, replay as replayPath } from '../check/replay.js';
import { shrink } from '../check/shrink.js';
import { shrinkOnThread } from './shrink-thread.js';
import { simulate as walk } from '../check/simulate.js';
import { compileSpec, type CompiledSpec } from '../spec/compile.js';
import type { CheckResult, Trace, ViolationKind } from '../report/model.js';
import { summaryJSON as summary, traceITF } from '../report/summary.js';
import { formatReport, propertyDocs } from '../report/text.js';
import { writeAtomic } from './io.js';
import { swarm } from './swarm.js';

/** Which params, variant and properties to compile a spec with. */
export interface SpecOptions {
  /** Overrides of the spec's params, as values or as text (`{ rm: 4 }` or `{ rm: '4' }`). */
  params?: Record<string, string | number | boolean>;
  /** A named variant (bug) of the spec. */
  variant?: string | null;
  /** Check only these properties (default: all). */
  properties?: readonly string[] | null;
}

/**
 * Loads a spec module from a file (.ts compiled on the fly, as `synod check` does) and compiles
 * it. A spec compiled this way can be checked on worker threads (`workers`), which load it again.
 */
export async function compileSpecFile(file: string | URL, options: SpecOptions = {}): Promise<CompiledSpec> {
  const path = file instanceof URL ? fileURLToPath(file) : file;
  // Imported here, not at the top: esbuild is loaded only by programs that load spec files.
  const { loadSpecWithSource } = await import('./load.js');
  const loaded = await loadSpecWithSource(path);
  return compileSpec(loaded.spec, { ...options, source: { file: path, code: loaded.code } });
}

/** Options of `check`, as `synod check` takes them. */
export interface CheckOptions {
  maxStates?: number;
  maxDepth?: number;
  timeLimitMs?: number;
  /** Stop (incomplete) before the fingerprint set, state graph and frontier outgrow this many bytes. */
  maxMemoryBytes?: number;
  /** Report states with no enabled action that the spec does not call terminal (default true). */
  deadlock?: boolean;
  /** Keep going after a violation; each property is reported once, with its shortest trace. */
  continueAfterViolation?: boolean;
  /** Fold states that differ by a renaming of scalarset ids (default true). */
  symmetry?: boolean;
  /** Before a reduced search, verify on its first states that the spec is symmetric (default true; a spec that is not is SYN308). */
  checkSymmetry?: boolean;
  /** Check liveness properties (default true). */
  liveness?: boolean;
  /**
   * Run the spec's code on this many worker threads (a spec from `compileSpecFile`). Without it,
   * spec code runs on the calling thread, which cannot be stopped while a guard never returns.
   */
  workers?: number;
  /** Aborting it stops the search like Ctrl-C: verdict incomplete, stop reason `interrupted`. */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
}

/** The built worker script beside this module (dist/), or null when running from the sources. */
function workerScript(name: string): URL | null {
  const url = new URL(`./${name}`, import.meta.url);
  return existsSync(url) ? url : null;
}

const interruptOf = (signal: AbortSignal | undefined) => signal && { get stop() { return signal.aborted; }, set stop(_: boolean) {} };

/** Explores every reachable state breadth-first and checks the spec's properties. */
export async function check(spec: CompiledSpec, options: CheckOptions = {}): Promise<CheckResult> {
  const { workers, signal, ...rest } = options;
  const script = workers === undefined ? null : workerScript('check-worker.js');
  const result = await explore(spec, { ...rest, interrupt: interruptOf(signal), threads: script ? { count: workers!, script } : undefined });
  if (workers !== undefined && script === null) {
    return { ...result, workersNote: 'worker threads need the built package (dist/): this run used the calling thread' };
  }
  return result;
}

/** Options of `simulate`, as `synod simulate` takes them. */
export interface SimulateOptions {
  /** The same seed repeats the same walks (default: a random one, given back in the result). */
  seed?: number;
  /** Number of walks (default 1000, or until the time limit). */
  runs?: number;
  /** Steps per walk at most (default 100). */
  depth?: number;
  timeLimitMs?: number;
  deadlock?: boolean;
  /** Relative weight of each action, by name (default 1; 0 never picks it). */
  weights?: Readonly<Record<string, number>>;
  /** Walkers on worker threads, each with a seed derived from `seed` (a spec from `compileSpecFile`). */
  workers?: number;
  signal?: AbortSignal;
}

export interface SimulationResult {
  seed: number;
  runs: number;
  steps: number;
  /** Distinct states the walks visited (full states, no symmetry folding). */
  distinctStates: number;
  durationMs: number;
  stopReason: 'violation' | 'runs' | 'time-limit' | 'interrupted';
  /** The first violation, its walk shrunk to a short trace (`originalLength` states before). */
  violation: { property: string; kind: ViolationKind; trace: Trace; originalLength: number } | null;
  witnesses: Array<{ property: string; trace: Trace | null }>;
}

/** Seeded random walks that check invariants and step properties at every step; a violation is shrunk. */
export async function simulate(spec: CompiledSpec, options: SimulateOptions = {}): Promise<SimulationResult> {
  const { workers, signal, ...rest } = options;
  const deadline = performance.now() + (options.timeLimitMs ?? Infinity);
  const walkOptions = { ...rest, seed: options.seed ?? Math.floor(Math.random() * 2 ** 31) };
  const threaded = workers !== undefined && spec.source !== null && workerScript('simulate-worker.js') !== null;
  const sim = threaded
    ? await swarm({ file: spec.source!.file, code: spec.source!.code }, spec.source!.options, walkOptions, workers!, interruptOf(signal) ?? { stop: false })
    : await walk(spec, { ...walkOptions, interrupt: interruptOf(signal) });
  const found = sim.violation;
  // On a thread when the walks were: the AbortSignal ends shrinking too (the walk is then kept as found).
  const shrinking = !found ? null : threaded
    ? await shrinkOnThread({ file: spec.source!.file, code: spec.source!.code, compile: spec.source!.options, finding: found, deadlock: options.deadlock ?? true },
      { deadline, interrupt: interruptOf(signal) ?? { stop: false } }, workerScript('simulate-worker.js')!)
    : await shrink(spec, found, { deadlock: options.deadlock ?? true });
  const shrunk = shrinking === null ? null : typeof shrinking === 'string' ? { path: found!.path } : shrinking;
  return {
    seed: sim.seed,
    runs: sim.runs,
    steps: sim.steps,
    distinctStates: sim.distinct,
    durationMs: sim.durationMs,
    stopReason: sim.stopReason,
    violation: found && shrunk ? { property: found.property, kind: found.kind, trace: replayPath(spec, shrunk.path), originalLength: found.path.length } : null,
    witnesses: sim.witnesses.map((w) => ({ property: w.property, trace: w.path ? replayPath(spec, w.path) : null })),
  };
}

/** Re-runs a trace by its replay path (`'0/2/1'`, as reports print it, or the numbers). */
export function replay(spec: CompiledSpec, path: string | readonly number[]): Trace {
  return replayPath(spec, typeof path === 'string' ? parsePath(path) : path);
}

/** The words that choose this spec's params, variant and properties on a command line. */
function commandWords(spec: CompiledSpec): string[] {
  const chosen = spec.source?.options;
  return [
    ...Object.entries(chosen?.params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${String(v)}`]),
    ...(spec.variant ? ['--variant', spec.variant] : []),
    ...(chosen?.properties ?? []).flatMap((p) => ['--property', p]),
  ];
}

/** The report `synod check` prints: verdict, counts, coverage, witnesses, traces and replay commands. */
export function textReport(result: CheckResult, spec: CompiledSpec): string {
  return formatReport(result, { specFile: spec.source?.file ?? `${spec.name}.ts`, runArgs: commandWords(spec), docs: propertyDocs(spec) });
}

/** The summary `synod check --json` prints, as a plain object. */
export function summaryJSON(result: CheckResult): Record<string, unknown> {
  return summary(result);
}

/** A trace in the Informal Trace Format (ITF) of Apalache and Quint, as a plain object. */
export function itfTrace(trace: Trace, spec: CompiledSpec, property?: string): unknown {
  return traceITF(trace, spec.stateType, { source: spec.source?.file, spec: spec.name, variant: spec.variant, params: spec.params, ...(property ? { property } : {}) });
}

/** Writes a trace as ITF JSON, as `--trace-out` does (atomically; SYN107 when it cannot). */
export function writeITF(file: string, trace: Trace, spec: CompiledSpec, property?: string): void {
  writeAtomic(file, `${JSON.stringify(itfTrace(trace, spec, property), null, 2)}\n`, 'the ITF trace');
}
