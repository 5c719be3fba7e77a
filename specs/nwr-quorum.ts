/**
 * NWR quorums (Dynamo-style replication; the seeds' "NWR协议" and "Quorum 机制").
 *
 * N replicas hold a versioned value (version 0 everywhere at first). A client writes versions
 * 1..writes in turn: it sends write v to every replica, and the write completes once W replicas
 * have stored it; the other replicas may store it later, or never. A reader asks the replicas,
 * takes the first R replies (any R of them, including replicas that missed the newest write)
 * and returns the highest version among them. When W + R > N every read quorum meets every
 * write quorum in at least one replica, so a read sees every write that completed before it
 * began; when W + R <= N a read quorum can miss a write quorum entirely (a stale read).
 *
 * Properties
 * - noStaleRead: a read that returned is at least as new as every write that had completed
 *   when the read started (readAfter). Holds iff W + R > N.
 * - readsLatest (sometimes): a read returns the newest write the client has started.
 * - linearizable (with --param history=true, which records the writer's and the reader's calls
 *   and returns in the state): the history is linearizable for a register holding 0. The
 *   protocol claims it only for a single read with W + R > N: there it holds (688 orbits of
 *   2,926 states, depth 13). It fails with W + R <= N (staleQuorum, 6 states), with
 *   lastReplyWins (8 states), and with two reads even when W + R > N (readGoesBack: the
 *   new-old inversion, 9 states; ABD's write-back, specs/abd-register.ts, is the fix). Off by
 *   default so the counts below and the grid stay those of the protocol alone.
 *
 * Params: n (3) replicas; w (2) replicas that must store a write before it completes; r (2)
 *   replies a read waits for; writes (2) versions written in turn; reads (1) reads done in
 *   turn; history (false): record the history and check linearizable. 1 <= w, r <= n is
 *   checked when the spec compiles (a bad pair is error SYN102).
 * Variants:
 * - staleQuorum: w=1, r=1 with n=3 (W + R <= N). The write completes on one replica and the
 *   read asks another: noStaleRead fails, shortest trace 6 states (W + R + 4 in general; see
 *   results/nwr-grid.md for every W and R with N = 3 and N = 5).
 * - lastReplyWins: the read returns the value of its last reply instead of the highest version
 *   it saw. W + R > N still makes the quorums meet, but the replica in the intersection may not
 *   be the one that answers last: noStaleRead fails (8 states with n=3, w=2, r=2). Versions are
 *   what make the intersection useful.
 * - readGoesBack: two reads in sequence and the extra claim monotonicReads (a read never
 *   returns an older version than the read before it). Plain quorums do not give it, even with
 *   W + R > N: the first read meets a replica that already stored a write still in progress,
 *   the second read does not (9 states). Quorum reads are not linearizable without read repair
 *   or a write-back phase (as in ABD).
 * Abstraction (no declared network, no messages): the quorum choices are the model. Store(r, v)
 *   is replica r applying write v, at any moment after it was sent (late, out of order, or
 *   never: the replica keeps the highest version, so an older write arriving late is ignored);
 *   Reply(r) is replica r answering the read with the version it holds at that moment. This is
 *   what an unordered, lossy network allows for these messages; modelling the messages
 *   themselves would only add interleavings that no reply or store can tell apart.
 * Faults: none beyond that (replicas do not crash; a silent replica is one that never stores
 *   or replies). One writer, one reader: writes and reads are sequential, each may overlap the
 *   other's operations.
 * Replicas are a scalarset: nothing singles one out, so symmetry reduction applies.
 * Defaults (n=3, w=2, r=2, writes=2, reads=1): 256 orbits of 1,030 states (--no-symmetry: 1,030
 *   distinct, 3,321 generated, depth 13).
 * Benchmark: n=5, w=3, r=3, writes=3, reads=2: 15,419 orbits of 630,267 states, depth 26
 *   (--no-symmetry: 630,267 distinct, 4,516,788 generated). And the W x R grid for N = 3 and
 *   N = 5 (test/bench/nwr-grid.bench.ts, which writes results/nwr-grid.md).
 */
import { Map as IMap, Set as ISet } from 'immutable';
import { action, always, codes, defineSpec, history, linearizable, register, registerOps, sometimes, SpecError, t, type Infer } from 'synod';

const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

function types(p: { n: number; w: number; r: number; writes: number; reads: number; history: boolean }) {
  if (p.w > p.n) throw new SpecError(codes.badParam, `param 'w' of spec 'nwr-quorum': w=${p.w} must be at most n=${p.n}`);
  if (p.r > p.n) throw new SpecError(codes.badParam, `param 'r' of spec 'nwr-quorum': r=${p.r} must be at most n=${p.n}`);
  const Replica = t.scalarset('Replica', p.n);
  const Version = t.int(0, p.writes);
  const Op = registerOps(Version);
  // Without --param history=true the field can only be empty: the state space is unchanged.
  const H = history({ process: t.enum('writer', 'reader'), op: Op, result: t.option(Version), maxOps: p.history ? p.writes + p.reads : 0 });
  const state = t.record({
    /** The newest version each replica has stored. */
    stored: t.map(Replica, Version),
    /** The newest write the client has sent, and the newest it knows completed. */
    written: Version,
    completed: Version,
    read: t.enum('idle', 'reading', 'returned'),
    /** Reads started so far. */
    readsStarted: t.int(0, p.reads),
    /** The newest write that had completed when the current read started. */
    readAfter: Version,
    repliedBy: t.set(Replica),
    /** The version the read has settled on so far; its result once returned. */
    readValue: Version,
    /** The result of the read before this one (0 for the first read). */
    previous: Version,
    /** The client operations as calls and returns (empty unless history=true). */
    hist: H.type,
  });
  return { Replica, Op, H, state };
}
type Types = ReturnType<typeof types>;
type Hist = Infer<Types['state']>['hist'];
type Op = Infer<Types['Op']>;

