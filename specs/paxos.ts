/**
 * Basic (single-decree) Paxos, as in Lamport's "Paxos Made Simple": proposers, acceptors and
 * learners agree on one value by exchanging prepare / promise / accept / accepted messages.
 *
 * Proposer i owns the ballots i, i+P, i+2P, ... (P proposers), so no two proposers ever use
 * the same ballot. Phase 1: a proposer picks its next ballot b and sends Prepare(b) to every
 * acceptor; an acceptor that has promised nothing >= b promises b and reports the proposal it
 * last accepted, if any (Promise). Phase 2: once a majority has promised b, the proposer sends
 * Accept(b, v) to every acceptor, where v is the value of the highest-ballot proposal reported
 * in those promises, or its own input if none was reported (the heart of Paxos). An acceptor
 * that has promised nothing > b accepts (b, v) and announces it (Accepted). A value is chosen
 * once a majority of acceptors has accepted it in one ballot; a learner learns v once it sees
 * Accepted(b, v) from a majority in one ballot b. A proposer may abandon its ballot for its
 * next one at any time, so two proposers can duel, each preempting the other.
 *
 * Properties
 * - chosenUnique: at most one value is ever chosen (accepted by a majority in one ballot,
 *   read from the Accepted messages sent: from history, not the acceptors' latest state).
 * - validity: every value chosen or learned is some proposer's input (nothing is invented).
 * - learnersAgree: all learners together learn at most one value (no learner learns two
 *   values, no two learners learn different ones).
 * - someChosen (sometimes): a value is chosen and a learner learns it.
 * - dueling (sometimes): a proposer is in phase 2 of a ballot that can no longer win, as a
 *   majority of acceptors has promised a higher one.
 *
 * Params: acceptors (3); proposers (2); learners (2); values (2): the proposers' inputs are
 *   drawn from them, every assignment being an initial state; maxBallot (2): ballots are
 *   1..maxBallot (0 means none), so each default proposer owns one ballot, enough to duel.
 * Variants (the trace printed is the shortest, by BFS):
 * - acceptLowerBallot: an acceptor accepts an Accept whose ballot is below its promise, so an
 *   old ballot still gathers a majority after a newer one chose another value: chosenUnique
 *   fails (17 states).
 * - ignorePromisedValues: phase 2 proposes the proposer's own input, ignoring the accepted
 *   values the promises report, so a later ballot chooses a second value: chosenUnique fails
 *   (17 states).
 * - minorityQuorum: proposers and learners count floor(n/2) acceptors (1 of 3) as a quorum;
 *   two such quorums need not intersect, so a learner learns two values: learnersAgree fails
 *   (13 states; chosenUnique fails at the same depth).
 * Ids: acceptors and learners are symmetric scalarsets, and so are values (the protocol never
 *   looks inside one). Proposers are a scalarset marked { symmetric: false }: the ballots
 *   they own follow from their position (p1 owns 1, 3, ...; p2 owns 2, 4, ...), so swapping
 *   p1 and p2 changes who can preempt whom.
 * Network: network({...}) unordered and duplicating (a message once sent stays in flight and
 *   may be delivered again, in any order), without a Drop action: for safety a lost message
 *   is one never delivered, which every run already allows. A learner reads the Accepted
 *   messages in flight (its inbox, since nothing leaves) and takes a quorum of them in one
 *   step, as TLA+ Paxos specs read a quorum of messages. Faults: none beyond the network's
 *   (acceptors never forget; a crashed proposer is one that goes silent).
 * Deadlock: once no proposer has a ballot left, a state with nothing left to do is terminal
 *   (whether or not a value was chosen: with duels, Paxos does not promise one is).
 *   The livelock itself (dueling for ever, eventuallyChosen failing under fairness) needs
 *   unbounded ballots: see paxos-livelock.ts.
 * Default: 2,968 orbits (34,848 states with --no-symmetry, 111,516 generated, depth 23).
 * Benchmark: --param maxBallot=3 (p1 owns ballots 1 and 3: it can retry after p2 preempts
 *   it): 125,496 orbits, 460,356 generated, depth 33.
 */
