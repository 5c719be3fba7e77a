// The client histories a trace records, for the explorer's timeline: for each property that
// judges a history (linearizable(), sequentiallyConsistent()), its operations at the trace's
// last state, each placed at the trace steps that called and returned it, and, when the history
// breaks the property, the operations no order explains together and why.
import type { CompiledSpec } from '../spec/compile.js';
import type { HistoryView } from '../spec/define.js';
import type { Trace } from '../report/model.js';

export interface TimelineOp {
  id: number;
  process: string;
  text: string;
  /** The trace steps (0-based) that recorded its call and its return (null: still pending). */
  callStep: number;
  retStep: number | null;
  /** Part of the core of a violation: these operations cannot all be explained. */
  core: boolean;
}

export interface Timeline {
  property: string;
  doc: string | null;
  processes: string[];
  ops: TimelineOp[];
  violated: boolean;
  explanation: string | null;
}

export function historiesOf(spec: CompiledSpec, trace: Trace): Timeline[] {
  const out: Timeline[] = [];
  for (const p of spec.invariants) {
    if (!p.history) continue;
    const views: HistoryView[] = trace.steps.map((s) => p.history!(s.state));
    const last = views.at(-1)!;
    // Event e was recorded by the first step whose history is longer than e.
    const stepOf = (e: number): number => views.findIndex((v) => v.events > e);
    const core = new Set(last.violation?.core ?? []);
    out.push({
      property: p.name,
      doc: p.doc,
      processes: [...new Set(last.ops.map((o) => o.process))],
      ops: last.ops.map((o) => ({ id: o.id, process: o.process, text: o.text, callStep: stepOf(o.call), retStep: o.ret === null ? null : stepOf(o.ret), core: core.has(o.id) })),
      violated: last.violation !== null,
      explanation: last.violation?.explanation ?? null,
    });
  }
  return out;
}
