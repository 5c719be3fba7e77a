/**
 * Leases under bounded clock drift (the seeds' "Lease 机制": a promise bounded in time).
 *
 * A grantor hands out one lease at a time. A node that wants it, or that holds it and wants to
 * renew it, sends a Request and starts a stopwatch on its own clock. The grantor serves the
 * request once the lease is free or already the requester's: it promises nobody else the lease
 * for leaseLength ticks from now, and sends a Grant. The node counts the lease from when it
 * *asked* (the Grant may have been delayed any time, so when it arrives proves nothing) and
 * stops using it drift early; the grantor re-grants to another node only drift after its promise
 * ran out. Real time is the grantor's clock (only a node's drift relative to the grantor
 * matters; the seed: "只需要中心节点考虑时钟误差"). A node's clock stays within drift of real time
 * but may run fast or slow (per tick it advances 0, 1 or 2), so an interval it measures can be
 * off by up to 2 * drift; the two margins, drift each, cover exactly that. The grantor keeps its
 * promise whether or not the Grant ever arrived, so a holder cut off by the network keeps the
 * lease to the end of its term and nobody else gets it before then.
 *
 * Properties
 * - leaseExclusivity: at any moment at most one node believes it holds a valid lease.
 * - leaseInUse (sometimes): a node holds a valid lease (granted, received and not run out).
 * - beliefOutlivesPromise (sometimes): a holder whose clock ran slow still believes in its lease
 *   after the grantor's promise has run out; the grantor's own margin is what keeps this safe.
 * - holderCutOff (sometimes): the seed's point that a lease outlives the holder's link. The
 *   holder's request or its Grant was lost (it waits for an answer that will not come), the
 *   promise has run out in real time, another node's Request is waiting, and the grantor still
 *   does not re-grant: its drift margin has not passed.
 *
 * Params: nodes (2) competing for the lease; leaseLength (3) ticks a grant lasts on the grantor's
 *   clock (must exceed drift); drift (1) how far a node's clock may be from real time, in ticks
 *   (0: clocks are exact and both margins vanish, and with them the window that
 *   beliefOutlivesPromise and holderCutOff look for: both are then reported unreachable);
 *   horizon (0) ticks of real time to explore, 0 for no bound. Time is kept relative (what a
 *   stopwatch, a lease or a promise has left, never a clock reading), so the state space is
 *   finite without a horizon and the default check covers runs of any length; a horizon > 0
 *   adds a tick counter `now` and ends runs there: more states, not fewer (horizon=3: 9,800
 *   orbits), for looking at bounded runs or comparing with an absolute-clock model.
 * Variants (each breaks leaseExclusivity; shortest traces pinned in test/specs/lease.test.ts):
 * - noDriftMargin: the holder uses the full leaseLength from its request, not drift less. Its
 *   clock runs slow, so by the time the grantor (after its own margin) hands the lease on, the
 *   old holder still sees time left (11 states).
 * - regrantAtExpiry: the grantor re-grants as soon as its promise runs out, without the drift
 *   margin; the old holder's slow clock still shows time left (10 states).
 * - renewAcrossExpiry: a renewal whose Grant arrives after the holder's lease already ran out
 *   is taken to extend the old lease (its end pushed leaseLength further) instead of being
 *   counted from when the holder asked. The grantor's promise ran from when it got the request,
 *   before the old lease ended, so the holder outlives the promise (14 states).
 * Network: declared with network(): unordered (any message in flight may arrive next, after any
 *   delay), delivery consumes the message, and messages may be lost (Drop): loss is how a
 *   partition looks here. The grantor leaves a Request it cannot serve yet in flight (it is
 *   served once the lease is free). A node has one Request outstanding and never retries (a
 *   retry needs request ids, so that a late Grant is not taken for the answer to a newer
 *   request); a node whose Request or Grant is lost falls silent, which safety does not mind.
 * Faults: loss only. A crashed holder looks to the grantor like one cut off; the grantor does
 *   not crash (if it did, nobody would get the lease: the seeds' availability point, not safety).
 * Default (nodes=2, leaseLength=3, drift=1, horizon=0): 4,740 orbits of 9,456 states, depth 15
 *   (--no-symmetry: 9,456 distinct, 70,189 generated).
 * Benchmark: nodes=3, leaseLength=4, drift=1: 166,780 orbits of 966,600 states, depth 24
 *   (--no-symmetry: 966,600 distinct, 14,816,467 generated).
 */
