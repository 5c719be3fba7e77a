/**
 * Raft log replication (Ongaro and Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", sections 5.3 and 5.4), on a simplified but faithful election.
 *
 * Time is cut into terms. A candidate wins a term when a majority votes for it; a node votes
 * once per term, and only for a candidate whose log is at least as up to date as its own (a
 * later last term, or the same last term and at least as long). The leader appends client
 * writes to its log and sends AppendEntries: the entries after prevLogIndex, which a follower
 * accepts only if its own entry at prevLogIndex has term prevLogTerm (the consistency check).
 * A follower deletes an entry that conflicts with a new one (same index, other term) and all
 * that follow it. The leader keeps matchIndex (how much of its log each follower is known to
 * store) and commits an entry of its CURRENT term once a majority stores it, and with it every
 * entry before it; followers learn the commit index from later AppendEntries (leaderCommit).
 *
 * Properties (`committed` is a ghost: every entry some node counted as committed, leader or
 * follower, with the term it was first committed in)
 * - logMatching: if two logs hold an entry with the same index and term, the logs are identical
 *   up to that index.
 * - leaderCompleteness: an entry committed in term t is in the log of every leader of a term
 *   after t.
 * - stateMachineSafety: no two nodes ever commit (apply) different entries at one index.
 * - committedNeverLost: an entry, once committed, stays stored at its index by a majority of
 *   the nodes for ever (crashed nodes included: logs are durable).
 * - someCommitted (sometimes): a write gets committed.
 * - uncommittedWriteLost (sometimes): a write that `lostCopies` nodes stored at once is later in
 *   no log at all, while another write is committed. Raft acknowledges a write only once it is
 *   committed; until then it may vanish, and committedNeverLost says a committed one never does.
 *   Default, 6 states: n1 leads term 1; n2 wins term 2 with n3; n1, not knowing, takes write
 *   1; n2 takes write 2 and its AppendEntries overwrites write 1 on n1, whose reply commits
 *   write 2. The seeds' story (five nodes; the three that hold the quorum fail, the two left
 *   take writes they cannot commit, then fail while the three return, and the writes are lost)
 *   is nodes=5, lostCopies=2 (maxLog=1 is enough): its shortest witness (8 states) has the two
 *   (n1, n5) take write 1 while the three (n2, n3, n4) have moved on to term 2, which to the
 *   two is the same as the three being down; test/specs/raft-log.test.ts also plays the story
 *   step by step with real crashes (maxDown=3).
 *   (`held` is the ghost behind this: the most nodes that stored each write at once, capped at
 *   lostCopies, so it adds no states when lostCopies=1.)
 *
 * Params: nodes (3); maxTerm (2), the last term an election may be for; maxLog (2), the longest
 *   log; writes (2), client writes, each taken once by whichever leader gets it (a stale leader
 *   too); network ('rpc'), see below; maxDown (0), nodes that may stay down at once;
 *   lostCopies (1), see uncommittedWriteLost.
 * Variants:
 * - figure8: the leader commits any entry a majority stores, also one of an earlier term (the
 *   bug of Figure 8 in the paper). 8 states, leaderCompleteness: n1 leads term 1, n2 term 2; each
 *   takes a write that stays in its own log; n1 wins term 3 (n3's log is empty), copies its
 *   term-1 entry to n3 and commits it by counting two copies; n2, whose last term 2 beats n1's
 *   1, wins term 4 without it (stateMachineSafety and committedNeverLost fail next, at 9).
 *   Needs maxTerm=4, which the variant sets.
 * - noTruncate: a follower keeps its entries where they conflict and only appends the entries
 *   past its end. 7 states, logMatching: n1 holds a term-1 entry, n2 (term 2) sends two and n1
 *   keeps its own first one under n2's second. Needs writes=3, which the variant sets. The
 *   variant leaves out committedNeverLost, which fails one step earlier (6 states): the
 *   follower acknowledges an entry it skipped, and the leader commits on that false majority.
 * - truncateAlways: a follower cuts its log after the new entries even when they all match,
 *   so an AppendEntries carrying fewer entries than the follower holds (a heartbeat, or a
 *   delayed one) deletes committed entries. 5 states, committedNeverLost.
 * Simplifications, to keep the default small:
 * - Elect(c, term, Q) is a whole election in one step: the voters Q (a majority, c among them)
 *   grant their votes by Raft's rule and adopt the term, and c leads. Failed elections are left
 *   out: they only raise terms and use up votes, which makes nodes refuse more, never accept
 *   more. Terms may skip (a candidate that timed out again). specs/raft-election.ts has the
 *   election message by message.
 * - nextIndex is not modelled: a leader may send any slice of its log (any prevLogIndex, any
 *   number of entries), which covers what nextIndex would pick, and also stands for a duplicate
 *   or delayed AppendEntries of the leader's term. A reply refusing a log mismatch is not sent
 *   (it would only step nextIndex back); a reply refusing a stale term is, and makes the old
 *   leader step down.
 * Network (declared): network=rpc (default): each message is delivered the moment it is sent,
 *   so an AppendEntries round trip is one step (a request never sent is a lost one).
 *   network=async: a FIFO channel per direction between two nodes, holding one message at a
 *   time; messages wait any time (across crashes), and cross or overtake each other between
 *   channels; a message never delivered is a lost one.
 * Faults (crashRestart): currentTerm, votedFor and the log are durable; role, matchIndex and
 *   commitIndex are volatile. Reboot(n) crashes and restarts n in one step (a node that is down
 *   is, to the others, a slow one); maxDown > 0 adds Crash and Restart, with down nodes that
 *   neither send nor receive. No Byzantine nodes, membership changes or log compaction.
 * Nodes are a scalarset: nothing singles one out, so symmetry reduction applies.
 * Defaults (nodes=3, maxTerm=2, maxLog=2, writes=2, rpc, maxDown=0): 2,616 orbits of 15,691
 *   states, depth 13 (--no-symmetry: 15,691 distinct, 193,414 generated).
 * Benchmarks (checked once; times on a shared 2-CPU machine):
 * - the seeds' story: nodes=5, maxLog=1, lostCopies=2: 7,507 orbits of 720,901 states, 122,631
 *   generated, depth 14, about 5 s; uncommittedWriteLost in 8 states. With maxLog=2: 234,971
 *   orbits of 25,769,821 states, 6,856,827 generated, depth 20, about 4 CPU minutes.
 * - network=async, maxLog=1: 1,541,849 orbits of 9,251,089 states, 10,111,839 generated,
 *   depth 27, about 8 minutes; every property holds (the delivery steps make each trace longer:
 *   someCommitted 6 states, uncommittedWriteLost 8, figure8's counterexample 10).
 */
