/**
 * Multi-Paxos: a replicated log, one Paxos instance per slot, with phase 1 run once for all
 * slots by a leader and only phase 2 run per slot.
 *
 * Node i owns the ballots i, i+N, i+2N, ... (N nodes). To lead, a node picks its next ballot b
 * and sends Prepare(b) to every acceptor (phase 1a, once for every slot). An acceptor that has
 * promised nothing >= b promises b and reports, for every slot, the proposal it last accepted
 * there (Promise, phase 1b). Once a quorum (majority) has promised, the node believes it leads
 * and fills its log in slot order (phase 2a, one Accept per slot): a slot where the promises
 * reported proposals gets the command of the highest-ballot one again (the heart of leader
 * change); a free slot gets a client command the leader has not placed yet. An acceptor
 * accepts (b, slot, cmd) unless it promised a higher ballot, and announces it (Accepted,
 * phase 2b). A command is chosen for a slot once a quorum accepted it there in one ballot;
 * every node is a learner and fills its log in slot order with chosen commands. Nobody tells
 * a preempted leader that it lost, so two nodes can believe they lead at once: Multi-Paxos
 * promises safety, not a single leader (the old leader's Accepts are refused by the acceptors
 * that promised the newer ballot, and whatever it got chosen the new leader re-proposes).
 *
 * Properties
 * - slotAgreement: no slot ever has two different commands chosen (read from the Accepted
 *   messages sent, i.e. from history, not the acceptors' latest votes).
 * - learnedLogsConsistent: no two nodes' logs hold different commands at the same slot.
 * - twoLeaders (sometimes): two nodes both believe they lead, and both have proposed (the
 *   invariants are checked in those states too: safety holds with two leaders).
 * - reproposed (sometimes): a command chosen for a slot in one ballot is proposed again for
 *   that slot by the leader of a later ballot (leader change carrying the chosen value over).
 * - fullLog (sometimes): some node has learned a command for every slot.
 *
 * Params: acceptors (3); nodes (2): the would-be leaders, also the learners; slots (2);
 *   commands (2): the client commands; maxBallot (2): ballots are 1..maxBallot (0 means
 *   none), so each default node owns one ballot: n1 leads first, n2 takes over;
 *   initialLeader (true): n1 starts as the leader of ballot 1 without running phase 1, the
 *   usual Multi-Paxos start and sound because no lower ballot exists, so no promise could
 *   report anything (false: every leader runs phase 1; about 4x the states);
 *   window (1): the pipeline depth, a leader proposes slot k only once it has learned slot
 *   k - window (window = slots: no waiting; far more interleavings).
 * Variants (the trace printed is the shortest, by BFS):
 * - ignorePromises: a new leader proposes client commands of its choice for every slot,
 *   ignoring the proposals its promises reported for unfinished slots. n1's command for
 *   slot 1 is accepted by one acceptor that then promises n2, so n2 is told of it, proposes
 *   the other command anyway, and both get chosen at slot 1: slotAgreement fails (11 states).
 * Ids: acceptors and commands are symmetric scalarsets (the protocol never looks inside a
 *   command). Nodes are a scalarset marked { symmetric: false }: the ballots they own follow
 *   from their position (n1 owns 1, 3, ...; n2 owns 2, 4, ...), so swapping them changes who
 *   can preempt whom. Slots are ints: a log is ordered.
 * Network: network({...}) unordered and duplicating (a message once sent stays in flight and
 *   may be delivered again, in any order), without a Drop action: for safety a lost message
 *   is one never delivered, which every run already allows. A would-be leader reads the
 *   Promises in flight and takes a quorum of them in one step (BecomeLeader), and a learner
 *   reads the Accepted messages the same way, as TLA+ Paxos specs read a quorum of
 *   messages. Faults: none beyond the network's (acceptors never forget; a crashed leader
 *   is one that goes silent, and a preempted one is never told).
 * Deadlock: once no node has a ballot left, a state with nothing left to do is terminal.
 * Default: 9,136 orbits, 34,441 generated, depth 26 (94,019 states with --no-symmetry,
 *   358,151 generated).
 * Benchmark: --param initialLeader=false (n1 runs phase 1 too): 35,040 orbits of 386,849
 *   states, 132,991 generated, depth 31.
 */
import { Map as IMap, Set as ISet } from 'immutable';
import { action, always, defineSpec, majority, network, sometimes, subsetsOfSize, t } from 'synod';

interface Sizes { acceptors: number; nodes: number; slots: number; commands: number; maxBallot: number; window: number; initialLeader: boolean }

