/**
 * Raft leader election (Ongaro and Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", section 5.2), without logs.
 *
 * Every node is a follower, a candidate or a leader, and keeps a current term and whom it voted
 * for in that term. A follower or candidate that hears nothing for its (randomised) election
 * timeout becomes a candidate: it moves to the next term, votes for itself and sends RequestVote
 * to every other node. A node grants its vote if the request is of its own term and it has not
 * voted for someone else in that term. A candidate holding votes from a majority (its own
 * included) becomes leader and sends heartbeats (AppendEntries with no entries): a node that
 * receives one knows the leader of its term, and a candidate of that term steps down. Any
 * message with a term above the receiver's makes it adopt that term and become a follower that
 * has voted for nobody. Timeouts are nondeterminism: any follower or candidate may time out at
 * any moment.
 *
 * Modelling choices (the first three shrink the state space and change nothing a node can see):
 * - BecomeLeader counts the granted responses addressed to the candidate where they lie in the
 *   network, as Lamport's Paxos specs count 1b messages, instead of receiving them one by one.
 * - A refusal matters only when it carries a higher term, so a refusal in the request's own
 *   term is not sent, and a refusal does not name its sender (the paper's reply is just
 *   {term, voteGranted}; only a granted vote needs to say whose it is).
 * - A leader sends its heartbeats once, on election: the network duplicates, so those messages
 *   stand for every heartbeat of its term.
 * - Replies to heartbeats are left out: they would only tell a stale leader about a newer term,
 *   which it also learns from that term's RequestVote (log replication will need them).
 *
 * Properties
 * - singleLeaderPerTerm (Election Safety): no two nodes are leaders of the same term at once.
 * - termsNeverDecrease (step): no node's current term ever goes down.
 * - voteOncePerTerm: no node votes for two candidates in one term. The votes are read off the
 *   message history (a candidate's own vote is its RequestVote, another's is a granted
 *   response); the network never forgets a message, so no ghost field and no view are needed.
 * - knownLeaderIsLeader: a node that heard a heartbeat for its term names a node that is leader
 *   of that term, or has since moved to a later one.
 * - leaderElected (sometimes): some node becomes leader.
 * - allFollow (sometimes): every node is in the same term and is its leader or knows it.
 * - staleLeader (sometimes): two nodes are leaders at once, of different terms: allowed, which
 *   is why election safety is stated per term (the old one steps down when it hears the new term).
 *
 * Liveness: eventuallyLeader (<>(some node is leader)) cannot be guaranteed without timing
 * assumptions, because candidates may time out together and split the vote in every term, for
 * ever: FLP in miniature (no deterministic protocol in an asynchronous system can promise
 * progress when a process may be slow; Raft's randomised timeouts make endless split votes
 * unlikely, not impossible). So it is not a property of the base spec, whose actions are all
 * weakly fair (timeouts keep happening, messages get delivered); variant splitVotes adds it,
 * and it fails even under that fairness: the lasso splits the
 * vote in term after term up to maxTerm. The bound on terms stands in for "for ever": there
 * the candidates can no longer time out, so the lasso ends stuttering in the split; with a
 * larger maxTerm the same split repeats longer, and no finite bound helps. noFairness shows
 * the other reason it fails: with no fairness a behaviour may simply stop (stutter) in the
 * initial state.
 *
 * Params: nodes (default 3, 3..7; a majority is floor(nodes/2)+1), maxTerm (default 2, 2..6: a
 *   node in term maxTerm no longer times out). Below 3 nodes or 2 terms staleLeader is out of reach.
 * Variants (splitVotes and noFairness: see Liveness; the others end with two leaders of one term, after the
 *   shortest trace shown):
 * - votesTwice: a node grants every request of its current term, even after voting for another
 *   candidate; n1 and n2 both stand in term 1 and vote for each other (7 states).
 *   voteOncePerTerm, dropped in this variant, would fail first (4 states).
 * - countsStaleVotes: a candidate also counts votes granted to it in older terms; n1 wins term 2
 *   with n2's vote from term 1, while n2 wins term 2 with n3's vote (8 states).
 * - noStepDown: a node that sees a higher term adopts it but keeps its role; n1, leader of term
 *   1, adopts term 2 from n2's RequestVote, stays leader, and even votes n2 in (7 states).
 * Terminal: states where every node that is not a leader is in term maxTerm (the bound, not the
 *   protocol, stops the timeouts), so they are not deadlocks.
 * Network: network({ ordering: 'unordered', duplicate: true }): a message stays in flight after
 *   it is delivered, so it may arrive again, late, out of order or never (loss needs no Drop
 *   action for safety properties). Faults: no crashes are modelled (Raft keeps term and votedFor
 *   on stable storage, so a crash-restart would make a node a follower of its own term).
 * Default (nodes=3, maxTerm=2): 1,214 orbits, 4,442 generated, depth 13 (without symmetry
 *   7,105 / 26,011 / 13). Benchmark: --param nodes=5 (maxTerm=2): 126,784 orbits of 13,701,269
 *   states, 1,077,415 generated, depth 21.
 */
