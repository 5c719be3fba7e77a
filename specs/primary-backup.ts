/**
 * Synchronous primary/backup ("master-slave") replication, the seeds' 主从同步复制: strongly
 * consistent, but one failed node blocks everything.
 *
 * One replica is the primary, the others are backups. The primary takes one client write at a
 * time: it appends the write to its log, sends Replicate to every backup, and waits until every
 * backup has acknowledged before it acknowledges the client and takes the next write. A backup
 * appends a write only when it is the next entry of its log (Replicate carries the write's
 * index), so a reordered message waits for the ones before it; then it acks. Writes are the
 * numbers 1..writes in the order the client sends them.
 *
 * Properties
 * - ackedOnAllLive: every write acknowledged to the client is in the log of every live replica.
 * - sameOrder: replicas apply writes in the same order: of any two logs, one is a prefix of the
 *   other (while the first primary serves, the longest log is the primary's, so every log is a
 *   prefix of the primary's).
 * - someAck (sometimes): a write is acknowledged.
 * - linearizable: the replicas together behave as one register (0 at first), the strong
 *   consistency primary/backup claims. The writer's writes are recorded as they are called (the
 *   primary takes them) and return (acknowledged); with --param reads=k a second client makes k
 *   reads, each served at once by the live primary from the newest write in its log. Checked by
 *   synod's linearizable() on that history. With reads=0 (the default) only writes are recorded
 *   and it holds trivially; the verdicts with reads:
 *   - base spec and backupCrash: holds (reads=1 and 2): nothing is lost, and the primary serves
 *     every read. backupCrash still fails everyWriteAcked.
 *   - majorityAck, failover=any: violated (reads=1: 7 states; reads=2: 6): the new primary lacks
 *     an acknowledged write and a read returns the old value after the write returned.
 *   - majorityAck, failover=longest: holds with reads=1, violated with reads=2 (6 states): the
 *     primary serves a read of write 1 before any backup has it, crashes, the promoted backup
 *     (the longest live log, empty) serves the next read: 0 after 1, with the write never
 *     acknowledged. Promoting the longest log keeps acknowledged writes, not what a read saw;
 *     a primary must serve reads only of acknowledged (committed) writes, as Raft's leader does.
 * - everyWriteAcked (liveness, leadsTo): a write the primary has taken is eventually
 *   acknowledged to the client. Fairness: delivering Replicate and Ack messages is weakly fair;
 *   ClientWrite is not (the client may stop writing), nor are crashes (faults are never forced).
 *
 * Params: backups (2; the replicas are the primary and its backups), writes (2, client writes
 *   in turn), failover ('any' or 'longest': which live backup the majorityAck variant promotes),
 *   reads (0: reads a second client makes, for linearizable).
 * Terminal: every write acknowledged (the normal end); any other state where nothing can happen
 *   is a deadlock, which synod reports.
 * Variants:
 * - backupCrash: one backup may crash. The primary then waits forever for its ack: the shortest
 *   trace (5 states) ends in a deadlock with the write unacknowledged. This is the seed's point:
 *   synchronous replication trades availability for consistency ("Master阻塞"). It is reported
 *   as everyWriteAcked failing: a lasso that takes a write, crashes a backup and stutters with
 *   the write pending for ever (states with a crashed backup are terminal, so the blocked state
 *   is not reported as a deadlock first).
 * - majorityAck: the primary acknowledges once a majority of replicas (itself included) has the
 *   write, so one crash no longer blocks it (any minority may crash, the primary too). There is no
 *   leader protocol: when the primary has crashed, a failover manager promotes a live backup. With
 *   failover=any (the default) it promotes any live backup without comparing logs; the backup that
 *   missed an acknowledged write becomes primary and the write is gone (ackedSurvivesFailover,
 *   6 states: write 1 reaches one backup, is acknowledged, the primary crashes, the other backup
 *   takes over). ackedOnAllLive is dropped in this variant (majority acks give it up by design);
 *   ackedOnMajority (every acknowledged write is in a majority of logs, crashed replicas' logs
 *   included) still holds: the data was there, the failover lost it. With --param
 *   failover=longest the manager promotes a live backup with the longest log and the variant
 *   passes, but only because this model's manager reads every live backup's log at once; a real
 *   one cannot tell a crashed backup from a slow one and must decide from a majority's answers,
 *   which is what a leader protocol (Raft's vote with its up-to-date log check) provides. After a
 *   failover the model takes no more writes: the loss has already happened (a read served by the
 *   new primary misses the write, and its next write would take the lost write's index).
 * Network: declared with network({...}): unordered, each message delivered at most once, no loss
 *   (the protocol assumes reliable links; a lost Replicate would block the primary exactly like a
 *   crashed backup). Replicas accept Replicate only from the replica the state names primary:
 *   a failover fences the deposed primary off at once (the manager tells everyone atomically).
 * Faults: crash-stop, from crashRestart's Crash action without its Restart: a crashed replica
 *   takes no more steps and receives nothing; what it already sent still arrives. The base spec
 *   has no crashes; backupCrash lets one backup crash; majorityAck lets any minority
 *   (floor(backups/2) replicas) crash. With restart and durable logs the primary would only
 *   block until the backup came back.
 * Ids: replicas are one symmetric scalarset and the primary is whichever replica the state names;
 *   every replica may start as primary (one initial state each, folded into one orbit by
 *   symmetry), so nothing singles out an id and the backups are interchangeable.
 * Defaults (backups=2, writes=2): 13 orbits of 57 states, depth 11 (--no-symmetry: 57 distinct,
 *   81 generated); majorityAck with failover=longest: 125 orbits of 708 states, depth 13.
 * Benchmark: --variant majorityAck --param failover=longest --param backups=4 --param writes=3
 *   (the passing configuration with the most behaviour): 26,155 orbits of 2,679,820 states,
 *   97,876 generated, depth 31 (--no-symmetry: 2,679,820 distinct, 9,609,230 generated). The
 *   base spec stays small at any size (one write at a time): backups=4, writes=3 is 46 orbits.
 * The history adds no states with reads=0 (it follows from the logs and acked), so the counts
 *   above are those without it. reads=1: 52 orbits of 228 states, depth 12 (majorityAck with
 *   failover=longest: 625 orbits of 3,582 states, depth 14).
 */
