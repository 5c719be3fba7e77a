// A history as text: one line per process, each operation an interval from its call to its
// return, placed so that an operation drawn wholly left of another returned before it was called.
import { show, type Operation } from './history.js';
import { byProcess } from './sequential-consistency.js';

/** `Read -> 1`, `Write(1)` (a pending operation has no result yet). */
export function opText(o: Operation): string {
  return o.result === null || o.result === undefined ? show(o.op) : `${show(o.op)} -> ${show(o.result)}`;
}

/** `Read -> 1 by Reader(a)`, `Write(1) by Writer (pending)`, for sentences. */
export function opName(o: Operation): string {
  return `${opText(o)} by ${show(o.process)}${o.ret === Infinity ? ' (pending)' : ''}`;
}

/** The timeline lines: `Reader(a)  |Read -> 1--|` (a pending operation runs off the end: `...>`). */
export function timeline(ops: readonly Operation[]): string[] {
  if (ops.length === 0) return ['(no operations)'];
  const events = ops.flatMap((o) => (o.ret === Infinity ? [{ at: o.call, o, call: true }] : [{ at: o.call, o, call: true }, { at: o.ret, o, call: false }]))
    .sort((a, b) => a.at - b.at);
  // Event columns: two apart at least, and a return far enough right of its call for the label.
  const x = new Map<number, number>();
  let col = 0;
  for (const e of events) {
    if (!e.call) col = Math.max(col, x.get(e.o.call)! + opText(e.o).length + 2);
    x.set(e.at, col);
    col += 2;
  }
  const lanes = byProcess(ops);
  const names = lanes.map((l) => show(l[0]!.process));
  const width = Math.max(...names.map((n) => n.length));
  const end = col + 2;
  return lanes.map((lane, i) => {
    const line = Array.from({ length: end + 3 }, () => ' ');
    for (const o of lane) {
      const from = x.get(o.call)!;
      const to = o.ret === Infinity ? end : x.get(o.ret)!;
      for (let c = from; c <= to; c++) line[c] = '-';
      line[from] = '|';
      [...opText(o)].forEach((ch, k) => (line[from + 1 + k] = ch));
      if (o.ret === Infinity) line.splice(end, 3, '.', '.', '>');
      else line[to] = '|';
    }
    return `${names[i]!.padEnd(width)}  ${line.join('').trimEnd()}`;
  });
}
