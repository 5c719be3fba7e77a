/**
 * Paxos consensus, as in Lamport's Paxos.tla from "The Paxos Algorithm, or How to Win a Turing
 * Award" (tlaplus/Examples, specifications/PaxosHowToWinATuringAward), which refines Voting.tla.
 *
 * Acceptors choose one value by voting in numbered ballots; ballot b has its own leader.
 * Phase1a(b): the leader of b asks every acceptor to join ballot b. Phase1b(a): an acceptor
 * that has joined no higher ballot promises b and reports its latest vote (maxVBal, maxVal).
 * Phase2a(b, v): once a quorum Q has answered, the leader asks for v: any value if nobody in Q
 * reported a vote, else the value of the highest-ballot vote reported (the heart of Paxos).
 * Phase2b(a): an acceptor that promised nothing higher votes for it. A value is chosen once a
 * quorum has voted for it in one ballot (the 2b messages say who voted for what).
 *
 * Properties
 * - inv (Inv): Lamport's inductive invariant: maxBal >= maxVBal; maxVal is a vote the acceptor
 *   sent; a 1b message reports a real vote and its sender kept its promise; every 2a value is
 *   safe (Voting's ShowsSafeAt holds for some quorum) and unique in its ballot; every 2b vote
 *   answers a 2a. TypeOK is enforced by the declared types.
 * - votingRefinement (V!Spec, the cfg's PROPERTY): every step, seen through votes (from the 2b
 *   messages) and maxBal, is a step of Voting (IncreaseMaxBal or VoteFor) or leaves both alone.
 *   Voting's initial condition holds trivially (no messages, every maxBal = -1).
 * - chosenUnique: at most one value is chosen (Consensus's Cardinality(chosen) <= 1).
 * - someChosen (sometimes): some value gets chosen.
 *
 * Quorums are the minimal majorities (every set of floor(n/2)+1 acceptors); for 3 acceptors
 * that is {{a1,a2},{a1,a3},{a2,a3}}, the cfg's Quorum. Acceptors and values are model values
 * (a1.., v1..) that the algorithm treats alike: scalarsets. None is null (t.option).
 * Counting follows TLC's: each `\E` is a parameter, so Phase1b/Phase2b range over the messages
 * sent, and Phase2a over (b, v, Q, m), where m is the reported vote Phase2a repeats, or null for
 * the disjunct "nobody in Q reported a vote" (TLC makes one successor per such witness).
 * Deadlock: none; Phase1a is always enabled (resending a 1a is a stuttering step), so TLC's
 * default deadlock check passes too and no state needs to be terminal.
 *
 * Params: acceptors (3), values (2), maxBallot (1; Ballot = 0..maxBallot).
 * Variants (both drop inv and votingRefinement, which catch the bad message earlier, so the
 *   trace shown is the consensus failure itself):
 * - ignore1bValues: Phase2a proposes any value once a quorum answered, ignoring the votes the
 *   1b messages report; v1 is chosen in ballot 0 and v2 in ballot 1 (13-state trace; with them
 *   kept, inv fails at the unsafe 2a message after 10 states, votingRefinement after 11).
 * - voteBelowPromise: Phase2b votes even in a ballot below the acceptor's promise; a late vote
 *   in the older ballot completes a second quorum (13 states; inv and votingRefinement would
 *   fail after 8).
 * Network: a set of sent messages that only grows: messages are reordered and duplicated (a
 *   message can be received again); loss needs no modelling (a lost message is one never
 *   received). Faults: none beyond that (acceptors never forget).
 * TLC, MCPaxosTiny.cfg (3 acceptors, 2 values, maxBallot 1; Inv and V!Spec): 3,921 distinct
 *   states, 23,563 generated, depth 17. Benchmark, MCPaxosSmall.cfg (maxBallot=2): 185,369
 *   distinct / 1,361,380 generated / depth 25. synod gives the same numbers with symmetry
 *   reduction off (--no-symmetry), as MCPaxos declares no SYMMETRY.
 */
import { Set as ISet, Map as IMap } from 'immutable';
import { action, always, defineSpec, majorityQuorums, sometimes, t } from 'synod';

