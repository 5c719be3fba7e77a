/**
 * MultiPaxos in state machine replication style, as in Guanzhou Hu's MultiPaxos.tla
 * (tlaplus/Examples, specifications/MultiPaxos-SMR; PlusCal), with its model MultiPaxos_MC.
 *
 * Replicas keep a log of instances (slots), each Empty, Preparing, Accepting or Committed,
 * with the command they hold and the (ballot, command) they last voted for. A replica that is
 * not leader steps up with a ballot above every ballot it knows and not used by any Prepare
 * yet (BecomeLeader), replying to itself at once; a replica that sees a Prepare of a higher
 * ballot follows it and replies with its votes (HandlePrepare). With a majority of replies the
 * leader adopts, slot by slot, the command of the highest-ballot vote and re-sends Accepts for
 * those slots (HandlePrepareReplies). A prepared leader puts the next pending client command
 * in its first empty slot (TakeNewRequest, the client's Req event); replicas vote for Accepts
 * of ballots they have not outgrown (HandleAccept). With a majority of AcceptReplies for its
 * next slot the leader commits it, applies the command to the single key (a write stores its
 * value, a read returns the old value) and acknowledges the client (HandleAcceptReplies, the
 * Ack event); followers commit on the CommitNotice (HandleCommitNotice). Once every command
 * was requested and acknowledged, replicas stop (pc = "Done") and the system stutters.
 *
 * Properties
 * - typeOK (TypeOK's conjuncts that types do not bound): pending and observed hold no
 *   duplicates, and no more commands were acknowledged than requested.
 * - linearizability (Linearizability): once terminated, some order of all commands explains
 *   every result (each read or write returns the last write before it) and respects real
 *   time (a command acknowledged before another was requested comes first).
 * - terminates (sometimes): every command is requested and acknowledged.
 *
 * Params: replicas (3), writes (1), reads (0), maxBallot (2: Ballots = 1..MaxBallot); with
 *   --param reads=1 they are MultiPaxos_MC_small.cfg (a benchmark: minutes; the default, one
 *   write, takes seconds). Commands are the writes w1.. and reads r1..; the
 *   initial pending sequence is the writes then the reads (MultiPaxos's InitPending CHOOSEs
 *   some such order). Replicas form a symmetric scalarset, the cfg's SYMMETRY (Writes and
 *   Reads are singletons there, so their permutations are empty); commands are an enum, not
 *   permuted (with several writes TLC's SYMMETRY would also permute them).
 * Variants: minorityQuorum (2 replicas, w1 and r1 by default) - MajorityNum is 1: a leader prepares and commits on its own
 *   votes, so two leaders commit different commands in one slot and the client sees results
 *   no order explains (linearizability fails).
 * Counting as TLC: each `\E` of the PlusCal translation is a parameter, one successor per
 *   witness: BecomeLeader's ballot, HandlePrepare's and HandleAccept's message, and
 *   TakeNewRequest's guard `\E s \in Slots: insts[s].status = "Empty"` (its witness is a
 *   parameter although the slot taken is FirstEmptySlot: TLC makes one successor per empty
 *   slot). Done is the ELSE branch of `IF ~terminated` (pc := "Done"); Terminating is the
 *   stuttering step once all are Done (a generated successor, as in TLC).
 * TLC 2.20, MultiPaxos_MC_small.cfg (3 replicas, w1, r1, MaxBallot 2, SYMMETRY on replicas):
 *   343,796 distinct states, 736,012 generated, depth 28 (the Examples manifest's numbers);
 *   synod gives the same (2,062,561 states with --no-symmetry). Default (no read): TLC 2,628 /
 *   4,697 / 19 with the same cfg but Reads = {}.
 * Network: the set of messages ever sent (delay, reordering, duplication; loss is a message
 *   never received). Faults: none (no crashes).
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { action, always, defineSpec, majority, sometimes, t, type Actions, type Infer } from 'synod';

const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

function types(p: { replicas: number; writes: number; reads: number; maxBallot: number }) {
  const Replica = t.scalarset('Replica', p.replicas, { prefix: 's' });
  const writes = range(1, p.writes).map((i) => `w${i}`);
  const reads = range(1, p.reads).map((i) => `r${i}`);
  const Write = t.enum(...writes);
  const Command = t.enum(...writes, ...reads);
  const numCommands = writes.length + reads.length;
  const Ballot = t.int(1, p.maxBallot);
  const BallotOrZero = t.int(0, p.maxBallot);
  const Slot = t.int(1, numCommands);
  const Vote = t.record({ bal: BallotOrZero, cmd: t.option(Command) }, 'Vote'); // cmd null: "nil"
  const Inst = t.record({ status: t.enum('Empty', 'Preparing', 'Accepting', 'Committed'), cmd: t.option(Command), voted: Vote }, 'Inst');
  const Node = t.record({
    leader: t.option(Replica), // null: "none"
    kvalue: t.option(Write), // null: "nil"
    commitUpTo: t.int(0, numCommands),
    balPrepared: BallotOrZero,
    balMaxKnown: BallotOrZero,
    insts: t.map(Slot, Inst),
  }, 'Node');
  const Msg = t.union('type', {
    Prepare: { src: Replica, bal: Ballot },
    PrepareReply: { src: Replica, bal: Ballot, votes: t.map(Slot, Vote) },
    Accept: { src: Replica, bal: Ballot, slot: Slot, cmd: Command },
    AcceptReply: { src: Replica, bal: Ballot, slot: Slot },
    CommitNotice: { upto: Slot },
  });
  const Event = t.union('type', { Req: { cmd: Command }, Ack: { cmd: Command, val: t.option(Write) } });
  const state = t.record({
    msgs: t.set(Msg),
    node: t.map(Replica, Node),
    pending: t.seq(Command, numCommands),
    observed: t.seq(Event, 2 * numCommands),
    pc: t.map(Replica, t.enum('rloop', 'Done')),
  });
  return { Replica, Write, Command, Ballot, Slot, Vote, Inst, Node, Msg, Event, state, writes, reads, numCommands };
}

type T = ReturnType<typeof types>;
type S = ReturnType<T['state']['make']>;
type NodeState = ReturnType<T['Node']['make']>;
type Msg = Infer<T['Msg']>;
type Of<K extends Msg['type']> = Extract<Msg, { type: K }>;

/** The spec's operators over a state, for the actions and properties. */
function operators(T: T) {
  const slots = range(1, T.numCommands);
  const cmdsInLog = (n: NodeState) => ISet(n.insts.valueSeq().map((i) => i.cmd));
  const reqsMade = (s: S) => ISet(s.observed.filter((e) => e.type === 'Req').map((e) => e.cmd));
  const acksRecv = (s: S) => ISet(s.observed.filter((e) => e.type === 'Ack').map((e) => e.cmd));
  return {
    slots,
    /** UnseenPending(insts): the pending commands not in any slot of this log. */
    unseenPending: (s: S, n: NodeState) => s.pending.filter((c) => !cmdsInLog(n).has(c)),
    reqsMade,
    acksRecv,
    terminated: (s: S) => s.pending.size === 0 && reqsMade(s).size === T.numCommands && acksRecv(s).size === T.numCommands,
    votesByNode: (n: NodeState) => n.insts.map((i) => i.voted),
    /** Observe(e): append the client event unless it was observed already. */
    observe: (s: S, e: unknown): S => (s.observed.includes(e as never) ? s : s.set('observed', s.observed.push(e as never))),
  };
}

