/**
 * ZAB, ZooKeeper Atomic Broadcast (Junqueira, Reed and Serafini, "Zab: High-performance
 * broadcast for primary-backup systems", DSN 2011), as the seed contrasts it with Raft.
 *
 * Time is cut into epochs (Raft's terms), each with at most one leader (its primary). A
 * transaction is named by its zxid = (epoch, counter): the leader of epoch e numbers its
 * proposals (e, 1), (e, 2), ... A server is in one of three phases after leader election:
 * - discovery: a prospective leader gathers a quorum (a majority, itself included), learns
 *   each member's acceptedEpoch (the last epoch it agreed to join) and proposes one above the
 *   highest; the members accept it, so they ignore older leaders from now on, and report their
 *   currentEpoch and history. The leader adopts the most up-to-date history reported (highest
 *   currentEpoch, then highest last zxid) as the epoch's initial history.
 * - synchronisation: the leader sends its history to each follower (NEWLEADER), which adopts
 *   it, sets its currentEpoch and acknowledges. Once a quorum holds the initial history, the
 *   leader delivers (commits) it, tells its followers to do the same, and is established.
 * - broadcast: the leader proposes client writes in zxid order (PROPOSE) to each synchronised
 *   follower over a FIFO channel; a follower appends a proposal to its history and
 *   acknowledges it (ACK); once a quorum holds a proposal the leader delivers it and sends
 *   COMMIT, and a follower delivers, in history order, everything in its history up to that zxid.
 * Unlike Raft, a follower checks nothing on a proposal (Raft's AppendEntries carries the
 * previous entry for a consistency check): ZAB relies on the synchronisation before it and on
 * the FIFO order of the channel, which also lets an ACK stand for every earlier proposal.
 *
 * Properties (ZAB's, over the transactions each server delivered, in order)
 * - zxidAgreement: no two servers deliver different transactions at one zxid.
 * - totalOrder (total order and agreement): of any two servers' delivered sequences, one is a
 *   prefix of the other. It implies zxidAgreement.
 * - primaryOrder (local and global primary order): every server delivers in increasing zxid
 *   order, and each epoch's transactions without a gap: (e, c) right after (e, c-1).
 * - primaryIntegrity: a leader that has broadcast in its epoch has itself delivered every
 *   transaction of an earlier epoch that any server delivered.
 * - integrity: only transactions some leader proposed are delivered.
 * - deliveredByQuorum (sometimes): a quorum of servers delivered one transaction.
 * - secondEpochBroadcast (sometimes): a leader of epoch 2 or later broadcasts after a
 *   transaction of epoch 1 was delivered (recovery carried it over).
 * - proposalDiscarded (sometimes): a proposal is in no history any more (a synchronisation
 *   replaced it) while another transaction is delivered: as in Raft, a write is safe only once
 *   committed, and ZooKeeper answers the client only then.
 *
 * Params: nodes (3, 3..7); maxEpoch (2, 2..5), the last epoch a leader may start; writes
 *   (2, 2..4), client writes, each proposed once, by whichever established leader takes it;
 *   maxDown (0), see Faults; network ('fifo'), see Network. Below the minimums a witness is
 *   out of reach (no second epoch, or no write to discard).
 * Variants (shortest traces, by BFS):
 * - skipSync: a new leader skips synchronisation: it takes its quorum to hold its initial
 *   history already and broadcasts at once. 7 states, primaryIntegrity: n1 leads epoch 1 with
 *   n2 and commits write 1 (n1 delivers it); n2 starts epoch 2 and proposes write 2 without
 *   having delivered write 1. totalOrder fails next (8 states): n1's PROPOSE of write 1 to n2
 *   is lost when n1 starts epoch 2, n2 appends write 2 to an empty history, and delivers
 *   write 2 alone while n1 delivers write 1 and then write 2.
 * - minorityQuorum: discovery and commits count floor(n/2) servers (one of three) as a quorum.
 *   5 states, zxidAgreement: n1 and n2 each start epoch 1 alone and each delivers its own
 *   write as (1, 1). Epochs are unique only because discovery quorums intersect.
 * - unorderedChannels: the network may reorder messages (network=unordered), while the
 *   servers still trust FIFO order. 8 states, primaryOrder: n1 proposes (1, 1) and (1, 2); n2
 *   receives (1, 2) first; n1 starts epoch 2, and discovery takes n2's history, which ends at
 *   the same zxid as n1's (so, under FIFO, would be the same history), as the initial one:
 *   n1 delivers (1, 2) without (1, 1).
 * Simplifications, to keep the default small:
 * - Leader election and discovery are one step, NewEpoch(l, Q): the FOLLOWERINFO, NEWEPOCH
 *   and ACKEPOCH exchange with a quorum Q. Its members may be anywhere: a follower times out
 *   on its leader and joins the new one in the same step. Ties for the most up-to-date history
 *   give one successor per history (never broken by id).
 * - Join(l, f): a server connects to the leader of an epoch it may join, as ZooKeeper's
 *   learners do at any time: a newcomer, or a follower whose connection broke, which starts
 *   over.
 * - Sync(l, f) is the NEWLEADER round trip in one step; the broadcast phase uses messages.
 * Network (declared): network=fifo, a FIFO channel per ordered pair of servers (TCP),
 *   large enough that no sender waits. A connection lasts one epoch: a server that starts or
 *   joins an epoch, or crashes, loses what is in flight to and from it. No other loss: a
 *   message that never arrives is one whose connection broke. network=unordered: a set of
 *   messages, any of which may arrive next.
 * Faults (crashRestart): acceptedEpoch, currentEpoch, the history and the delivered
 *   transactions are durable; the phase, the leader followed and the leader's count of
 *   acknowledgements are volatile. At maxDown=0 a crashed server is one that takes no step
 *   (for safety the same thing) and its restart is a Join or a NewEpoch, which sets every
 *   volatile field afresh; maxDown > 0 adds crashRestart's Crash (which also drops the
 *   server's connections) and Restart, with up to maxDown servers down at once.
 * Nodes are a scalarset: nothing singles one out, so symmetry reduction applies.
 * Defaults (nodes=3, maxEpoch=2, writes=2, fifo, maxDown=0): 3,025 orbits of 17,725 states,
 *   13,834 generated, depth 18 (--no-symmetry: 17,725 distinct, 80,614 generated).
 * Benchmarks (checked once; times on a shared, busy 2-CPU machine):
 * - --param maxDown=1 (explicit crashes): 43,218 orbits of 255,761 states, 120,086 generated,
 *   depth 22, about 20 s.
 * - --param nodes=5: 301,535 orbits of 31,751,691 states, 2,623,136 generated, depth 32,
 *   about 18 minutes.
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { action, always, codes, crashRestart, defineSpec, majority, network, perState, sometimes, SpecError, subsetsOfSize, t, type Actions, type Infer, type Network, type NetworkValue } from 'synod';

interface Sizes { nodes: number; maxEpoch: number; writes: number; maxDown: number; network: 'fifo' | 'unordered' }

function zabTypes(p: Sizes) {
  if (p.maxDown > p.nodes) throw new SpecError(codes.badParam, `param 'maxDown' of spec 'zab': maxDown=${p.maxDown} must be at most nodes=${p.nodes}`);
  const Node = t.scalarset('Node', p.nodes);
  const Epoch = t.int(0, p.maxEpoch);
  const Counter = t.int(1, p.writes);
  const Txn = t.record({ epoch: t.int(1, p.maxEpoch), counter: Counter, write: t.int(1, p.writes) }, 'Txn');
  const History = t.seq(Txn, p.writes);
  const Msg = t.union('type', {
    Propose: { from: Node, to: Node, txn: Txn },
    Ack: { from: Node, to: Node, epoch: t.int(1, p.maxEpoch), counter: Counter },
    Commit: { from: Node, to: Node, epoch: t.int(1, p.maxEpoch), counter: Counter },
  });
  // A channel never fills: one connection carries at most a COMMIT after NEWLEADER, and a
  // PROPOSE and a COMMIT per write (TCP buffers; no sender ever waits).
  const net: Network<typeof Msg, 'fifo' | 'unordered'> = p.network === 'fifo'
    ? network({ field: 'net', message: Msg, ordering: 'fifo', capacity: 2 * p.writes + 1, channel: { from: 'from', to: 'to', node: Node } })
    : network({ field: 'net', message: Msg, ordering: 'unordered' });
  const state = t.record({
    up: t.map(Node, t.bool()),
    // durable: survive a restart
    acceptedEpoch: t.map(Node, Epoch),
    currentEpoch: t.map(Node, Epoch),
    history: t.map(Node, History),
    delivered: t.map(Node, History),
    // volatile: reset by a restart
    phase: t.map(Node, t.enum('election', 'synchronisation', 'broadcast')),
    /** The leader a server follows in its acceptedEpoch (itself when it leads). */
    leader: t.map(Node, t.option(Node)),
    /** Leader's view: how many entries of its history this follower acknowledged. */
    acked: t.map(Node, t.int(0, p.writes)),
    net: net.type,
    // the client: the next write it hands to a leader
    nextWrite: t.int(1, p.writes + 1),
    // ghost, for integrity
    proposed: t.set(Txn),
  });
  return { Node, Txn, Msg, net, state };
}