import { List, Map as IMap, Set as ISet } from 'immutable';
import { action, always, crashRestart, defineSpec, history, leadsTo, linearizable, network, register, registerOps, sometimes, t, type Infer, type SetType, type Actions } from 'synod';

function types(p: { backups: number; writes: number; reads: number }) {
  const Node = t.scalarset('Node', p.backups + 1);
  const Write = t.int(1, p.writes);
  const Msg = t.union('type', {
    Replicate: { from: Node, to: Node, write: Write },
    Ack: { from: Node, to: Node, write: Write },
  });
  const net = network({ field: 'msgs', message: Msg, ordering: 'unordered' });
  // The clients' operations on the register the replicas implement: the writer's writes (called
  // when the primary takes them, returned when acknowledged) and the reader's reads.
  const Op = registerOps(t.int(0, p.writes));
  const H = history({ process: t.enum('writer', 'reader'), op: Op, result: t.option(t.int(0, p.writes)), maxOps: p.writes + p.reads });
  const state = t.record({
    primary: Node,
    up: t.map(Node, t.bool()),
    /** Each replica's log: the writes it has applied, in order (durable: survives its crash). */
    log: t.map(Node, t.seq(Write, p.writes)),
    /** Backups that acknowledged the primary's newest write. */
    acks: t.set(Node),
    /** Writes acknowledged to the client: 1..acked. */
    acked: t.int(0, p.writes),
    /** A backup has been promoted after the primary crashed (majorityAck only). */
    failedOver: t.bool(),
    msgs: net.type as SetType<Infer<typeof Msg>>,
    hist: H.type,
  });
  return { Node, Msg, net, Op, H, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;

export default defineSpec({
  name: 'primary-backup',
  description: 'Synchronous primary/backup replication: consistent, but a crashed backup blocks the primary',
  params: {
    backups: { default: 2, min: 1, max: 6, doc: 'number of backups (replicas = backups + 1)' },
    writes: { default: 2, min: 1, max: 4, doc: 'client writes, sent one after another' },
    failover: { default: 'any', choices: ['any', 'longest'], doc: "majorityAck only: promote any live backup, or one with the longest log" },
    reads: { default: 0, min: 0, max: 2, doc: 'reads a second client makes from the primary (what linearizable judges besides the writes)' },
  },
  types,
  init: (T) => {
    const each = <V>(v: V) => IMap(T.Node.values.map((n) => [n, v] as const));
    // Any replica may start as primary: one initial state each, one orbit under symmetry.
    return T.Node.values.map((primary) =>
      T.state.make({
        primary,
        up: each(true),
        log: each(List<number>()),
        acks: ISet<string>(),
        acked: 0,
        failedOver: false,
        msgs: T.net.empty(),
        hist: T.H.empty,
      }),
    );
  },
  actions: (T, p) => pbActions(T, p, { quorum: 'all', crash: 'none' }),
  properties: (T) => ({
    ackedOnAllLive: always((s) => T.Node.values.every((n) => !s.up.get(n) || hasWrites(s.log.get(n)!, s.acked))),
    sameOrder: always((s) => {
      const logs = T.Node.values.map((n) => s.log.get(n)!);
      return logs.every((a) => logs.every((b) => isPrefix(a, b) || isPrefix(b, a)));
    }),
    someAck: sometimes((s) => s.acked >= 1),
    linearizable: linearizable({ history: (s) => s.hist, model: register(0) }),
    // A write the primary has taken (its log is ahead of acked) is eventually acknowledged.
    everyWriteAcked: leadsTo((s) => s.log.get(s.primary)!.size > s.acked, (s) => s.log.get(s.primary)!.size === s.acked),
  }),
  terminal: (s, _T, p) => s.acked === p.writes,
  variants: {
    backupCrash: {
      description: 'one backup may crash (crash-stop): the primary waits forever for its ack (everyWriteAcked fails)',
      actions: (T, p) => pbActions(T, p, { quorum: 'all', crash: 'backup' }),
      // The blocked primary is the point, and everyWriteAcked states it: once a backup has
      // crashed a stuck state is the lasso's ending, not a deadlock to report first.
      terminal: (s, _T, p) => s.acked === p.writes || s.up.includes(false),
    },
    majorityAck: {
      description: 'the primary acks after a majority; with no leader protocol, failover to a backup loses an acked write',
      actions: (T, p) => pbActions(T, p, { quorum: 'majority', crash: 'minority' }),
      properties: (T) => ({
        ackedOnAllLive: null,
        everyWriteAcked: null, // the primary itself may crash here: a safety variant
        ackedOnMajority: always((s) => T.Node.values.filter((n) => hasWrites(s.log.get(n)!, s.acked)).length > (T.Node.size >> 1)),
        ackedSurvivesFailover: always((s) => hasWrites(s.log.get(s.primary)!, s.acked)),
        failover: sometimes((s) => s.failedOver),
      }),
      terminal: (s, _T, p) => s.acked === p.writes || s.failedOver,
    },
  },
});

/** Does the log hold every write 1..k (in any position)? */
function hasWrites(log: List<number>, k: number): boolean {
  for (let w = 1; w <= k; w++) if (!log.includes(w)) return false;
  return true;
}

function isPrefix(a: List<number>, b: List<number>): boolean {
  return a.size <= b.size && a.every((w, i) => b.get(i) === w);
}

interface Mode { quorum: 'all' | 'majority'; crash: 'none' | 'backup' | 'minority' }

/** The actions; the variants choose how many acks the primary waits for and who may crash. */
function pbActions(T: Types, p: { backups: number; writes: number; failover: 'any' | 'longest'; reads: number }, mode: Mode): Actions<S> {
  const replicas = p.backups + 1;
  // Acks the primary needs from backups: all of them, or enough for a majority with itself.
  const needed = mode.quorum === 'all' ? p.backups : Math.floor(replicas / 2);
  const crash = crashRestart<S>({ node: T.Node, up: 'up', volatile: {}, maxDown: mode.crash === 'minority' ? Math.floor(p.backups / 2) : 1 });
  const { Crash } = crash.actions(); // crash-stop: Restart is left out
  const backupsOf = (s: S) => T.Node.values.filter((n) => n !== s.primary);
  const msg = (fields: Parameters<Types['Msg']['make']>[0]) => T.Msg.make(fields);

  const actions: Actions<S> = {
    // The primary takes the next client write once the previous one is acknowledged.
    ClientWrite: {
      when: (s) => crash.isUp(s, s.primary) && !s.failedOver && s.log.get(s.primary)!.size === s.acked && s.acked < p.writes,
      then: (s) => {
        const write = s.acked + 1;
        const s1 = s.setIn(['log', s.primary], s.log.get(s.primary)!.push(write)).merge({ acks: s.acks.clear(), hist: T.H.call(s.hist, 'writer', T.Op.make({ type: 'Write', value: write })) });
        return T.net.sendAll(s1, backupsOf(s).map((b) => msg({ type: 'Replicate', from: s.primary, to: b, write })));
      },
    },
    ...T.net.actions({
      // A live backup appends the write if it is its next entry (an early one waits), and acks.
      // It listens only to the current primary: after a failover the deposed one is fenced off.
      Replicate: {
        when: (s, m) => m.from === s.primary && crash.isUp(s, m.to) && s.log.get(m.to)!.size + 1 === m.write,
        then: (s, m) =>
          T.net.send(s.setIn(['log', m.to], s.log.get(m.to)!.push(m.write)), msg({ type: 'Ack', from: m.to, to: m.from, write: m.write })),
      },
      // The live primary counts an ack for its pending write; a late ack for a write already
      // acknowledged (majorityAck) is simply consumed.
      Ack: {
        when: (s, m) => m.to === s.primary && crash.isUp(s, m.to),
        then: (s, m) => {
          const pending = s.log.get(s.primary)!.size;
          if (m.write !== pending || s.acked === pending) return s;
          const acks = s.acks.add(m.from);
          return acks.size >= needed ? s.merge({ acks: acks.clear(), acked: pending, hist: T.H.ret(s.hist, 'writer', null) }) : s.set('acks', acks);
        },
      },
    }),
  };
  // Weak fairness for the protocol's own steps (a write taken is sent, delivered and acked);
  // crashes and failover are faults, never forced.
  if (p.reads > 0) {
    // The reader reads the newest write in the live primary's log, in one step (call and return).
    actions.Read = {
      when: (s) => crash.isUp(s, s.primary) && s.hist.count((e) => e.event === 'Call' && e.process === 'reader') < p.reads,
      then: (s) => s.set('hist', T.H.ret(T.H.call(s.hist, 'reader', T.Op.make({ type: 'Read' })), 'reader', s.log.get(s.primary)!.last(0))),
    };
  }
  for (const k of Object.keys(actions)) if (k !== 'ClientWrite' && k !== 'Read') actions[k] = { ...actions[k], fair: 'weak' };
  if (mode.crash === 'backup') {
    actions.Crash = action({ over: [T.Node], when: (s, n) => n !== s.primary && Crash!.when!(s, n), then: Crash!.then });
  }
  if (mode.crash === 'minority') {
    actions.Crash = Crash!;
    // No leader protocol: once the primary is down, a failover manager promotes a live backup.
    actions.Failover = action({
      over: [T.Node],
      when: (s, n) => {
        if (s.failedOver || crash.isUp(s, s.primary) || n === s.primary || !crash.isUp(s, n)) return false;
        if (p.failover === 'any') return true;
        const live = backupsOf(s).filter((b) => crash.isUp(s, b));
        return live.every((b) => s.log.get(b)!.size <= s.log.get(n)!.size);
      },
      then: (s, n) => s.merge({ primary: n, failedOver: true, acks: s.acks.clear() }),
    });
  }
  return actions;
}
