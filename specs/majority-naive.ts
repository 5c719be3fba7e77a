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
 *   sequence, so sameOrderWhereBoth holds. This is the total order that Paxos, Raft and ZAB
 *   supply without a single point of failure.
 * Network: declared with network({...}): unordered (any message may arrive next), each message
 *   delivered at most once, no loss (for safety a lost write is one never delivered, which
 *   every run already allows). Faults: none (a crashed replica is one that stops receiving,
 *   already a run). Reads are not modelled: the failure is already in the replicas' state.
 * Ids: replicas and clients are symmetric scalarsets; sequence numbers are ints, handed out in
 *   the order the sequencer receives writes, so they single out no client.
 * Terminal: every client has written and every message is delivered.
 * Defaults (replicas=3, clients=2): the violation after 18 orbits (78 states without symmetry);
 *   the whole space (--continue) is 24 orbits of 142 states, depth 9; sequencer: 15 orbits of 71
 *   states, depth 9 (--no-symmetry: 71 distinct, 151 generated).
 * Benchmark: --param replicas=5 --param clients=3 --continue: 2,704 orbits of 1,058,048 states
 *   (--no-symmetry: 1,058,048 distinct, 4,962,511 generated, depth 19); with --variant sequencer:
 *   84 orbits of 7,699 states (29,794 generated without symmetry), depth 19.
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { always, defineSpec, network, sometimes, t, type Infer, type SetType } from 'synod';

export default defineSpec({
  name: 'majority-naive',
  description: 'Naive majority writes: writes on a majority, but without an order replicas apply them differently',
  params: {
    replicas: { default: 3, min: 1, max: 7, doc: 'number of replicas (N); a write completes on more than N/2' },
    clients: { default: 2, min: 1, max: 4, doc: 'clients, each sending one write concurrently' },
  },
  types: (p) => {
    const Replica = t.scalarset('Replica', p.replicas);
    const Client = t.scalarset('Client', p.clients);
    // seq 0: no sequence number (the naive protocol); 1..clients: stamped by the sequencer.
    const Msg = t.union('type', { Write: { to: Replica, client: Client, seq: t.int(0, p.clients) } });
    const net = network({ field: 'msgs', message: Msg, ordering: 'unordered' });
    const state = t.record({
      /** Clients that have sent their write. */
      sent: t.set(Client),
      /** The writes each replica has applied, in the order it applied them. */
      log: t.map(Replica, t.seq(Client, p.clients)),
      /** The sequencer's last sequence number (sequencer variant only). */
      lastSeq: t.int(0, p.clients),
      msgs: net.type as SetType<Infer<typeof Msg>>,
    });
    return { Replica, Client, Msg, net, state };
  },
  init: (T) =>
    T.state.make({
      sent: ISet<string>(),
      log: IMap(T.Replica.values.map((r) => [r, List<string>()] as const)),
      lastSeq: 0,
      msgs: T.net.empty() as any,
    }),
  actions: (T) => majorityActions(T, false),
  properties: (T, p) => ({
    sameOrderWhereBoth: always((s) => {
      // Compare every pair of replicas on the writes both have applied.
      const logs = T.Replica.values.map((r) => s.log.get(r)!);
      return logs.every((a) => logs.every((b) => sameRelativeOrder(a, b)));
    }),
    bothComplete: sometimes((s) => T.Client.values.every((c) => s.log.count((l) => l.includes(c)) > p.replicas / 2)),
  }),
  terminal: (s, T) => s.sent.size === T.Client.size && s.msgs.size === 0,
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

/** The actions; `sequenced` routes writes through the sequencer and applies them in order. */
function majorityActions(T: any, sequenced: boolean) {
  return {
    // Client c sends its write to every replica (through the sequencer, which stamps it).
    ClientWrite: {
      over: [T.Client],
      when: (s: any, c: string) => !s.sent.has(c),
      then: (s: any, c: string) => {
        const seq = sequenced ? s.lastSeq + 1 : 0;
        const s1 = s.merge({ sent: s.sent.add(c), lastSeq: seq });
        return T.net.sendAll(s1, T.Replica.values.map((r: string) => T.Msg.make({ type: 'Write', to: r, client: c, seq })));
      },
    },
    ...T.net.actions({
      // A replica applies a write on arrival; sequenced, only when it is the next in sequence.
      Write: {
        when: (s: any, m: any) => !sequenced || m.seq === s.log.get(m.to).size + 1,
        then: (s: any, m: any) => s.updateIn(['log', m.to], (l: List<string>) => l.push(m.client)),
      },
    }),
  };
}
