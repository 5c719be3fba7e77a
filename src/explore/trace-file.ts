// Opening a saved counterexample (an ITF trace written by `check --trace-out` or `results`):
// its meta names the spec, variant and params, and holds the replay path; the path is checked
// against the states in the file, and when it is missing the states are matched step by step.
// A lasso (a liveness counterexample) has ITF's `loop`: after the last state comes states[loop];
// when loop is not the last index, the replay path has one more step, back to that state.
import { readFileSync } from 'node:fs';
import type { CompiledSpec } from '../spec/compile.js';
import { codes, SpecError } from '../spec/errors.js';
import { toITF } from '../report/values.js';
import { canonicalize, parsePath, replay, whileReplaying } from '../check/replay.js';
import { formatAction } from '../report/format.js';
import type { TraceStep } from '../report/model.js';
import { expand } from '../check/successors.js';

export interface SavedTrace {
  file: string;
  /** The spec file it came from, when the writer recorded it. */
  source: string | null;
  spec: string | null;
  variant: string | null;
  params: Record<string, string | number | boolean>;
  replayPath: string | null;
  property: string | null;
  /** A lasso's loop (the index the behaviour goes back to, or the last index: stuttering); else null. */
  loop: number | null;
  /** The ITF states, without their #meta. */
  states: unknown[];
}

const ITF_HINT = 'give an ITF trace written by `synod check --trace-out` (results/*.itf.json)';

export function readTraceFile(file: string): SavedTrace {
  let doc: any;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SpecError(codes.badOption, `cannot read the trace ${file}: ${(e as Error).message}`, ITF_HINT);
  }
  const meta = doc?.['#meta'] ?? {};
  if (!Array.isArray(doc?.states) || doc.states.length === 0) {
    throw new SpecError(codes.badOption, `${file} is not an ITF trace (no states)`, ITF_HINT);
  }
  const bad = doc.states.findIndex((st: unknown) => st === null || typeof st !== 'object' || Array.isArray(st));
  if (bad >= 0) {
    throw new SpecError(codes.badOption, `${file} is not an ITF trace: its state ${bad + 1} is ${JSON.stringify(doc.states[bad])}, not an object of variables`, ITF_HINT);
  }
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const loop = doc.loop ?? null;
  if (loop !== null && !(Number.isInteger(loop) && loop >= 0 && loop < doc.states.length)) {
    throw new SpecError(codes.badOption, `${file} has loop ${JSON.stringify(loop)}, not the index of one of its ${doc.states.length} states`, 'ITF\'s loop is the index of the state that follows the last one');
  }
  return {
    file,
    source: text(meta.source),
    spec: text(meta.spec),
    variant: text(meta.variant),
    params: meta.params && typeof meta.params === 'object' ? meta.params : {},
    replayPath: text(meta.replayPath),
    property: text(meta.property),
    loop,
    states: doc.states.map(({ '#meta': _m, ...vars }: Record<string, unknown>) => vars),
  };
}

const same = (spec: CompiledSpec, s: unknown, itf: unknown): boolean => JSON.stringify(toITF(spec.stateType, s)) === JSON.stringify(itf);

/** The replay path of a saved trace under `spec`: its recorded path if it replays to the same states, else found by matching states. */
export function pathOfTrace(spec: CompiledSpec, saved: SavedTrace): string {
  // A cycling lasso's path ends with the step back to states[loop].
  const states = saved.loop !== null && saved.loop < saved.states.length - 1 ? [...saved.states, saved.states[saved.loop]] : saved.states;
  if (saved.replayPath !== null) {
    try {
      const trace = replay(spec, parsePath(saved.replayPath));
      if (trace.steps.length === states.length && trace.steps.every((s, i) => same(spec, s.state, states[i]))) return trace.path;
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
    }
  }
  const mismatch = (at: string): never => {
    throw new SpecError(codes.badOption, `the trace in ${saved.file} does not fit spec '${spec.name}'${spec.variant ? ` --variant ${spec.variant}` : ''}: ${at}`,
      'open it with the spec, variant and params it was written for (the spec may have changed since)');
  };
  // Spec code that throws on the way is a coded error (SYN3xx) naming the action, as in replay.
  const path: number[] = [];
  const steps: TraceStep[] = [];
  const none = { spec, property: '', action: null, args: [], state: undefined };
  const inits = whileReplaying(steps, path, { ...none, phase: 'init' }, () => spec.initStates());
  const start = inits.findIndex((s) => same(spec, whileReplaying(steps, path, { ...none, phase: 'encode', state: s }, () => canonicalize(spec, s)), states[0]));
  if (start < 0) mismatch('its first state is not an initial state');
  path.push(start);
  let cur = canonicalize(spec, inits[start]);
  steps.push({ action: null, args: [], label: 'Initial predicate', state: cur });
  for (let i = 1; i < states.length; i++) {
    let n = 0;
    let found = -1;
    let next: TraceStep | undefined;
    whileReplaying(steps, path, { ...none, phase: 'encode' }, () => expand(spec, cur, (s, a, args) => {
      const k = n++;
      if (found >= 0) return;
      const c = whileReplaying(steps, path, { ...none, phase: 'encode', action: a, args, state: s }, () => canonicalize(spec, s));
      if (same(spec, c, states[i])) {
        found = k;
        next = { action: a.name, args, label: formatAction(a.name, args), state: c };
      }
    }));
    if (found < 0) mismatch(`no action leads from its state ${i} to ${i < saved.states.length ? `its state ${i + 1}` : `its state ${saved.loop! + 1}, where its loop goes back`}`);
    path.push(found);
    steps.push(next!);
    cur = next!.state;
  }
  return path.join('/');
}