/** [insts EXCEPT ![s].status = IF @ = "Accepting" THEN "Preparing" ELSE @] for every slot. */
const backToPreparing = (n: NodeState): NodeState =>
  n.set('insts', n.insts.map((i) => (i.status === 'Accepting' ? i.set('status', 'Preparing') : i)));

/** PeakVotedCmd(prs, s): the command of the highest-ballot vote for slot s, null if none voted. */
function peakVotedCmd(prs: Of<'PrepareReply'>[], s: number): string | null {
  let best: { bal: number; cmd: string | null } | null = null;
  for (const pr of prs) {
    const v = pr.votes.get(s)!; // a total map over the slots
    if (v.bal > 0 && (best === null || v.bal > best.bal)) best = v;
  }
  return best === null ? null : best.cmd;
}

function actions(T: T, majorityNum: number): Actions<S> {
  const op = operators(T);
  const msg = (fields: Parameters<T['Msg']['make']>[0]) => T.Msg.make(fields);
  const running = (s: S, r: string) => s.pc.get(r) === 'rloop' && !op.terminated(s);
  const setNode = (s: S, r: string, n: NodeState): S => s.set('node', s.node.set(r, n));
  const send = (s: S, ...ms: unknown[]): S => s.set('msgs', s.msgs.union(ms as never[]));
  /** Commit slot `slot` of replica r's log and apply its command to the key. */
  const commit = (n: NodeState, slot: number): NodeState => {
    const c = n.insts.get(slot)!.cmd;
    return n.merge({
      insts: n.insts.setIn([slot, 'status'], 'Committed'),
      commitUpTo: slot,
      kvalue: T.Write.index.has(c as string) ? c : n.kvalue,
    });
  };
  return {
    BecomeLeader: action({
      over: [T.Replica, T.Ballot],
      when: (s: S, r: string, b: number) => {
        const n = s.node.get(r)!;
        return running(s, r) && n.leader !== r && b > n.balMaxKnown && !s.msgs.some((m) => m.type === 'Prepare' && m.bal === b);
      },
      then: (s: S, r: string, b: number) => {
        const n = backToPreparing(s.node.get(r)!.merge({ leader: r, balPrepared: 0, balMaxKnown: b }));
        return send(setNode(s, r, n), msg({ type: 'Prepare', src: r, bal: b }),
          msg({ type: 'PrepareReply', src: r, bal: b, votes: op.votesByNode(n) }));
      },
    }),
    HandlePrepare: action({
      over: [T.Replica, (s: S) => s.msgs],
      when: (s, r, m) => running(s, r) && m.type === 'Prepare' && m.bal > s.node.get(r)!.balMaxKnown,
      then: (s, r, m) => {
        if (m.type !== 'Prepare') return null; // as the guard says
        const n = backToPreparing(s.node.get(r)!.merge({ leader: m.src, balMaxKnown: m.bal }));
        return send(setNode(s, r, n), msg({ type: 'PrepareReply', src: r, bal: m.bal, votes: op.votesByNode(n) }));
      },
    }),
    HandlePrepareReplies: action({
      over: [T.Replica],
      when: (s: S, r: string) => {
        const n = s.node.get(r)!;
        if (!running(s, r) || n.leader !== r || n.balPrepared !== 0) return false;
        return s.msgs.count((m) => m.type === 'PrepareReply' && m.bal === n.balMaxKnown) >= majorityNum;
      },
      then: (s: S, r: string) => {
        const n0 = s.node.get(r)!;
        const prs = s.msgs.filter((m): m is Of<'PrepareReply'> => m.type === 'PrepareReply' && m.bal === n0.balMaxKnown).toArray();
        const n = n0.merge({
          balPrepared: n0.balMaxKnown,
          insts: n0.insts.map((i, slot) => {
            const peak = peakVotedCmd(prs, slot);
            const accepting = i.status === 'Preparing' || (i.status === 'Empty' && peak !== null);
            return i.merge({ status: accepting ? 'Accepting' : i.status, cmd: peak });
          }),
        });
        const accepts = op.slots.filter((slot) => n.insts.get(slot)!.status === 'Accepting')
          .map((slot) => msg({ type: 'Accept', src: r, bal: n.balPrepared, slot, cmd: n.insts.get(slot)!.cmd }));
        return send(setNode(s, r, n), ...accepts);
      },
    }),
    // The last parameter is the witness of the guard's `\E s \in Slots: status = "Empty"`.
    TakeNewRequest: action({
      over: [T.Replica, T.Slot],
      when: (s: S, r: string, empty: number) => {
        const n = s.node.get(r)!;
        return running(s, r) && n.leader === r && n.balPrepared === n.balMaxKnown &&
          n.insts.get(empty)!.status === 'Empty' && op.unseenPending(s, n).size > 0;
      },
      then: (s: S, r: string) => {
        const n0 = s.node.get(r)!;
        const slot = op.slots.find((x) => n0.insts.get(x)!.status === 'Empty')!; // FirstEmptySlot
        const c = op.unseenPending(s, n0).first() as string;
        const voted = T.Vote.make({ bal: n0.balPrepared, cmd: c });
        const n = n0.set('insts', n0.insts.set(slot, T.Inst.make({ status: 'Accepting', cmd: c, voted })));
        const s1 = send(setNode(s, r, n), msg({ type: 'Accept', src: r, bal: n.balPrepared, slot, cmd: c }),
          msg({ type: 'AcceptReply', src: r, bal: n.balPrepared, slot }));
        return op.observe(s1, T.Event.make({ type: 'Req', cmd: c }));
      },
    }),
    HandleAccept: action({
      over: [T.Replica, (s: S) => s.msgs],
      when: (s, r, m) => {
        if (!running(s, r) || m.type !== 'Accept') return false;
        const n = s.node.get(r)!;
        return m.bal >= n.balMaxKnown && m.bal > n.insts.get(m.slot)!.voted.bal;
      },
      then: (s, r, m) => {
        if (m.type !== 'Accept') return null; // as the guard says
        const voted = T.Vote.make({ bal: m.bal, cmd: m.cmd });
        const n0 = s.node.get(r)!;
        const n = n0.merge({
          leader: m.src,
          balMaxKnown: m.bal,
          insts: n0.insts.set(m.slot, T.Inst.make({ status: 'Accepting', cmd: m.cmd, voted })),
        });
        return send(setNode(s, r, n), msg({ type: 'AcceptReply', src: r, bal: m.bal, slot: m.slot }));
      },
    }),
    HandleAcceptReplies: action({
      over: [T.Replica],
      when: (s: S, r: string) => {
        const n = s.node.get(r)!;
        if (!running(s, r) || n.leader !== r || n.balPrepared !== n.balMaxKnown || n.commitUpTo >= T.numCommands) return false;
        const slot = n.commitUpTo + 1;
        if (n.insts.get(slot)!.status !== 'Accepting') return false;
        return s.msgs.count((m) => m.type === 'AcceptReply' && m.slot === slot && m.bal === n.balPrepared) >= majorityNum;
      },
      then: (s: S, r: string) => {
        const n = s.node.get(r)!;
        const slot = n.commitUpTo + 1;
        const c = n.insts.get(slot)!.cmd as string;
        const s1 = op.observe(setNode(s, r, commit(n, slot)), T.Event.make({ type: 'Ack', cmd: c, val: n.kvalue }));
        return send(s1.set('pending', s1.pending.filter((x) => x !== c)), msg({ type: 'CommitNotice', upto: slot }));
      },
    }),
    HandleCommitNotice: action({
      over: [T.Replica],
      when: (s: S, r: string) => {
        const n = s.node.get(r)!;
        if (!running(s, r) || n.leader === r || n.commitUpTo >= T.numCommands) return false;
        const slot = n.commitUpTo + 1;
        return n.insts.get(slot)!.status === 'Accepting' && s.msgs.has(msg({ type: 'CommitNotice', upto: slot }));
      },
      then: (s: S, r: string) => {
        const n = s.node.get(r)!;
        return setNode(s, r, commit(n, n.commitUpTo + 1));
      },
    }),
    Done: action({
      over: [T.Replica],
      when: (s: S, r: string) => s.pc.get(r) === 'rloop' && op.terminated(s),
      then: (s: S, r: string) => s.set('pc', s.pc.set(r, 'Done')),
    }),
    Terminating: {
      when: (s: S) => s.pc.every((l) => l === 'Done'),
      then: (s: S) => s,
    },
  };
}