type Types = ReturnType<typeof zabTypes>;
type State = ReturnType<Types['state']['make']>;
type Txn = ReturnType<Types['Txn']['make']>;
type History = List<Txn>;
type Msg = Infer<Types['Msg']>;
type Of<K extends Msg['type']> = Extract<Msg, { type: K }>;

/** zxid order: by epoch, then counter. */
const zxidLess = (a: { epoch: number; counter: number }, b: { epoch: number; counter: number }): boolean =>
  a.epoch < b.epoch || (a.epoch === b.epoch && a.counter < b.counter);
const sameZxid = (a: { epoch: number; counter: number }, b: { epoch: number; counter: number }): boolean =>
  a.epoch === b.epoch && a.counter === b.counter;

export default defineSpec({
  name: 'zab',
  description: 'ZAB: epochs, discovery, synchronisation and broadcast; primary order and integrity of delivered transactions',
  params: {
    nodes: { default: 3, min: 3, max: 7, doc: 'number of servers (a quorum is a majority); below 3 no proposal can be discarded' },
    maxEpoch: { default: 2, min: 2, max: 5, doc: 'the last epoch a leader may start (2 or more, for a second epoch to recover the first)' },
    writes: { default: 2, min: 2, max: 4, doc: 'client writes, each proposed once, by the established leader that takes it (2 or more, for one to be discarded and one delivered)' },
    maxDown: { default: 0, min: 0, max: 7, doc: 'servers that may be down at once (adds Crash and Restart); at 0 a crash is a server that stays silent' },
    network: { default: 'fifo', choices: ['fifo', 'unordered'], doc: "fifo: one FIFO channel per ordered pair of servers (ZAB's assumption); unordered: any message in flight may arrive next" },
  },
  types: zabTypes,
  init: (T) => {
    const all = <V>(v: V) => IMap(T.Node.values.map((n) => [n, v] as const));
    return T.state.make({
      up: all(true),
      acceptedEpoch: all(0),
      currentEpoch: all(0),
      history: all(List()),
      delivered: all(List()),
      phase: all('election'),
      leader: all<string | null>(null),
      acked: all(0),
      net: T.net.empty(),
      nextWrite: 1,
      proposed: ISet(),
    });
  },
  actions: (T, p) => zabActions(T, p, ZAB),
  properties: (T, p) => {
    type S = State;
    const N = T.Node.values;
    /** Each server's delivered transactions as an array, computed once per state. */
    const deliveredOf = perState((s: S) => N.map((n) => s.delivered.get(n)!.toArray()));
    const sameTxn = (a: Txn, b: Txn) => a.epoch === b.epoch && a.counter === b.counter && a.write === b.write;
    const isPrefix = (a: Txn[], b: Txn[]) => a.length <= b.length && a.every((x, i) => sameTxn(x, b[i]!));
    const has = (d: Txn[], x: Txn) => d.some((y) => sameTxn(x, y));
    return {
      zxidAgreement: always((s: S) => {
        const at = new Map<number, Txn>();
        for (const d of deliveredOf(s)) {
          for (const x of d) {
            const k = x.epoch * 64 + x.counter;
            const y = at.get(k);
            if (y !== undefined && !sameTxn(x, y)) return false;
            at.set(k, x);
          }
        }
        return true;
      }, 'no two servers deliver different transactions at one zxid'),
      totalOrder: always((s: S) => {
        const ds = deliveredOf(s);
        return ds.every((a, i) => ds.every((b, j) => j <= i || isPrefix(a, b) || isPrefix(b, a)));
      }, "of any two servers' delivered sequences, one is a prefix of the other"),
      primaryOrder: always((s: S) => deliveredOf(s).every((d) => d.every((x, i) => {
        const prev = d[i - 1];
        if (prev !== undefined && !zxidLess(prev, x)) return false;
        return x.counter === 1 || (prev !== undefined && prev.epoch === x.epoch && prev.counter === x.counter - 1);
      })), "every server delivers in zxid order, and an epoch's transactions without a gap"),
      primaryIntegrity: always((s: S) => N.every((l, i) => {
        const e = s.acceptedEpoch.get(l)!;
        if (s.leader.get(l) !== l || !s.up.get(l) || !s.history.get(l)!.some((x) => x.epoch === e)) return true;
        const ds = deliveredOf(s);
        return ds.every((d) => d.every((x) => x.epoch >= e || has(ds[i]!, x)));
      }), 'a leader that has broadcast in its epoch has delivered every earlier-epoch transaction any server delivered'),
      integrity: always((s: S) => deliveredOf(s).every((d) => d.every((x) => s.proposed.has(x))),
        'only proposed transactions are delivered'),
      deliveredByQuorum: sometimes((s: S) => s.proposed.some((x) => deliveredOf(s).filter((d) => has(d, x)).length >= majority(p.nodes)),
        'a quorum of servers delivered one transaction'),
      secondEpochBroadcast: sometimes((s: S) => s.proposed.some((x) => x.epoch >= 2) && deliveredOf(s).some((d) => d.some((x) => x.epoch === 1)),
        'a leader of epoch 2 or later broadcasts after a transaction of epoch 1 was delivered'),
      proposalDiscarded: sometimes((s: S) => deliveredOf(s).some((d) => d.length > 0) &&
        s.proposed.some((x) => N.every((n) => !s.history.get(n)!.includes(x))),
      'a proposal is in no history any more, while another transaction is delivered'),
    };
  },
  variants: {
    skipSync: {
      description: 'a new leader skips synchronisation: it treats its quorum as holding its initial history and broadcasts at once',
      actions: (T, p) => zabActions(T, p, { ...ZAB, sync: false }),
    },
    minorityQuorum: {
      description: 'discovery and commits count floor(n/2) servers as a quorum, so two quorums need not intersect',
      actions: (T, p) => zabActions(T, p, { ...ZAB, quorum: 'minority' }),
    },
    unorderedChannels: {
      description: 'the channels may reorder messages, while followers and leader still trust FIFO order',
      params: { network: 'unordered' },
    },
  },
});

