/**
 * Gossip (epidemic) replication: anti-entropy (push, pull, push-pull) and rumour mongering,
 * as the seeds' "Gossip协议" section describes them (after Demers et al., 1987).
 *
 * Every node holds a version of each key (0 is the initial value everyone holds). A write
 * (Update) originates at any node and gets the next version of its key: versions are
 * last-writer-wins timestamps, unique and totally ordered per key, so "higher" means "newer".
 * Nodes then spread what they know, one peer at a time:
 * - Anti-entropy. A node picks a peer and reconciles all its data. push: A sends its
 *   (key, version) entries and B keeps whichever is newer; pull: A sends its digest (keys and
 *   versions), B answers with the entries it holds newer, A keeps them; pushPull: both
 *   directions in one exchange (Cassandra's SYN / ACK / ACK2). Merging keeps the higher version.
 * - Rumour mongering (mode=rumor). Only news travels. Per key a node is susceptible (it lacks
 *   the newest version), infective (it is spreading the version it holds: hot > 0) or removed
 *   (it knows the newest version and has stopped). An infective node tells a peer; a peer that
 *   learns something becomes infective; if the peer already knew, the teller loses interest a
 *   little (Demers' "feedback, counter" rule: after `patience` redundant contacts it is removed).
 *   Removed nodes stop spreading, so the rumour can die out before everyone heard it: the seed's
 *   "the system may stay inconsistent with some probability".
 *
 * Properties
 * - versionsOnlyGrow (step): no node's version of a key ever decreases.
 * - noInventedVersions: every version a node holds was written by some Update.
 * - newestNeverLost: the newest write of every key is still held by some node.
 * - converged (sometimes): every write has been made and every node holds the newest version
 *   of every key (for rumour: everyone heard every rumour).
 * - rumorDiesOut (sometimes, mode=rumor only): every write made, nobody infective, yet some
 *   node is still susceptible: it will never learn the update.
 * - allConverge (liveness, <>[]converged): every fair behaviour ends with every node holding
 *   the newest version of every key. Fairness: the gossip step (Push, Pull, PushPull or Tell)
 *   is weakly fair, as a whole action (some exchange that teaches something keeps happening);
 *   Update is not fair (writes may stop at any time). Anti-entropy: holds (writes are finite,
 *   and every exchange raises some version while nodes disagree). Rumour mongering: fails,
 *   with a lasso that ends stuttering in a state where the rumour died out and a node never
 *   heard it (no Tell is enabled, so fairness cannot help): the `rumor` variant.
 * Terminal states, and what the deadlock check proves:
 * - anti-entropy: terminal = every write made and all nodes converged. Gossip steps are only
 *   enabled when they change something (a no-op exchange is a self-loop: leaving it out
 *   changes no reachable state), so synod's deadlock check proves there is no stuck state:
 *   wherever writes are done and nodes disagree, some exchange makes progress. That all nodes
 *   do converge when peers are chosen fairly is a liveness property, for the liveness checker.
 * - rumor: terminal = every write made and nobody infective (the rumour has died out, whether
 *   or not everyone heard it); rumorDiesOut shows such a terminal state with a node left out,
 *   and the rumorIsComplete variant shows it as a deadlock trace.
 *
 * Params: nodes (3); keys (2); versions (2), the writes per key (versions 1..versions); mode
 *   (pushPull): push | pull | pushPull | rumor; patience (1), rumor only: redundant contacts
 *   before an infective node is removed. (The `hot` field stays 0 in the anti-entropy modes.)
 * Variants:
 * - keepLower: a merge keeps the lower version instead of the higher: versionsOnlyGrow fails
 *   in every mode (pushPull: n1 writes, then n1 and n2 exchange and n1 goes back to 0; 3
 *   states). It loses the write too (newestNeverLost), in the same state.
 * - sparseDigest (mode=pull, keys=1, versions=1): a pull digest lists only keys the puller
 *   holds a version of (> 0) and the peer answers only for listed keys, so a node that never
 *   heard of a key can never pull it: deadlock right after the write (2 states). With
 *   --param mode=pushPull the same bug is harmless: the push half of the writer's own
 *   exchanges delivers the key.
 * - rumor (mode=rumor, keys=1, versions=1): allConverge fails (see above); 5 states, then stuttering.
 * - rumorIsComplete (mode=rumor, keys=1, versions=1): claims rumour mongering reaches everyone
 *   (terminal = converged and nobody infective). n1 writes and tells n2, tells n2 again (n2
 *   knew: n1 is removed), n2 tells n1 (n1 knew: n2 is removed); n3 never hears: deadlock, 5
 *   states. In the anti-entropy modes the same claim holds.
 * Abstraction (no declared network): each gossip exchange (and a Tell with its feedback) is
 *   one atomic pairwise step between two nodes; a lost or delayed exchange is one that has not
 *   happened (yet). Merging by the higher version is idempotent, commutative and associative
 *   and an exchange ships a node's whole state, so a late, duplicated or reordered message
 *   delivers an older snapshot that the receiver either already dominates or could have got
 *   from some interleaving of atomic exchanges: messages would add in-flight states, not new
 *   node states. In this model push(A -> B) and pull(B <- A) are the
 *   same transition, so push and pull have the same counts; they differ in who initiates, which
 *   decides how fast gossip spreads (a probabilistic question), not what it can reach.
 *   Push-pull reaches fewer states (both sides merge at once).
 * Faults: none (a crashed node is one that takes no steps; gossip state is durable).
 * Nodes and keys are scalarsets: nothing singles one out, so symmetry reduction applies.
 * Defaults (nodes=3, keys=2, versions=2), orbits / states (= --no-symmetry distinct),
 *   generated without symmetry, depth: push and pull 92 / 729, 3,727, 7; pushPull 86 / 675,
 *   4,753, 7; rumor 899 / 9,025, 63,841, 15.
 * Benchmark: nodes=5, keys=2, versions=3 (pushPull): 6,380 orbits of 772,096 states, 128,424
 *   generated, depth 12 (--no-symmetry: 772,096 distinct, 16,071,481 generated). And
 *   nodes=4, mode=rumor: 7,090 orbits of 263,169 states (--no-symmetry: 3,061,585 generated,
 *   depth 19).
 */
