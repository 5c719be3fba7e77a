/**
 * A starter spec, written by `synod init`: clients share one lock. Edit it into your protocol.
 *
 * Protocol: an idle client takes the lock when nobody holds it (one atomic test-and-set),
 * works while it holds the lock, and releases it. Clients are a scalarset: they are
 * interchangeable, so synod folds states that differ only by their names (symmetry).
 *
 * Properties
 * - mutualExclusion: at most one client holds the lock.
 * - someoneWorks (sometimes): some client does get the lock, so the spec is not vacuous.
 *
 * Variants
 * - checkThenAct: a client first sees that the lock is free and takes it in a later step; in
 *   between another client can take it too, and both hold it. `synod check` prints that run.
 *
 * Params: clients, how many clients share the lock (default 2).
 *
 * Try: synod check lock.ts; synod check lock.ts --variant checkThenAct; synod list lock.ts
 */
import { Map } from 'immutable';
import { always, defineSpec, sometimes, t } from 'synod';

export default defineSpec({
  name: 'lock',
  description: 'Clients share one lock; the checkThenAct variant takes it in two steps',
  params: { clients: { default: 2, min: 1, max: 6, doc: 'how many clients share the lock' } },
  // The state: a record of typed fields. The types bound the values and drive the encoding.
  types: (p) => {
    const Client = t.scalarset('Client', p.clients);
    const state = t.record({
      phase: t.map(Client, t.enum('idle', 'sawFree', 'holding')),
      locked: t.bool(),
    });
    return { Client, state };
  },
  // The initial state: every client idle, the lock free.
  init: (T) => T.state.make({ phase: Map(T.Client.values.map((c) => [c, 'idle'] as const)), locked: false }),
  // Actions: `over` lists the parameter domains, `when` is a pure guard, `then` returns the next state.
  actions: (T) => ({
    Acquire: {
      over: [T.Client],
      when: (s, c) => s.phase.get(c) === 'idle' && !s.locked,
      then: (s, c) => s.setIn(['phase', c], 'holding').set('locked', true),
    },
    Release: {
      over: [T.Client],
      when: (s, c) => s.phase.get(c) === 'holding',
      then: (s, c) => s.setIn(['phase', c], 'idle').set('locked', false),
    },
  }),
  // Properties: `always` must hold in every reachable state, `sometimes` in at least one.
  properties: (T) => ({
    mutualExclusion: always((s) => T.Client.values.filter((c) => s.phase.get(c) === 'holding').length <= 1,
      'at most one client holds the lock'),
    someoneWorks: sometimes((s) => s.locked, 'some client gets the lock'),
  }),
  variants: {
    checkThenAct: {
      description: 'the test and the set are two steps: two clients can both see the lock free',
      actions: (T) => ({
        Look: {
          over: [T.Client],
          when: (s, c) => s.phase.get(c) === 'idle' && !s.locked,
          then: (s, c) => s.setIn(['phase', c], 'sawFree'),
        },
        Acquire: {
          over: [T.Client],
          when: (s, c) => s.phase.get(c) === 'sawFree',
          then: (s, c) => s.setIn(['phase', c], 'holding').set('locked', true),
        },
      }),
    },
  },
});