import { Map as IMap, Set as ISet } from 'immutable';
import { action, always, defineSpec, majority, network, sometimes, t } from 'synod';

/** Every function from keys to values, as Immutable maps (all assignments of inputs). */
function allMaps<K, V>(keys: readonly K[], values: readonly V[]): IMap<K, V>[] {
  let acc: IMap<K, V>[] = [IMap()];
  for (const k of keys) acc = acc.flatMap((m) => values.map((v) => m.set(k, v)));
  return acc;
}

/** The parameters the types and the protocol read. */
interface Sizes { acceptors: number; proposers: number; learners: number; values: number; maxBallot: number }

function paxosTypes(p: Sizes) {
  const Acceptor = t.scalarset('Acceptor', p.acceptors);
  const Proposer = t.scalarset('Proposer', p.proposers, { symmetric: false });
  const Learner = t.scalarset('Learner', p.learners);
  const Value = t.scalarset('Value', p.values);
  const Ballot = t.int(1, p.maxBallot);
  const BallotOrNone = t.int(0, p.maxBallot);
  const Proposal = t.record({ bal: Ballot, val: Value });
  const Msg = t.union('type', {
    Prepare: { bal: Ballot, acc: Acceptor },
    Promise: { acc: Acceptor, bal: Ballot, last: t.option(Proposal) },
    Accept: { bal: Ballot, val: Value, acc: Acceptor },
    Accepted: { acc: Acceptor, bal: Ballot, val: Value },
  });
  const net = network({ field: 'msgs', message: Msg, ordering: 'unordered', duplicate: true });
  const state = t.record({
    input: t.map(Proposer, Value),
    ballot: t.map(Proposer, BallotOrNone),
    phase: t.map(Proposer, t.enum('idle', 'prepare', 'accept')),
    promises: t.map(Proposer, t.set(Acceptor)),
    highest: t.map(Proposer, t.option(Proposal)),
    promised: t.map(Acceptor, BallotOrNone),
    accepted: t.map(Acceptor, t.option(Proposal)),
    learned: t.map(Learner, t.set(Value)),
    msgs: net.type,
  });
  return { Acceptor, Proposer, Learner, Value, Proposal, Msg, net, state };
}

type Types = ReturnType<typeof paxosTypes>;
type State = ReturnType<Types['state']['make']>;
type Proposal = ReturnType<Types['Proposal']['make']>;
/** The fields of a message, whichever its kind (a handler only reads its own kind's fields). */
type Msg = { type: 'Prepare' | 'Promise' | 'Accept' | 'Accepted'; acc: string; bal: number; val: string; last: Proposal | null };

