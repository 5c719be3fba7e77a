/**
 * Fast Paxos, as in the simplified FastPaxos.tla of tlaplus/Examples (specifications/
 * SimplifiedFastPaxos, after Lamport's "Fast Paxos" and Zhao's "Fast Paxos Made Easy"), which
 * extends the Paxos.tla beside it. One coordinator, so phase 1 is left out.
 *
 * The fast path. In classic Paxos a client's value travels client -> coordinator -> acceptors.
 * In a fast round the coordinator instead sends a 2a "any" message (FastAny): each acceptor
 * may then vote directly for a value a client sent it (FastPropose), saving one message delay.
 * A value is chosen (FastDecide) once a fast quorum voted for it in that round.
 * Collision recovery. Clients race, so a fast round's votes may split between values. The
 * coordinator looks at the votes of one fast quorum in the fast round f and starts a classic
 * round b > f (ClassicAccept): if a majority of those votes is for one value, that value may
 * already be chosen and must be proposed; otherwise no value can have been chosen and any value
 * seen will do. Acceptors vote for it as in Paxos (ClassicAccepted), and a classic quorum of
 * votes chooses it (ClassicDecide). The coordinator keeps its value (cValue) for every later
 * classic round.
 * The quorum requirement. Fast quorums are larger than classic ones: any two fast quorums and
 * any classic quorum share an acceptor. If fast quorum R chose v and the coordinator reads fast
 * quorum S, the acceptors of R in S hold a majority of S's votes only because every classic
 * quorum Q meets R and S in a common acceptor (|Q|+|R|+|S| > 2n). With simple-majority fast
 * quorums v can be outvoted in S, and recovery picks another value (majorityFastQuorum).
 *
 * Properties (the cfg's INVARIANTS and PROPERTY; FastTypeOK is enforced by the types)
 * - nontriviality (FastNontriviality): a decided value was voted for in a fast round.
 * - consistency (PaxosConsistency, [][decision = none]_decision): once decided, the decision
 *   never changes, so at most one value is ever decided.
 * - fastChosen (sometimes): a fast round chooses a value (a fast quorum votes for it) and it
 *   is decided.
 * - collisionRecovered (sometimes): after a collision, a classic quorum votes for the
 *   coordinator's value and it is decided.
 *
 * Params: acceptors (4), values (3), fastBallots (2), classicBallots (3), fastQuorum ('safe'
 *   or 'majority'). Ballots are 0, 1, ... alternating classic and fast from classic 0 (the
 *   cfg's 0..4 with fast {1, 3}); when one kind runs out the rest are of the other. Classic quorums are the minimal majorities; fast
 *   quorums every set of the least size f with majority + 2f > 2n and f >= 3n div 4 (FastAssume):
 *   3 of 4, 3 of 3, 4 of 5. Acceptors and values are scalarsets (the cfg's PaxosSymmetry); "none"
 *   is null, "any" is the 2aAny message.
 * Counting follows TLC's: each `\E` is a parameter, so FastDecide and ClassicDecide range over
 * the votes m of the quorum whose value they decide (one successor each).
 * Deadlock: none; FastAny is always enabled (resending is a stuttering step).
 * Variants (both break consistency; both default to 2 values and ballots 0..2, fast {1}, enough
 *   for the bug and small enough to check without symmetry too):
 * - majorityFastQuorum (fastQuorum=majority, acceptors=3): fast quorums are simple majorities
 *   (with 4 acceptors a majority, 3, is already a valid fast quorum). a1, a2 vote v1 and a3
 *   v2 in fast round 1, and {a1, a2} decides v1; the coordinator reads {a1, a3}, sees v1 and v2 with no majority,
 *   picks v2, and the classic quorum {a1, a2} decides it (10 states).
 * - recoverAnyValue: collision recovery proposes any value seen in the fast quorum, ignoring a
 *   majority: {a1, a2, a3} choose v1 (a4 votes v2); recovery reads {a1, a2, a4}:
 *   v1, v1, v2, proposes v2, and {a1, a2, a3} decide it (12 states).
 * Network: a set of sent messages that only grows (reordering, duplication, loss as never
 *   receiving). Faults: none beyond that (acceptors keep their state; a crash is a pause).
 * TLC, FastPaxos.cfg (4 acceptors, 3 values, ballots 0..4, fast {1, 3}): with its SYMMETRY
 *   25,617 distinct states, 320,053 generated, depth 22 (synod's default, symmetry on); without
 *   it 3,043,684 / 36,868,401 / 22 (--no-symmetry; synod's orbits stand for the same 3,043,684).
 */
import { Set as ISet, Map as IMap } from 'immutable';
import { action, always, defineSpec, majority, majorityQuorums, sometimes, subsetsOfSize, t } from 'synod';

/** The least fast quorum size: two fast quorums and a classic one meet, and FastAssume's bound. */
function fastQuorumSize(n: number): number {
  let f = Math.floor((3 * n) / 4);
  while (majority(n) + 2 * f <= 2 * n) f++;
  return f;
}