export default defineSpec({
  name: 'nwr-quorum',
  description: 'NWR quorums: a read of R replicas sees a write stored on W replicas iff W + R > N',
  params: {
    n: { default: 3, min: 1, max: 7, doc: 'number of replicas (N)' },
    w: { default: 2, min: 1, max: 7, doc: 'replicas that must store a write before it completes (W, at most n)' },
    r: { default: 2, min: 1, max: 7, doc: 'replies a read waits for (R, at most n)' },
    writes: { default: 2, min: 1, max: 4, doc: 'versions the client writes, one after another' },
    reads: { default: 1, min: 1, max: 3, doc: 'reads the reader does, one after another' },
    history: { default: false, doc: 'record the calls and returns of reads and writes and check linearizable' },
  },
  types,
  init: (T) =>
    T.state.make({
      stored: IMap(T.Replica.values.map((x) => [x, 0] as const)),
      written: 0,
      completed: 0,
      read: 'idle',
      readsStarted: 0,
      readAfter: 0,
      repliedBy: ISet(),
      readValue: 0,
      previous: 0,
      hist: T.H.empty,
    }),
  actions: (T, p) => ({
    StartWrite: {
      when: (s) => s.written === s.completed && s.written < p.writes,
      then: (s) => s.merge({ written: s.written + 1, hist: record(T, p, s.hist, 'writer', T.Op.make({ type: 'Write', value: s.written + 1 })) }),
    },
    // Replica x applies write v (possibly late, after a newer write was sent).
    Store: action({
      over: [T.Replica, range(1, p.writes)],
      when: (s, x, v) => s.stored.get(x)! < v && v <= s.written,
      then: (s, x, v) => s.setIn(['stored', x], v),
    }),
    CompleteWrite: {
      when: (s) => s.completed < s.written && s.stored.count((v) => v >= s.written) >= p.w,
      then: (s) => s.merge({ completed: s.written, hist: record(T, p, s.hist, 'writer', null) }),
    },
    StartRead: {
      when: (s) => s.read !== 'reading' && s.readsStarted < p.reads,
      then: (s) =>
        s.merge({
          read: 'reading',
          readsStarted: s.readsStarted + 1,
          readAfter: s.completed,
          repliedBy: ISet(),
          readValue: 0,
          previous: s.read === 'returned' ? s.readValue : 0,
          hist: record(T, p, s.hist, 'reader', T.Op.make({ type: 'Read' })),
        }),
    },
    // Replica x answers with the version it holds now; the R-th reply ends the read.
    Reply: action({
      over: [T.Replica],
      when: (s, x) => s.read === 'reading' && !s.repliedBy.has(x),
      then: (s, x) => {
        const repliedBy = s.repliedBy.add(x);
        const readValue = Math.max(s.readValue, s.stored.get(x)!);
        const done = repliedBy.size === p.r;
        return s.merge({ repliedBy, readValue, read: done ? 'returned' : 'reading', hist: done ? record(T, p, s.hist, 'reader', readValue) : s.hist });
      },
    }),
  }),
  properties: (_T, p) => ({
    noStaleRead: always((s) => s.read !== 'returned' || s.readValue >= s.readAfter),
    readsLatest: sometimes((s) => s.read === 'returned' && s.readValue > 0 && s.readValue === s.written),
    ...(p.history ? { linearizable: linearizable({ history: (s) => s.hist, model: register(0) }) } : {}),
  }),
  // Quiet at the end: every write completed and stored everywhere, every read returned.
  terminal: (s, _T, p) =>
    s.completed === p.writes && s.stored.every((v) => v === p.writes) && s.read === 'returned' && s.readsStarted === p.reads,
  variants: {
    staleQuorum: {
      description: 'W + R <= N (w=1, r=1 with n=3): a read quorum can miss the write quorum; a stale read',
      params: { w: 1, r: 1 },
    },
    lastReplyWins: {
      description: 'the read returns the value of its last reply, not the highest version it saw',
      actions: (T, p) => ({
        Reply: action({
          over: [T.Replica],
          when: (s, x) => s.read === 'reading' && !s.repliedBy.has(x),
          then: (s, x) => {
            const repliedBy = s.repliedBy.add(x);
            const done = repliedBy.size === p.r;
            return s.merge({ repliedBy, readValue: s.stored.get(x)!, read: done ? 'returned' : 'reading', hist: done ? record(T, p, s.hist, 'reader', s.stored.get(x)!) : s.hist });
          },
        }),
      }),
    },
    readGoesBack: {
      description: 'two reads in turn, claiming monotonic reads: a read overlapping a write can see it, the next read miss it',
      params: { reads: 2 },
      properties: (_T) => ({
        monotonicReads: always((s) => s.read !== 'returned' || s.readValue >= s.previous),
      }),
    },
  },
});

/**
 * The history with one event more when history=true: a call (op given) or the process's
 * return (op is the result: null for a write, the version for a read); unchanged otherwise.
 */
function record(T: Types, p: { history: boolean }, h: Hist, process: 'writer' | 'reader', x: Op | number | null): Hist {
  if (!p.history) return h;
  return T.H.pending(h, process) === undefined ? T.H.call(h, process, x as Op) : T.H.ret(h, process, x as number | null);
}