import { Map as IMap } from 'immutable';
import { action, always, defineSpec, eventuallyAlways, sometimes, t } from 'synod';
import type { Actions, Infer } from 'synod';

const MODES = ['push', 'pull', 'pushPull', 'rumor'] as const;

function gossipTypes(p: { nodes: number; keys: number; versions: number; patience: number }) {
  const Node = t.scalarset('Node', p.nodes);
  const Key = t.scalarset('Key', p.keys);
  const Version = t.int(0, p.versions);
  const state = t.record({
    version: t.map(Node, t.map(Key, Version)),
    latest: t.map(Key, Version),
    hot: t.map(Node, t.map(Key, t.int(0, p.patience))),
  });
  return { Node, Key, state };
}
type Types = ReturnType<typeof gossipTypes>;
type State = Infer<Types['state']>;

interface Rules {
  /** Merge keeps the lower version (the keepLower bug). */
  keepLower?: boolean;
  /** A digest omits keys the puller holds at version 0 (the sparseDigest bug). */
  sparseDigest?: boolean;
}

/** Node n's version of key k. */
const ver = (s: State, n: string, k: string): number => s.version.get(n)!.get(k)!;
/** Every write has been made (nothing left to originate). */
const writesDone = (s: State, p: { versions: number }): boolean => s.latest.every((v) => v === p.versions);
/** Every node holds the newest version of every key. */
const converged = (s: State): boolean => s.version.every((vs) => vs.every((v, k) => v === s.latest.get(k)));
/** Some node is infective about some key (rumor). */
const anyHot = (s: State): boolean => s.hot.some((hs) => hs.some((h) => h > 0));

export default defineSpec({
  name: 'gossip',
  description: 'Gossip: anti-entropy (push, pull, push-pull) converges; rumour mongering may leave a node out',
  params: {
    nodes: { default: 3, min: 2, max: 7, doc: 'number of nodes' },
    keys: { default: 2, min: 1, max: 4, doc: 'number of keys' },
    versions: { default: 2, min: 1, max: 5, doc: 'writes per key (versions 1..versions; 0 is the initial value)' },
    mode: { default: 'pushPull', choices: MODES, doc: 'push | pull | pushPull (anti-entropy) or rumor (rumour mongering)' },
    patience: { default: 1, min: 1, max: 3, doc: 'rumor only: redundant contacts before an infective node loses interest' },
  },
  types: gossipTypes,
  init: (T) => {
    const zeros = IMap(T.Key.values.map((k) => [k, 0] as const));
    const perNode = IMap(T.Node.values.map((n) => [n, zeros] as const));
    return T.state.make({ version: perNode, latest: zeros, hot: perNode });
  },
  actions: (T, p) => gossipActions(T, p, {}),
  properties: (T, p) => ({
    versionsOnlyGrow: always.step((s, next) =>
      T.Node.values.every((n) => T.Key.values.every((k) => ver(next, n, k) >= ver(s, n, k)))),
    noInventedVersions: always((s) =>
      T.Node.values.every((n) => T.Key.values.every((k) => ver(s, n, k) <= s.latest.get(k)!))),
    newestNeverLost: always((s) =>
      T.Key.values.every((k) => T.Node.values.some((n) => ver(s, n, k) === s.latest.get(k)!))),
    converged: sometimes((s) => writesDone(s, p) && converged(s)),
    allConverge: eventuallyAlways((s) => converged(s)),
    ...(p.mode === 'rumor'
      ? { rumorDiesOut: sometimes((s) => writesDone(s, p) && !anyHot(s) && !converged(s)) }
      : {}),
  }),
  terminal: (s, _T, p) => writesDone(s, p) && (p.mode === 'rumor' ? !anyHot(s) : converged(s)),
  variants: {
    keepLower: {
      description: 'a merge keeps the lower version instead of the higher one',
      actions: (T, p) => gossipActions(T, p, { keepLower: true }),
    },
    sparseDigest: {
      description: "a pull digest lists only keys the puller holds; a node that never heard of a key can't pull it",
      params: { mode: 'pull', keys: 1, versions: 1 },
      actions: (T, p) => gossipActions(T, p, { sparseDigest: true }),
    },
    rumor: {
      description: 'rumour mongering: allConverge fails, the rumour may die out before a node hears it',
      params: { mode: 'rumor', keys: 1, versions: 1 },
    },
    rumorIsComplete: {
      description: 'claims rumour mongering reaches every node: a rumour that dies out early is a deadlock',
      params: { mode: 'rumor', keys: 1, versions: 1 },
      terminal: (s, _T, p) => writesDone(s, p) && !anyHot(s) && converged(s),
    },
  },
});

