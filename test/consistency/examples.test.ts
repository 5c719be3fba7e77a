// Known histories from the literature, with their verdicts, and what the explanation says.
import { describe, expect, it } from 'vitest';
import { explain, isLinearizable, isSequentiallyConsistent, kvMap, operationsOf, queue, register, timeline } from 'synod';

/** Events in the compact form ['call', process, op] / ['ret', process, result]. */
const h = (...events: Array<[string, string, unknown]>) =>
  operationsOf(events.map(([e, process, x]) => (e === 'call' ? { event: 'Call', process, op: x } : { event: 'Ret', process, result: x })));
const W = (value: number) => ({ type: 'Write', value });
const R = { type: 'Read' };
const Enq = (value: string) => ({ type: 'Enqueue', value });
const Deq = { type: 'Dequeue' };
const Put = (key: string, value: number) => ({ type: 'Put', key, value });
const Get = (key: string) => ({ type: 'Get', key });

describe('known histories', () => {
  it('Herlihy and Wing: A enqueues x, then B enqueues y, then A dequeues y: SC but not linearizable', () => {
    const ops = h(['call', 'A', Enq('x')], ['ret', 'A', null], ['call', 'B', Enq('y')], ['ret', 'B', null], ['call', 'A', Deq], ['ret', 'A', 'y']);
    expect(isLinearizable(ops, queue())).toBe(false);
    expect(isSequentiallyConsistent(ops, queue())).toBe(true);
  });

  it('Herlihy and Wing: overlapping enqueues may take effect in either order', () => {
    const ops = h(['call', 'A', Enq('x')], ['call', 'B', Enq('y')], ['ret', 'B', null], ['ret', 'A', null],
      ['call', 'B', Deq], ['ret', 'B', 'y'], ['call', 'A', Deq], ['ret', 'A', 'x']);
    expect(isLinearizable(ops, queue())).toBe(true);
  });

  it('a read that returned the new value, then a later read of the old one (new-old inversion): SC, not linearizable', () => {
    const ops = h(['call', 'w', W(1)], ['call', 'a', R], ['ret', 'a', 1], ['call', 'b', R], ['ret', 'b', 0]);
    expect(isLinearizable(ops, register(0))).toBe(false);
    expect(isSequentiallyConsistent(ops, register(0))).toBe(true);
    // Both reads in the other order are fine: the write took effect between them.
    const fine = h(['call', 'w', W(1)], ['call', 'a', R], ['ret', 'a', 0], ['call', 'b', R], ['ret', 'b', 1]);
    expect(isLinearizable(fine, register(0))).toBe(true);
  });

  it('a stale read after a completed write (another process): SC, not linearizable; the same process: neither', () => {
    const other = h(['call', 'w', W(1)], ['ret', 'w', null], ['call', 'r', R], ['ret', 'r', 0]);
    expect([isLinearizable(other, register(0)), isSequentiallyConsistent(other, register(0))]).toEqual([false, true]);
    const same = h(['call', 'w', W(1)], ['ret', 'w', null], ['call', 'w', R], ['ret', 'w', 0]);
    expect([isLinearizable(same, register(0)), isSequentiallyConsistent(same, register(0))]).toEqual([false, false]);
  });

  it('a pending write may have taken effect, or not', () => {
    expect(isLinearizable(h(['call', 'w', W(1)], ['call', 'r', R], ['ret', 'r', 1]), register(0))).toBe(true);
    expect(isLinearizable(h(['call', 'w', W(1)], ['call', 'r', R], ['ret', 'r', 0]), register(0))).toBe(true);
    expect(isLinearizable(h(['call', 'w', W(1)], ['call', 'r', R], ['ret', 'r', 2]), register(0))).toBe(false);
  });

  it('store buffering (Dekker): each key alone is fine, together not SC; linearizability is local, SC is not', () => {
    const ops = h(['call', 'p', Put('x', 1)], ['call', 'q', Put('y', 1)], ['ret', 'p', null], ['ret', 'q', null],
      ['call', 'p', Get('y')], ['call', 'q', Get('x')], ['ret', 'p', 0], ['ret', 'q', 0]);
    expect(isSequentiallyConsistent(ops, kvMap(0))).toBe(false);
    expect(isLinearizable(ops, kvMap(0))).toBe(false);
    for (const key of ['x', 'y']) {
      expect(isSequentiallyConsistent(ops.filter((o: any) => o.op.key === key), kvMap(0))).toBe(true);
    }
  });

  it('a linearizable key-value history is split by key (a per-key violation is still found)', () => {
    const ops = h(['call', 'p', Put('x', 1)], ['ret', 'p', null], ['call', 'q', Put('y', 2)], ['ret', 'q', null],
      ['call', 'q', Get('x')], ['ret', 'q', 1], ['call', 'p', Get('y')], ['ret', 'p', 0]);
    expect(isLinearizable(ops, kvMap(0))).toBe(false);
    expect(isLinearizable(ops.slice(0, 3), kvMap(0))).toBe(true);
  });
});

describe('explanations', () => {
  const inversion = h(['call', 'w', W(1)], ['call', 'a', R], ['ret', 'a', 1], ['call', 'b', R], ['ret', 'b', 0]);

  it('the timeline draws one line per process, operations as intervals, pending ones running off', () => {
    expect(timeline(inversion)).toEqual([
      'w  |Write(1)---------------------..>',
      'a    |Read -> 1-|',
      'b                 |Read -> 0-|',
    ]);
  });

  it('the new-old inversion: what each read needs and what real time forces', () => {
    const text = explain('linearizable', inversion, register(0));
    expect(text).toContain('Read -> 1 by a returned (event 2) before Read -> 0 by b was called (event 3), so it comes first');
    expect(text).toContain('Read -> 1 by a is explained only with Write(1) by w (pending) before it');
    expect(text).toContain('Read -> 0 by b is explained only with Write(1) by w (pending) not before it');
    expect(text).not.toContain('Write(1) by w (pending) is explained'); // a write's result needs nothing
    expect(text).toContain('it became so when Read -> 0 by b returned (event 4)');
  });

  it('the core leaves out operations that play no part', () => {
    const more = h(['call', 'c', W(2)], ['ret', 'c', null], ['call', 'c', R], ['ret', 'c', 2],
      ['call', 'w', W(1)], ['call', 'a', R], ['ret', 'a', 1], ['call', 'b', R], ['ret', 'b', 2]);
    expect(isLinearizable(more, register(0))).toBe(false);
    const text = explain('linearizable', more, register(0));
    expect(text).not.toContain('Read -> 2 by c');
    expect(text).toMatch(/No order of these 4 operations/);
  });

  it('a result no order gives is named as such', () => {
    const text = explain('linearizable', h(['call', 'r', R], ['ret', 'r', 5]), register(0));
    expect(text).toBe('Read -> 5 by r: no sequence of these operations gives that result; the register never returns it here.');
  });

  it('sequential consistency speaks of program order', () => {
    const ops = h(['call', 'w', W(1)], ['ret', 'w', null], ['call', 'w', R], ['ret', 'w', 0]);
    expect(explain('sequentially consistent', ops, register(0))).toContain('Write(1) by w comes before Read -> 0 by w in the program order of w');
  });
});
