// The slow reference: try every order of the operations (and every choice of which pending
// operations took effect) and keep the first that explains every result.
import type { Model, Operation } from 'synod';

const same = (a: unknown, b: unknown) => a === b || (typeof (a as any)?.equals === 'function' && (a as any).equals(b));

function* permutations<T>(xs: readonly T[]): Generator<T[]> {
  if (xs.length === 0) yield [];
  for (let i = 0; i < xs.length; i++) {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i]!, ...rest];
  }
}

function explains(order: readonly Operation[], model: Model): boolean {
  let s = model.init;
  for (const o of order) {
    const [next, r] = model.apply(s, o.op);
    if (o.ret !== Infinity && !same(r, o.result)) return false;
    s = next;
  }
  return true;
}

/** Orders of every subset that holds all completed operations. */
function* candidates(ops: readonly Operation[]): Generator<Operation[]> {
  const pending = ops.filter((o) => o.ret === Infinity);
  for (let mask = 0; mask < 1 << pending.length; mask++) {
    const chosen = ops.filter((o) => o.ret !== Infinity || mask & (1 << pending.indexOf(o)));
    yield* permutations(chosen);
  }
}

export function bruteLinearizable(ops: readonly Operation[], model: Model): boolean {
  for (const order of candidates(ops)) {
    const realTime = order.every((a, i) => order.slice(i + 1).every((b) => !(b.ret < a.call)));
    if (realTime && explains(order, model)) return true;
  }
  return false;
}

export function bruteSequentiallyConsistent(ops: readonly Operation[], model: Model): boolean {
  for (const order of candidates(ops)) {
    const program = order.every((a, i) => order.slice(i + 1).every((b) => !(same(a.process, b.process) && b.call < a.call)));
    if (program && explains(order, model)) return true;
  }
  return false;
}
