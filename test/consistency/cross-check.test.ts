// The fast checkers (Wing-Gong with Lowe's memo, per-key split; the SC search) against the
// brute-force reference on random small histories of a register, a queue and a key-value map.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLinearizable, isSequentiallyConsistent, kvMap, operationsOf, queue, register, type Model } from 'synod';
import { bruteLinearizable, bruteSequentiallyConsistent } from './brute.js';

interface Kind {
  model: Model;
  op: fc.Arbitrary<any>;
  /** A result for op, drawn from a small domain so that wrong ones are common. */
  result: (op: any) => fc.Arbitrary<unknown>;
}

const value = fc.constantFrom(1, 2);
const kinds: Record<string, Kind> = {
  register: {
    model: register(0),
    op: fc.oneof(value.map((v) => ({ type: 'Write', value: v })), fc.constant({ type: 'Read' })),
    result: (op) => (op.type === 'Write' ? fc.constant(null) : fc.constantFrom(0, 1, 2)),
  },
  queue: {
    model: queue(),
    op: fc.oneof(value.map((v) => ({ type: 'Enqueue', value: v })), fc.constant({ type: 'Dequeue' })),
    result: (op) => (op.type === 'Enqueue' ? fc.constant(null) : fc.constantFrom(null, 1, 2)),
  },
  kv: {
    model: kvMap(0),
    op: fc.oneof(
      fc.tuple(fc.constantFrom('x', 'y'), value).map(([key, v]) => ({ type: 'Put', key, value: v })),
      fc.constantFrom('x', 'y').map((key) => ({ type: 'Get', key })),
    ),
    result: (op) => (op.type === 'Put' ? fc.constant(null) : fc.constantFrom(0, 1, 2)),
  },
};

/**
 * A random history: up to 3 processes, each with a few operations, interleaved by a random
 * schedule (each pick calls the process's next operation or returns its pending one); what is
 * still open at the end stays pending.
 */
function histories(k: Kind) {
  const perProcess = fc.array(fc.array(k.op.chain((op) => k.result(op).map((r) => [op, r] as const)), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
  return perProcess.chain((procs) => {
    const total = procs.reduce((n, p) => n + p.length, 0);
    return fc.array(fc.nat(procs.length - 1), { minLength: 2 * total, maxLength: 2 * total }).map((schedule) => {
      const events: unknown[] = [];
      const next = procs.map(() => 0);
      const open = procs.map(() => false);
      for (const p of schedule) {
        const [op, result] = procs[p]![next[p]!] ?? [];
        if (open[p]) {
          events.push({ event: 'Ret', process: `p${p}`, result });
          open[p] = false;
          next[p]!++;
        } else if (op !== undefined) {
          events.push({ event: 'Call', process: `p${p}`, op });
          open[p] = true;
        }
      }
      return operationsOf(events);
    });
  }).filter((ops) => ops.length <= 6);
}

describe.each(Object.entries(kinds))('%s: fast checkers agree with trying every order', (_name, k) => {
  it.each([
    ['linearizability', isLinearizable, bruteLinearizable],
    ['sequential consistency', isSequentiallyConsistent, bruteSequentiallyConsistent],
  ] as const)('%s', (_what, fast, brute) => {
    const seen = new Set<boolean>();
    fc.assert(fc.property(histories(k), (ops) => {
      const expected = brute(ops, k.model);
      seen.add(expected);
      expect(fast(ops, k.model)).toBe(expected);
    }), { numRuns: 400, seed: 19 });
    expect([...seen].sort()).toEqual([false, true]); // both verdicts occurred: the test is not vacuous
  });

  it('every linearizable history is sequentially consistent', () => {
    fc.assert(fc.property(histories(k), (ops) => !isLinearizable(ops, k.model) || isSequentiallyConsistent(ops, k.model)), { numRuns: 300, seed: 7 });
  });
});