function multiPaxosTypes(p: Sizes) {
  const Node = t.scalarset('Node', p.nodes, { symmetric: false });
  const Acceptor = t.scalarset('Acceptor', p.acceptors);
  const Cmd = t.scalarset('Cmd', p.commands);
  const Slot = t.int(1, p.slots);
  const Ballot = t.int(1, p.maxBallot);
  const BallotOrNone = t.int(0, p.maxBallot);
  const Proposal = t.record({ bal: Ballot, cmd: Cmd });
  /** Per slot, the proposal an acceptor last accepted there (or a leader's highest reported). */
  const Votes = t.map(Slot, t.option(Proposal));
  const Msg = t.union('type', {
    Prepare: { bal: Ballot, acc: Acceptor },
    Promise: { acc: Acceptor, bal: Ballot, votes: Votes },
    Accept: { bal: Ballot, slot: Slot, cmd: Cmd, acc: Acceptor },
    Accepted: { acc: Acceptor, bal: Ballot, slot: Slot, cmd: Cmd },
  });
  const net = network({ field: 'msgs', message: Msg, ordering: 'unordered', duplicate: true });
  const state = t.record({
    ballot: t.map(Node, BallotOrNone),
    phase: t.map(Node, t.enum('idle', 'preparing', 'leading')),
    reported: t.map(Node, Votes),
    /** The next slot the leader proposes for (slots + 1: its log is full). */
    next: t.map(Node, t.int(1, p.slots + 1)),
    promised: t.map(Acceptor, BallotOrNone),
    votes: t.map(Acceptor, Votes),
    log: t.map(Node, t.map(Slot, t.option(Cmd))),
    msgs: net.type,
  });
  return { Node, Acceptor, Cmd, Slot, Proposal, Votes, Msg, net, state };
}

type Types = ReturnType<typeof multiPaxosTypes>;
type State = ReturnType<Types['state']['make']>;
type Proposal = ReturnType<Types['Proposal']['make']>;
type Votes = IMap<number, Proposal | null>;
/** The fields of a message, whichever its kind (a handler only reads its own kind's fields). */
type Msg = { type: 'Prepare' | 'Promise' | 'Accept' | 'Accepted'; acc: string; bal: number; slot: number; cmd: string; votes: Votes };

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** The next ballot node number i (0-based) owns above b, or null if it has none left. */
function nextBallot(i: number, b: number, p: { nodes: number; maxBallot: number }): number | null {
  const next = b === 0 ? i + 1 : b + p.nodes;
  return next <= p.maxBallot ? next : null;
}

/**
 * chosen(s).get(slot): the commands a quorum accepted at that slot in one ballot, read from
 * the Accepted messages; chosenIn(s) the same with the ballots. Memoised per state object:
 * Learn's domain and several properties ask for it.
 */
const chosenCache = new WeakMap<object, { cmds: Map<number, ISet<string>>; pairs: Set<string> }>();
function chosenOf(s: State, quorum: number) {
  let c = chosenCache.get(s);
  if (c !== undefined) return c;
  const voters = new Map<string, Set<string>>();
  for (const m of s.msgs as ISet<Msg>) {
    if (m.type !== 'Accepted') continue;
    const key = `${m.slot}/${m.bal}/${m.cmd}`;
    (voters.get(key) ?? voters.set(key, new Set()).get(key)!).add(m.acc);
  }
  c = { cmds: new Map(), pairs: new Set() };
  for (const [key, accs] of voters) {
    if (accs.size < quorum) continue;
    const [slot, bal, cmd] = key.split('/') as [string, string, string];
    c.cmds.set(+slot, (c.cmds.get(+slot) ?? ISet<string>()).add(cmd));
    c.pairs.add(`${slot}/${bal}/${cmd}`);
  }
  chosenCache.set(s, c);
  return c;
}
const chosen = (s: State, quorum: number, slot: number): ISet<string> => chosenOf(s, quorum).cmds.get(slot) ?? ISet();

