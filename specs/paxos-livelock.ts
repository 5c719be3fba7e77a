/**
 * Paxos livelock ("paxos活锁" in the seed): two proposers duel for ever and no value is
 * chosen, although every message is delivered and every process keeps taking steps. Basic
 * Paxos as in paxos.ts, reshaped for liveness: unbounded ballots, kept finite by renumbering.
 *
 * Protocol (Paxos Made Simple). A proposer starts a ballot b with Prepare to every acceptor;
 * an acceptor that has promised nothing >= b promises b and reports its last accepted proposal,
 * else it rejects. With a majority of promises the proposer sends Accept(b, v), v the value of
 * the highest reported proposal or its own input; an acceptor accepts unless it has promised a
 * higher ballot, else it rejects. A value is chosen once a majority of acceptors accepts it in
 * one ballot. A rejected proposer starts a new, higher ballot. The seed's duel: prepare(1),
 * prepare(2), accept(1) rejected, prepare(3), accept(2) rejected, prepare(4), ... for ever.
 *
 * Why the duel is a cycle. With ballots 1..maxBallot (paxos.ts) it is not: it stops when the
 * ballots run out. But Paxos only compares ballots (b > promised, the highest reported one),
 * so renaming the ballots of a state by any order-preserving map changes nothing a process can
 * do next. After every step the ballots present in the state are renumbered 1, 2, 3, ... in
 * order (0 stays "none"), and a new ballot is one above all of them. The state after prepare(3)
 * (ballot 1 forgotten, p2 at 2, p1 at 3) becomes p2 at 1, p1 at 2: the state after prepare(2)
 * with the proposers' roles swapped, and two rounds later the very same state, a cycle.
 * In a trace, ballot numbers are these ranks: "ballot[p1]: 1 -> 2, ballot[p2]: 2 -> 1" is p1
 * moving to ballot 3 while ballot 1 is forgotten.
 * Why this is sound: a renumbered state and the real one enable the same steps, to states
 * that are again renamings of each other, and no property reads a ballot's number; so a
 * lasso here unrolls into a real infinite behaviour with ballots 1, 2, 3, 4, ..., fair when
 * the lasso is fair, and a fair violation there would show up here (test/specs checks the
 * renaming claim on every reachable state).
 *
 * Modelling choices (each keeps only behaviours real Paxos has, so a lasso is a real run):
 * - A new ballot is above every ballot in the system. Real Paxos allows any unused higher one;
 *   this choice is also what Lamport's progress argument asks of the distinguished proposer
 *   ("a proposal number greater than any already used").
 * - Each acceptor takes its requests in the order they were sent (one FIFO inbox), so the duel
 *   needs no reordering at all; `reordering` lets them arrive in any order.
 * - A reply (promise or rejection) lands in the proposer's state as the acceptor sends it, and
 *   a proposer sends its next requests only once its last ones have been taken (at most one
 *   request per proposer waits in an inbox). A promise for a phase the proposer has left, or a
 *   second rejection, is ignored.
 * - votes (a ghost) holds the acceptors that accepted the proposer's current ballot: all of
 *   that ballot's Accepts are sent at once and taken before the proposer moves on, so it sees
 *   every vote of the ballot, and chosen records a value once a majority voted for it.
 * So a failing verdict is about real Paxos; a holding one (distinguishedProposer) is about this
 * model, with replies arriving at once (with a single proposer sending, FIFO restricts nothing).
 *
 * Properties
 * - chosenUnique: at most one value is ever chosen (Paxos stays safe with unbounded ballots).
 * - eventuallyChosen (liveness, <>chosen): some value is eventually chosen.
 * - someChosen (sometimes): a value is chosen. acceptRejected (sometimes): a proposer in
 *   phase 2 is preempted, a majority having promised a higher ballot (the duel happens).
 * Fairness and the verdict of eventuallyChosen:
 * - default: every action weakly fair, per argument (every acceptor keeps taking requests, a
 *   proposer with a majority of promises sends Accept, a rejected proposer retries). Fails,
 *   and the lasso is the seed's duel: in its cycle both proposers prepare, get a majority of
 *   promises, and have their accept rejected by the other's newer ballot. Fairness cannot
 *   help: every action keeps being taken; the protocol itself allows the duel.
 * - noFairness: no fairness. Fails at once: the behaviour may stutter in the initial state, no
 *   proposer ever starting (as in TLA+, an enabled action need not be taken). This is why a
 *   liveness property is only worth stating under fairness.
 * - distinguishedProposer: only p1 starts ballots (Paxos Made Simple, 2.4: a distinguished
 *   proposer, elected leader), with the default fairness. Holds: nobody preempts it.
 * - reordering: requests arrive in any order (default fairness). Fails too; the duel may then
 *   also be fought in phase 1 (a prepare rejected because a newer one arrived first).
 * Params: acceptors (3), proposers (2): proposer i proposes value vi.
 * Default: 131 orbits of 333 states (reordering: 5,183 orbits of 27,581 states).
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { action, always, defineSpec, eventually, majority, sometimes, t, type Infer } from 'synod';

interface Sizes { acceptors: number; proposers: number }

function livelockTypes(p: Sizes) {
  const Acceptor = t.scalarset('Acceptor', p.acceptors);
  const Proposer = t.scalarset('Proposer', p.proposers, { symmetric: false });
  const Value = t.scalarset('Value', p.proposers, { symmetric: false });
  // Every live ballot sits in some ballot field of the state, so there are at most this many.
  const slots = 2 * p.proposers + 2 * p.acceptors;
  const BallotOrNone = t.int(0, slots);
  const Proposal = t.record({ bal: t.int(1, slots), val: Value });
  // A request is for its sender's current ballot: a proposer starts no ballot while one of its
  // requests is still undelivered, so at most one request per proposer waits in an inbox.
  const Request = t.union('type', { Prepare: { from: Proposer }, Accept: { from: Proposer, val: Value } });
  const state = t.record({
    ballot: t.map(Proposer, BallotOrNone),
    phase: t.map(Proposer, t.enum('idle', 'prepare', 'accept', 'rejected')),
    promises: t.map(Proposer, t.set(Acceptor)),
    highest: t.map(Proposer, t.option(Proposal)),
    /** Acceptors that accepted the proposer's current ballot (a ghost: how choosing is seen). */
    votes: t.map(Proposer, t.set(Acceptor)),
    promised: t.map(Acceptor, BallotOrNone),
    accepted: t.map(Acceptor, t.option(Proposal)),
    inbox: t.map(Acceptor, t.seq(Request, p.proposers)),
    chosen: t.set(Value),
  });
  return { Acceptor, Proposer, Value, Proposal, Request, state };
}