/** The actions of the chosen mode: Update, and Push, Pull, PushPull or Tell. */
function gossipActions(T: Types, p: { mode: string; versions: number; patience: number }, rules: Rules): Actions<State> {
  const merge = (mine: number, offered: number): number => (rules.keepLower ? Math.min(mine, offered) : Math.max(mine, offered));
  /** What `to` keeps of key k when `from` offers its entry (a pull only asks for `to`'s digest). */
  const kept = (s: State, to: string, from: string, k: string, pulled: boolean): number => {
    const mine = ver(s, to, k);
    return pulled && rules.sparseDigest && mine === 0 ? mine : merge(mine, ver(s, from, k));
  };
  /** Whether `to` learns anything from `from` (checked without building the next state). */
  const gains = (s: State, to: string, from: string, pulled: boolean): boolean =>
    T.Key.values.some((k) => kept(s, to, from, k, pulled) !== ver(s, to, k));
  const exchange = (s: State, to: string, from: string, pulled: boolean): State =>
    s.setIn(['version', to], s.version.get(to)!.map((_v, k) => kept(s, to, from, k, pulled)));
  const peers = [T.Node, T.Node] as const;

  const Update = action({
    over: [T.Node, T.Key],
    when: (s: State, _n: string, k: string) => s.latest.get(k)! < p.versions,
    then: (s: State, n: string, k: string) => {
      const v = s.latest.get(k)! + 1;
      return s.setIn(['latest', k], v).setIn(['version', n, k], v).setIn(['hot', n, k], p.mode === 'rumor' ? p.patience : 0);
    },
  });
  // Gossip steps are enabled only when they change something (see the header: the deadlock
  // check then means "no stuck state").
  // Weakly fair: while some exchange would teach someone something, exchanges keep happening.
  const step = (progress: (s: State, a: string, b: string) => boolean, then: (s: State, a: string, b: string) => State) => (action({
    over: peers,
    when: (s: State, a: string, b: string) => a !== b && progress(s, a, b),
    then,
    fair: 'weak' as const,
  }));
  switch (p.mode) {
    case 'push':
      return { Update, Push: step((s, a, b) => gains(s, b, a, false), (s, a, b) => exchange(s, b, a, false)) };
    case 'pull':
      return { Update, Pull: step((s, a, b) => gains(s, a, b, true), (s, a, b) => exchange(s, a, b, true)) };
    case 'pushPull':
      // A pulls B's newer entries (by A's digest), then pushes its own newer ones to B.
      // (B's push half offers A's entries as they were: merging is idempotent, so A's merged
      // entries give B the same result.)
      return {
        Update,
        PushPull: step(
          (s, a, b) => gains(s, a, b, true) || gains(s, b, a, false),
          (s, a, b) => exchange(exchange(s, a, b, true), b, a, false),
        ),
      };
    default:
      return {
        Update,
        Tell: action({
          over: [T.Node, T.Node, T.Key],
          when: (s: State, a: string, b: string, k: string) => a !== b && s.hot.get(a)!.get(k)! > 0,
          then: (s: State, a: string, b: string, k: string) => {
            const mine = ver(s, b, k);
            const v = merge(mine, ver(s, a, k));
            if (v !== mine) return s.setIn(['version', b, k], v).setIn(['hot', b, k], p.patience);
            return s.setIn(['hot', a, k], s.hot.get(a)!.get(k)! - 1); // b already knew: a loses interest
          },
          fair: 'weak',
        }),
      };
  }
}
