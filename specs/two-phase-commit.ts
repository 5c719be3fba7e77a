/**
 * Two-phase commit, as in Lamport's TwoPhase.tla (which implements TCommit).
 *
 * A transaction manager (TM) and resource managers (RMs) talk through a set of messages that
 * only grows (a message once sent stays available: the network may reorder and duplicate,
 * but never loses). Phase 1: each RM prepares and says so; the TM collects Prepared messages.
 * Phase 2: once every RM is prepared the TM may commit, and it may abort at any time before
 * deciding; RMs obey the TM's Commit or Abort message. An RM may also abort on its own while
 * still working.
 *
 * Properties
 * - typeOK: tmPrepared only holds RMs that really sent Prepared (beyond what types bound).
 * - consistent (TCConsistent): no RM has aborted while another has committed.
 * - someCommit (sometimes): some RM commits.
 * - allDecide (liveness, <>(every RM committed or aborted)): holds under the fairness below.
 * Fairness (weak): each RM eventually prepares unless it aborts on its own (RMPrepare per RM),
 *   the TM eventually collects each Prepared and decides (TMRcvPrepared per RM, TMCommit,
 *   TMAbort), and each RM eventually obeys the decision (RMRcvCommitMsg, RMRcvAbortMsg per RM).
 *   Without fairness allDecide fails at once: a behaviour may stop (stutter) in the initial
 *   state.
 *
 * Params: rm, the number of resource managers (default 3).
 * Variants: commitEarly - the TM commits once any RM is prepared, not all; an RM that
 *   chose to abort on its own then disagrees with one that committed.
 *   coordinatorCrash - the TM may crash before deciding (and never recovers). The seed's point:
 *   RMs that voted yes (prepared) may neither commit nor abort on their own, so they block
 *   forever: allDecide fails with a lasso that crashes the TM, lets the RMs prepare, and
 *   stutters there for ever (nothing an RM may do is enabled, so no fairness can help).
 *   Before liveness checking this was reported as a deadlock; the variant now calls a crashed
 *   TM terminal so that the liveness property states the claim (same states and counts).
 * Network: a monotone message set (no loss; reordering and duplication are implicit).
 * Faults: none here (the coordinator-crash variant belongs to the blocking/liveness work).
 * TLC, RM = 3: 288 distinct states, 1146 generated, depth 11.
 */
import { Map, Set } from 'immutable';
import { action, always, defineSpec, eventually, sometimes, t } from 'synod';

export default defineSpec({
  name: 'two-phase-commit',
  description: "Lamport's TwoPhase: a transaction manager and resource managers commit or abort together",
  params: { rm: { default: 3, min: 1, max: 12, doc: 'number of resource managers' } },
  types: (p) => {
    const RM = t.scalarset('RM', p.rm);
    const Msg = t.union('type', { Prepared: { rm: RM }, Commit: {}, Abort: {} });
    const state = t.record({
      rmState: t.map(RM, t.enum('working', 'prepared', 'committed', 'aborted')),
      // 'crashed' is only reachable in the coordinatorCrash variant (an unused enum value
      // changes no count).
      tmState: t.enum('init', 'committed', 'aborted', 'crashed'),
      tmPrepared: t.set(RM),
      msgs: t.set(Msg),
    });
    return { RM, Msg, state };
  },
  init: (T) =>
    T.state.make({
      rmState: Map(T.RM.values.map((r) => [r, 'working'] as const)),
      tmState: 'init',
      tmPrepared: Set(),
      msgs: Set(),
    }),
  actions: (T) => {
    const commit = T.Msg.make({ type: 'Commit' });
    const abort = T.Msg.make({ type: 'Abort' });
    const prepared = (r: string) => T.Msg.make({ type: 'Prepared', rm: r });
    return {
      TMRcvPrepared: action({
        over: [T.RM],
        when: (s, r) => s.tmState === 'init' && s.msgs.has(prepared(r)),
        then: (s, r) => s.update('tmPrepared', (ps) => ps.add(r)),
        fair: 'weak-each',
      }),
      TMCommit: {
        when: (s) => s.tmState === 'init' && s.tmPrepared.size === T.RM.size,
        then: (s) => s.merge({ tmState: 'committed', msgs: s.msgs.add(commit) }),
        fair: 'weak',
      },
      TMAbort: {
        when: (s) => s.tmState === 'init',
        then: (s) => s.merge({ tmState: 'aborted', msgs: s.msgs.add(abort) }),
        fair: 'weak',
      },
      RMPrepare: action({
        over: [T.RM],
        when: (s, r) => s.rmState.get(r) === 'working',
        then: (s, r) => s.setIn(['rmState', r], 'prepared').update('msgs', (m) => m.add(prepared(r))),
        fair: 'weak-each',
      }),
      RMChooseToAbort: action({
        over: [T.RM],
        when: (s, r) => s.rmState.get(r) === 'working',
        then: (s, r) => s.setIn(['rmState', r], 'aborted'),
      }),
      RMRcvCommitMsg: action({
        over: [T.RM],
        when: (s) => s.msgs.has(commit),
        then: (s, r) => s.setIn(['rmState', r], 'committed'),
        fair: 'weak-each',
      }),
      RMRcvAbortMsg: action({
        over: [T.RM],
        when: (s) => s.msgs.has(abort),
        then: (s, r) => s.setIn(['rmState', r], 'aborted'),
        fair: 'weak-each',
      }),
    };
  },
  properties: (T) => ({
    typeOK: always((s) => s.tmPrepared.every((r) => s.msgs.has(T.Msg.make({ type: 'Prepared', rm: r })))),
    consistent: always((s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed'))),
    someCommit: sometimes((s) => s.rmState.includes('committed')),
    allDecide: eventually((s) => s.rmState.every((st) => st === 'committed' || st === 'aborted')),
  }),
  variants: {
    coordinatorCrash: {
      description: 'the TM may crash before deciding: prepared RMs block forever (allDecide fails)',
      actions: () => ({
        TMCrash: { when: (s) => s.tmState === 'init', then: (s) => s.set('tmState', 'crashed') },
      }),
      // Blocking is the point, and allDecide states it: the stuck states are the lasso's
      // ending, not a deadlock to report first.
      terminal: (s) => s.tmState === 'crashed' || s.rmState.every((st) => st === 'aborted'),
    },
    commitEarly: {
      description: 'the TM commits as soon as one RM is prepared, instead of all of them',
      actions: (T) => ({
        TMCommit: {
          when: (s) => s.tmState === 'init' && s.tmPrepared.size > 0,
          then: (s) => s.merge({ tmState: 'committed', msgs: s.msgs.add(T.Msg.make({ type: 'Commit' })) }),
          fair: 'weak',
        },
      }),
    },
  },
});
