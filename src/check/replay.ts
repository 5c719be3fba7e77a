// Rebuilds traces: start from an initial state and re-run the recorded successor ordinals, so
// every printed trace is a real execution of the spec's own actions.
import { codecOf, IDENTITY, Reader, Writer } from '../state/codec.js';
import { codes, SpecError } from '../spec/errors.js';
import type { CompiledSpec } from '../spec/compile.js';
import { formatAction } from '../report/format.js';
import { expand } from './successors.js';
import type { Trace, TraceStep } from '../report/model.js';

/** A state as the explorer sees it: decoded from its canonical bytes (canonical Set/Map order). */
export function canonicalize(spec: CompiledSpec, s: unknown): unknown {
  const codec = codecOf(spec.stateType);
  const w = new Writer();
  codec.encode(w, s, IDENTITY);
  return codec.decode(new Reader(w.take()));
}

export function parsePath(text: string): number[] {
  const parts = text.trim().split('/');
  if (parts.some((p) => !/^\d+$/.test(p))) {
    throw new SpecError(codes.badOption, `bad replay path '${text}'`, 'a replay path is numbers separated by slashes, like 0/2/1');
  }
  return parts.map(Number);
}

export function replay(spec: CompiledSpec, path: readonly number[]): Trace {
  const inits = spec.initStates();
  const start = path[0] ?? 0;
  if (start >= inits.length) {
    throw new SpecError(codes.badOption, `replay path starts at initial state ${start}, but there are ${inits.length}`);
  }
  let s = canonicalize(spec, inits[start]);
  const steps: TraceStep[] = [{ action: null, args: [], label: 'Initial predicate', state: s }];
  for (let i = 1; i < path.length; i++) {
    const want = path[i]!;
    let n = 0;
    let found: TraceStep | null = null;
    expand(spec, s, (next, a, args) => {
      if (n++ === want) found = { action: a.name, args, label: formatAction(a.name, args), state: next };
    });
    if (found === null) {
      throw new SpecError(codes.nondeterminism,
        `replay failed at step ${i}: the state has ${n} successors, the path asks for successor ${want}`,
        'either the replay path is wrong, or an action is not a pure function of the state');
    }
    const step = found as TraceStep;
    s = canonicalize(spec, step.state);
    steps.push({ ...step, state: s });
  }
  return { path: path.join('/'), steps };
}