type Types = ReturnType<typeof livelockTypes>;
type State = Infer<Types['state']>;
type Proposal = Infer<Types['Proposal']>;
type Request = { type: 'Prepare' | 'Accept'; from: string; val: string };

export default defineSpec({
  name: 'paxos-livelock',
  description: 'Basic Paxos with unbounded (renumbered) ballots: dueling proposers livelock; a distinguished proposer gets a value chosen',
  params: {
    acceptors: { default: 3, min: 1, max: 5, doc: 'number of acceptors' },
    proposers: { default: 2, min: 1, max: 3, doc: 'number of proposers; proposer i proposes value vi' },
  },
  types: livelockTypes,
  init: (T) => {
    const all = <K, V>(keys: readonly K[], v: V) => IMap(keys.map((k) => [k, v] as const));
    const P = T.Proposer.values;
    const A = T.Acceptor.values;
    return T.state.make({
      ballot: all(P, 0),
      phase: all(P, 'idle' as const),
      promises: all(P, ISet<string>()),
      highest: all(P, null),
      votes: all(P, ISet<string>()),
      promised: all(A, 0),
      accepted: all(A, null),
      inbox: all(A, List()),
      chosen: ISet<string>(),
    });
  },
  actions: (T, p) => fair(protocol(T, p, { starters: T.Proposer.values, fifo: true })),
  properties: (T, p) => ({
    chosenUnique: always((s: State) => s.chosen.size <= 1, 'at most one value is chosen'),
    eventuallyChosen: eventually((s: State) => s.chosen.size > 0, 'some value is eventually chosen'),
    someChosen: sometimes((s: State) => s.chosen.size > 0, 'a value is chosen'),
    acceptRejected: sometimes((s: State) => T.Proposer.values.some((q) =>
      s.phase.get(q) === 'accept' && s.promised.count((b) => b > s.ballot.get(q)!) >= majority(p.acceptors)),
    'a proposer in phase 2 has been preempted by a majority promising a higher ballot'),
  }),
  // No request in flight and nobody rejected: every proposer is done, or has not started.
  terminal: (s) => s.inbox.every((q) => q.isEmpty()) && !s.phase.includes('rejected'),
  variants: {
    noFairness: {
      description: 'no fairness: a behaviour may stop before any proposer starts, so eventuallyChosen fails at once',
      actions: (T, p) => protocol(T, p, { starters: T.Proposer.values, fifo: true }),
    },
    distinguishedProposer: {
      description: 'only p1 starts ballots (a distinguished proposer, Paxos Made Simple 2.4): eventuallyChosen holds',
      actions: (T, p) => fair(protocol(T, p, { starters: T.Proposer.values.slice(0, 1), fifo: true })),
      properties: () => ({ acceptRejected: null }),
    },
    reordering: {
      description: 'an acceptor may take the waiting requests in any order: the duel can also be fought in phase 1',
      actions: (T, p) => ({ ...fair(protocol(T, p, { starters: T.Proposer.values, fifo: false })), ReceiveNext: null }),
    },
  },
});

