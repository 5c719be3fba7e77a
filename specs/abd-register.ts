/**
 * The ABD atomic register (Attiya, Bar-Noy and Dolev, 1995): a read/write register replicated
 * on N servers that stays linearizable while any minority of servers is slow or silent.
 *
 * Each server keeps the newest (timestamp, value) it has seen; here the single writer writes
 * values 1, 2, ... in turn, so a value is its own timestamp. A write sends the value to every
 * server and completes once a majority has stored it. A read has two phases: it queries the
 * servers and waits for a majority of replies, takes the newest value among them, then WRITES
 * IT BACK to a majority before it returns. The write-back is what makes the register atomic: a
 * read that returns v has made sure a majority holds v, so any read that starts later meets v
 * in its own majority and cannot return anything older.
 *
 * Properties
 * - linearizable: the history of client operations (the writer's writes, the readers' reads,
 *   recorded as calls and returns in the state) is linearizable for a register holding 0 at
 *   first: one order of the operations, keeping every operation that returned before another
 *   was called ahead of it, explains every value read. Checked by synod's linearizable().
 * - readSeesPendingWrite (sometimes): a read returns a value whose write has not completed yet
 *   (reads and writes really overlap).
 *
 * Params: servers (3, N; quorums are majorities), writes (1: values the writer writes in turn),
 *   readers (2: each does `reads` reads in turn), reads (1).
 * Variant:
 * - noWriteBack: a read returns the newest value of its query majority at once, without the
 *   write-back. Every read majority still meets every write majority (W + R > N), yet it is not
 *   linearizable: the new-old inversion. The writer's write(1) has reached one server; reader r1
 *   queries that server and another and returns 1; then reader r2 queries the other two servers
 *   and returns 0, after r1's read returned 1 and while the write is still in progress. Shortest
 *   trace 9 states. Quorum intersection bounds what a read can miss of COMPLETED writes; only
 *   the write-back orders reads among themselves.
 * Abstraction (no declared network): Store(s, v) is server s receiving the write of v at any
 *   moment after it was sent (late, out of order, or never before the write completes; a server
 *   keeps the newest value); Reply(r, s) is server s answering reader r's query with what it
 *   holds then; WriteBack(r, s) is s storing r's write-back (the newest kept) and acking it. A
 *   write-back arriving after its read returned is not modelled: its value is already on a
 *   majority. Faults: a crashed or slow server is one that never stores or replies, which every
 *   run already allows while a majority does. Servers and readers are symmetric scalarsets.
 * Terminal: every operation returned and every server holds the last value.
 * Defaults (servers=3, writes=1, readers=2, reads=1): linearizable holds; 3,246 orbits of 23,735
 *   states, depth 16 (--no-symmetry: 23,735 distinct, 110,243 generated). noWriteBack: the
 *   violation after 511 orbits (3,368 states without symmetry), depth 9.
 */
import { Map as IMap, Set as ISet } from 'immutable';
import { action, defineSpec, history, linearizable, register, registerOps, sometimes, t, type Actions, type Infer } from 'synod';

interface Sizes { servers: number; writes: number; readers: number; reads: number }