interface Rules {
  /** ZAB's rule: a new leader brings a quorum to its history before it broadcasts. */
  sync: boolean;
  /** ZAB's rule: a quorum is a majority, so any two intersect. The bug: floor(n/2) servers. */
  quorum: 'majority' | 'minority';
}
const ZAB: Rules = { sync: true, quorum: 'majority' };

/** The protocol's actions; a variant changes one rule. */
function zabActions(T: Types, p: Sizes, rules: Rules): Actions<State> {
  type S = State;
  const N = T.Node.values;
  const quorum = rules.quorum === 'majority' ? majority(p.nodes) : Math.max(1, Math.floor(p.nodes / 2));
  const net = T.net;
  const fifo = p.network === 'fifo';
  const crash = crashRestart<S>({ node: T.Node, up: 'up', volatile: { phase: 'election', leader: null, acked: 0 }, maxDown: p.maxDown });
  const { Crash, Restart } = crash.actions();
  const up = (s: S, n: string) => crash.isUp(s, n);
  const lastZxid = (h: History) => h.last() ?? { epoch: 0, counter: 0 };
  const msg = (fields: Parameters<Types['Msg']['make']>[0]) => T.Msg.make(fields);

  /** A connection lives for one epoch: drop everything in flight to and from n. */
  const disconnect = (s: S, n: string): S => {
    const cut = (m: { from: string; to: string }) => m.from === n || m.to === n;
    if (fifo) return s.set('net', (s.net as NetworkValue<Msg, 'fifo', string>).map((q, c) => (cut(c) ? List<Msg>() : q)));
    return s.set('net', (s.net as NetworkValue<Msg, 'unordered', string>).filterNot(cut));
  };
  /** l leads, and is up. */
  const leads = (s: S, l: string) => up(s, l) && s.leader.get(l) === l;
  /** f is up and follows l in l's current epoch. */
  const follows = (s: S, f: string, l: string) =>
    f !== l && up(s, f) && s.leader.get(f) === l && s.phase.get(f) !== 'election' && s.acceptedEpoch.get(f) === s.acceptedEpoch.get(l);
  /** The followers of l that hold its history (synchronised): they receive its broadcast. */
  const synced = (s: S, l: string) => N.filter((f) => follows(s, f, l) && s.phase.get(f) === 'broadcast');

  /** n delivers, in history order, every transaction of its history up to zxid z not yet delivered. */
  const deliverThrough = (s: S, n: string, z: { epoch: number; counter: number }): S => {
    let d: History = s.delivered.get(n)!;
    for (const x of s.history.get(n)!) if (!zxidLess(z, x) && !d.includes(x)) d = d.push(x);
    return s.setIn(['delivered', n], d);
  };
  /** The leader commits through zxid z: it delivers, and sends COMMIT to its synchronised followers. */
  const commit = (s: S, l: string, z: Txn): S => {
    const s1 = deliverThrough(s, l, z);
    return net.sendAll(s1, synced(s1, l).map((f) => msg({ type: 'Commit', from: l, to: f, epoch: z.epoch, counter: z.counter })));
  };
  /**
   * The highest proposal of l's own epoch that a quorum holds (l and the followers that
   * acknowledged it) and l has not delivered yet, or null.
   */
  const committable = (s: S, l: string): Txn | null => {
    const h: History = s.history.get(l)!;
    const e = s.acceptedEpoch.get(l)!;
    for (let k = h.size; k >= 1; k--) {
      const x = h.get(k - 1)!;
      if (x.epoch !== e || s.delivered.get(l)!.includes(x)) return null;
      if (1 + synced(s, l).filter((f) => s.acked.get(f)! >= k).length >= quorum) return x;
    }
    return null;
  };
  /** Synchronisation ends once a quorum holds the leader's history: it commits it and is established. */
  const establishIfQuorum = (s: S, l: string): S => {
    if (s.phase.get(l) !== 'synchronisation' || 1 + synced(s, l).length < quorum) return s;
    const s1 = s.setIn(['phase', l], 'broadcast');
    const h: History = s1.history.get(l)!;
    return h.size === 0 ? s1 : commit(s1, l, h.last()!);
  };

  return {
    // Election and discovery with the quorum Q in one step: l proposes the epoch one above
    // every acceptedEpoch in Q, and adopts the most up-to-date history Q reports (each
    // distinct one is a successor, so ties break nondeterministically, not by id).
    NewEpoch: action({
      over: [T.Node, subsetsOfSize(N, quorum)],
      when: (s: S, l: string, Q: string[]) =>
        Q.includes(l) && Q.every((n) => up(s, n)) && Math.max(...Q.map((n) => s.acceptedEpoch.get(n)!)) < p.maxEpoch,
      then: (s: S, l: string, Q: string[]) => {
        const e = Math.max(...Q.map((n) => s.acceptedEpoch.get(n)!)) + 1;
        const rank = (n: string): [number, { epoch: number; counter: number }] => [s.currentEpoch.get(n)!, lastZxid(s.history.get(n)!)];
        const newer = (a: string, b: string) => {
          const [ea, za] = rank(a);
          const [eb, zb] = rank(b);
          return ea > eb || (ea === eb && zxidLess(zb, za));
        };
        const best = Q.filter((n) => !Q.some((m) => newer(m, n)));
        const initial = ISet(best.map((n) => s.history.get(n)!));
        return initial.toArray().map((I) => {
          let s1 = s;
          for (const f of Q) {
            s1 = disconnect(s1, f).setIn(['acceptedEpoch', f], e).setIn(['leader', f], l)
              .setIn(['phase', f], rules.sync ? 'synchronisation' : 'broadcast').setIn(['acked', f], rules.sync ? 0 : I.size);
          }
          s1 = s1.setIn(['history', l], I).setIn(['currentEpoch', l], e);
          return rules.sync ? establishIfQuorum(s1, l) : s1.setIn(['phase', l], 'broadcast');
        });
      },
    }),
    // A server joins an existing epoch (a ZooKeeper learner connecting to the leader).
    Join: action({
      over: [T.Node, T.Node],
      when: (s: S, l: string, f: string) => f !== l && leads(s, l) && up(s, f) && s.acceptedEpoch.get(f)! <= s.acceptedEpoch.get(l)!,
      then: (s: S, l: string, f: string) => disconnect(s, f).setIn(['acceptedEpoch', f], s.acceptedEpoch.get(l))
        .setIn(['leader', f], l).setIn(['phase', f], rules.sync ? 'synchronisation' : 'broadcast')
        .setIn(['acked', f], rules.sync ? 0 : s.history.get(l)!.size),
    }),
    // NEWLEADER and its acknowledgement: f adopts l's history and epoch; then, if l is
    // established, COMMIT of what l has delivered (the first message on the new connection).
    ...(rules.sync ? {
      Sync: action({
        over: [T.Node, T.Node],
        when: (s: S, l: string, f: string) => leads(s, l) && follows(s, f, l) && s.phase.get(f) === 'synchronisation',
        then: (s: S, l: string, f: string) => {
          const h: History = s.history.get(l)!;
          const s1 = s.setIn(['history', f], h).setIn(['currentEpoch', f], s.acceptedEpoch.get(l))
            .setIn(['phase', f], 'broadcast').setIn(['acked', f], h.size);
          if (s1.phase.get(l) === 'synchronisation') return establishIfQuorum(s1, l);
          // Joining an established leader: f is told what is committed, and its acknowledgement
          // may complete a quorum for the leader's outstanding proposals.
          const last = s1.delivered.get(l)!.last();
          const s2 = last === undefined ? s1 : net.send(s1, msg({ type: 'Commit', from: l, to: f, epoch: last.epoch, counter: last.counter }));
          const z = committable(s2, l);
          return z === null ? s2 : commit(s2, l, z);
        },
      }),
    } : {}),
    // An established leader proposes the client's next write to its synchronised followers.
    Propose: action({
      over: [T.Node],
      when: (s: S, l: string) => leads(s, l) && s.phase.get(l) === 'broadcast' && s.nextWrite <= p.writes,
      then: (s: S, l: string) => {
        const e = s.acceptedEpoch.get(l)!;
        const h: History = s.history.get(l)!;
        const txn = T.Txn.make({ epoch: e, counter: h.count((x) => x.epoch === e) + 1, write: s.nextWrite });
        let s1 = s.setIn(['history', l], h.push(txn)).set('nextWrite', s.nextWrite + 1).set('proposed', s.proposed.add(txn));
        s1 = net.sendAll(s1, synced(s1, l).map((f) => msg({ type: 'Propose', from: l, to: f, txn })));
        const z = committable(s1, l); // a quorum of one: the leader alone
        return z === null ? s1 : commit(s1, l, z);
      },
    }),
    ...net.actions<S>({
      // A follower appends the proposal and acknowledges it; anything else from an old
      // connection is ignored.
      Propose: {
        then: (s, m) => {
          if (!follows(s, m.to, m.from) || s.phase.get(m.to) !== 'broadcast') return s;
          const s1 = s.setIn(['history', m.to], s.history.get(m.to)!.push(m.txn));
          return net.send(s1, msg({ type: 'Ack', from: m.to, to: m.from, epoch: m.txn.epoch, counter: m.txn.counter }));
        },
      },
      // The leader counts the ACK as acknowledging its history up to that zxid (FIFO order),
      // and commits what a quorum now holds.
      Ack: {
        then: (s, m) => {
          const l = m.to;
          if (!leads(s, l) || !follows(s, m.from, l)) return s;
          const k = s.history.get(l)!.findIndex((x) => sameZxid(x, m)) + 1;
          const s1 = s.setIn(['acked', m.from], Math.max(s.acked.get(m.from)!, k));
          const z = committable(s1, l);
          return z === null ? s1 : commit(s1, l, z);
        },
      },
      Commit: (s, m) => (follows(s, m.to, m.from) ? deliverThrough(s, m.to, m) : s),
    }),
    // maxDown > 0: a crashed server takes no step and loses its connections; it restarts with
    // its volatile state reset.
    ...(p.maxDown > 0 ? { Crash: action({ over: [T.Node], when: Crash!.when, then: (s, n) => disconnect(Crash!.then(s, n) as S, n) }), Restart: Restart! } : {}),
  };
}