/** The ballots present anywhere in s. */
export function ballotsIn(s: State): Set<number> {
  const used = new Set<number>();
  const note = (b: number) => { if (b > 0) used.add(b); };
  const noteProposal = (x: Proposal | null) => { if (x !== null) note(x.bal); };
  s.ballot.forEach(note);
  s.promised.forEach(note);
  s.accepted.forEach(noteProposal);
  s.highest.forEach(noteProposal);
  return used;
}

/** s with every ballot b > 0 renamed f(b) (f must preserve order); 0 stays none. */
export function mapBallots(s: State, f: (b: number) => number): State {
  const r = (b: number): number => (b === 0 ? 0 : f(b));
  const rp = (x: Proposal | null) => (x === null ? null : x.set('bal', r(x.bal)));
  return s.merge({ ballot: s.ballot.map(r), promised: s.promised.map(r), accepted: s.accepted.map(rp), highest: s.highest.map(rp) });
}

/** s with its ballots renamed 1, 2, 3, ... in order: only their order matters to Paxos. */
export function renumber(s: State): State {
  const live = [...ballotsIn(s)].sort((x, y) => x - y);
  if (live.every((b, i) => b === i + 1)) return s;
  const rank = new Map(live.map((b, i) => [b, i + 1]));
  return mapBallots(s, (b) => rank.get(b)!);
}

/** Said under every action in the explorer: why ballots other than the actor's change in a step. */
const RENUMBERS = 'Then every ballot in the state is renumbered 1, 2, 3, ... in order (only their order matters to Paxos), so other processes\' ballot numbers may change too.';

interface Rules {
  /** The proposers that may start ballots. */
  starters: readonly string[];
  /** Each acceptor takes its requests in the order they were sent; else in any order. */
  fifo: boolean;
}

