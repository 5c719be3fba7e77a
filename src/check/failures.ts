// Cold paths: turning an exception thrown by spec code into a report that names the action,
// its arguments, the field, and the state where it happened; and the determinism check.
import { codecOf, IDENTITY, InvalidValue, Writer } from '../state/codec.js';
import { findInvalid } from '../state/validate.js';
import type { KeyPhase } from '../state/state-keys.js';
import { codes, SpecError } from '../spec/errors.js';
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';
import { formatAction } from '../report/format.js';
import { ActionFailure, expand, NoNextState } from './successors.js';
import type { Failure } from '../report/model.js';

export type Phase = KeyPhase | 'init' | 'constraint' | 'invariant' | 'step' | 'witness' | 'terminal';

export interface FailureContext {
  spec: CompiledSpec;
  phase: Phase;
  property: string;
  action: CompiledAction | null;
  args: readonly unknown[];
  /** The state being encoded when the failure happened. */
  state: unknown;
  parentPath: number[];
}

export function causeOf(e: unknown): string {
  if (e instanceof Error) {
    const where = e.stack?.split('\n').slice(1).find((l) => !l.includes('node_modules') && !l.includes('/dist/') && !l.includes('node:'));
    const local = where?.trim().replace(`file://${process.cwd()}/`, '').replace(`${process.cwd()}/`, '');
    return `${e.message}${local ? `\n    ${local}` : ''}`;
  }
  return String(e);
}

export function describeFailure(e: unknown, ctx: FailureContext): Failure {
  const path = ctx.parentPath;
  const instance = ctx.action ? formatAction(ctx.action.name, ctx.args) : undefined;
  if (e instanceof ActionFailure) {
    const act = formatAction(e.action.name, e.args);
    const code = e.phase === 'guard' ? codes.guardThrew : codes.effectThrew;
    const what = e.phase === 'domain' ? `the parameter domain of ${e.action.name}` : `the ${e.phase === 'guard' ? 'guard (when)' : 'effect (then)'} of ${act}`;
    if (e.error instanceof NoNextState) {
      return { code, message: `${what} returned undefined`, hint: 'return the next state (a missing `return`?); return null or [] when the action has no next state', action: act, path };
    }
    return { code, message: `${what} threw: ${causeOf(e.error)}`, action: act, path };
  }
  if (e instanceof SpecError) return { code: e.code, message: e.message, hint: e.hint, path };
  if (ctx.phase === 'encode' && e instanceof InvalidValue) {
    const where = findInvalid(ctx.spec.stateType, ctx.state) ?? 'the state does not fit its declared type';
    const by = instance ? `action ${instance} produced` : 'init produced';
    return {
      code: codes.outsideType,
      message: `${by} a value outside the declared types: ${where}`,
      hint: 'build records with their type\'s make(), and keep ints within their t.int range',
      action: instance,
      path,
    };
  }
  const cause = causeOf(e);
  switch (ctx.phase) {
    case 'init': return { code: codes.initFailed, message: `init threw: ${cause}`, path: [] };
    case 'constraint': return { code: codes.constraintThrew, message: `the state constraint threw: ${cause}`, action: instance, path };
    case 'view': return { code: codes.constraintThrew, message: `the view threw: ${cause}`, action: instance, path };
    case 'terminal': return { code: codes.constraintThrew, message: `the terminal predicate threw: ${cause}`, path };
    case 'invariant':
    case 'step':
    case 'witness':
      return { code: codes.propertyThrew, message: `property '${ctx.property}' threw: ${cause}`, action: instance, path };
    default:
      throw e;
  }
}

/** Expands a state twice; a difference means an action is not a function of the state. */
export function checkDeterminism(spec: CompiledSpec, s: unknown): Omit<Failure, 'path'> | null {
  const codec = codecOf(spec.stateType);
  const run = (): Array<{ key: string; action: string }> => {
    const out: Array<{ key: string; action: string }> = [];
    const w = new Writer();
    expand(spec, s, (next, a, args) => {
      w.reset();
      codec.encode(w, next, IDENTITY);
      out.push({ key: w.take().join(','), action: formatAction(a.name, args) });
    });
    return out;
  };
  let first, second;
  try {
    first = run();
    second = run();
  } catch {
    return null; // the main expansion meets the same error and reports it
  }
  const n = Math.max(first.length, second.length);
  for (let i = 0; i < n; i++) {
    if (first[i]?.key !== second[i]?.key || first[i]?.action !== second[i]?.action) {
      const act = first[i]?.action ?? second[i]?.action;
      return {
        code: codes.nondeterminism,
        message: `non-determinism: evaluating the actions twice on the same state gave different successors (first at successor ${i + 1}, action ${act})`,
        hint: 'guards and effects must be pure functions of the state and their arguments: no Math.random(), Date.now() or outside mutable state',
        action: act,
      };
    }
  }
  return null;
}