export default defineSpec({
  name: 'multi-paxos',
  description: 'Multi-Paxos: a leader runs phase 1 once for all slots, then phase 2 per slot; leaders may change',
  params: {
    acceptors: { default: 3, min: 1, max: 7, doc: 'number of acceptors' },
    nodes: { default: 2, min: 1, max: 4, doc: 'number of would-be leaders (also the learners); node i owns ballots i, i+N, ...' },
    slots: { default: 2, min: 1, max: 4, doc: 'number of log slots' },
    commands: { default: 2, min: 1, max: 4, doc: 'number of client commands a leader may propose' },
    maxBallot: { default: 2, min: 1, max: 8, doc: 'ballots are 1..maxBallot' },
    initialLeader: { default: true, doc: 'node n1 starts as leader of ballot 1 without running phase 1 (sound: no lower ballot exists)' },
    window: { default: 1, min: 1, max: 4, doc: 'a leader proposes slot k only once it has learned slot k - window' },
  },
  types: multiPaxosTypes,
  init: (T, p) => {
    const all = <K, V>(keys: readonly K[], v: V) => IMap(keys.map((k) => [k, v] as const));
    const N = T.Node.values;
    const A = T.Acceptor.values;
    const noVotes: Votes = all(range(p.slots), null);
    return T.state.make({
      // With initialLeader, n1 holds ballot 1 and leads from the start (see the header).
      ballot: IMap(N.map((n, i) => [n, i === 0 && p.initialLeader ? 1 : 0] as const)),
      phase: IMap(N.map((n, i) => [n, (i === 0 && p.initialLeader ? 'leading' : 'idle') as 'idle' | 'preparing' | 'leading'] as const)),
      reported: all(N, noVotes),
      next: all(N, 1),
      promised: all(A, 0),
      votes: all(A, noVotes),
      log: all(N, all(range(p.slots), null as string | null)),
      msgs: T.net.empty(),
    });
  },
  actions: (T, p) => protocol(T, p, {}),
  properties: (T, p) => {
    type S = State;
    const q = majority(p.acceptors);
    const slots = range(p.slots);
    const N = T.Node.values;
    return {
      slotAgreement: always((s: S) => slots.every((k) => chosen(s, q, k).size <= 1),
        'no two different commands are chosen for one slot'),
      learnedLogsConsistent: always((s: S) => slots.every((k) =>
        ISet(N.map((n) => s.log.get(n)!.get(k)!).filter((c) => c !== null)).size <= 1),
      'no two nodes have learned different commands at one slot'),
      twoLeaders: sometimes((s: S) => N.filter((n) => s.phase.get(n) === 'leading' && s.next.get(n)! > 1).length >= 2,
        'two nodes both believe they lead, and both have proposed'),
      reproposed: sometimes((s: S) => {
        const { pairs } = chosenOf(s, q);
        return (s.msgs as ISet<Msg>).some((m) => m.type === 'Accept' &&
          [...pairs].some((key) => { const [k, b, c] = key.split('/'); return +k! === m.slot && +b! < m.bal && c === m.cmd; }));
      }, 'a later leader re-proposes a command already chosen for that slot'),
      fullLog: sometimes((s: S) => N.some((n) => s.log.get(n)!.every((c) => c !== null)),
        'a node has learned a command for every slot'),
    };
  },
  terminal: (s, T, p) => T.Node.values.every((n) => nextBallot(T.Node.values.indexOf(n), s.ballot.get(n)!, p) === null),
  variants: {
    ignorePromises: {
      description: 'a new leader proposes commands of its choice, ignoring the proposals reported in its promises',
      actions: (T, p) => protocol(T, p, { ignoreReported: true }),
    },
  },
});

interface Rules {
  /** Bug: propose any command, whatever the promises reported for the slot. */
  ignoreReported?: boolean;
}

