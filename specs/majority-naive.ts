/**
 * Naive majority writes, the seeds' 多数派: write to more than N/2 replicas, read from more than
 * N/2, and hope that is enough. It is not: without an order, concurrent writes diverge.
 *
 * N replicas each apply the writes they receive, in the order they arrive, to their copy of the
 * state (a log of applied writes here, so the order is visible). Each client sends one write to
 * every replica; the write is complete once more than N/2 replicas have applied it. The network
 * is unordered, so two clients' concurrent writes can reach two replicas in opposite orders.
 * Both writes then complete on a majority, every two majorities intersect, and still the
 * replicas disagree about the result: quorum intersection says who has a write, not in which
 * order it was applied.
 *
 * Property
 * - sameOrderWhereBoth: any two replicas that have both applied writes x and y applied them in
 *   the same order. Chosen as THE property because it is what the seed says goes wrong ("顺序非常
 *   重要": nodes executing in different orders end in different states) and it fails on the
 *   replicas themselves, before any read: the other candidate, "a majority read never returns an
 *   older value than the last completed write, and replicas converge", mixes two claims, and its
 *   read half is about quorum sizes and versions (nwr-quorum.ts covers that). Once two replicas
 *   disagree on order, a read of a majority gets both answers and nothing tells it which is newer.
 * - sequentiallyConsistent: what the clients see is sequentially consistent for an append-only
 *   log (Lamport: one interleaving of the clients' operations, each client's in its own order,
 *   explains every result). Each client's write returns once it is on a majority; then the
 *   client reads a majority and gets the longest log among them. It FAILS: r1 and r2 apply c1's
 *   write, r3 applies c2's first, and c1 reads {r1, r3}: two logs of one length, [c1] and [c2],
 *   and nothing says which is newer; returning [c2], c1 does not see its own completed write.
 *   No order explains that, and the cause is the same divergence (r3 put c2 first where r1
 *   put c1). Shortest trace 7 states (with --property sequentiallyConsistent; by default the
 *   search stops at sameOrderWhereBoth, found at the same depth).
 * - bothComplete (sometimes): every write has completed (each is applied on a majority).
 *
 * Params: replicas (3, N), clients (2: each sends one write; the writes are told apart by
 *   their client).
 * Default verdict: sameOrderWhereBoth FAILS, shortest trace 7 states: both clients send, replica
 *   r1 applies c1's write then c2's, replica r2 applies c2's then c1's. Both writes are now on a
 *   majority of 3 (r1 and r2), and r1 and r2 disagree. With one client the naive scheme passes:
 *   it is concurrency that needs the order.
 * Variants:
 * - sequencer (the fix): a client's write first goes to one sequencer, which stamps it with the
 *   next sequence number and sends it to every replica; a replica applies write k only after
 *   writes 1..k-1 (one that arrives early waits in the network). Every replica applies the same
 *   sequence, so sameOrderWhereBoth holds, and every read returns a prefix of that sequence, so
 *   sequentiallyConsistent holds too. (Not linearizable: a read that starts after another
 *   returned may still get a shorter prefix.) This is the total order that Paxos, Raft and ZAB
 *   supply without a single point of failure.
 * Network: declared with network({...}): unordered (any message may arrive next), each message
 *   delivered at most once, no loss (for safety a lost write is one never delivered, which
 *   every run already allows). Faults: none (a crashed replica is one that stops receiving,
 *   already a run). A read is one step: the client takes the longest log of some majority.
 * Ids: replicas and clients are symmetric scalarsets; sequence numbers are ints, handed out in
 *   the order the sequencer receives writes, so they single out no client.
 * Terminal: every client has written and read, and every message is delivered.
 * Defaults (replicas=3, clients=2): the violation after 39 orbits (197 states without symmetry);
 *   the whole space (--continue) is 1,091 orbits of 9,381 states, depth 11; sequencer: 94 orbits
 *   of 485 states, depth 11 (--no-symmetry: 485 distinct, 1,233 generated). The reads and the
 *   history multiply the space (before them: 24 orbits of 142 states; sequencer 15 of 71).
 * Benchmark, measured before the reads and the history were added: --param replicas=5 --param
 *   clients=3 --continue: 2,704 orbits of 1,058,048 states (--no-symmetry: 4,962,511
 *   generated, depth 19); with --variant sequencer: 84 orbits of 7,699 states, depth 19.
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { action, always, defineSpec, history, network, sequentiallyConsistent, sometimes, t, type Infer, type Model, type SetType, type Actions } from 'synod';

/**
 * What the clients see as one object: an append-only log. Append(c) adds c's write; Read
 * returns the whole log. A user-defined sequential model, as synod's consistency helpers take.
 */
export const appendLog: Model<List<string>> = {
  name: 'append-only log',
  init: List<string>(),
  apply: (log, op) => (op.type === 'Append' ? [log.push(op.client), null] : [log, log]),
};

