// Declared networks and faults, so message-passing specs state their assumptions in one line
// instead of hand-writing plumbing: a message soup (unordered or FIFO per channel; delivery
// that consumes or keeps the message; optional loss) with generated receive and drop actions,
// and crash-restart that resets a node's volatile fields and keeps its durable ones.
import { List, Map as IMap, Set as ISet } from 'immutable';
import type { ActionDef } from './define.js';
import type { RecordOf } from 'immutable';
import { t, valuesOf, type Infer, type RecordType, type Type, type UnionType } from './types.js';

export interface NetworkOptions {
  /** The state field that holds the messages in flight. */
  field: string;
  /** The message type: a t.union of records (or one t.record). */
  message: UnionType | RecordType;
  /** 'unordered' (a set: any message may arrive next) or 'fifo' (a queue per channel). */
  ordering?: 'unordered' | 'fifo';
  /** Delivery keeps the message in flight, so it may arrive again (TLA+'s growing msgs set). */
  duplicate?: boolean;
  /** Messages may be lost: a Drop action removes any message in flight. */
  loss?: boolean;
  /** FIFO only: the channels' ends, named by two fields of every message (default from, to). */
  channel?: { from: string; to: string; node: Type };
  /** FIFO only: at most this many messages queued per channel (default 2). */
  capacity?: number;
}

type Effect<S> = S | readonly S[] | null | undefined;
/** A receive handler: the state with the message already taken off the network, and the message. */
export type Handler<S, M = any> =
  | ((s: S, m: M) => Effect<S>)
  | { when?: (s: S, m: M) => boolean; then: (s: S, m: M) => Effect<S> };

/** The message kinds of a message type: a union's tags, or 'Message' for a single record. */
type KindOf<MT> = MT extends UnionType<infer M, infer Tag> ? (M extends { readonly [P in Tag]: infer K extends string } ? K : never) : 'Message';
/** The messages of kind K. */
type OfKind<MT, K> = MT extends UnionType<infer M, infer Tag> ? Extract<M, { readonly [P in Tag]: K }> : Infer<MT>;
/** Receive handlers by message kind, each given the messages of its kind. */
export type Handlers<S, MT> = { [K in KindOf<MT>]?: Handler<S, OfKind<MT, K>> };
/** A FIFO network's channel: the ends of a message, named by the `channel` option. */
export type Channel<N> = RecordOf<{ from: N; to: N }>;
/** The value of the network's state field: a set of messages, or a FIFO queue per channel. */
export type NetworkValue<M, O, N> = O extends 'fifo' ? IMap<Channel<N>, List<M>> : ISet<M>;

/**
 * A declared network for the message type MT (values M), with ordering O ('unordered' or
 * 'fifo') and, for FIFO, channel ends of type N. Its state field holds a NetworkValue.
 */
export interface Network<MT extends UnionType | RecordType = any, O = 'unordered' | 'fifo', N = string, M = Infer<MT>> {
  readonly options: Readonly<NetworkOptions>;
  /** The type of the state field. */
  readonly type: Type<NetworkValue<M, O, N>>;
  /** The empty network (for init). */
  empty(): NetworkValue<M, O, N>;
  /** The state with m sent. FIFO: throws if the channel is full (guard with canSend). */
  send<S>(s: S, m: M): S;
  sendAll<S>(s: S, ms: Iterable<M>): S;
  canSend(s: unknown, m: M): boolean;
  /** Messages that can arrive next, in canonical order (FIFO: the head of each channel). */
  inFlight(s: unknown): M[];
  /** The state after m arrives: m leaves the network unless it duplicates. */
  deliver<S>(s: S, m: M): S;
  /**
   * Receive actions, one per message kind with a handler (`Receive<Kind>`), plus Drop if lossy.
   * Each handler gets the messages of its kind, typed.
   */
  actions<S>(handlers: Handlers<S, MT>): Record<string, ActionDef<S>>;
  /** Handlers whose message parameter is annotated with a type of the spec's own (kept so such specs compile). */
  actions<S>(handlers: { [K in KindOf<MT>]?: Handler<S, any> }): Record<string, ActionDef<S>>;
}

const kindOf = (message: UnionType | RecordType, m: any): string =>
  message.kind === 'union' ? m.get(message.tag) : 'Message';

