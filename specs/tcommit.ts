/**
 * TCommit: the transaction commit problem, as in Lamport's TCommit.tla.
 *
 * A set of resource managers (RMs) each work on a transaction, then prepare. The transaction
 * commits only if every RM is prepared; any RM may abort while nobody has committed. This is
 * the specification that TwoPhase (two-phase-commit.ts) implements: it says WHAT must happen,
 * not how the messages flow.
 *
 * Properties
 * - consistent (TCConsistent): no RM has aborted while another has committed.
 * - someCommit (sometimes): some RM commits, so commit is reachable.
 *
 * Params: rm, the number of resource managers (default 3).
 * Terminal states: all RMs committed or aborted (TLC runs this spec with deadlock off).
 * Variants: abortAfterCommit - an RM aborts even though another has committed; breaks
 *   consistent.
 * TLC, RM = 3: 34 distinct states, 94 generated, depth 7.
 */
import { Map } from 'immutable';
import { action, always, defineSpec, sometimes, t, type Infer } from 'synod';

const RMState = t.enum('working', 'prepared', 'committed', 'aborted');

export default defineSpec({
  name: 'tcommit',
  description: "Lamport's TCommit: the specification of transaction commit",
  params: { rm: { default: 3, min: 1, max: 12, doc: 'number of resource managers' } },
  types: (p) => {
    const RM = t.scalarset('RM', p.rm);
    return { RM, state: t.record({ rmState: t.map(RM, RMState) }) };
  },
  init: (T) => T.state.make({ rmState: Map(T.RM.values.map((r) => [r, 'working'] as const)) }),
  actions: (T) => {
    const all = (s: Infer<typeof T.state>, ok: (st: string) => boolean) => T.RM.values.every((r) => ok(s.rmState.get(r)!));
    return {
      Prepare: action({
        over: [T.RM],
        when: (s, r) => s.rmState.get(r) === 'working',
        then: (s, r) => s.setIn(['rmState', r], 'prepared'),
      }),
      // Lamport's Decide(r) is a disjunction of two rules: commit and abort.
      DecideCommit: action({
        over: [T.RM],
        when: (s, r) => s.rmState.get(r) === 'prepared' && all(s, (st) => st === 'prepared' || st === 'committed'),
        then: (s, r) => s.setIn(['rmState', r], 'committed'),
      }),
      DecideAbort: action({
        over: [T.RM],
        when: (s, r) => ['working', 'prepared'].includes(s.rmState.get(r)!) && all(s, (st) => st !== 'committed'),
        then: (s, r) => s.setIn(['rmState', r], 'aborted'),
      }),
    };
  },
  properties: (T) => ({
    consistent: always((s) => !(T.RM.values.some((r) => s.rmState.get(r) === 'aborted') && T.RM.values.some((r) => s.rmState.get(r) === 'committed'))),
    someCommit: sometimes((s) => T.RM.values.some((r) => s.rmState.get(r) === 'committed')),
  }),
  terminal: (s) => s.rmState.every((st) => st === 'committed' || st === 'aborted'),
  variants: {
    abortAfterCommit: {
      description: 'an RM may abort even after another RM committed (drops the notCommitted guard)',
      actions: (T) => ({
        DecideAbort: action({
          over: [T.RM],
          when: (s, r) => ['working', 'prepared'].includes(s.rmState.get(r)!),
          then: (s, r) => s.setIn(['rmState', r], 'aborted'),
        }),
      }),
    },
  },
});
