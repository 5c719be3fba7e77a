// Edge labels and fairness classes. A label names an action instance: actions with static
// parameter domains get one label per argument tuple, the others one label for the whole
// action. A fairness class is what one WF/SF conjunct talks about: a whole fair action, or one
// instance of an action declared fair '-each'.
import type { CompiledAction, CompiledSpec } from '../spec/compile.js';

export interface Labels {
  /** Number of labels. */
  readonly count: number;
  /** The label of an instance, given the args array the explorer passes (identity lookup). */
  of(action: CompiledAction, args: readonly unknown[]): number;
  /** The action and argument tuple behind a label (args null for a whole dynamic action). */
  describe(label: number): { action: CompiledAction; args: readonly unknown[] | null };
  /** Fairness class of each label (-1: not fair). */
  readonly classOf: Int32Array;
  /** Per class: strong (SF) or weak (WF). */
  readonly strong: readonly boolean[];
  /** Per class: a name for reports, like `WF(Deliver)` or `SF(Send(n1))`. */
  readonly names: readonly string[];
}

export function labelsOf(spec: CompiledSpec, formatAction: (name: string, args: readonly unknown[]) => string): Labels {
  const base: number[] = [];
  const byArgs: Array<Map<readonly unknown[], number> | null> = [];
  const owners: Array<{ action: CompiledAction; args: readonly unknown[] | null }> = [];
  for (const a of spec.actions) {
    base.push(owners.length);
    if (a.instances) {
      byArgs.push(new Map(a.instances.map((args, i) => [args, i])));
      for (const args of a.instances) owners.push({ action: a, args });
    } else {
      byArgs.push(null);
      owners.push({ action: a, args: null });
    }
  }
  const classOf = new Int32Array(owners.length).fill(-1);
  const strong: boolean[] = [];
  const names: string[] = [];
  for (const a of spec.actions) {
    if (!a.fair) continue;
    const kind = a.fair.strong ? 'SF' : 'WF';
    const first = base[a.index]!;
    const n = a.instances ? a.instances.length : 1;
    if (!a.fair.each) {
      for (let i = 0; i < n; i++) classOf[first + i] = strong.length;
      strong.push(a.fair.strong);
      names.push(`${kind}(${a.name})`);
    } else {
      for (let i = 0; i < n; i++) {
        classOf[first + i] = strong.length;
        strong.push(a.fair.strong);
        names.push(`${kind}(${formatAction(a.name, owners[first + i]!.args ?? [])})`);
      }
    }
  }
  return {
    count: owners.length,
    of(action, args) {
      const m = byArgs[action.index];
      if (m === null || m === undefined) return base[action.index]!;
      const i = m.get(args);
      if (i === undefined) throw new Error(`labels: unknown argument tuple for ${action.name}`);
      return base[action.index]! + i;
    },
    describe: (label) => owners[label]!,
    classOf,
    strong,
    names,
  };
}

/** The fairness a spec assumes, one entry per fair action: `WF(Deliver)`, `SF(Send each)`. */
export function fairnessOf(spec: CompiledSpec): string[] {
  return spec.actions.flatMap((a) => a.fair ? [`${a.fair.strong ? 'SF' : 'WF'}(${a.name}${a.fair.each ? ' each' : ''})`] : []);
}

/** The state predicates of the liveness properties (p, then q for leadsTo), in the order expanders flag them. */
export function predicatesOf(spec: CompiledSpec): Array<{ property: string; fn: (s: unknown) => boolean }> {
  return spec.liveness.flatMap((l) => [{ property: l.name, fn: l.p }, ...(l.q ? [{ property: l.name, fn: l.q }] : [])]);
}