import { Map as IMap, Set as ISet, is } from 'immutable';
import { action, always, defineSpec, eventually, majority as majorityOf, network, sometimes, t, type Infer, type SetType, type Actions } from 'synod';

function types(p: { nodes: number; maxTerm: number }) {
  const Node = t.scalarset('Node', p.nodes);
  const Term = t.int(1, p.maxTerm);
  const Msg = t.union('type', {
    RequestVote: { term: Term, from: Node, to: Node },
    RequestVoteResponse: { term: Term, to: Node, voter: t.option(Node) },
    AppendEntries: { term: Term, from: Node, to: Node },
  });
  const net = network({ field: 'msgs', message: Msg, ordering: 'unordered', duplicate: true });
  const state = t.record({
    role: t.map(Node, t.enum('follower', 'candidate', 'leader')),
    term: t.map(Node, t.int(0, p.maxTerm)),
    votedFor: t.map(Node, t.option(Node)),
    leader: t.map(Node, t.option(Node)),
    msgs: net.type as SetType<Infer<typeof Msg>>,
  });
  return { Node, Msg, net, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;

export default defineSpec({
  name: 'raft-election',
  description: 'Raft leader election: terms, RequestVote and heartbeats; at most one leader per term',
  params: {
    nodes: { default: 3, min: 3, max: 7, doc: 'number of servers (a majority is floor(nodes/2)+1); with fewer than 3 no stale leader can coexist with a new one' },
    maxTerm: { default: 2, min: 2, max: 6, doc: 'highest term: a node at maxTerm no longer times out (2 or more, for a stale leader to exist)' },
  },
  types,
  init: (T) => {
    const each = <V>(v: V) => IMap(T.Node.values.map((n) => [n, v] as const));
    return T.state.make({
      role: each('follower' as const),
      term: each(0),
      votedFor: each<string | null>(null),
      leader: each<string | null>(null),
      msgs: T.net.empty() as ISet<Infer<typeof T.Msg>>,
    });
  },
  actions: (T, p) => allWeaklyFair(raftActions(T, p, {})),
  properties: (T) => ({
    singleLeaderPerTerm: always((s) => {
      const leaderTerms = T.Node.values.filter((n) => s.role.get(n) === 'leader').map((n) => s.term.get(n));
      return new Set(leaderTerms).size === leaderTerms.length;
    }, 'no two nodes are leader in the same term'),
    termsNeverDecrease: always.step((s, next) => T.Node.values.every((n) => next.term.get(n)! >= s.term.get(n)!), 'no node\'s term ever goes down'),
    voteOncePerTerm: always((s) => {
      const cast = new Map<string, string>(); // "voter term" -> candidate
      for (const m of s.msgs) {
        const vote = m.type === 'RequestVote' ? [m.from, m.term, m.from] : m.type === 'RequestVoteResponse' && m.voter !== null ? [m.voter, m.term, m.to] : null;
        if (!vote) continue;
        const key = `${vote[0]} ${vote[1]}`;
        if ((cast.get(key) ?? vote[2]) !== vote[2]) return false;
        cast.set(key, vote[2] as string);
      }
      return true;
    }, 'no node votes for two candidates in one term'),
    knownLeaderIsLeader: always((s) =>
      T.Node.values.every((n) => {
        const l = s.leader.get(n);
        return l == null || s.term.get(l)! > s.term.get(n)! || (s.term.get(l) === s.term.get(n) && s.role.get(l) === 'leader');
      }),
    'a node that knows a leader of its term knows a real one (or a newer term)'),
    leaderElected: sometimes((s) => s.role.includes('leader'), 'some node becomes leader'),
    allFollow: sometimes((s) =>
      T.Node.values.every((n) => s.term.get(n) === s.term.first() && (s.role.get(n) === 'leader' || s.leader.get(n) !== null)),
    'every node is in one term and follows its leader'),
    staleLeader: sometimes((s) => {
      const leaderTerms = T.Node.values.filter((n) => s.role.get(n) === 'leader').map((n) => s.term.get(n));
      return new Set(leaderTerms).size >= 2;
    }, 'two leaders of different terms at once (a stale leader)'),
  }),
  terminal: (s, T, p) => T.Node.values.every((n) => s.role.get(n) === 'leader' || s.term.get(n) === p.maxTerm),
  variants: {
    splitVotes: {
      description: 'adds eventuallyLeader (every action weakly fair): it fails, candidates split the vote in every term',
      properties: (_T) => ({ eventuallyLeader: eventually((s) => s.role.includes('leader'), 'some node eventually becomes leader') }),
    },
    noFairness: {
      description: 'adds eventuallyLeader with no fairness: it fails at once, a behaviour may stop before anyone times out',
      actions: (T, p) => raftActions(T, p, {}),
      properties: (_T) => ({ eventuallyLeader: eventually((s) => s.role.includes('leader'), 'some node eventually becomes leader') }),
    },
    votesTwice: {
      description: 'a node grants every RequestVote of its current term, even after voting for another candidate',
      actions: (T, p) => raftActions(T, p, { votesTwice: true }),
      properties: () => ({ voteOncePerTerm: null }),
    },
    countsStaleVotes: {
      description: 'a candidate counts a granted vote from an older term as a vote in its current term',
      actions: (T, p) => raftActions(T, p, { countsStaleVotes: true }),
    },
    noStepDown: {
      description: 'a leader or candidate that sees a higher term adopts it but does not step down to follower',
      actions: (T, p) => raftActions(T, p, { noStepDown: true }),
    },
  },
});

interface Bugs { votesTwice?: boolean; countsStaleVotes?: boolean; noStepDown?: boolean }

/** The actions, with the bugs of the variants switched on by flags (one rule each). */
function raftActions(T: Types, p: { nodes: number; maxTerm: number }, bug: Bugs): Actions<S> {
  const majority = majorityOf(p.nodes);
  const others = (n: string) => T.Node.values.filter((o) => o !== n);
  const msg = (fields: Parameters<Types['Msg']['make']>[0]) => T.Msg.make(fields);

  /** A node that sees a higher term adopts it and becomes a follower with no vote cast. */
  const observe = (s: S, n: string, term: number): S => {
    if (term <= s.term.get(n)!) return s;
    const s1 = s.setIn(['term', n], term).setIn(['votedFor', n], null).setIn(['leader', n], null);
    return bug.noStepDown ? s1 : s1.setIn(['role', n], 'follower');
  };
  /** How many votes candidate c counts: its own and each granted response of its term sent to it. */
  const votesFor = (s: S, c: string) => {
    const term = s.term.get(c)!;
    const voters = new Set<string>([c]);
    for (const m of s.msgs) {
      if (m.type === 'RequestVoteResponse' && m.to === c && m.voter !== null && (m.term === term || (bug.countsStaleVotes && m.term < term))) voters.add(m.voter);
    }
    return voters.size;
  };

  return {
    // The election timeout: any follower or candidate (the randomised timer is nondeterminism).
    Timeout: action({
      over: [T.Node],
      when: (s, n) => s.role.get(n) !== 'leader' && s.term.get(n)! < p.maxTerm,
      then: (s, n) => {
        const term = s.term.get(n)! + 1;
        const s1 = s.setIn(['role', n], 'candidate').setIn(['term', n], term).setIn(['votedFor', n], n).setIn(['leader', n], null);
        return T.net.sendAll(s1, others(n).map((o) => msg({ type: 'RequestVote', term, from: n, to: o })));
      },
    }),
    // A candidate whose votes (its own and the granted responses of its term) form a majority
    // becomes leader and sends heartbeats; as the network duplicates, these messages stand for
    // every heartbeat of its term.
    BecomeLeader: action({
      over: [T.Node],
      when: (s, c) => s.role.get(c) === 'candidate' && votesFor(s, c) >= majority,
      then: (s, c) => {
        const term = s.term.get(c)!;
        return T.net.sendAll(s.setIn(['role', c], 'leader'), others(c).map((o) => msg({ type: 'AppendEntries', term, from: c, to: o })));
      },
    }),
    ...T.net.actions({
      // Delivering a request again after it was answered changes nothing: no successor then.
      RequestVote: (s, m) => {
        const s1 = observe(s, m.to, m.term);
        const term = s1.term.get(m.to)!;
        const voted = s1.votedFor.get(m.to);
        const grant = m.term === term && (voted === null || voted === m.from || bug.votesTwice === true);
        const s2 = grant ? s1.setIn(['votedFor', m.to], m.from) : s1;
        // A refusal in the request's own term changes nothing when it arrives, so it is not sent.
        if (!grant && term === m.term) return is(s2, s) ? null : s2;
        const s3 = T.net.send(s2, msg({ type: 'RequestVoteResponse', term, to: m.from, voter: grant ? m.to : null }));
        return is(s3, s) ? null : s3;
      },
      // Granted votes are counted by BecomeLeader where they lie; receiving a response matters
      // only when it carries a higher term (a refusal from a node that has moved on).
      RequestVoteResponse: {
        when: (s, m) => m.term > s.term.get(m.to)!,
        then: (s, m) => observe(s, m.to, m.term),
      },
      AppendEntries: {
        // A heartbeat names the leader of its term (adopted if newer); a candidate steps down.
        when: (s, m) => m.term > s.term.get(m.to)! || (m.term === s.term.get(m.to) && s.leader.get(m.to) !== m.from),
        then: (s, m) => {
          const s1 = observe(s, m.to, m.term);
          return (s1.role.get(m.to) === 'candidate' ? s1.setIn(['role', m.to], 'follower') : s1).setIn(['leader', m.to], m.from);
        },
      },
    }),
  };
}

/** Every action weakly fair (as a whole): timeouts keep happening, sent messages get delivered. */
function allWeaklyFair<A extends Record<string, object>>(actions: A): A {
  return Object.fromEntries(Object.entries(actions).map(([k, a]) => [k, { ...a, fair: 'weak' }])) as A;
}
