// The action instances at one state, enabled or not and why: what the explorer lists, and what
// a lasso's fairness is judged by.
import type { CompiledSpec } from '../spec/compile.js';
import { canonicalize } from '../check/replay.js';
import { ActionFailure, call, dynamicInstances, nextStates } from '../check/successors.js';
import { formatAction } from '../report/format.js';

/** An action instance at a state: enabled (with the successor's ordinal) or not, and why. */
export type Instance =
  | { label: string; action: string; args: unknown[]; enabled: true; ordinal: number; next: unknown }
  | { label: string; action: string; enabled: false; reason: string };

/**
 * Every action instance at `s`, in the explorer's canonical order, with the successor ordinals
 * that replay paths use (the same numbering as successors.ts's expand()).
 */
export function instancesAt(spec: CompiledSpec, s: unknown): Instance[] {
  const out: Instance[] = [];
  let ordinal = 0;
  for (const a of spec.actions) {
    let instances: readonly unknown[][];
    try {
      instances = a.instances ?? dynamicInstances(a, s);
    } catch (e) {
      throw new ActionFailure(a, [], 'domain', e);
    }
    if (instances.length === 0) out.push({ label: a.name, action: a.name, enabled: false, reason: 'nothing to choose: its parameter domain is empty here' });
    for (const args of instances) {
      const label = formatAction(a.name, args);
      let ok: unknown;
      try {
        ok = a.when === undefined || call(a.when, s, args);
      } catch (e) {
        throw new ActionFailure(a, args, 'guard', e);
      }
      if (!ok) {
        out.push({ label, action: a.name, enabled: false, reason: 'its guard (when) is false' });
        continue;
      }
      const nexts = nextStates(a, s, args);
      if (nexts.length === 0) out.push({ label, action: a.name, enabled: false, reason: 'its effect gives no next state here' });
      nexts.forEach((next, k) => out.push({ label: nexts.length > 1 ? `${label} #${k + 1}` : label, action: a.name, args, enabled: true, ordinal: ordinal++, next: canonicalize(spec, next) }));
    }
  }
  return out;
}