function types(p: Sizes) {
  const Server = t.scalarset('Server', p.servers);
  const Reader = t.scalarset('Reader', p.readers);
  const Value = t.int(0, p.writes);
  const Process = t.union('role', { Writer: {}, Reader: { id: Reader } });
  const Op = registerOps(Value);
  const H = history({ process: Process, op: Op, result: t.option(Value), maxOps: p.writes + p.readers * p.reads });
  const ReaderState = t.record({
    phase: t.enum('idle', 'query', 'writeBack'),
    done: t.int(0, p.reads),
    /** Servers that answered the query; then servers that acked the write-back. */
    heard: t.set(Server),
    /** The newest value among the replies so far. */
    value: Value,
  });
  const state = t.record({
    /** The newest value each server holds. */
    stored: t.map(Server, Value),
    /** The last value the writer started writing; whether that write is still in progress. */
    written: Value,
    writing: t.bool(),
    reader: t.map(Reader, ReaderState),
    hist: H.type,
  });
  return { Server, Reader, Value, Process, Op, H, ReaderState, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;

export default defineSpec({
  name: 'abd-register',
  description: 'ABD atomic register: majority quorums plus a read write-back make a replicated register linearizable',
  params: {
    servers: { default: 3, min: 1, max: 5, doc: 'number of servers (N); quorums are majorities' },
    writes: { default: 1, min: 1, max: 3, doc: 'values the single writer writes, one after another' },
    readers: { default: 2, min: 1, max: 3, doc: 'readers, each reading concurrently with the writer' },
    reads: { default: 1, min: 1, max: 2, doc: 'reads each reader does, one after another' },
  },
  types,
  init: (T) =>
    T.state.make({
      stored: IMap(T.Server.values.map((x) => [x, 0] as const)),
      written: 0,
      writing: false,
      reader: IMap(T.Reader.values.map((r) => [r, T.ReaderState.make({ phase: 'idle', done: 0, heard: ISet(), value: 0 })] as const)),
      hist: T.H.empty,
    }),
  actions: (T, p) => abdActions(T, p, true),
  properties: (T) => ({
    linearizable: linearizable({ history: (s) => s.hist, model: register(0) }),
    readSeesPendingWrite: sometimes((s) => s.writing && s.hist.some((e) => e.event === 'Ret' && e.result === s.written && e.process.role === 'Reader')),
  }),
  terminal: (s, T, p) =>
    !s.writing && s.written === p.writes && s.stored.every((v) => v === p.writes)
    && s.reader.every((r) => r.phase === 'idle' && r.done === p.reads),
  variants: {
    noWriteBack: {
      description: 'reads return the newest value of their query majority without writing it back: a new-old inversion',
      actions: (T, p) => abdActions(T, p, false),
    },
  },
});

/** The writer's and readers' steps; `writeBack` is ABD's second read phase. */
function abdActions(T: Types, p: Sizes, writeBack: boolean): Actions<S> {
  const majority = (n: number) => n > p.servers / 2;
  const Writer = T.Process.make({ role: 'Writer' });
  const proc = (r: string) => T.Process.make({ role: 'Reader', id: r });
  const values = Array.from({ length: p.writes }, (_, i) => i + 1);
  const finishRead = (s: S, r: string, value: number) => {
    const x = s.reader.get(r)!;
    return s.setIn(['reader', r], x.merge({ phase: 'idle', done: x.done + 1, heard: ISet(), value: 0 }))
      .set('hist', T.H.ret(s.hist, proc(r), value));
  };
  return {
    StartWrite: {
      when: (s) => !s.writing && s.written < p.writes,
      then: (s) => s.merge({ written: s.written + 1, writing: true, hist: T.H.call(s.hist, Writer, T.Op.make({ type: 'Write', value: s.written + 1 })) }),
    },
    // Server x receives the write of v (at any time after it was sent) and keeps the newest.
    Store: action({
      over: [T.Server, values],
      when: (s, x, v) => v <= s.written && s.stored.get(x)! < v,
      then: (s, x, v) => s.setIn(['stored', x], v),
    }),
    CompleteWrite: {
      when: (s) => s.writing && majority(s.stored.count((v) => v >= s.written)),
      then: (s) => s.merge({ writing: false, hist: T.H.ret(s.hist, Writer, null) }),
    },
    StartRead: action({
      over: [T.Reader],
      when: (s, r) => s.reader.get(r)!.phase === 'idle' && s.reader.get(r)!.done < p.reads,
      then: (s, r) => s.setIn(['reader', r, 'phase'], 'query').set('hist', T.H.call(s.hist, proc(r), T.Op.make({ type: 'Read' }))),
    }),
    // Server x answers reader r's query with the value it holds now.
    Reply: action({
      over: [T.Reader, T.Server],
      when: (s, r, x) => s.reader.get(r)!.phase === 'query' && !s.reader.get(r)!.heard.has(x),
      then: (s, r, x) => {
        const me = s.reader.get(r)!;
        const heard = me.heard.add(x);
        const value = Math.max(me.value, s.stored.get(x)!);
        if (!majority(heard.size)) return s.setIn(['reader', r], me.merge({ heard, value }));
        if (!writeBack) return finishRead(s, r, value);
        return s.setIn(['reader', r], me.merge({ phase: 'writeBack', heard: ISet(), value }));
      },
    }),
    // Server x stores reader r's write-back (keeping the newest) and acks; a majority of acks ends the read.
    WriteBack: action({
      over: [T.Reader, T.Server],
      when: (s, r, x) => s.reader.get(r)!.phase === 'writeBack' && !s.reader.get(r)!.heard.has(x),
      then: (s, r, x) => {
        const me = s.reader.get(r)!;
        const heard = me.heard.add(x);
        const s1 = s.setIn(['stored', x], Math.max(s.stored.get(x)!, me.value));
        if (!majority(heard.size)) return s1.setIn(['reader', r, 'heard'], heard);
        return finishRead(s1, r, me.value);
      },
    }),
  };
}