export function network<const MT extends UnionType | RecordType, const O extends 'unordered' | 'fifo' = 'unordered', N = string>(
  options: NetworkOptions & { message: MT; ordering?: O; channel?: { from: string; to: string; node: Type<N> } },
): Network<MT, O, N> {
  const o = { ordering: 'unordered' as const, duplicate: false, loss: false, capacity: 2, ...options };
  const { field, message } = o;
  const fifo = o.ordering === 'fifo';
  if (fifo && !o.channel) throw new TypeError(`network '${field}': a fifo network needs channel: { from, to, node }`);
  if (fifo && o.duplicate) throw new TypeError(`network '${field}': a fifo channel cannot also duplicate (use ordering 'unordered')`);
  const channelType = fifo ? t.record({ from: o.channel!.node, to: o.channel!.node }) : null;
  const type: Type = fifo ? t.map(channelType!, t.seq(message, o.capacity)) : t.set(message);
  const channelOf = (m: any): unknown => channelType!.make({ from: m.get(o.channel!.from), to: m.get(o.channel!.to) });
  const get = (s: any): any => s.get(field);

  const net: Network<any, any, any, any> = {
    options: o,
    type,
    empty: () => (fifo ? IMap(valuesOf(channelType!).map((c) => [c, List()])) : ISet()),
    canSend: (s, m) => !fifo || get(s).get(channelOf(m)).size < o.capacity,
    send(s: any, m: any) {
      if (!fifo) return s.set(field, get(s).add(m));
      const c = channelOf(m);
      const q = get(s).get(c);
      if (q.size >= o.capacity) {
        throw new Error(`network '${field}': channel ${String(m.get(o.channel!.from))} -> ${String(m.get(o.channel!.to))} is full (capacity ${o.capacity}); guard the send with canSend or raise the capacity`);
      }
      return s.set(field, get(s).set(c, q.push(m)));
    },
    sendAll(s, ms) {
      let out = s;
      for (const m of ms) out = net.send(out, m);
      return out;
    },
    inFlight(s) {
      if (!fifo) return [...get(s)];
      const heads: unknown[] = [];
      for (const q of get(s).values()) if (q.size > 0) heads.push(q.first());
      return heads;
    },
    deliver(s: any, m) {
      if (o.duplicate) return s;
      if (!fifo) return s.set(field, get(s).delete(m));
      const c = channelOf(m);
      return s.set(field, get(s).set(c, get(s).get(c).shift()));
    },
    actions<S>(handlers: Record<string, Handler<S>>) {
      const out: Record<string, ActionDef<S>> = {};
      const kinds = message.kind === 'union' ? message.variants.map(([k]) => k) : ['Message'];
      for (const [kind, h] of Object.entries(handlers)) {
        if (!kinds.includes(kind)) throw new TypeError(`network '${field}': no message kind '${kind}' (kinds: ${kinds.join(', ')})`);
        const { when, then } = typeof h === 'function' ? { when: undefined, then: h } : h;
        out[`Receive${kind}`] = {
          over: [(s: S) => net.inFlight(s).filter((m) => kindOf(message, m) === kind)],
          when: when && ((s: S, m: unknown) => when(s, m)),
          then: (s: S, m: unknown) => then(net.deliver(s, m), m),
        };
      }
      if (o.loss) {
        out.Drop = {
          over: [(s: S) => net.inFlight(s)],
          then: (s: any, m: unknown) => (o.duplicate && !fifo ? s.set(field, get(s).delete(m)) : net.deliver(s, m)),
        };
      }
      return out;
    },
  };
  return net;
}

export interface CrashOptions<S> {
  /** The node ids that may crash. */
  node: Type;
  /** The state field `t.map(Node, t.bool())` saying which nodes are up. */
  up: string;
  /** Volatile fields (maps keyed by node) and the value each node's entry is reset to on restart. */
  volatile: Record<string, unknown | ((s: S, n: string) => unknown)>;
  /** At most this many nodes down at once (default: any number). */
  maxDown?: number;
}

export interface Crashes<S> {
  isUp(s: S, n: unknown): boolean;
  /** Crash(n) and Restart(n); every field not named volatile survives a restart (durable). */
  actions(): Record<string, ActionDef<S>>;
}

export function crashRestart<S>(options: CrashOptions<S>): Crashes<S> {
  const { node, up, volatile } = options;
  const maxDown = options.maxDown ?? Infinity;
  const isUp = (s: any, n: unknown): boolean => s.get(up).get(n) === true;
  return {
    isUp,
    actions: () => ({
      Crash: {
        over: [node],
        when: (s: any, n: unknown) => isUp(s, n) && s.get(up).count((u: boolean) => !u) < maxDown,
        then: (s: any, n: unknown) => s.setIn([up, n], false),
      },
      Restart: {
        over: [node],
        when: (s: any, n: unknown) => !isUp(s, n),
        then: (s: any, n: unknown) => {
          let out = s.setIn([up, n], true);
          for (const [f, v] of Object.entries(volatile)) out = out.setIn([f, n], typeof v === 'function' ? (v as (s: S, n: string) => unknown)(s, n as string) : v);
          return out;
        },
      },
    }),
  };
}
