// Sequential consistency (Lamport 1979): some interleaving of the processes' operations, each
// process's in its own program order, explains every result. Real time does not count. The
// search picks which process goes next, memoised on (how far each process is, model state).
// It is not local, so the whole history is searched at once, whatever the model's partition.
import { sameValue, type Operation } from './history.js';
import { Seen } from './memo.js';
import type { Model } from './models.js';

/** Each process's operations in program order (processes in order of their first call). */
export function byProcess(ops: readonly Operation[]): Operation[][] {
  const lanes: Operation[][] = [];
  for (const o of [...ops].sort((a, b) => a.call - b.call)) {
    const lane = lanes.find((l) => sameValue(l[0]!.process, o.process));
    if (lane) lane.push(o);
    else lanes.push([o]);
  }
  return lanes;
}

/** True when an interleaving in program order explains every returned result. */
export function isSequentiallyConsistent(ops: readonly Operation[], model: Model): boolean {
  const lanes = byProcess(ops);
  // A process's last operation may be pending: it may take effect (with any result) or not.
  const needed = lanes.map((l) => l.filter((o) => o.ret !== Infinity).length);
  const at = lanes.map(() => 0);
  const seen = new Seen();
  const search = (state: unknown): boolean => {
    if (at.every((k, i) => k >= needed[i]!)) return true;
    if (!seen.add(at.join(','), state)) return false;
    for (let i = 0; i < lanes.length; i++) {
      const o = lanes[i]![at[i]!];
      if (o === undefined) continue;
      const [next, result] = model.apply(state, o.op);
      if (o.ret !== Infinity && !sameValue(result, o.result)) continue;
      at[i]!++;
      const ok = search(next);
      at[i]!--;
      if (ok) return true;
    }
    return false;
  };
  return search(model.init);
}