export default defineSpec({
  name: 'paxos',
  description: 'Basic Paxos (Paxos Made Simple): proposers, acceptors and learners agree on one value',
  params: {
    acceptors: { default: 3, min: 1, max: 7, doc: 'number of acceptors' },
    proposers: { default: 2, min: 1, max: 4, doc: 'number of proposers; proposer i owns ballots i, i+P, ...' },
    learners: { default: 2, min: 1, max: 4, doc: 'number of learners' },
    values: { default: 2, min: 1, max: 4, doc: 'number of values the proposers\' inputs are drawn from' },
    maxBallot: { default: 2, min: 1, max: 8, doc: 'ballots are 1..maxBallot' },
  },
  types: paxosTypes,
  init: (T) => {
    const all = <K extends string, V>(keys: readonly K[], v: V) => IMap(keys.map((k) => [k, v] as const));
    const P = T.Proposer.values;
    return allMaps(P, T.Value.values).map((input) =>
      T.state.make({
        input,
        ballot: all(P, 0),
        phase: all(P, 'idle' as 'idle' | 'prepare' | 'accept'),
        promises: all(P, ISet<string>()),
        highest: all(P, null),
        promised: all(T.Acceptor.values, 0),
        accepted: all(T.Acceptor.values, null),
        learned: all(T.Learner.values, ISet<string>()),
        msgs: T.net.empty(),
      }));
  },
  actions: (T, p) => protocol(T, p, { quorum: majority(p.acceptors) }),
  properties: (T, p) => {
    type S = State;
    const learnedValues = (s: S): ISet<string> => s.learned.valueSeq().reduce((a, l) => a.union(l), ISet<string>());
    return {
      chosenUnique: always((s: S) => chosen(s, majority(p.acceptors)).size <= 1, 'at most one value is chosen'),
      validity: always((s: S) => {
        const inputs = ISet(s.input.valueSeq());
        return chosen(s, majority(p.acceptors)).isSubset(inputs) && learnedValues(s).isSubset(inputs);
      }, 'only a proposer\'s input can be chosen or learned'),
      learnersAgree: always((s: S) => learnedValues(s).size <= 1, 'learners never learn different values'),
      someChosen: sometimes((s: S) => chosen(s, majority(p.acceptors)).size > 0 && learnedValues(s).size > 0, 'a value is chosen and learned'),
      dueling: sometimes((s: S) => T.Proposer.values.some((q) =>
        s.phase.get(q) === 'accept' && s.promised.count((b) => b > s.ballot.get(q)!) >= majority(p.acceptors)),
      'a proposer in phase 2 has been preempted by a higher ballot'),
    };
  },
  terminal: (s, T, p) => T.Proposer.values.every((q) => nextBallot(T.Proposer.values.indexOf(q), s.ballot.get(q)!, p) === null),
  variants: {
    acceptLowerBallot: {
      description: 'an acceptor accepts an Accept even when its ballot is below the acceptor\'s promise',
      actions: (T, p) => protocol(T, p, { quorum: majority(p.acceptors), acceptBelowPromise: true }),
    },
    ignorePromisedValues: {
      description: 'phase 2 proposes the proposer\'s own input, ignoring the values reported in the promises',
      actions: (T, p) => protocol(T, p, { quorum: majority(p.acceptors), ignoreReported: true }),
    },
    minorityQuorum: {
      description: 'proposers and learners take floor(n/2) acceptors for a quorum (1 of 3), not a majority',
      actions: (T, p) => protocol(T, p, { quorum: Math.max(1, Math.floor(p.acceptors / 2)) }),
    },
  },
});

/** The next ballot proposer number i (0-based) owns above b, or null if it has none left. */
function nextBallot(i: number, b: number, p: { proposers: number; maxBallot: number }): number | null {
  const next = b === 0 ? i + 1 : b + p.proposers;
  return next <= p.maxBallot ? next : null;
}

/**
 * The values accepted by at least `quorum` acceptors in one ballot, read from the Accepted
 * messages. Memoised per state object: the Learn domain and three properties ask for it.
 */
const chosenCache = new WeakMap<object, Map<number, ISet<string>>>();
function chosen(s: State, quorum: number): ISet<string> {
  let bySize = chosenCache.get(s);
  if (bySize === undefined) chosenCache.set(s, (bySize = new Map()));
  const known = bySize.get(quorum);
  if (known !== undefined) return known;
  const voters = new Map<string, Set<string>>();
  for (const m of s.msgs as ISet<Msg>) {
    if (m.type !== 'Accepted') continue;
    const key = `${m.bal}/${m.val}`;
    (voters.get(key) ?? voters.set(key, new Set()).get(key)!).add(m.acc);
  }
  let out = ISet<string>();
  for (const [key, accs] of voters) if (accs.size >= quorum) out = out.add(key.slice(key.indexOf('/') + 1));
  bySize.set(quorum, out);
  return out;
}

interface Rules {
  /** How many acceptors make a quorum, for proposers (phase 2) and learners. */
  quorum: number;
  /** Bug: accept below the promise. */
  acceptBelowPromise?: boolean;
  /** Bug: propose the own input in phase 2 whatever the promises report. */
  ignoreReported?: boolean;
}

