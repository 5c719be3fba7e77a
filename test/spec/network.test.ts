// The declared network and crash-restart helpers: their generated actions and their semantics.
import { List, Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { always, check, compileSpec, crashRestart, defineSpec, network, sometimes, t } from 'synod';

/** n1 sends two numbered messages to n2; n2 records the order they arrive in. */
function pingSpec(ordering: 'unordered' | 'fifo', loss: boolean, duplicate = false) {
  return defineSpec({
    name: 'ping',
    types: () => {
      const Node = t.scalarset('Node', 2, { symmetric: false });
      const Msg = t.union('type', { Ping: { from: Node, to: Node, n: t.int(1, 2) } });
      const net = network({ field: 'net', message: Msg, ordering, loss, duplicate, channel: { from: 'from', to: 'to', node: Node } });
      return { Node, Msg, net, state: t.record({ sent: t.int(0, 2), got: t.seq(t.int(1, 2), 3), net: net.type as any }) };
    },
    init: (T) => T.state.make({ sent: 0, got: List(), net: T.net.empty() as any }),
    actions: (T) => ({
      Send: {
        when: (s) => s.sent < 2,
        then: (s) => T.net.send(s.set('sent', s.sent + 1), T.Msg.make({ type: 'Ping', from: 'n1', to: 'n2', n: s.sent + 1 })),
      },
      ...T.net.actions({ Ping: { when: (s: any) => s.got.size < 3, then: (s: any, m: any) => s.set('got', s.got.push(m.n)) } }),
    }),
    properties: (_T) => ({
      inOrder: always((s) => s.got.size < 2 || s.got.get(0)! <= s.got.get(1)!),
      twoArrive: sometimes((s) => s.got.size === 2),
    }),
  });
}

const run = (spec: ReturnType<typeof pingSpec>) => check(compileSpec(spec), { deadlock: false, continueAfterViolation: true });

describe('network', () => {
  it('an unordered network can reorder; a FIFO one cannot', async () => {
    const unordered = await run(pingSpec('unordered', false));
    expect(unordered.violations.map((v) => v.property)).toEqual(['inOrder']);
    expect(unordered.violations[0]!.trace!.steps.map((s) => s.label)).toEqual(['Initial predicate', 'Send', 'Send', 'ReceivePing(Ping(from: n1, to: n2, n: 2))', 'ReceivePing(Ping(from: n1, to: n2, n: 1))']);
    const fifo = await run(pingSpec('fifo', false));
    expect(fifo.verdict).toBe('ok');
  });

  it('loss generates Drop; without loss every message arrives', async () => {
    const lossy = compileSpec(pingSpec('fifo', true));
    expect(lossy.actions.map((a) => a.name)).toEqual(['Send', 'ReceivePing', 'Drop']);
    expect(compileSpec(pingSpec('fifo', false)).actions.map((a) => a.name)).toEqual(['Send', 'ReceivePing']);
    const r = await run(pingSpec('fifo', true));
    expect(r.coverage.find((c) => c.action === 'Drop')!.enabled).toBeGreaterThan(0);
  });

  it('a duplicating network delivers a message again', async () => {
    // Ping 1 can arrive twice: got = <<1, 1>> is reachable; with consuming delivery it is not.
    const withDup = await check(compileSpec({ ...pingSpec('unordered', false, true), properties: () => ({ noRepeat: always((s: any) => !(s.got.size >= 2 && s.got.get(0) === s.got.get(1))) }) } as any), { deadlock: false });
    const noDup = await check(compileSpec({ ...pingSpec('unordered', false), properties: () => ({ noRepeat: always((s: any) => !(s.got.size >= 2 && s.got.get(0) === s.got.get(1))) }) } as any), { deadlock: false });
    expect(withDup.verdict).toBe('violation');
    expect(noDup.verdict).toBe('ok');
  });

  it('refuses a handler for an unknown message kind, and a full FIFO channel', () => {
    const Node = t.scalarset('Node', 2);
    const Msg = t.union('type', { A: { from: Node, to: Node } });
    const net = network({ field: 'net', message: Msg, ordering: 'fifo', capacity: 1, channel: { from: 'from', to: 'to', node: Node } });
    // A spec that is not type-checked (the CLI loads specs with esbuild) still gets the run-time error.
    // @ts-expect-error the network has no message kind 'B'
    expect(() => net.actions({ B: (s: unknown) => s })).toThrow(/no message kind 'B'/);
    const S = t.record({ net: net.type as any });
    const s0 = S.make({ net: net.empty() as any });
    const m = Msg.make({ type: 'A', from: 'n1', to: 'n2' });
    const s1 = net.send(s0, m);
    expect(net.canSend(s1, m)).toBe(false);
    expect(() => net.send(s1, m)).toThrow(/is full/);
    expect(net.inFlight(s1)).toHaveLength(1);
  });
});

describe('crashRestart', () => {
  const spec = defineSpec({
    name: 'crashy',
    types: () => {
      const Node = t.scalarset('Node', 2);
      return { Node, state: t.record({ up: t.map(Node, t.bool()), term: t.map(Node, t.int(0, 1)), votes: t.map(Node, t.int(0, 1)) }) };
    },
    init: (T) => T.state.make({ up: IMap(T.Node.values.map((n) => [n, true] as const)), term: IMap(T.Node.values.map((n) => [n, 0] as const)), votes: IMap(T.Node.values.map((n) => [n, 0] as const)) }),
    actions: (T) => {
      const crash = crashRestart<any>({ node: T.Node, up: 'up', volatile: { votes: 0 }, maxDown: 1 });
      return {
        Work: { over: [T.Node], when: (s, n) => crash.isUp(s, n) && s.term.get(n) === 0, then: (s, n) => s.setIn(['term', n], 1).setIn(['votes', n], 1) },
        ...crash.actions(),
      };
    },
    properties: (_T) => ({
      termSurvives: always.step((s, next) => next.term.every((v, n) => v >= s.term.get(n)!)),
      bothDown: sometimes((s) => s.up.every((u) => !u)),
      votesReset: sometimes((s) => s.term.get('n1') === 1 && s.votes.get('n1') === 0),
    }),
  });

  it('restart resets volatile fields, keeps durable ones, and respects maxDown', async () => {
    const r = await check(compileSpec(spec), { deadlock: false, continueAfterViolation: true, symmetry: false });
    expect(r.violations.map((v) => [v.property, v.kind])).toEqual([['bothDown', 'sometimes']]);
    expect(r.witnesses.find((w) => w.property === 'votesReset')!.trace!.steps.map((s) => s.label)).toEqual(['Initial predicate', 'Work(n1)', 'Crash(n1)', 'Restart(n1)']);
  });
});

describe('perState', () => {
  it('computes once per state object', async () => {
    const { perState } = await import('synod');
    let calls = 0;
    const f = perState((s: { n: number }) => { calls++; return s.n * 2; });
    const a = { n: 1 };
    expect([f(a), f(a), f({ n: 2 })]).toEqual([2, 2, 4]);
    expect(calls).toBe(2);
  });
});