const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

type Msg = { type: '1a' | '1b' | '2a' | '2b'; acc: string; bal: number; mbal: number; mval: string | null; val: string };

/**
 * What the guards and properties read from msgs, indexed: 1b messages by ballot, the 2a
 * messages, and `votes` (the 2b messages). A pure function of the message set, memoised per
 * state object: the explorer hands one state to every action and property, so this is built
 * about twice per state (the state and each successor) instead of once per guard.
 */
interface View {
  oneB: Map<number, Msg[]>;
  /** `${bal}/${val}` of every 2a message, and the ballots that have one. */
  twoA: Set<string>;
  twoABallots: Set<number>;
  /** Voting's votes: `${acc}/${bal}/${val}` of every 2b message, and the messages. */
  votes: Set<string>;
  voteMsgs: Msg[];
  chosen?: Set<string>;
}
const views = new WeakMap<object, View>();
function viewOf(s: { msgs: Iterable<unknown> }): View {
  let v = views.get(s);
  if (v === undefined) {
    v = { oneB: new Map(), twoA: new Set(), twoABallots: new Set(), votes: new Set(), voteMsgs: [] };
    for (const x of s.msgs) {
      const m = x as Msg;
      if (m.type === '1b') {
        const list = v.oneB.get(m.bal);
        if (list) list.push(m);
        else v.oneB.set(m.bal, [m]);
      } else if (m.type === '2a') {
        v.twoA.add(`${m.bal}/${m.val}`);
        v.twoABallots.add(m.bal);
      } else if (m.type === '2b') {
        v.votes.add(`${m.acc}/${m.bal}/${m.val}`);
        v.voteMsgs.push(m);
      }
    }
    views.set(s, v);
  }
  return v;
}