function types(p: { replicas: number; clients: number }) {
  const Replica = t.scalarset('Replica', p.replicas);
  const Client = t.scalarset('Client', p.clients);
  // seq 0: no sequence number (the naive protocol); 1..clients: stamped by the sequencer.
  const Msg = t.union('type', { Write: { to: Replica, client: Client, seq: t.int(0, p.clients) } });
  const net = network({ field: 'msgs', message: Msg, ordering: 'unordered' });
  const Op = t.union('type', { Append: { client: Client }, Read: {} });
  const H = history({ process: Client, op: Op, result: t.option(t.seq(Client, p.clients)), maxOps: 2 * p.clients });
  const state = t.record({
    /** Clients that have sent their write. */
    sent: t.set(Client),
    /** The writes each replica has applied, in the order it applied them. */
    log: t.map(Replica, t.seq(Client, p.clients)),
    /** The sequencer's last sequence number (sequencer variant only). */
    lastSeq: t.int(0, p.clients),
    msgs: net.type as SetType<Infer<typeof Msg>>,
    /** Each client's write, then its read, as calls and returns (for sequentiallyConsistent). */
    hist: H.type,
  });
  return { Replica, Client, Msg, net, Op, H, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;

export default defineSpec({
  name: 'majority-naive',
  description: 'Naive majority writes: writes on a majority, but without an order replicas apply them differently',
  params: {
    replicas: { default: 3, min: 1, max: 7, doc: 'number of replicas (N); a write completes on more than N/2' },
    clients: { default: 2, min: 1, max: 4, doc: 'clients, each sending one write concurrently' },
  },
  types,
  init: (T) =>
    T.state.make({
      sent: ISet<string>(),
      log: IMap(T.Replica.values.map((r) => [r, List<string>()] as const)),
      lastSeq: 0,
      msgs: T.net.empty(),
      hist: T.H.empty,
    }),
  actions: (T) => majorityActions(T, false),
  properties: (T, p) => ({
    sameOrderWhereBoth: always((s) => {
      // Compare every pair of replicas on the writes both have applied.
      const logs = T.Replica.values.map((r) => s.log.get(r)!);
      return logs.every((a) => logs.every((b) => sameRelativeOrder(a, b)));
    }),
    sequentiallyConsistent: sequentiallyConsistent({ history: (s) => s.hist, model: appendLog }),
    bothComplete: sometimes((s) => T.Client.values.every((c) => s.log.count((l) => l.includes(c)) > p.replicas / 2)),
  }),
  terminal: (s, T) => s.sent.size === T.Client.size && s.msgs.size === 0 && T.Client.values.every((c) => hasRead(s, c)),
  variants: {
    sequencer: {
      description: 'one sequencer stamps every write with the next sequence number; replicas apply in sequence order',
      actions: (T) => majorityActions(T, true),
    },
  },
});

/** The writes both logs hold appear in the same order in each. */
function sameRelativeOrder(a: List<string>, b: List<string>): boolean {
  const common = (l: List<string>, other: List<string>) => l.filter((w) => other.includes(w));
  return common(a, b).equals(common(b, a));
}

/** Client c has made its read (its second operation in the history). */
function hasRead(s: S, c: string): boolean {
  return s.hist.count((e) => e.process === c) === 4;
}

/** The actions; `sequenced` routes writes through the sequencer and applies them in order. */
function majorityActions(T: Types, sequenced: boolean): Actions<S> {
  const majority = (s: S, c: string) => s.log.count((l) => l.includes(c)) > T.Replica.size / 2;
  return {
    // Client c sends its write to every replica (through the sequencer, which stamps it).
    ClientWrite: action({
      over: [T.Client],
      when: (s, c) => !s.sent.has(c),
      then: (s, c) => {
        const seq = sequenced ? s.lastSeq + 1 : 0;
        const s1 = s.merge({ sent: s.sent.add(c), lastSeq: seq, hist: T.H.call(s.hist, c, T.Op.make({ type: 'Append', client: c })) });
        return T.net.sendAll(s1, T.Replica.values.map((r) => T.Msg.make({ type: 'Write', to: r, client: c, seq })));
      },
    }),
    // Once its write is on a majority (its response is in the history), client c reads a
    // majority and returns the longest log among them, here r's: r's log is at least as long as
    // those of a majority that includes r. Two logs of one length: nothing says which is newer.
    Read: action({
      over: [T.Client, T.Replica],
      when: (s, c, r) => s.sent.has(c) && T.H.pending(s.hist, c) === undefined && !hasRead(s, c)
        && s.log.count((l) => l.size <= s.log.get(r)!.size) > T.Replica.size / 2,
      then: (s, c, r) => s.set('hist', T.H.ret(T.H.call(s.hist, c, T.Op.make({ type: 'Read' })), c, s.log.get(r)!)),
    }),
    ...T.net.actions({
      // A replica applies a write on arrival; sequenced, only when it is the next in sequence.
      // The write returns to its client when it is on a majority.
      Write: {
        when: (s, m) => !sequenced || m.seq === s.log.get(m.to)!.size + 1,
        then: (s, m) => {
          const s1 = s.setIn(['log', m.to], s.log.get(m.to)!.push(m.client));
          const done = T.H.pending(s1.hist, m.client) !== undefined && majority(s1, m.client);
          return done ? s1.set('hist', T.H.ret(s1.hist, m.client, null)) : s1;
        },
      },
    }),
  };
}