/** Linearizability: once terminated, some order of the commands explains every result. */
function linearizable(T: T, s: S): boolean {
  const events = s.observed.toArray();
  const pos = (type: string, c: string) => events.findIndex((e) => e.type === type && e.cmd === c);
  const result = (c: string) => {
    const ack = events[pos('Ack', c)]!; // terminated: every command is acknowledged
    return ack.type === 'Ack' ? ack.val : null;
  };
  const commands = [...T.writes, ...T.reads];
  const isWrite = (c: string) => T.Write.index.has(c);
  // [1..NumCommands -> Commands]: those whose range is Commands are the permutations.
  const orders = permutations(commands);
  return orders.some((order) =>
    order.every((c, j) => {
      const lastWrite = order.slice(0, j).filter(isWrite).at(-1) ?? null; // LastWriteBefore(order, j)
      return result(c) === lastWrite;
    }) &&
    commands.every((c1) => commands.every((c2) => !(pos('Ack', c1) < pos('Req', c2)) || order.indexOf(c1) < order.indexOf(c2))));
}

function permutations<X>(xs: readonly X[]): X[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

export default defineSpec({
  name: 'multipaxos-smr',
  description: "Guanzhou Hu's MultiPaxos-SMR: a replicated key with write/read commands, checked for linearizability",
  params: {
    replicas: { default: 3, min: 1, max: 5, doc: 'number of replicas (Replicas)' },
    writes: { default: 1, min: 1, max: 3, doc: 'number of write commands (Writes)' },
    reads: { default: 0, min: 0, max: 3, doc: 'number of read commands (Reads)' },
    maxBallot: { default: 2, min: 2, max: 5, doc: 'ballots are 1..maxBallot (MaxBallot)' },
  },
  types,
  init: (T) => {
    const empty = T.Inst.make({ status: 'Empty', cmd: null, voted: T.Vote.make({ bal: 0, cmd: null }) });
    const nullNode = T.Node.make({
      leader: null, kvalue: null, commitUpTo: 0, balPrepared: 0, balMaxKnown: 0,
      insts: IMap(range(1, T.numCommands).map((slot) => [slot, empty] as const)),
    });
    return T.state.make({
      msgs: ISet(),
      node: IMap(T.Replica.values.map((r) => [r, nullNode] as const)),
      pending: List([...T.writes, ...T.reads]),
      observed: List(),
      pc: IMap(T.Replica.values.map((r) => [r, 'rloop' as const] as const)),
    });
  },
  actions: (T) => actions(T, majority(T.Replica.size)),
  properties: (T) => {
    const op = operators(T);
    return {
      typeOK: always((s: S) =>
        ISet(s.pending).size === s.pending.size && ISet(s.observed).size === s.observed.size &&
        op.reqsMade(s).size >= op.acksRecv(s).size, "TypeOK's conjuncts beyond the declared types"),
      linearizability: always((s: S) => !op.terminated(s) || linearizable(T, s), 'the client-observed history is linearizable'),
      terminates: sometimes((s: S) => op.terminated(s), 'every command is requested and acknowledged'),
    };
  },
  variants: {
    minorityQuorum: {
      description: 'MajorityNum is 1: two leaders commit different commands in one slot',
      params: { replicas: 2, reads: 1 }, // a read is needed to observe the lost write
      actions: (T) => actions(T, 1),
    },
  },
});
