/**
 * Dijkstra's termination detection on a ring (EWD 840, with Feijen and van Gasteren), as in
 * Stephan Merz's EWD840.tla (tlaplus/Examples, specifications/ewd840).
 *
 * Nodes 0..N-1 sit on a ring and are active or passive; an active node may activate another
 * by a message, and any active node may turn passive. Node 0 detects that all are passive by
 * passing a token around the ring, from node N-1 down to node 0. Each node and the token are
 * white or black: a node that activates a node above it (against the token's direction)
 * turns black, and a black node stains the token it passes on. Node 0 starts a probe with a
 * white token when the last one came back black or it is black itself; termination is
 * detected when a white token is back at a white, passive node 0.
 *
 * Properties
 * - terminationDetection (TerminationDetection): detection implies that every node is passive.
 * - inv (Inv): Dijkstra's inductive invariant: every node the token has yet to visit (above
 *   tpos) is passive, or some node at or below tpos is black, or the token is black.
 * - liveness (Liveness, terminated ~> terminationDetected): once all nodes are passive, node 0
 *   detects it; holds under WF_vars(System). System is InitiateProbe \/ PassToken(i); only the
 *   token holder can take either, so WF of each (as a whole) is WF of System.
 * - detects (sometimes): termination gets detected.
 * TypeOK is enforced by the declared types. Not ported: TDSpec (refinement of
 * SyncTerminationDetection), a temporal property synod has no form for.
 *
 * Params: n, the number of nodes (default 3, EWD840.cfg's N).
 * Variants: sendNoBlacken - a node that activates a node above it stays white; the token then
 *   misses that activation and node 0 detects termination while a node is active
 *   (terminationDetection and inv fail).
 * Counting as TLC: SendMsg(i)'s `\E j \in Node \ {i}` is a parameter (one successor per j),
 * and so is the disjunct of a guard that holds: TLC explores each true disjunct of an action's
 * `\/` as a branch of its own, so InitiateProbe (token or node 0 black) and PassToken (node
 * passive, node black, token black) make one successor per true disjunct, duplicates counted;
 * Init is every type-correct state with a black token (8 * 8 * 3 = 192 for N = 3). No deadlock
 * check in the cfg: a state where all are passive and termination is detected is terminal.
 * TLC 2.20, EWD840.cfg (N = 3): 302 distinct states, 2,001 generated, depth 9 (the Examples
 * manifest says depth 10, from an older TLC).
 * Network: messages are instantaneous (SendMsg activates the receiver at once). Faults: none.
 */
import { Map as IMap } from 'immutable';
import { action, always, defineSpec, leadsTo, sometimes, t } from 'synod';

type Color = 'white' | 'black';

const nodesOf = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** SendMsg's `\E j \in Node \ {i}`, as a parameter domain. */
const othersThan = (n: number) => (_s: unknown, i: number): number[] => nodesOf(n).filter((j) => j !== i);

/** Every map from the keys to one of the choices, in lexicographic order. */
function allMaps<V>(keys: readonly number[], choices: readonly V[]): IMap<number, V>[] {
  let acc: Array<Array<[number, V]>> = [[]];
  for (const k of keys) acc = acc.flatMap((pairs) => choices.map((v) => [...pairs, [k, v] as [number, V]]));
  return acc.map((pairs) => IMap(pairs));
}

export default defineSpec({
  name: 'ewd840',
  description: "Dijkstra's EWD 840: termination detection by a token passed around a ring",
  params: { n: { default: 3, min: 1, max: 10, doc: 'number of nodes on the ring (N)' } },
  types: (p) => {
    const Node = t.int(0, p.n - 1); // ordered: the token travels N-1 -> 0, so no symmetry
    const Color = t.enum('white', 'black');
    const state = t.record({
      active: t.map(Node, t.bool()),
      color: t.map(Node, Color),
      tpos: Node,
      tcolor: Color,
    });
    return { Node, Color, state };
  },
  init: (T, p) => {
    const nodes = nodesOf(p.n);
    const states = [];
    for (const active of allMaps(nodes, [false, true])) {
      for (const color of allMaps<Color>(nodes, ['white', 'black'])) {
        for (const tpos of nodes) states.push(T.state.make({ active, color, tpos, tcolor: 'black' }));
      }
    }
    return states;
  },
  actions: (T, p) => {
    return {
      InitiateProbe: action({
        over: [['tokenBlack', 'nodeBlack']],
        when: (s, why: string) => s.tpos === 0 && (why === 'tokenBlack' ? s.tcolor === 'black' : s.color.get(0) === 'black'),
        then: (s) => s.merge({ tpos: p.n - 1, tcolor: 'white', color: s.color.set(0, 'white') }),
        fair: 'weak',
      }),
      PassToken: action({
        over: [nodesOf(p.n).slice(1), ['passive', 'nodeBlack', 'tokenBlack']], // Node \ {0}
        when: (s, i: number, why: string) => s.tpos === i &&
          (why === 'passive' ? !s.active.get(i) : why === 'nodeBlack' ? s.color.get(i) === 'black' : s.tcolor === 'black'),
        then: (s, i: number) => s.merge({
          tpos: i - 1,
          tcolor: s.color.get(i) === 'black' ? 'black' : s.tcolor,
          color: s.color.set(i, 'white'),
        }),
        fair: 'weak',
      }),
      SendMsg: action({
        over: [T.Node, othersThan(p.n)],
        when: (s, i: number) => s.active.get(i)!,
        then: (s, i: number, j: number) => s.merge({
          active: s.active.set(j, true),
          color: j > i ? s.color.set(i, 'black') : s.color,
        }),
      }),
      Deactivate: action({
        over: [T.Node],
        when: (s, i: number) => s.active.get(i)!,
        then: (s, i: number) => s.set('active', s.active.set(i, false)),
      }),
    };
  },
  properties: (T) => {
    type S = ReturnType<typeof T.state.make>;
    const terminated = (s: S) => s.active.every((a) => !a);
    const terminationDetected = (s: S) => s.tpos === 0 && s.tcolor === 'white' && s.color.get(0) === 'white' && !s.active.get(0);
    return {
      terminationDetection: always((s: S) => !terminationDetected(s) || terminated(s), 'detection implies that all nodes are passive'),
      inv: always((s: S) =>
        s.active.every((a, i) => !(s.tpos < i) || !a) ||
        s.color.some((c, j) => j <= s.tpos && c === 'black') ||
        s.tcolor === 'black', "Dijkstra's inductive invariant"),
      liveness: leadsTo(terminated, terminationDetected, 'once all nodes are passive, node 0 detects it'),
      detects: sometimes(terminationDetected, 'termination gets detected'),
    };
  },
  // CHECK_DEADLOCK FALSE in the cfg: the one state without a successor is the detected end.
  terminal: (s) => s.active.every((a) => !a),
  variants: {
    sendNoBlacken: {
      description: 'a node that activates a node above it stays white: detection while a node is active',
      actions: (T, p) => ({
        SendMsg: action({
          over: [T.Node, othersThan(p.n)],
          when: (s, i: number) => s.active.get(i)!,
          then: (s, _i: number, j: number) => s.set('active', s.active.set(j, true)),
        }),
      }),
      // inv catches the white sender one step earlier; without it the trace shows the detection.
      properties: () => ({ inv: null }),
    },
  },
});