/** The protocol's actions; the bug variant changes one rule. */
function protocol(T: Types, p: Sizes, rules: Rules) {
  type S = State;
  const N = T.Node.values;
  const A = T.Acceptor.values;
  const quorum = majority(p.acceptors);
  const owner = (b: number): string => N[(b - 1) % p.nodes]!;
  const proposal = (bal: number, cmd: string) => T.Proposal.make({ bal, cmd });
  /** The promises for ballot b in flight, by acceptor (an acceptor promises a ballot once). */
  const promisesFor = (s: S, b: number): IMap<string, Votes> =>
    IMap((s.msgs as ISet<Msg>).filter((m) => m.type === 'Promise' && m.bal === b).toArray().map((m) => [m.acc, m.votes] as const));
  /** Every quorum (a majority of all acceptors) among the given acceptors. */
  const quorumsOf = (accs: readonly string[]): ISet<string>[] => subsetsOfSize(accs, quorum).map((q) => ISet(q));
  /** The commands node n knows are placed: learned, reported to it, or proposed in its ballot. */
  const placed = (s: S, n: string): ISet<string> => {
    const b = s.ballot.get(n)!;
    const mine = (s.msgs as ISet<Msg>).filter((m) => m.type === 'Accept' && m.bal === b).map((m) => m.cmd);
    const reported = rules.ignoreReported ? [] : s.reported.get(n)!.valueSeq().filter((x) => x !== null).map((x) => x!.cmd);
    return ISet(s.log.get(n)!.valueSeq().filter((c): c is string => c !== null)).union(mine, reported);
  };
  const firstGap = (s: S, n: string): number | null => range(p.slots).find((k) => s.log.get(n)!.get(k) === null) ?? null;
  const noVotes: Votes = IMap(range(p.slots).map((k) => [k, null] as const));
  /** Per slot, the higher-ballot proposal of the two. */
  const higher = (a: Votes, b: Votes): Votes => a.map((x, k) => {
    const y = b.get(k)!;
    return y !== null && (x === null || y.bal > x.bal) ? y : x;
  });
  return {
    // Phase 1a, once for every slot: abandon the current ballot (if any) for the next one.
    Prepare: action({
      over: [T.Node],
      when: (s: S, n: string) => nextBallot(N.indexOf(n), s.ballot.get(n)!, p) !== null,
      then: (s: S, n: string) => {
        const b = nextBallot(N.indexOf(n), s.ballot.get(n)!, p)!;
        const s1 = s.merge({
          ballot: s.ballot.set(n, b), phase: s.phase.set(n, 'preparing'),
          reported: s.reported.set(n, noVotes), next: s.next.set(n, 1),
        });
        return T.net.sendAll(s1, A.map((a) => T.Msg.make({ type: 'Prepare', bal: b, acc: a })));
      },
    }),
    // Phase 1 ends: the node reads the promises for its ballot in flight and, once a quorum
    // has promised, believes it leads, keeping per slot the highest-ballot proposal they report.
    BecomeLeader: action({
      over: [T.Node, (s: S, n: string) => s.phase.get(n) === 'preparing' ? quorumsOf(A.filter((a) => promisesFor(s, s.ballot.get(n)!).has(a))) : []],
      then: (s: S, n: string, q: ISet<string>) => {
        const ps = promisesFor(s, s.ballot.get(n)!);
        return s.merge({
          phase: s.phase.set(n, 'leading'),
          reported: s.reported.set(n, q.reduce((r, a) => higher(r, ps.get(a)!), noVotes)),
        });
      },
    }),
    // Phase 2a for the leader's next slot: the reported command if any, else a client command.
    Propose: action({
      over: [T.Node, T.Cmd],
      when: (s: S, n: string, c: string) => {
        const k = s.next.get(n)!;
        if (s.phase.get(n) !== 'leading' || k > p.slots) return false;
        // The pipeline: at most `window` slots proposed beyond what this leader has learned.
        if (k > p.window && s.log.get(n)!.get(k - p.window) === null) return false;
        const r = rules.ignoreReported ? null : s.reported.get(n)!.get(k)!;
        // A reported proposal must be re-proposed; a free slot gets a client command this
        // leader has not placed yet (not in its log, its reports or its proposals so far).
        return r !== null ? r.cmd === c : !placed(s, n).has(c);
      },
      then: (s: S, n: string, c: string) => {
        const k = s.next.get(n)!;
        const b = s.ballot.get(n)!;
        return T.net.sendAll(s.set('next', s.next.set(n, k + 1)),
          A.map((a) => T.Msg.make({ type: 'Accept', bal: b, slot: k, cmd: c, acc: a })));
      },
    }),
    // A node learns its log in slot order: its first empty slot, once a quorum accepted a
    // command there in one ballot (the leader is a learner too: it hears the Accepted).
    Learn: action({
      over: [
        T.Node,
        (s: S, n: string) => { const k = firstGap(s, n); return k === null ? [] : [k]; },
        (s: S, _n: string, k: number) => chosen(s, quorum, k),
      ],
      then: (s: S, n: string, k: number, c: string) => s.setIn(['log', n, k], c),
    }),
    ...T.net.actions<S>({
      // Phase 1b: promise never to accept below b, and report every slot's last accepted proposal.
      Prepare: {
        when: (s, m: Msg) => m.bal > s.promised.get(m.acc)!,
        then: (s, m: Msg) => T.net.send(s.set('promised', s.promised.set(m.acc, m.bal)),
          T.Msg.make({ type: 'Promise', acc: m.acc, bal: m.bal, votes: s.votes.get(m.acc)! })),
      },
      // Phase 2b: accept unless promised a higher ballot, and announce it to the learners.
      Accept: {
        when: (s, m: Msg) => m.bal >= s.promised.get(m.acc)! && !proposal(m.bal, m.cmd).equals(s.votes.get(m.acc)!.get(m.slot)),
        then: (s, m: Msg) => {
          const s1 = s.merge({
            promised: s.promised.set(m.acc, m.bal),
            votes: s.votes.setIn([m.acc, m.slot], proposal(m.bal, m.cmd)),
          });
          return T.net.send(s1, T.Msg.make({ type: 'Accepted', acc: m.acc, bal: m.bal, slot: m.slot, cmd: m.cmd }));
        },
      },
    }),
  };
}