import { is, List, Map as IMap, Set as ISet } from 'immutable';
import { action, always, codes, crashRestart, defineSpec, majority as majorityOf, network, sometimes, SpecError, subsetsOfSize, t, type Actions, type Infer, type Network } from 'synod';

const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

interface Sizes { nodes: number; maxTerm: number; maxLog: number; writes: number; network: 'rpc' | 'async'; maxDown: number; lostCopies: number }

function types(p: Sizes) {
  for (const k of ['maxDown', 'lostCopies'] as const) {
    if (p[k] > p.nodes) throw new SpecError(codes.badParam, `param '${k}' of spec 'raft-log': ${k}=${p[k]} must be at most nodes=${p.nodes}`);
  }
  const Node = t.scalarset('Node', p.nodes);
  const Term = t.int(0, p.maxTerm);
  const Index = t.int(0, p.maxLog);
  const Write = t.int(1, p.writes);
  const Entry = t.record({ term: t.int(1, p.maxTerm), write: Write }, 'Entry');
  const Log = t.seq(Entry, p.maxLog);
  // `entries` is taken by the Immutable Record API, hence logEntries.
  const Msg = t.union('type', {
    AppendEntries: { from: Node, to: Node, term: Term, prevIndex: Index, prevTerm: Term, logEntries: Log, commit: Index },
    Appended: { from: Node, to: Node, term: Term, success: t.bool(), match: Index },
  });
  // rpc: every message is delivered the moment it is sent, so the set is always empty again.
  // async: a channel per direction between two nodes, holding one message at a time.
  const net: Network<typeof Msg, 'unordered' | 'fifo'> = p.network === 'rpc'
    ? network({ field: 'net', message: Msg })
    : network({ field: 'net', message: Msg, ordering: 'fifo', capacity: 1, channel: { from: 'from', to: 'to', node: Node } });
  const Committed = t.record({ index: t.int(1, p.maxLog), term: t.int(1, p.maxTerm), write: Write, commitTerm: t.int(1, p.maxTerm) }, 'Committed');
  const state = t.record({
    up: t.map(Node, t.bool()),
    // durable: survive a restart
    term: t.map(Node, Term),
    votedFor: t.map(Node, t.option(Node)),
    log: t.map(Node, Log),
    // volatile: reset by a restart
    role: t.map(Node, t.enum('follower', 'leader')),
    matchIndex: t.map(Node, t.map(Node, Index)),
    commitIndex: t.map(Node, Index),
    net: net.type,
    // the client: the next write it hands to a leader
    nextWrite: t.int(1, p.writes + 1),
    // ghosts, for the properties
    committed: t.set(Committed),
    held: t.map(Write, t.int(0, p.lostCopies)),
  });
  return { Node, Entry, Msg, net, Committed, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;
type Msg = Infer<Types['Msg']>;
type Of<K extends Msg['type']> = Extract<Msg, { type: K }>;
type Log = List<Infer<Types['Entry']>>;

export default defineSpec({
  name: 'raft-log',
  description: 'Raft log replication: log matching, leader completeness, committed entries are never lost',
  params: {
    nodes: { default: 3, min: 1, max: 7, doc: 'number of nodes' },
    maxTerm: { default: 2, min: 1, max: 6, doc: 'the last term an election may be for' },
    maxLog: { default: 2, min: 1, max: 4, doc: 'the longest log' },
    writes: { default: 2, min: 1, max: 4, doc: 'client writes, each appended once, by the leader that takes it' },
    network: { default: 'rpc', choices: ['rpc', 'async'], doc: 'rpc: an AppendEntries round trip is one step; async: request and reply wait in channels (one message each) and may be delayed or lost' },
    maxDown: { default: 0, min: 0, max: 7, doc: 'nodes that may stay down at once (Crash, Restart); Reboot is always possible' },
    lostCopies: { default: 1, min: 1, max: 7, doc: 'uncommittedWriteLost asks for a write that this many nodes stored at once' },
  },
  types,
  init: (T, p) => {
    const all = <V>(v: V) => IMap(T.Node.values.map((n) => [n, v] as const));
    return T.state.make({
      up: all(true),
      term: all(0),
      votedFor: all<string | null>(null),
      log: all(List()),
      role: all('follower'),
      matchIndex: all(all(0)),
      commitIndex: all(0),
      net: T.net.empty(),
      nextWrite: 1,
      committed: ISet(),
      held: IMap(range(1, p.writes).map((w) => [w, 0] as const)),
    });
  },
  actions: (T, p) => raftActions(T, p, RAFT),
  properties: (T, p) => {
    type S = ReturnType<typeof T.state.make>;
    type C = ReturnType<typeof T.Committed.make>;
    const majority = majorityOf(p.nodes);
    const holds = (s: S, n: string, c: C) => {
      const e = s.log.get(n)!.get(c.index - 1);
      return e !== undefined && e.term === c.term && e.write === c.write;
    };
    const inSomeLog = (s: S, w: number) => T.Node.values.some((n) => s.log.get(n)!.some((e) => e.write === w));
    return {
      logMatching: always((s: S) => T.Node.values.every((a) => T.Node.values.every((b) => {
        const la = s.log.get(a)!;
        const lb = s.log.get(b)!;
        // the last index where both logs hold an entry of the same term: all before it must agree
        for (let i = Math.min(la.size, lb.size) - 1; i >= 0; i--) {
          if (la.get(i)!.term === lb.get(i)!.term) return is(la.slice(0, i + 1), lb.slice(0, i + 1));
        }
        return true;
      })), 'two logs with an entry of the same index and term are identical up to it'),
      leaderCompleteness: always((s: S) => T.Node.values.every((n) =>
        s.role.get(n) !== 'leader' || s.committed.every((c) => s.term.get(n)! <= c.commitTerm || holds(s, n, c))),
      'an entry committed in term t is in the log of every leader of a later term'),
      stateMachineSafety: always((s: S) => s.committed.every((a) => s.committed.every((b) =>
        a.index !== b.index || (a.term === b.term && a.write === b.write))),
      'no two nodes commit different entries at one index'),
      committedNeverLost: always((s: S) => s.committed.every((c) =>
        T.Node.values.filter((n) => holds(s, n, c)).length >= majority),
      'a committed entry stays stored by a majority'),
      someCommitted: sometimes((s: S) => s.committed.size > 0, 'a write is committed'),
      uncommittedWriteLost: sometimes((s: S) => s.committed.size > 0 &&
        range(1, p.writes).some((w) => s.held.get(w)! >= p.lostCopies && !inSomeLog(s, w)),
      'a write that lostCopies nodes stored is in no log any more, and another write is committed'),
    };
  },
  variants: {
    figure8: {
      description: 'the leader commits any entry a majority stores, even one of an earlier term (Figure 8 of the Raft paper)',
      params: { maxTerm: 4 },
      actions: (T, p) => raftActions(T, p, { ...RAFT, currentTermOnly: false }),
    },
    noTruncate: {
      description: 'a follower keeps its conflicting entries and only appends the new entries past its end',
      params: { writes: 3 },
      actions: (T, p) => raftActions(T, p, { ...RAFT, truncate: 'never' }),
      // It would fail first, one step earlier: the follower acknowledges an entry it skipped.
      properties: () => ({ committedNeverLost: null }),
    },
    truncateAlways: {
      description: 'a follower replaces everything after prevLogIndex with the entries, even entries that match',
      actions: (T, p) => raftActions(T, p, { ...RAFT, truncate: 'always' }),
    },
  },
});

interface Rules {
  /** Raft's rule: the leader counts replicas only to commit an entry of its current term. */
  currentTermOnly: boolean;
  /**
   * Raft's rule ('conflict'): a follower deletes an entry that conflicts with a new one, and all
   * that follow it. The bugs: 'never' delete, or 'always' cut the log after the new entries.
   */
  truncate: 'conflict' | 'never' | 'always';
}
const RAFT: Rules = { currentTermOnly: true, truncate: 'conflict' };

// The actions, shared by the spec and its variants (which change one rule each).
function raftActions(T: Types, p: Sizes, rules: Rules): Actions<S> {
  const nodes = T.Node.values;
  const majority = majorityOf(p.nodes);
  const net = T.net;
  const zeros = IMap(nodes.map((n) => [n, 0] as const));
  const crash = crashRestart<S>({
    node: T.Node,
    up: 'up',
    volatile: { role: 'follower', matchIndex: zeros, commitIndex: 0 },
    maxDown: p.maxDown,
  });
  const { Crash, Restart } = crash.actions();
  const up = (s: S, n: string) => crash.isUp(s, n);
  const lastTerm = (log: Log) => (log.size === 0 ? 0 : log.last()!.term);

  /** Role follower, and the leader's matchIndex cleared (it is rebuilt on election). */
  const follower = (s: S, n: string): S => s.setIn(['role', n], 'follower').setIn(['matchIndex', n], zeros);
  /** Raft's rule for every message: a node that sees a newer term adopts it and steps down. */
  const observe = (s: S, n: string, term: number): S =>
    term > s.term.get(n)! ? follower(s.setIn(['term', n], term).setIn(['votedFor', n], null), n) : s;
  /** Raft's vote: v has not voted for another in this term, and c's log is at least as up to date. */
  const grants = (s: S, v: string, c: string, term: number): boolean => {
    const vt = s.term.get(v)!;
    if (!up(s, v) || vt > term || (vt === term && s.votedFor.get(v) !== null && s.votedFor.get(v) !== c)) return false;
    const mine = s.log.get(v)!;
    const theirs = s.log.get(c)!;
    return lastTerm(theirs) > lastTerm(mine) || (lastTerm(theirs) === lastTerm(mine) && theirs.size >= mine.size);
  };

  /** Sets n's log, and the ghost `held`: the most nodes that stored each write at once (capped). */
  const setLog = (s: S, n: string, log: Log): S => {
    let out = s.setIn(['log', n], log);
    for (const e of log) {
      if (out.held.get(e.write)! >= p.lostCopies) continue;
      const copies = nodes.filter((m) => out.log.get(m)!.some((x) => x.write === e.write)).length;
      if (copies > out.held.get(e.write)!) out = out.setIn(['held', e.write], Math.min(copies, p.lostCopies));
    }
    return out;
  };
  /** Raises n's commit index to k; the ghost `committed` records entries committed for the first time. */
  const commitTo = (s: S, n: string, k: number): S => {
    const from = s.commitIndex.get(n)!;
    if (k <= from) return s;
    let committed = s.committed;
    const log = s.log.get(n)!;
    for (let i = from + 1; i <= k; i++) {
      const e = log.get(i - 1)!;
      if (!committed.some((c) => c.index === i && c.term === e.term && c.write === e.write)) {
        committed = committed.add(T.Committed.make({ index: i, term: e.term, write: e.write, commitTerm: s.term.get(n)! }));
      }
    }
    return s.setIn(['commitIndex', n], k).set('committed', committed);
  };
  /** The leader commits the highest index that a majority (itself included) stores. */
  const advanceCommit = (s: S, l: string): S => {
    const log = s.log.get(l)!;
    for (let k = log.size; k > s.commitIndex.get(l)!; k--) {
      if (rules.currentTermOnly && log.get(k - 1)!.term !== s.term.get(l)) continue;
      const stored = 1 + nodes.filter((n) => n !== l && s.matchIndex.get(l)!.get(n)! >= k).length;
      if (stored >= majority) return commitTo(s, l, k);
    }
    return s;
  };

  /** A channel holds one message: a node whose reply cannot be sent yet waits (returns null). */
  const sendIf = (s: S, m: Msg): S | null => (net.canSend(s, m) ? net.send(s, m) : null);
  /** The state after the network hands m over, with m's handler applied. */
  const handlers = {
    AppendEntries: (s: S, m: Of<'AppendEntries'>): S | null => {
      const n = m.to;
      if (!up(s, n)) return null;
      const s1 = observe(s, n, m.term);
      // A stale leader is refused, and told the newer term (it steps down when the reply arrives).
      if (m.term < s1.term.get(n)!) {
        return sendIf(s1, T.Msg.make({ type: 'Appended', from: n, to: m.from, term: s1.term.get(n)!, success: false, match: 0 }));
      }
      const log = s1.log.get(n)!;
      const consistent = m.prevIndex === 0 || (m.prevIndex <= log.size && log.get(m.prevIndex - 1)!.term === m.prevTerm);
      if (!consistent) return s1; // no reply: it would only make the leader step nextIndex back
      let next = rules.truncate === 'always' ? log.slice(0, m.prevIndex) : log;
      m.logEntries.forEach((e, i) => {
        const at = m.prevIndex + i; // 0-based position of this entry
        if (at >= next.size) next = next.push(e);
        else if (next.get(at)!.term !== e.term && rules.truncate === 'conflict') next = next.slice(0, at).push(e);
      });
      const match = m.prevIndex + m.logEntries.size;
      const s2 = commitTo(setLog(s1, n, next), n, Math.min(m.commit, match));
      return sendIf(s2, T.Msg.make({ type: 'Appended', from: n, to: m.from, term: m.term, success: true, match }));
    },
    Appended: (s: S, m: Of<'Appended'>): S | null => {
      const l = m.to;
      if (!up(s, l)) return null;
      const s1 = observe(s, l, m.term);
      if (!m.success || s1.role.get(l) !== 'leader' || s1.term.get(l) !== m.term) return s1;
      return advanceCommit(s1.setIn(['matchIndex', l, m.from], Math.max(s1.matchIndex.get(l)!.get(m.from)!, m.match)), l);
    },
  };
  /** network=rpc: the request arrives at once, and so does the reply if there is one. */
  const roundTrip = (s: S, req: Of<'AppendEntries'>): S => {
    const s1 = handlers.AppendEntries(net.deliver(s, req), req)!;
    const reply = net.inFlight(s1)[0];
    // The only message in flight now is the reply to req.
    return reply?.type !== 'Appended' ? s1 : handlers.Appended(net.deliver(s1, reply), reply)!;
  };
  const rpc = p.network === 'rpc';

  return {
    // A whole election: c runs for `term`, and the voters Q (a majority, c among them) grant
    // their votes by Raft's rule and adopt the term.
    Elect: action({
      over: [T.Node, range(1, p.maxTerm), subsetsOfSize(nodes, majority)],
      when: (s: S, c: string, term: number, Q: string[]) =>
        Q.includes(c) && up(s, c) && term > s.term.get(c)! && Q.every((v) => v === c || grants(s, v, c, term)),
      then: (s: S, c: string, term: number, Q: string[]) => {
        let s1 = s;
        for (const v of Q) s1 = follower(s1.setIn(['term', v], term).setIn(['votedFor', v], c), v);
        return s1.setIn(['role', c], 'leader');
      },
    }),
    ClientWrite: action({
      over: [T.Node],
      when: (s: S, l: string) => up(s, l) && s.role.get(l) === 'leader' && s.nextWrite <= p.writes && s.log.get(l)!.size < p.maxLog,
      then: (s: S, l: string) => {
        const e = T.Entry.make({ term: s.term.get(l)!, write: s.nextWrite });
        return advanceCommit(setLog(s.set('nextWrite', s.nextWrite + 1), l, s.log.get(l)!.push(e)), l);
      },
    }),
    // Leader l sends follower f its entries prev+1..last (any slice: nextIndex is abstracted away).
    AppendEntries: action({
      over: [T.Node, T.Node, range(0, p.maxLog), range(0, p.maxLog)],
      when: (s: S, l: string, f: string, prev: number, last: number) =>
        l !== f && up(s, l) && s.role.get(l) === 'leader' && prev <= last && last <= s.log.get(l)!.size && (!rpc || up(s, f)),
      then: (s: S, l: string, f: string, prev: number, last: number) => {
        const log = s.log.get(l)!;
        const req = T.Msg.make({
          type: 'AppendEntries', from: l, to: f, term: s.term.get(l)!, prevIndex: prev,
          prevTerm: prev === 0 ? 0 : log.get(prev - 1)!.term, logEntries: log.slice(prev, last), commit: s.commitIndex.get(l)!,
        }) as Of<'AppendEntries'>;
        const s1 = sendIf(s, req);
        return rpc && s1 !== null ? roundTrip(s1, req) : s1;
      },
    }),
    ...(rpc ? {} : net.actions(handlers)),
    // A crash and the restart after it, in one step: the volatile state is lost, the durable kept.
    Reboot: action({
      over: [T.Node],
      when: (s: S, n: string) => up(s, n),
      then: (s, n) => Restart!.then(Crash!.then(s, n) as S, n),
    }),
    ...(p.maxDown > 0 ? { Crash: Crash!, Restart: Restart! } : {}),
  };
}
