// The message-sequence view of a trace, for specs that declare a network() or keep per-node
// inboxes (a map from node to a queue or set of messages): the ids that key the state's per-node
// maps are the lifelines, and each message is an arrow from the node that sent it (the step's
// actor) to the node that received it. Who acts in a step is read from the step itself: a node
// id among the action's arguments, else the `to` of a message it receives, else the node whose
// entries in the per-node maps changed.
import { is, List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import type { CompiledSpec } from '../spec/compile.js';
import type { Network } from '../spec/network.js';
import type { Type } from '../spec/types.js';
import type { Trace } from '../report/model.js';
import { formatValue } from '../report/format.js';
import { call } from '../check/successors.js';
import { essentialParts } from './why.js';
import type { MessageHistory } from './render.js';

export interface Arrow {
  label: string;
  /** The message as the state panel lists it. */
  item: string;
  /**
   * send: from the step that sent it to the one that first received it; again: a later delivery
   * of the same message (duplicates allowed); read: a message a step's guard needed without
   * receiving it (a quorum of votes counted where they lie).
   */
  kind: 'send' | 'again' | 'read';
  /** Null when the sender cannot be named (a message in flight from the start). */
  from: string | null;
  /** Null while the receiver is unknown (never received, and the message does not say). */
  to: string | null;
  /** The trace step that sent it, and the one that first received it (null: still in flight). */
  sent: number;
  received: number | null;
}

export interface Sequence {
  /** The state field holding the messages in flight. */
  field: string;
  /** network: a declared network(); inbox: a per-node map of queues (or sets) of messages. */
  via: 'network' | 'inbox';
  lifelines: Array<{ id: string; type: string }>;
  /** Per trace step: the node that acted, if it can be named. */
  actors: Array<string | null>;
  arrows: Arrow[];
}

/** The network() a spec declared among its types, if any. */
export function findNetwork(spec: CompiledSpec): Network | null {
  for (const v of Object.values(spec.types)) {
    const o = (v as Partial<Network> | null)?.options;
    if (o && typeof o.field === 'string' && typeof (v as Network).inFlight === 'function' && spec.stateType.fields.some(([f]) => f === o.field)) return v as Network;
  }
  return null;
}

/** Every message in a network field's value: a set, or FIFO queues per channel. */
function messagesIn(v: unknown): unknown[] {
  if (ISet.isSet(v) || List.isList(v)) return [...(v as Iterable<unknown>)];
  if (IMap.isMap(v)) return [...(v as IMap<unknown, unknown>).values()].flatMap(messagesIn);
  return [];
}

const field = (m: unknown, k: string): unknown => (IRecord.isRecord(m) && (m as any).has(k) ? (m as any).get(k) : undefined);

/**
 * Without a network(): the first field that maps every node of a scalarset to a queue or set of
 * records (messages), an inbox per node; the key is the message's receiver.
 */
export function findInboxes(spec: CompiledSpec): string | null {
  const isMessage = (t: Type): boolean => t.kind === 'record' || t.kind === 'union';
  const found = spec.stateType.fields.find(([, t]) => t.kind === 'map' && t.total && t.key.kind === 'scalarset'
    && (t.value.kind === 'seq' || t.value.kind === 'set') && isMessage(t.value.elem));
  return found ? found[0] : null;
}

export function messageSequence(spec: CompiledSpec, trace: Trace): Sequence | null {
  const net = findNetwork(spec);
  const inbox = net ? null : findInboxes(spec);
  if (!net && !inbox) return null;
  const netField = net ? net.options.field : inbox!;
  // Lifelines: the ids of every scalarset that keys a per-node map of the state.
  const keyed = spec.stateType.fields.filter(([, t]) => t.kind === 'map' && t.total && t.key.kind === 'scalarset') as Array<[string, Extract<Type, { kind: 'map' }>]>;
  const lifelines: Sequence['lifelines'] = [];
  for (const [, t] of keyed) {
    const k = t.key as Extract<Type, { kind: 'scalarset' }>;
    if (!lifelines.some((l) => l.type === k.name)) lifelines.push(...k.values.map((id) => ({ id, type: k.name })));
  }
  const isNode = (x: unknown): x is string => typeof x === 'string' && lifelines.some((l) => l.id === x);

  const actorOf = (i: number): string | null => {
    const { args, state } = trace.steps[i]!;
    const node = args.find(isNode);
    if (node !== undefined) return node;
    const to = args.map((a) => field(a, 'to')).find(isNode);
    if (to !== undefined) return to;
    const prev = trace.steps[i - 1]!.state as any;
    for (const [f] of keyed) {
      for (const [k, v] of (state as any).get(f) as IMap<string, unknown>) if (!is(v, prev.get(f).get(k))) return k;
    }
    return null;
  };
  const recipientOf = (m: unknown, sender: string | null): string | null => {
    const to = field(m, 'to');
    if (isNode(to)) return to;
    if (!IRecord.isRecord(m)) return null;
    const other = Object.entries((m as any).toObject() as object).find(([k, v]) => k !== 'from' && isNode(v) && v !== sender);
    return other ? (other[1] as string) : null;
  };

  const actors: Sequence['actors'] = [null];
  const arrows: Array<Arrow & { msg: unknown }> = [];
  if (inbox) {
    inboxArrows(trace, inbox, actorOf, actors, arrows);
    return { field: netField, via: 'inbox', lifelines, actors, arrows: arrows.map(({ msg: _msg, ...a }) => a) };
  }
  for (let i = 1; i < trace.steps.length; i++) {
    const actor = actorOf(i);
    actors.push(actor);
    const before = messagesIn((trace.steps[i - 1]!.state as any).get(netField));
    const after = messagesIn((trace.steps[i]!.state as any).get(netField));
    // A message among the arguments that was in flight is being received (again, if it was before).
    for (const a of trace.steps[i]!.args) {
      if (!before.some((m) => is(m, a))) continue;
      const arrow = arrows.find((x) => x.kind === 'send' && is(x.msg, a));
      if (arrow && arrow.received === null) {
        arrow.received = i;
        arrow.to ??= actor;
      } else if (arrow) {
        arrows.push({ ...arrow, kind: 'again', to: actor ?? arrow.to, received: i });
      }
    }
    for (const m of quorumRead(spec, netField, trace, i)) {
      const arrow = arrows.find((x) => x.kind === 'send' && is(x.msg, m));
      if (arrow) arrows.push({ ...arrow, kind: 'read', to: actor ?? arrow.to, received: i });
    }
    // Messages now in flight that were not before (counted, for FIFO queues) were sent.
    let counts = IMap<unknown, number>();
    for (const m of before) counts = counts.update(m, 0, (n) => n + 1);
    for (const m of after) {
      const n = counts.get(m, 0);
      if (n > 0) counts = counts.set(m, n - 1);
      else arrows.push({ msg: m, label: labelOf(m), item: formatValue(m), kind: 'send', from: actor, to: recipientOf(m, actor), sent: i, received: null });
    }
  }
  return { field: netField, via: 'network', lifelines, actors, arrows: arrows.map(({ msg: _msg, ...a }) => a) };
}

/**
 * Arrows through per-node inboxes: a message that appears in node k's inbox was sent to k by the
 * step's actor (or its `from`), and one that leaves it was received by k at that step (the
 * earliest copy first). Inboxes are counted as multisets, so a queue holding a message twice
 * gives two arrows.
 */
function inboxArrows(trace: Trace, inbox: string, actorOf: (i: number) => string | null, actors: Sequence['actors'], arrows: Array<Arrow & { msg: unknown }>): void {
  const contents = (i: number): IMap<List<unknown>, number> => {
    let counts = IMap<List<unknown>, number>();
    for (const [k, box] of (trace.steps[i]!.state as any).get(inbox) as IMap<string, Iterable<unknown>>) {
      for (const m of box) counts = counts.update(List([k, m]), 0, (n) => n + 1);
    }
    return counts;
  };
  let before = contents(0);
  for (let i = 1; i < trace.steps.length; i++) {
    const actor = actorOf(i);
    actors.push(actor);
    const after = contents(i);
    for (const [km, n] of before) {
      const [k, m] = [km.get(0) as string, km.get(1)];
      for (let gone = n - after.get(km, 0); gone > 0; gone--) {
        const arrow = arrows.find((a) => a.received === null && a.to === k && is(a.msg, m));
        if (arrow) arrow.received = i;
      }
    }
    for (const [km, n] of after) {
      const [k, m] = [km.get(0) as string, km.get(1)];
      const sender = field(m, 'from');
      for (let added = n - before.get(km, 0); added > 0; added--) {
        arrows.push({ msg: m, label: labelOf(m), item: formatValue(m), kind: 'send', from: typeof sender === 'string' ? sender : actor, to: k, sent: i, received: null });
      }
    }
    before = after;
  }
}

/** A message's kind and payload; who sends and receives it is shown by the arrow. */
function labelOf(m: unknown): string {
  if (!IRecord.isRecord(m)) return formatValue(m);
  const name = IRecord.getDescriptiveName(m as any);
  const fields = Object.entries((m as any).toObject() as object).filter(([k, v]) => v !== name && k !== 'from' && k !== 'to');
  const body = fields.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ');
  return name && name !== 'Record' ? (body ? `${name}(${body})` : name) : `[${body}]`;
}

/**
 * The messages in flight that step i's guard needed but did not take as arguments: the least
 * set of them that keeps the guard true (see why.ts). Only for message sets, where a step can
 * read a quorum without consuming it.
 */
function quorumRead(spec: CompiledSpec, netField: string, trace: Trace, i: number): unknown[] {
  const step = trace.steps[i]!;
  const a = spec.actions.find((x) => x.name === step.action);
  const prev = trace.steps[i - 1]!.state as any;
  const msgs = prev.get(netField);
  if (!a?.when || !ISet.isSet(msgs) || msgs.size === 0) return [];
  const holds = (s: unknown): boolean => {
    try {
      return !!call(a.when!, s, step.args);
    } catch {
      return false;
    }
  };
  const bare = prev.set(netField, msgs.clear());
  if (holds(bare)) return [];
  const needed = new Set(essentialParts(spec.stateType, holds, prev, bare).map((p) => p.item));
  return [...msgs].filter((m) => needed.has(formatValue(m)) && !step.args.some((x) => is(x, m)));
}

/** When each message was sent and which were delivered, for the state panel's message list. */
export function messageHistory(seq: Sequence | null): MessageHistory | null {
  if (!seq) return null;
  const sent = new Map<string, number>();
  const delivered = new Set<string>();
  for (const a of seq.arrows) {
    if (a.kind === 'send') sent.set(a.item, a.sent);
    if (a.received !== null && a.kind !== 'read') delivered.add(a.item);
  }
  return { field: seq.field, sent, delivered };
}