/** Ballots 0.. alternating classic and fast from classic 0; the leftovers of one kind last. */
function ballotKinds(fast: number, classic: number): boolean[] {
  const isFast: boolean[] = [];
  while (fast + classic > 0) {
    const takeFast = classic === 0 || (fast > 0 && isFast.length % 2 === 1);
    isFast.push(takeFast);
    if (takeFast) fast--;
    else classic--;
  }
  return isFast;
}

type Msg = { type: '2aAny' | '2a' | '2b'; acc: string; bal: number; val: string };

/**
 * What the guards read from msgs, indexed: the 2b votes by ballot, who voted in which ballot,
 * and which ballots have a 2a message. Memoised per state object, as the explorer hands one
 * state to every action and property.
 */
interface View {
  votes: Map<number, Msg[]>;
  votedAt: Set<string>;
  twoABallots: Set<number>;
}
const views = new WeakMap<object, View>();
function viewOf(s: { msgs: Iterable<unknown> }): View {
  let v = views.get(s);
  if (v === undefined) {
    v = { votes: new Map(), votedAt: new Set(), twoABallots: new Set() };
    for (const x of s.msgs) {
      const m = x as Msg;
      if (m.type === '2b') {
        const list = v.votes.get(m.bal);
        if (list) list.push(m);
        else v.votes.set(m.bal, [m]);
        v.votedAt.add(`${m.acc}/${m.bal}`);
      } else {
        v.twoABallots.add(m.bal);
      }
    }
    views.set(s, v);
  }
  return v;
}

/** M of FastDecide and ClassicAccept: ballot b's votes by members of q. */
const votesIn = (s: { msgs: Iterable<unknown> }, b: number, q: ISet<string>): Msg[] =>
  (viewOf(s).votes.get(b) ?? []).filter((m) => q.has(m.acc));
const coversQuorum = (M: Msg[], q: ISet<string>): boolean => q.every((a) => M.some((m) => m.acc === a));
const valuesOf = (M: Msg[]): Set<string> => new Set(M.map((m) => m.val));
/** IsMajorityValue(M, v): more than half of the votes in M are for v. */
const isMajorityValue = (M: Msg[], v: string): boolean => Math.floor(M.length / 2) < M.filter((m) => m.val === v).length;

function types(p: { acceptors: number; values: number; fastBallots: number; classicBallots: number; fastQuorum: string }) {
  const Acceptor = t.scalarset('Acceptor', p.acceptors);
  const Value = t.scalarset('Value', p.values);
  const kinds = ballotKinds(p.fastBallots, p.classicBallots);
  const Ballot = t.int(0, kinds.length - 1);
  const FastBallots = kinds.flatMap((fast, b) => (fast ? [b] : []));
  const ClassicBallots = kinds.flatMap((fast, b) => (fast ? [] : [b]));
  const Msg = t.union('type', {
    '2aAny': { bal: Ballot },
    '2a': { bal: Ballot, val: Value },
    '2b': { acc: Acceptor, bal: Ballot, val: Value },
  });
  const state = t.record({
    decision: t.option(Value),
    maxBallot: t.map(Acceptor, Ballot),
    maxVBallot: t.map(Acceptor, Ballot),
    maxValue: t.map(Acceptor, t.option(Value)),
    cValue: t.option(Value),
    msgs: t.set(Msg),
  });
  const Quorums = majorityQuorums(Acceptor.values);
  const FastQuorums = subsetsOfSize(Acceptor.values, p.fastQuorum === 'majority' ? majority(p.acceptors) : fastQuorumSize(p.acceptors)).map((q) => ISet(q));
  return { Acceptor, Value, Ballot, FastBallots, ClassicBallots, Quorums, FastQuorums, Msg, state };
}
type Types = ReturnType<typeof types>;
type State = ReturnType<Types['state']['make']>;

/**
 * ClassicAccept: collision recovery in classic ballot b after fast ballot f, from the votes M
 * of fast quorum q in f. 'majority' is the spec's rule (a majority value of M, else any value
 * in M); 'anySeen' is the recoverAnyValue bug (any value in M).
 */
function classicAccept(T: Types, rule: 'majority' | 'anySeen') {
  return action({
    over: [T.ClassicBallots, T.FastBallots, T.FastQuorums, T.Value],
    when: (s: State, b: number, f: number, q: ISet<string>, v: string) => {
      if (f >= b || (s.cValue !== null && s.cValue !== v) || viewOf(s).twoABallots.has(b)) return false;
      const M = votesIn(s, f, q);
      const V = valuesOf(M);
      if (!coversQuorum(M, q) || V.size <= 1) return false; // recovery only after a collision
      if (rule === 'majority' && [...V].some((w) => isMajorityValue(M, w))) return isMajorityValue(M, v);
      return V.has(v);
    },
    then: (s: State, b: number, _f: number, _q: ISet<string>, v: string) =>
      s.set('cValue', v).set('msgs', s.msgs.add(T.Msg.make({ type: '2a', bal: b, val: v }))) as State,
  });
}

