/**
 * Paxos livelock ("paxos活锁" in the seed): two proposers duel for ever and no value is
 * chosen, although every message is delivered. The same basic Paxos as paxos.ts, shaped for
 * liveness: unbounded ballots kept finite by renumbering them, and explicit rejections.
 *
 * Protocol (Paxos Made Simple). A proposer starts a ballot with Prepare(b) to every acceptor;
 * an acceptor that has promised nothing >= b promises b and reports its last accepted proposal
 * (Promise), else it rejects (Nack). With a majority of promises the proposer sends Accept(b, v),
 * v the value of the highest reported proposal or its own input; an acceptor accepts unless it
 * has promised a higher ballot, else it rejects. A value is chosen once a majority of acceptors
 * accepts it in one ballot. A rejected proposer starts a new, higher ballot. The seed's duel:
 * prepare(1), prepare(2), accept(1) rejected, prepare(3), accept(2) rejected, ... for ever.
 *
 * Ballots without a bound. Paxos only ever compares ballots (b > promised, the highest
 * reported), so renaming the ballots in a state by any order-preserving map changes nothing
 * any process can do next. After every step the ballots still present anywhere in the state
 * are renumbered 1, 2, 3, ... in order (0 stays "none"), and a new ballot is one above every
 * ballot present. So "p1 at 1, p2 at 2" and "p1 at 3, p2 at 2" after ballot 1 is forgotten
 * are the same state up to renaming, and the duel becomes a cycle of the finite state graph.
 * Why sound: the renumbered state and the real one enable the same steps, to states that are
 * again renamings of each other, and satisfy the same properties (none reads a ballot's
 * number), so a cycle here unrolls into a real infinite behaviour with ballots 1, 2, 3, ...,
 * and a fair behaviour here is fair there. Choosing a new ballot above every ballot present
 * (not just above the proposer's own) is one of the choices real Paxos allows, so a
 * counterexample is a real run; it is also what Lamport's progress argument assumes of the
 * distinguished proposer ("a proposal number greater than any already used").
 *
 * Network: one mailbox of one message per proposer and acceptor in each direction. A proposer
 * sends a new round only once its mailboxes to the acceptors are empty, and an acceptor takes
 * a request only when its reply slot is free. This bounds the messages in flight (with an
 * unbounded soup, a slow acceptor's inbox grows without end), and loses nothing: every message
 * is delivered, late replies of an abandoned ballot are read and ignored.
 *
 * Properties
 * - chosenUnique: at most one value is ever chosen (safety still holds with renumbering).
 * - eventuallyChosen (liveness, <>chosen): some value is eventually chosen.
 * - someChosen (sometimes): a value is chosen. acceptRejected (sometimes): a proposer's Accept
 *   is rejected because a majority promised a higher ballot (the duel happens).
 * Fairness and the verdicts of eventuallyChosen:
 * - default: every action weakly fair, per argument (each mailbox is eventually read, a
 *   proposer with a majority of promises eventually sends Accept, a rejected proposer eventually
 *   retries). Fails: the lasso is the seed's duel, both proposers preparing and being rejected
 *   in the cycle, every acceptor taking part. Fairness cannot help: each step of the duel is
 *   one the protocol allows, and every action keeps being taken.
 * - noFairness: no fairness. Fails at once: the behaviour may stutter in the initial state,
 *   no proposer ever starting (as in TLA+, enabled is not the same as taken).
 * - distinguishedProposer: only p1 starts ballots (Paxos Made Simple, 2.4: a distinguished
 *   proposer, elected as leader), with the default fairness. Holds: nobody preempts it.
 * Params: acceptors (3), proposers (2): proposer i proposes value vi.
 * Default: 1,044 orbits (3,036 states without symmetry), checked in about a second.
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { always, defineSpec, eventually, sometimes, t, type Infer } from 'synod';

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
    } as any);
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

const majority = (n: number): number => Math.floor(n / 2) + 1;

/** The ballots present anywhere in s. */
function ballotsIn(s: State): Set<number> {
  const used = new Set<number>();
  const note = (b: number) => { if (b > 0) used.add(b); };
  const noteProposal = (x: Proposal | null) => { if (x !== null) note(x.bal); };
  s.ballot.forEach(note);
  s.promised.forEach(note);
  s.accepted.forEach(noteProposal);
  s.highest.forEach(noteProposal);
  return used;
}

/** s with its ballots renamed 1, 2, 3, ... in order (0 stays none): only their order matters. */
function renumber(s: State): State {
  const live = [...ballotsIn(s)].sort((x, y) => x - y);
  if (live.every((b, i) => b === i + 1)) return s;
  const rank = new Map(live.map((b, i) => [b, i + 1]));
  const r = (b: number): number => (b === 0 ? 0 : rank.get(b)!);
  const rp = (x: Proposal | null) => (x === null ? null : x.set('bal', r(x.bal)));
  return s.merge({ ballot: s.ballot.map(r), promised: s.promised.map(r), accepted: s.accepted.map(rp), highest: s.highest.map(rp) });
}

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
  const sendAll = (s: S, req: object): S => s.set('inbox', s.inbox.map((box) => {
    const next = box.push(T.Request.make(req as any));
    return rules.fifo ? next : next.sortBy((m) => P.indexOf(m.from));
  }));
  return {
    // Phase 1a: an idle or rejected proposer starts a ballot above every ballot in the system.
    Prepare: {
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
    },
    // Phase 2a: with a majority of promises, ask every acceptor to accept (b, v), v the value
    // of the highest proposal the promises reported, else the proposer's input.
    Accept: {
      over: [T.Proposer],
      when: (s: S, q: string) => s.phase.get(q) === 'prepare' && s.promises.get(q)!.size >= majority(p.acceptors) && !waiting(s, q),
      then: (s: S, q: string) => {
        const v = s.highest.get(q)?.val ?? input(q);
        const s1 = s.merge({ phase: s.phase.set(q, 'accept'), promises: s.promises.set(q, ISet()), highest: s.highest.set(q, null) });
        return renumber(sendAll(s1, { type: 'Accept', from: q, val: v }));
      },
    },
    ...(rules.fifo
      ? {
        // Acceptor a takes the oldest request in its inbox.
        ReceiveNext: {
          over: [T.Acceptor],
          when: (s: S, a: string) => !s.inbox.get(a)!.isEmpty(),
          then: (s: S, a: string) => receive(s, a, 0),
        },
      }
      : {
        // Acceptor a takes proposer q's request, whatever came before it.
        Receive: {
          over: [T.Proposer, T.Acceptor],
          when: (s: S, q: string, a: string) => s.inbox.get(a)!.some((m) => m.from === q),
          then: (s: S, q: string, a: string) => receive(s, a, s.inbox.get(a)!.findIndex((m) => m.from === q)),
        },
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
