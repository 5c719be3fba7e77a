// Checked by test/types/typed-actions.test.ts (and by `npx tsc --noEmit`): every line after a
// `@ts-expect-error` must be a type error, and nothing else may be.
import { Map as IMap } from 'immutable';
import { expectTypeOf } from 'vitest';
import { action, defineSpec, network, t, type Actions, type Infer } from 'synod';

const types = () => {
  const Node = t.scalarset('Node', 3);
  const Msg = t.union('type', { Ping: { from: Node, n: t.int(0, 2) }, Pong: { to: Node } });
  const net = network({ field: 'msgs', message: Msg });
  return { Node, Msg, net, state: t.record({ count: t.map(Node, t.int(0, 3)), msgs: net.type }) };
};
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;
type Ping = Extract<Infer<Types['Msg']>, { type: 'Ping' }>;

export const spec = defineSpec({
  name: 'typed',
  params: { mode: { default: 'fast', choices: ['fast', 'slow'] }, n: 2 },
  types,
  init: (T) => T.state.make({ count: IMap(T.Node.values.map((n) => [n, 0] as const)), msgs: T.net.empty() }),
  actions: (T, p) => {
    expectTypeOf(p.mode).toEqualTypeOf<'fast' | 'slow'>();
    expectTypeOf(p.n).toEqualTypeOf<number>();
    // @ts-expect-error a choices param is its union: 'medium' is not one of them
    const medium = p.mode === 'medium';
    void medium;
    return {
      Bump: action({
        over: [T.Node, [1, 2], (s) => s.count.keySeq()],
        when: (s, n, k, m) => {
          expectTypeOf(s).toEqualTypeOf<S>();
          expectTypeOf(n).toEqualTypeOf<string>();
          expectTypeOf(k).toEqualTypeOf<1 | 2>();
          expectTypeOf(m).toEqualTypeOf<string>();
          // @ts-expect-error a Node id is not a number
          const a: number = n;
          return a === k && n !== m;
        },
        then: (s, n, k) => s.setIn(['count', n], k),
      }),
      Earlier: action({
        over: [T.Node, (s, n: string) => [s.count.get(n)!]],
        then: (s, n, c) => {
          expectTypeOf(c).toEqualTypeOf<number>();
          return s.setIn(['count', n], c);
        },
      }),
      // The plain object form still compiles (specs written before action()), untyped.
      Legacy: {
        over: [T.Node],
        when: (s, n) => {
          expectTypeOf(n).toBeAny();
          return s.count.get(n) === 0;
        },
        then: (s, n) => s.setIn(['count', n], 1),
      },
      // @ts-expect-error an action's then takes no more parameters than it has domains
      TooMany: action({ over: [T.Node], then: (s, _n, extra: number) => s.setIn(['count', 'n1'], extra) }),
      ...T.net.actions({
        Ping: (s, m) => {
          expectTypeOf(m).toEqualTypeOf<Ping>();
          // @ts-expect-error a Ping has no field 'to'
          return m.to === 'n1' ? s : s.setIn(['count', m.from], m.n);
        },
      }),
      // @ts-expect-error the network has no message kind 'Pang'
      ...T.net.actions({ Pang: (s) => s }),
    };
  },
});

/** Actions built by a helper take the state type from its declared return type. */
export function helperActions(T: Types): Actions<S> {
  return {
    Reset: action({ over: [T.Node], then: (s, n) => s.setIn(['count', n], 0) }),
  };
}