/** The protocol's actions: proposers' Prepare and Accept, and one way for acceptors to receive. */
function protocol(T: Types, p: Sizes, rules: Rules) {
  type S = State;
  const P = T.Proposer.values;
  const A = T.Acceptor.values;
  const input = (q: string): string => T.Value.values[P.indexOf(q)]!;
  const waiting = (s: S, q: string) => s.inbox.some((box) => box.some((m) => m.from === q));
  // Without FIFO the order in an inbox means nothing, so it is kept sorted by sender.
  const sendAll = (s: S, req: Parameters<Types['Request']['make']>[0]): S => s.set('inbox', s.inbox.map((box) => {
    const next = box.push(T.Request.make(req));
    return rules.fifo ? next : next.sortBy((m) => P.indexOf(m.from));
  }));
  return {
    // Phase 1a: an idle or rejected proposer starts a ballot above every ballot in the system.
    Prepare: action({
      doc: `An idle or rejected proposer starts a ballot above every ballot in the system and sends Prepare to every acceptor. ${RENUMBERS}`,
      over: [T.Proposer],
      when: (s: S, q: string) => rules.starters.includes(q) && (s.phase.get(q) === 'idle' || s.phase.get(q) === 'rejected') && !waiting(s, q),
      then: (s: S, q: string) => {
        const b = Math.max(0, ...ballotsIn(s)) + 1;
        const s1 = s.merge({
          ballot: s.ballot.set(q, b), phase: s.phase.set(q, 'prepare'),
          promises: s.promises.set(q, ISet()), highest: s.highest.set(q, null), votes: s.votes.set(q, ISet()),
        });
        return renumber(sendAll(s1, { type: 'Prepare', from: q }));
      },
    }),
    // Phase 2a: with a majority of promises, ask every acceptor to accept (b, v), v the value
    // of the highest proposal the promises reported, else the proposer's input.
    Accept: action({
      doc: `A proposer with a majority of promises sends Accept to every acceptor. ${RENUMBERS}`,
      over: [T.Proposer],
      when: (s: S, q: string) => s.phase.get(q) === 'prepare' && s.promises.get(q)!.size >= majority(p.acceptors) && !waiting(s, q),
      then: (s: S, q: string) => {
        const v = s.highest.get(q)?.val ?? input(q);
        const s1 = s.merge({ phase: s.phase.set(q, 'accept'), promises: s.promises.set(q, ISet()), highest: s.highest.set(q, null) });
        return renumber(sendAll(s1, { type: 'Accept', from: q, val: v }));
      },
    }),
    ...(rules.fifo
      ? {
        // Acceptor a takes the oldest request in its inbox.
        ReceiveNext: action({
          doc: `The acceptor takes the oldest request in its inbox: it promises or accepts unless it promised a higher ballot, else the proposer is rejected. ${RENUMBERS}`,
          over: [T.Acceptor],
          when: (s: S, a: string) => !s.inbox.get(a)!.isEmpty(),
          then: (s: S, a: string) => receive(s, a, 0),
        }),
      }
      : {
        // Acceptor a takes proposer q's request, whatever came before it.
        Receive: action({
          doc: `The acceptor takes the proposer's request, whatever came before it: it promises or accepts unless it promised a higher ballot, else the proposer is rejected. ${RENUMBERS}`,
          over: [T.Proposer, T.Acceptor],
          when: (s: S, q: string, a: string) => s.inbox.get(a)!.some((m) => m.from === q),
          then: (s: S, q: string, a: string) => receive(s, a, s.inbox.get(a)!.findIndex((m) => m.from === q)),
        }),
      }),
  };

  // Acceptor a handles the request at position i of its inbox, for its sender q's ballot b
  // (phases 1b and 2b). The reply (promise or rejection) lands in q's state at once; a proposer
  // that has left phase 1 ignores a promise, one already rejected ignores another rejection.
  function receive(s: S, a: string, i: number): S {
    const m = s.inbox.get(a)!.get(i) as unknown as Request;
    const q = m.from;
    const s1 = s.setIn(['inbox', a], s.inbox.get(a)!.delete(i)) as S;
    const b = s.ballot.get(q)!;
    const promised = s.promised.get(a)!;
    const phase = s.phase.get(q)!;
    const reject = (): S => (phase === 'rejected' ? s1 : s1.merge({
      phase: s1.phase.set(q, 'rejected'), promises: s1.promises.set(q, ISet()), highest: s1.highest.set(q, null),
    }));
    if (m.type === 'Prepare') {
      if (b <= promised) return renumber(reject());
      const s2 = s1.setIn(['promised', a], b) as S;
      if (phase !== 'prepare') return renumber(s2);
      const last = s.accepted.get(a)!;
      const h = s.highest.get(q)!;
      return renumber(s2.merge({
        promises: s2.promises.set(q, s2.promises.get(q)!.add(a)),
        highest: last !== null && (h === null || last.bal > h.bal) ? s2.highest.set(q, last) : s2.highest,
      }));
    }
    if (b < promised) return renumber(reject());
    const votes = s.votes.get(q)!.add(a);
    return renumber(s1.merge({
      promised: s1.promised.set(a, b),
      accepted: s1.accepted.set(a, T.Proposal.make({ bal: b, val: m.val })),
      votes: s1.votes.set(q, votes),
      chosen: votes.size >= majority(p.acceptors) ? s1.chosen.add(m.val) : s1.chosen,
    }));
  }
}

/** Every action weakly fair per argument tuple: requests get delivered, proposers keep trying. */
function fair<A extends Record<string, object>>(actions: A): A {
  return Object.fromEntries(Object.entries(actions).map(([k, a]) => [k, { ...a, fair: 'weak-each' }])) as A;
}