/** The protocol's actions; the bug variants change one rule each. */
function protocol(T: Types, p: Sizes, rules: Rules) {
  type S = State;
  const P = T.Proposer.values;
  const A = T.Acceptor.values;
  const owner = (b: number): string => P[(b - 1) % p.proposers]!;
  const next = (s: S, q: string): number | null => nextBallot(P.indexOf(q), s.ballot.get(q)!, p);
  const proposal = (bal: number, val: string) => T.Proposal.make({ bal, val });
  return {
    // Phase 1a: abandon the current ballot (if any) and ask every acceptor to join the next one.
    Prepare: action({
      over: [T.Proposer],
      when: (s: S, q: string) => next(s, q) !== null,
      then: (s: S, q: string) => {
        const b = next(s, q)!;
        const s1 = s.merge({
          ballot: s.ballot.set(q, b), phase: s.phase.set(q, 'prepare'),
          promises: s.promises.set(q, ISet()), highest: s.highest.set(q, null),
        });
        return T.net.sendAll(s1, A.map((a) => T.Msg.make({ type: 'Prepare', bal: b, acc: a })));
      },
    }),
    // Phase 2a: with a quorum of promises, ask every acceptor to accept (b, v), where v is the
    // value of the highest-ballot proposal the promises reported, else the proposer's input.
    Accept: action({
      over: [T.Proposer],
      when: (s: S, q: string) => s.phase.get(q) === 'prepare' && s.promises.get(q)!.size >= rules.quorum,
      then: (s: S, q: string) => {
        const b = s.ballot.get(q)!;
        const v = rules.ignoreReported ? s.input.get(q)! : s.highest.get(q)?.val ?? s.input.get(q)!;
        const s1 = s.merge({ phase: s.phase.set(q, 'accept'), promises: s.promises.set(q, ISet()), highest: s.highest.set(q, null) });
        return T.net.sendAll(s1, A.map((a) => T.Msg.make({ type: 'Accept', bal: b, val: v, acc: a })));
      },
    }),
    // A learner reads the Accepted messages in flight (the network keeps every message, so
    // they are its inbox) and learns v once a quorum of acceptors accepted v in one ballot.
    Learn: action({
      over: [T.Learner, (s: S) => T.Value.values.filter((v) => chosen(s, rules.quorum).has(v))],
      when: (s: S, l: string, v: string) => !s.learned.get(l)!.has(v),
      then: (s: S, l: string, v: string) => s.set('learned', s.learned.set(l, s.learned.get(l)!.add(v))),
    }),
    ...T.net.actions<S>({
      // Phase 1b: promise never to accept below b, and report the last accepted proposal.
      Prepare: {
        when: (s, m: Msg) => m.bal > s.promised.get(m.acc)!,
        then: (s, m: Msg) => T.net.send(s.set('promised', s.promised.set(m.acc, m.bal)),
          T.Msg.make({ type: 'Promise', acc: m.acc, bal: m.bal, last: s.accepted.get(m.acc)! })),
      },
      // The proposer of m.bal collects the promise while it is still in phase 1 of that ballot.
      Promise: {
        when: (s, m: Msg) => {
          const q = owner(m.bal);
          return s.ballot.get(q) === m.bal && s.phase.get(q) === 'prepare' && !s.promises.get(q)!.has(m.acc);
        },
        then: (s, m: Msg) => {
          const q = owner(m.bal);
          const h = s.highest.get(q)!;
          const s1 = s.set('promises', s.promises.set(q, s.promises.get(q)!.add(m.acc)));
          return m.last !== null && (h === null || m.last.bal > h.bal) ? s1.set('highest', s1.highest.set(q, m.last)) : s1;
        },
      },
      // Phase 2b: accept unless promised a higher ballot, and announce it to the learners.
      Accept: {
        when: (s, m: Msg) => (rules.acceptBelowPromise || m.bal >= s.promised.get(m.acc)!) &&
          !proposal(m.bal, m.val).equals(s.accepted.get(m.acc)),
        then: (s, m: Msg) => {
          const s1 = s.merge({
            promised: s.promised.set(m.acc, Math.max(m.bal, s.promised.get(m.acc)!)),
            accepted: s.accepted.set(m.acc, proposal(m.bal, m.val)),
          });
          return T.net.send(s1, T.Msg.make({ type: 'Accepted', acc: m.acc, bal: m.bal, val: m.val }));
        },
      },
    }),
  };
}