export default defineSpec({
  name: 'fast-paxos',
  description: 'Fast Paxos (simplified, one coordinator): acceptors vote for clients\' values directly in fast rounds; collisions are recovered in a classic round',
  params: {
    acceptors: { default: 4, min: 1, max: 7, doc: 'number of acceptors' },
    values: { default: 3, min: 1, max: 5, doc: 'number of values clients may propose' },
    fastBallots: { default: 2, min: 1, max: 5, doc: 'number of fast ballots (without one nothing can happen)' },
    classicBallots: { default: 3, min: 1, max: 5, doc: 'number of classic ballots (ballot 0 is classic)' },
    fastQuorum: { default: 'safe', choices: ['safe', 'majority'], doc: "fast quorum size: 'safe' (a classic and two fast quorums meet) or a simple 'majority' (unsafe)" },
  },
  types,
  init: (T) => {
    const all = <V>(v: V) => IMap(T.Acceptor.values.map((a) => [a, v] as const));
    return T.state.make({
      decision: null, maxBallot: all(0), maxVBallot: all(0), maxValue: all<string | null>(null), cValue: null, msgs: ISet(),
    });
  },
  actions: (T) => {
    type S = ReturnType<typeof T.state.make>;
    const send = (s: S, m: Record<string, unknown>): S => s.set('msgs', s.msgs.add(T.Msg.make(m)));
    const vote = (s: S, a: string, b: number, v: string): S =>
      send(s.setIn(['maxBallot', a], b).setIn(['maxVBallot', a], b).setIn(['maxValue', a], v) as S, { type: '2b', acc: a, bal: b, val: v });
    return {
      FastAny: action({
        over: [T.FastBallots],
        then: (s: S, f: number) => send(s, { type: '2aAny', bal: f }),
      }),
      // An acceptor votes once per fast round, and only for the value it voted for before.
      FastPropose: action({
        over: [T.Acceptor, (s: S) => s.msgs, T.Value],
        when: (s, a, m, v) =>
          m.type === '2aAny' && s.maxBallot.get(a)! <= m.bal &&
          (s.maxValue.get(a) === null || s.maxValue.get(a) === v) && !viewOf(s).votedAt.has(`${a}/${m.bal}`),
        then: (s, a, m, v) => vote(s, a, m.bal, v),
      }),
      FastDecide: action({
        over: [T.FastBallots, T.FastQuorums, (s: S, b: number, q: ISet<string>) => votesIn(s, b, q)],
        when: (s: S, b: number, q: ISet<string>) => {
          const M = votesIn(s, b, q);
          return coversQuorum(M, q) && valuesOf(M).size === 1;
        },
        then: (s: S, _b: number, _q: ISet<string>, m: Msg) => s.set('decision', m.val),
      }),
      ClassicAccept: classicAccept(T, 'majority'),
      ClassicAccepted: action({
        over: [T.Acceptor, (s: S) => s.msgs],
        when: (s, a, m) => m.type === '2a' && s.maxBallot.get(a)! <= m.bal,
        then: (s, a, m) => (m.type === '2a' ? vote(s, a, m.bal, m.val) : null), // a 2a message, as the guard says
      }),
      ClassicDecide: action({
        over: [T.ClassicBallots, T.Quorums, (s: S, b: number, q: ISet<string>) => votesIn(s, b, q)],
        when: (s: S, b: number, q: ISet<string>) => coversQuorum(votesIn(s, b, q), q),
        then: (s: S, _b: number, _q: ISet<string>, m: Msg) => s.set('decision', m.val),
      }),
    };
  },
  properties: (T) => {
    type S = ReturnType<typeof T.state.make>;
    /** Some quorum of qs voted for the decision in one ballot of bs. */
    const decidedBy = (s: S, bs: readonly number[], qs: readonly ISet<string>[]): boolean =>
      s.decision !== null && bs.some((b) => qs.some((q) => {
        const M = votesIn(s, b, q);
        return coversQuorum(M, q) && M.every((m) => m.val === s.decision);
      }));
    return {
      nontriviality: always((s: S) => s.decision === null ||
        T.FastBallots.some((b) => (viewOf(s).votes.get(b) ?? []).some((m) => m.val === s.decision)),
      'a decided value was voted for in a fast round (FastNontriviality)'),
      consistency: always.step((s: S, n: S) => s.decision === null || n.decision === s.decision,
        'once decided, the decision never changes (PaxosConsistency)'),
      fastChosen: sometimes((s: S) => decidedBy(s, T.FastBallots, T.FastQuorums), 'a fast round chooses a value and it is decided'),
      collisionRecovered: sometimes((s: S) => decidedBy(s, T.ClassicBallots, T.Quorums),
        'after a collision a classic quorum votes for the recovery value and it is decided'),
    };
  },
  variants: {
    majorityFastQuorum: {
      description: 'fast quorums are simple majorities (2 of 3 acceptors), too small for a classic and two fast quorums to meet',
      params: { fastQuorum: 'majority', acceptors: 3, values: 2, fastBallots: 1, classicBallots: 2 },
    },
    recoverAnyValue: {
      description: 'collision recovery proposes any value seen in the fast quorum, even when a majority of it voted for one',
      params: { values: 2, fastBallots: 1, classicBallots: 2 },
      actions: (T) => ({ ClassicAccept: classicAccept(T, 'anySeen') }),
    },
  },
});