export default defineSpec({
  name: 'paxos-lamport',
  description: "Lamport's Paxos consensus (How to Win a Turing Award): leaders and acceptors by messages",
  params: {
    acceptors: { default: 3, min: 1, max: 9, doc: 'number of acceptors' },
    values: { default: 2, min: 1, max: 6, doc: 'number of values that may be proposed' },
    maxBallot: { default: 1, min: 0, max: 6, doc: 'ballots are 0..maxBallot' },
  },
  types: (p) => {
    const Acceptor = t.scalarset('Acceptor', p.acceptors);
    const Value = t.scalarset('Value', p.values);
    const Ballot = t.int(0, p.maxBallot);
    const BallotOrNone = t.int(-1, p.maxBallot);
    const Msg = t.union('type', {
      '1a': { bal: Ballot },
      '1b': { acc: Acceptor, bal: Ballot, mbal: BallotOrNone, mval: t.option(Value) },
      '2a': { bal: Ballot, val: Value },
      '2b': { acc: Acceptor, bal: Ballot, val: Value },
    });
    const state = t.record({
      maxBal: t.map(Acceptor, BallotOrNone),
      maxVBal: t.map(Acceptor, BallotOrNone),
      maxVal: t.map(Acceptor, t.option(Value)),
      msgs: t.set(Msg),
    });
    return { Acceptor, Value, Ballot, Msg, state };
  },
  init: (T) => {
    const all = <V>(v: V) => IMap(T.Acceptor.values.map((a) => [a, v] as const));
    return T.state.make({ maxBal: all(-1), maxVBal: all(-1), maxVal: all<string | null>(null), msgs: ISet() });
  },
  actions: (T) => {
    type S = ReturnType<typeof T.state.make>;
    const Quorum = majorityQuorums(T.Acceptor.values);
    const send = (s: S, m: Record<string, unknown>): S => s.set('msgs', s.msgs.add(T.Msg.make(m)));
    // Phase2a's Q1b: the 1b messages of ballot b sent by acceptors in Q; Q1bv: those reporting a vote.
    const q1b = (s: S, b: number, Q: ISet<string>): Msg[] => (viewOf(s).oneB.get(b) ?? []).filter((m) => Q.has(m.acc));
    const q1bv = (s: S, b: number, Q: ISet<string>): Msg[] => q1b(s, b, Q).filter((m) => m.mbal >= 0);
    return {
      Phase1a: action({
        over: [T.Ballot],
        then: (s: S, b: number) => send(s, { type: '1a', bal: b }),
      }),
      // The last parameter is the witness of Phase2a's inner disjunction: a reported vote of
      // highest ballot whose value v the leader repeats, or null for the disjunct Q1bv = {}.
      Phase2a: action({
        over: [T.Ballot, T.Value, Quorum, (s: S, b: number, _v: string, Q: ISet<string>) => [null, ...q1bv(s, b, Q)]],
        when: (s: S, b: number, v: string, Q: ISet<string>, m: Msg | null) => {
          if (viewOf(s).twoABallots.has(b)) return false;
          const answered = q1b(s, b, Q);
          if (!Q.every((a) => answered.some((x) => x.acc === a))) return false;
          const voted = answered.filter((x) => x.mbal >= 0);
          if (m === null) return voted.length === 0;
          return m.mval === v && voted.every((mm) => m.mbal >= mm.mbal);
        },
        then: (s: S, b: number, v: string) => send(s, { type: '2a', bal: b, val: v }),
      }),
      Phase1b: action({
        over: [T.Acceptor, (s: S) => s.msgs],
        when: (s, a, m) => m.type === '1a' && m.bal > s.maxBal.get(a)!,
        then: (s, a, m) =>
          send(s.setIn(['maxBal', a], m.bal), { type: '1b', acc: a, bal: m.bal, mbal: s.maxVBal.get(a), mval: s.maxVal.get(a) }),
      }),
      Phase2b: action({
        over: [T.Acceptor, (s: S) => s.msgs],
        when: (s, a, m) => m.type === '2a' && m.bal >= s.maxBal.get(a)!,
        then: (s, a, m) => (m.type === '2a' ? vote(s, a, m) : null), // a 2a message, as the guard says
      }),
    };

    function vote(s: S, a: string, m: { bal: number; val: string }): S {
      const s1 = s.setIn(['maxBal', a], m.bal).setIn(['maxVBal', a], m.bal).setIn(['maxVal', a], m.val) as S;
      return send(s1, { type: '2b', acc: a, bal: m.bal, val: m.val });
    }
  },
  properties: (T) => {
    type S = ReturnType<typeof T.state.make>;
    const Quorum = majorityQuorums(T.Acceptor.values);
    const voted = (s: S, a: string, b: number, v: string | null): boolean => viewOf(s).votes.has(`${a}/${b}/${v}`);
    const didNotVoteAt = (s: S, a: string, b: number) => T.Value.values.every((v) => !voted(s, a, b, v));
    // Voting's ShowsSafeAt(Q, b, v), with Voting's votes read from the 2b messages.
    const showsSafeAt = (s: S, Q: ISet<string>, b: number, v: string): boolean =>
      Q.every((a) => s.maxBal.get(a)! >= b) &&
      range(-1, b - 1).some((c) =>
        (c === -1 || Q.some((a) => voted(s, a, c, v))) &&
        range(c + 1, b - 1).every((d) => Q.every((a) => didNotVoteAt(s, a, d))));
    // Inv's conjunct about each message m in msgs.
    const msgOk = (s: S, m: Msg): boolean => {
      switch (m.type) {
        case '1b': return s.maxBal.get(m.acc)! >= m.bal && (m.mbal < 0 || voted(s, m.acc, m.mbal, m.mval));
        case '2a': return Quorum.some((Q) => showsSafeAt(s, Q, m.bal, m.val)) &&
          T.Value.values.every((w) => w === m.val || !viewOf(s).twoA.has(`${m.bal}/${w}`));
        case '2b': return s.maxVBal.get(m.acc)! >= m.bal && viewOf(s).twoA.has(`${m.bal}/${m.val}`);
        default: return true;
      }
    };
    const inv = (s: S): boolean =>
      T.Acceptor.values.every((a) => {
        const vbal = s.maxVBal.get(a)!;
        return s.maxBal.get(a)! >= vbal && (vbal === -1 ? s.maxVal.get(a) === null : voted(s, a, vbal, s.maxVal.get(a)!));
      }) && s.msgs.every((m) => msgOk(s, m as unknown as Msg));

    // [][V!Next]_<<votes, maxBal>>: each step is Voting's IncreaseMaxBal(a, b) or
    // VoteFor(a, b, v), or leaves votes and maxBal alone.
    const votingStep = (s: S, n: S): boolean => {
      const before = viewOf(s).votes;
      const after = viewOf(n);
      const changed = T.Acceptor.values.filter((a) => s.maxBal.get(a) !== n.maxBal.get(a));
      const same = after.votes.size === before.size && after.voteMsgs.every((m) => before.has(`${m.acc}/${m.bal}/${m.val}`));
      if (same) {
        if (changed.length === 0) return true;
        if (changed.length > 1) return false;
        const a = changed[0]!;
        return n.maxBal.get(a)! > s.maxBal.get(a)!; // IncreaseMaxBal(a, b), b = maxBal'[a] \in Ballot by type
      }
      const cast = after.voteMsgs.filter((m) => !before.has(`${m.acc}/${m.bal}/${m.val}`));
      if (cast.length !== 1 || after.votes.size !== before.size + 1) return false;
      const { acc: a, bal: b, val: v } = cast[0]!;
      if (changed.some((c) => c !== a) || n.maxBal.get(a) !== b) return false;
      const votesBefore = viewOf(s).voteMsgs;
      return s.maxBal.get(a)! <= b &&
        votesBefore.every((m) => m.acc !== a || m.bal !== b) &&
        votesBefore.every((m) => m.acc === a || m.bal !== b || m.val === v) &&
        Quorum.some((Q) => showsSafeAt(s, Q, b, v));
    };

    /** chosen: the values that every acceptor of some quorum voted for in one ballot. */
    const chosen = (s: S): Set<string> => {
      const view = viewOf(s);
      if (view.chosen) return view.chosen;
      const out = new Set<string>();
      for (const m of view.voteMsgs) {
        if (Quorum.some((Q) => Q.every((a) => voted(s, a, m.bal, m.val)))) out.add(m.val);
      }
      return (view.chosen = out);
    };
    return {
      inv: always(inv, "Lamport's inductive invariant Inv"),
      votingRefinement: always.step(votingStep, 'every step is a Voting step (V!Spec)'),
      chosenUnique: always((s: S) => chosen(s).size <= 1, 'at most one value is chosen'),
      someChosen: sometimes((s: S) => chosen(s).size > 0, 'some value is chosen'),
    };
  },
  variants: {
    ignore1bValues: {
      description: 'Phase2a proposes any value once a quorum answered, ignoring the votes reported in 1b messages',
      actions: (T) => {
        const Quorum = majorityQuorums(T.Acceptor.values);
        return {
          Phase2a: action({
            over: [T.Ballot, T.Value, Quorum],
            when: (s, b: number, _v: string, Q: ISet<string>) =>
              !viewOf(s).twoABallots.has(b) && Q.every((a) => (viewOf(s).oneB.get(b) ?? []).some((x) => x.acc === a)),
            then: (s, b: number, v: string) => s.set('msgs', s.msgs.add(T.Msg.make({ type: '2a', bal: b, val: v }))),
          }),
        };
      },
      properties: () => ({ inv: null, votingRefinement: null }),
    },
    voteBelowPromise: {
      description: "Phase2b votes for any 2a message, even in a ballot below the acceptor's promise",
      actions: (T) => ({
        Phase2b: action({
          over: [T.Acceptor, (s) => s.msgs],
          when: (_s, _a, m) => m.type === '2a',
          then: (s, a, m) => m.type !== '2a' ? null // a 2a message, as the guard says
            : s.setIn(['maxBal', a], m.bal).setIn(['maxVBal', a], m.bal).setIn(['maxVal', a], m.val)
              .set('msgs', s.msgs.add(T.Msg.make({ type: '2b', acc: a, bal: m.bal, val: m.val }))),
        }),
      }),
      properties: () => ({ inv: null, votingRefinement: null }),
    },
  },
});