import { Map as IMap, Set as ISet } from 'immutable';
import { action, always, codes, defineSpec, network, sometimes, SpecError, t, type Infer, type SetType, type Actions } from 'synod';

function types(p: { nodes: number; leaseLength: number; drift: number; horizon: number }) {
  if (p.leaseLength <= p.drift) {
    throw new SpecError(codes.badParam, `param 'leaseLength' of spec 'lease': leaseLength=${p.leaseLength} must exceed drift=${p.drift}, or no lease is ever usable`);
  }
  const Node = t.scalarset('Node', p.nodes);
  const Msg = t.union('type', { Request: { from: Node }, Grant: { to: Node } });
  const net = network({ field: 'msgs', message: Msg, ordering: 'unordered', loss: true });
  const state = t.record({
    /** Ticks of real time so far; counted only when a horizon is set (else always 0). */
    now: t.int(0, p.horizon),
    /** How far each node's clock is ahead of real time (negative: behind). */
    skew: t.map(Node, t.int(-p.drift, p.drift)),
    /**
     * How long ago, by its own clock, a node sent its outstanding Request (null: none). The
     * count stops once a Grant could no longer give any lease.
     */
    waited: t.map(Node, t.option(t.int(0, p.leaseLength))),
    /** How long, by its own clock, a node still holds the lease (null: no lease). */
    left: t.map(Node, t.option(t.int(-p.leaseLength, p.leaseLength))),
    /**
     * The grantor: to whom it promised the lease (null: free), and how long the promise has
     * left (0 or below: run out, but the drift margin has not passed yet).
     */
    holder: t.option(Node),
    promise: t.int(-p.drift, p.leaseLength),
    msgs: net.type as SetType<Infer<typeof Msg>>,
  });
  return { Node, Msg, net, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;

export default defineSpec({
  name: 'lease',
  description: 'Leases under bounded clock drift: at most one node believes it holds the lease',
  params: {
    nodes: { default: 2, min: 2, max: 5, doc: 'nodes competing for the lease (a scalarset; the grantor is separate)' },
    leaseLength: { default: 3, min: 1, max: 8, doc: 'ticks a grant lasts on the grantor\'s clock (must exceed drift)' },
    drift: { default: 1, min: 0, max: 3, doc: 'how far a node\'s clock may be from real time, in ticks' },
    horizon: { default: 0, min: 0, max: 30, doc: 'ticks of real time to explore; 0: no bound (time is relative, so the state space is finite anyway)' },
  },
  types,
  init: (T, p) => {
    // Clocks start anywhere within drift of real time: one initial state per choice.
    const each = <V>(v: V) => IMap(T.Node.values.map((n) => [n, v] as const));
    return skewChoices(T.Node.values, () => [-p.drift, p.drift]).map((skew) =>
      T.state.make({
        now: 0,
        skew,
        waited: each<number | null>(null),
        left: each<number | null>(null),
        holder: null,
        promise: 0,
        msgs: T.net.empty() as ISet<Infer<typeof T.Msg>>,
      }),
    );
  },
  actions: (T, p) => leaseActions(T, p, {}),
  properties: (T) => ({
    leaseExclusivity: always((s) => T.Node.values.filter((n) => believes(s, n)).length <= 1),
    leaseInUse: sometimes((s) => T.Node.values.some((n) => believes(s, n))),
    beliefOutlivesPromise: sometimes((s) => s.holder !== null && s.promise <= 0 && believes(s, s.holder)),
    holderCutOff: sometimes((s) => {
      const h = s.holder;
      if (h === null || s.promise > 0 || s.waited.get(h) === null) return false;
      const silent = !s.msgs.some((m) => (m.type === 'Request' ? m.from : m.to) === h);
      const waiting = s.msgs.some((m) => m.type === 'Request' && m.from !== h);
      return silent && waiting;
    }),
  }),
  terminal: (s, _T, p) => p.horizon > 0 && s.now === p.horizon,
  variants: {
    noDriftMargin: {
      description: 'the holder uses its lease for the full leaseLength from its request, without subtracting the drift bound',
      actions: (T, p) => leaseActions(T, p, { noDriftMargin: true }),
    },
    regrantAtExpiry: {
      description: 'the grantor re-grants as soon as its promise expires, without waiting the drift margin',
      actions: (T, p) => leaseActions(T, p, { regrantAtExpiry: true }),
    },
    renewAcrossExpiry: {
      description: 'a renewal arriving after the lease ran out extends the old lease by leaseLength instead of counting from the request',
      actions: (T, p) => leaseActions(T, p, { renewAcrossExpiry: true }),
    },
  },
});

type P = { nodes: number; leaseLength: number; drift: number; horizon: number };
interface Bugs { noDriftMargin?: boolean; regrantAtExpiry?: boolean; renewAcrossExpiry?: boolean }

/** Node n believes it holds a valid lease: by its own clock, the lease has time left. */
const believes = (s: S, n: string): boolean => (s.left.get(n) ?? 0) > 0;

/** Every map giving each node a skew in range(n) = [lo, hi], in a fixed order. */
function skewChoices(nodes: readonly string[], range: (n: string) => [number, number]): IMap<string, number>[] {
  let out: IMap<string, number>[] = [IMap()];
  for (const n of nodes) {
    const [lo, hi] = range(n);
    const next: IMap<string, number>[] = [];
    for (const m of out) for (let v = lo; v <= hi; v++) next.push(m.set(n, v));
    out = next;
  }
  return out;
}

/** The actions, with the bug of each variant switched on by a flag. */
function leaseActions(T: Types, p: P, bug: Bugs): Actions<S> {
  const L = p.leaseLength;
  const holderMargin = bug.noDriftMargin ? 0 : p.drift;
  const grantorMargin = bug.regrantAtExpiry ? 0 : p.drift;
  const msg = (fields: Parameters<Types['Msg']['make']>[0]) => T.Msg.make(fields);
  // The buggy renewal needs to know how long ago a lease ran out while a renewal was in flight
  // (left <= 0); the correct protocol never reads that, so there it is forgotten.
  const keepsStaleLease = (s: S, n: string) => bug.renewAcrossExpiry === true && s.waited.get(n) !== null;

  return {
    // A node asks for the lease, or, holding it, for a renewal; its stopwatch starts now.
    Ask: action({
      over: [T.Node],
      when: (s, n) => s.waited.get(n) === null,
      then: (s, n) => T.net.send(s.setIn(['waited', n], 0), msg({ type: 'Request', from: n })),
    }),
    ...T.net.actions({
      // The grantor serves a request once the lease is free or already the requester's (a
      // renewal); its promise runs leaseLength from now. Otherwise the request waits.
      Request: {
        when: (s, m) => s.holder === null || s.holder === m.from,
        then: (s, m) => T.net.send(s.merge({ holder: m.from, promise: L }), msg({ type: 'Grant', to: m.from })),
      },
      // The node counts the lease from when it asked, less the drift margin: the promise began
      // when the grantor got the request, which was no earlier. (The bug: a renewal landing
      // after the old lease ran out, old <= 0, pushes the old lease's end leaseLength further.)
      Grant: (s, m) => {
        const n = m.to;
        const old = s.left.get(n)!;
        const late = old !== null && old <= 0;
        const left = bug.renewAcrossExpiry && late ? old + L : L - holderMargin - s.waited.get(n)!;
        return s.setIn(['waited', n], null).setIn(['left', n], left > 0 ? left : null);
      },
    }),
    // Real time advances one tick; each node's clock advances 0, 1 or 2, staying within drift.
    Tick: {
      when: (s) => p.horizon === 0 || s.now < p.horizon,
      then: (s) => {
        const now = p.horizon === 0 ? 0 : s.now + 1;
        const promise = s.promise - 1;
        // The grantor's promise runs down; drift after it ran out, the lease is free again.
        const base = s.holder !== null && promise > -grantorMargin ? s.merge({ now, promise }) : s.merge({ now, holder: null, promise: 0 });
        const skews = skewChoices(T.Node.values, (n) => [Math.max(-p.drift, s.skew.get(n)! - 1), Math.min(p.drift, s.skew.get(n)! + 1)]);
        return skews.map((skew) => {
          let next = base.set('skew', skew);
          for (const n of T.Node.values) {
            const advance = 1 + skew.get(n)! - s.skew.get(n)!;
            const w = s.waited.get(n)!;
            if (w !== null) next = next.setIn(['waited', n], Math.min(L - holderMargin, w + advance));
            const l = s.left.get(n)!;
            if (l !== null) next = next.setIn(['left', n], l - advance > 0 || keepsStaleLease(s, n) ? Math.max(-L, l - advance) : null);
          }
          return next;
        });
      },
    },
  };
}
