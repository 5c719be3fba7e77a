/**
 * Lamport's bakery algorithm (CACM 1974), in the atomic PlusCal version of Bakery.tla by
 * Lamport and Merz (tlaplus/Examples, specifications/Bakery-Boulangerie), with its model
 * MCBakery (Nat replaced by 0..MaxNat).
 *
 * Each process takes a number one above every number it reads, then waits until every other
 * process either holds no number or a larger one (ties broken by process id) before entering
 * its critical section. `flag` (Lamport's `choosing`) tells the others that a process is still
 * choosing its number: they wait for it. Reads and writes are one step each, and the spec
 * models non-atomic registers the PlusCal way: while a process writes its flag or number the
 * value may flicker (e1, e4: the flag toggles; e3, exit: the number takes any value) before it
 * settles. Labels: ncs -> e1 (raise flag) -> e2 (read the numbers into max) -> e3 (num := any
 * value above max) -> e4 (lower flag) -> w1/w2 (wait on every other process) -> cs -> exit.
 *
 * Properties
 * - mutualExclusion (MutualExclusion): no two processes are in cs at once.
 * - inv (Inv's IInv): Lamport and Merz's inductive invariant (Before(i, j) and the rest).
 *   TypeOK is enforced by the declared types (num and max in 0..maxNat).
 * - someoneEnters (sometimes): a process reaches its critical section.
 *
 * Params: n (N, default 2), maxNat (MaxNat: Nat is 0..maxNat, default 2), init:
 * - 'spec' (default): Spec's Init, every process in ncs with number 0.
 * - 'inv': ISpec, MCBakery.cfg's SPECIFICATION: every type-correct state satisfying Inv is
 *   initial, so checking Inv (and reaching depth 1) shows that Inv is inductive.
 * Variants: noWaitForChoosing - w1 does not wait while the other process is choosing (skips
 *   `await ~flag[nxt]`): the other may still take a smaller number and both enter cs
 *   (mutualExclusion fails; inv is dropped so that the trace ends in the double entry).
 * Counting as TLC: each `\E` is a parameter (e2's and w1's process, e3's and exit's number),
 * each disjunct of a label is its own action (e1Flip/e1, e3Any/e3, e4Flip/e4, exitAny/exit),
 * and w2's guard `num[nxt] = 0 \/ <<num[self], self>> \prec <<num[nxt], nxt>>` branches per
 * true disjunct, \prec's two included (TLC explores each true disjunct of an action).
 * No deadlock check (CHECK_DEADLOCK FALSE): every state is terminal.
 * TLC 2.20: MCBakery.cfg (n=2, maxNat=2, init=inv): 655,200 distinct / 3,403,584 generated /
 * depth 1. Smaller models in test/specs/bakery.test.ts.
 * Network: shared registers (one reader or writer per step). Faults: none.
 */
import { Map as IMap, Set as ISet } from 'immutable';
import { action, always, defineSpec, sometimes, t, type Actions, type Infer } from 'synod';

const LABELS = ['ncs', 'e1', 'e2', 'e3', 'e4', 'w1', 'w2', 'cs', 'exit'] as const;
type Label = (typeof LABELS)[number];

const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

/** Every map from the keys to one of the choices (shared values: the init of ISpec is large). */
function allMaps<V>(keys: readonly number[], choices: readonly V[]): IMap<number, V>[] {
  let acc: Array<Array<[number, V]>> = [[]];
  for (const k of keys) acc = acc.flatMap((pairs) => choices.map((v) => [...pairs, [k, v] as [number, V]]));
  return acc.map((pairs) => IMap(pairs));
}

function subsets(xs: readonly number[]): ISet<number>[] {
  return range(0, (1 << xs.length) - 1).map((mask) => ISet(xs.filter((_, i) => mask & (1 << i))));
}

function types(p: { n: number; maxNat: number }) {
  const Proc = t.int(1, p.n); // ordered: ids break ties, so no symmetry
  const Nat = t.int(0, p.maxNat);
  const state = t.record({
    num: t.map(Proc, Nat),
    flag: t.map(Proc, t.bool()),
    unchecked: t.map(Proc, t.set(Proc)),
    max: t.map(Proc, Nat),
    nxt: t.map(Proc, Proc),
    pc: t.map(Proc, t.enum(...LABELS)),
  });
  return { Proc, Nat, state };
}
type Types = ReturnType<typeof types>;
type S = Infer<Types['state']>;

export default defineSpec({
  name: 'bakery',
  description: "Lamport's bakery algorithm: mutual exclusion by numbered tickets, with non-atomic registers",
  params: {
    n: { default: 2, min: 1, max: 4, doc: 'number of processes (N)' },
    maxNat: { default: 2, min: 1, max: 6, doc: 'numbers range over 0..maxNat (MCBakery\'s MaxNat)' },
    init: { default: 'spec', choices: ['spec', 'inv'], doc: "'spec': Spec's Init; 'inv': ISpec, every state satisfying Inv" },
  },
  types,
  init: (T, p) => {
    const procs = range(1, p.n);
    const all = <V>(v: V) => IMap(procs.map((i) => [i, v] as [number, V]));
    const start = T.state.make({ num: all(0), flag: all(false), unchecked: all(ISet<number>()), max: all(0), nxt: all(1), pc: all<Label>('ncs') });
    if (p.init === 'spec') return start;
    const nats = range(0, p.maxNat);
    const numMaps = allMaps(procs, nats);
    const states = [];
    for (const num of numMaps) {
      for (const flag of allMaps(procs, [false, true])) {
        for (const unchecked of allMaps(procs, subsets(procs))) {
          for (const max of numMaps) {
            for (const nxt of allMaps(procs, procs)) {
              for (const pc of allMaps(procs, LABELS)) {
                const fields = { num, flag, unchecked, max, nxt, pc };
                if (iinv(fields, procs)) states.push(T.state.make(fields));
              }
            }
          }
        }
      }
    }
    return states;
  },
  actions: (T, p) => bakeryActions(T, p.maxNat, true),
  properties: (T, p) => {
    const procs = range(1, p.n);
    return {
      mutualExclusion: always((s: S) => procs.filter((i) => s.pc.get(i) === 'cs').length <= 1, 'no two processes in cs'),
      inv: always((s: S) => iinv(s, procs), "Lamport and Merz's inductive invariant IInv"),
      someoneEnters: sometimes((s: S) => s.pc.includes('cs'), 'a process enters its critical section'),
    };
  },
  terminal: () => true, // CHECK_DEADLOCK FALSE
  variants: {
    noWaitForChoosing: {
      description: 'w1 does not wait while the process it checks is choosing a number: two processes in cs',
      actions: (T, p) => bakeryActions(T, p.maxNat, false),
      properties: () => ({ inv: null }),
    },
  },
});

interface Bakery {
  num: IMap<number, number>;
  flag: IMap<number, boolean>;
  unchecked: IMap<number, ISet<number>>;
  max: IMap<number, number>;
  nxt: IMap<number, number>;
  pc: IMap<number, Label>;
}

/** a \prec b on <<num, id>> pairs, split into its two disjuncts as TLC explores them. */
const precBranches = ['numZero', 'numLess', 'sameNumLowerId'] as const;

function bakeryActions(T: Types, maxNat: number, waitForChoosing: boolean): Actions<S> {
  const procs = range(T.Proc.lo, T.Proc.hi);
  const nats = range(0, maxNat);
  const at = (s: S, self: number, l: Label) => s.pc.get(self) === l;
  const goto = (s: S, self: number, l: Label): S => s.setIn(['pc', self], l);
  const others = (self: number) => ISet(procs.filter((j) => j !== self));
  return {
    ncs: action({ over: [procs], when: (s: S, self: number) => at(s, self, 'ncs'), then: (s: S, self: number) => goto(s, self, 'e1') }),
    e1Flip: action({
      over: [procs], when: (s: S, self: number) => at(s, self, 'e1'),
      then: (s: S, self: number) => s.setIn(['flag', self], !s.flag.get(self)!),
    }),
    e1: action({
      over: [procs], when: (s: S, self: number) => at(s, self, 'e1'),
      then: (s: S, self: number) => goto(s.setIn(['flag', self], true).setIn(['unchecked', self], others(self)).setIn(['max', self], 0), self, 'e2'),
    }),
    // e2's IF: with unchecked processes left, read one of them (\E i); else go to e3.
    e2: action({
      over: [procs, (s: S, self: number) => (s.unchecked.get(self)!.isEmpty() ? [null] : s.unchecked.get(self)!)],
      when: (s: S, self: number) => at(s, self, 'e2'),
      then: (s: S, self: number, i: number | null) => {
        if (i === null) return goto(s, self, 'e3');
        const s1 = s.setIn(['unchecked', self], s.unchecked.get(self)!.delete(i));
        return s.num.get(i)! > s.max.get(self)! ? s1.setIn(['max', self], s.num.get(i)!) : s1;
      },
    }),
    e3Any: action({ over: [procs, nats], when: (s: S, self: number) => at(s, self, 'e3'), then: (s: S, self: number, k: number) => s.setIn(['num', self], k) }),
    e3: action({
      over: [procs, nats], when: (s: S, self: number, i: number) => at(s, self, 'e3') && i > s.max.get(self)!,
      then: (s: S, self: number, i: number) => goto(s.setIn(['num', self], i), self, 'e4'),
    }),
    e4Flip: action({
      over: [procs], when: (s: S, self: number) => at(s, self, 'e4'),
      then: (s: S, self: number) => s.setIn(['flag', self], !s.flag.get(self)!),
    }),
    e4: action({
      over: [procs], when: (s: S, self: number) => at(s, self, 'e4'),
      then: (s: S, self: number) => goto(s.setIn(['flag', self], false).setIn(['unchecked', self], others(self)), self, 'w1'),
    }),
    // w1's IF: pick an unchecked process and wait until it is not choosing; none left: cs.
    w1: action({
      over: [procs, (s: S, self: number) => (s.unchecked.get(self)!.isEmpty() ? [null] : s.unchecked.get(self)!)],
      when: (s: S, self: number, i: number | null) => at(s, self, 'w1') && (i === null || !waitForChoosing || !s.flag.get(i)!),
      then: (s: S, self: number, i: number | null) => (i === null ? goto(s, self, 'cs') : goto(s.setIn(['nxt', self], i), self, 'w2')),
    }),
    w2: action({
      over: [procs, precBranches],
      when: (s: S, self: number, why: (typeof precBranches)[number]) => {
        if (!at(s, self, 'w2')) return false;
        const j = s.nxt.get(self)!;
        const mine = s.num.get(self)!;
        const theirs = s.num.get(j)!;
        if (why === 'numZero') return theirs === 0;
        if (why === 'numLess') return mine < theirs;
        return mine === theirs && self < j;
      },
      then: (s: S, self: number) => goto(s.setIn(['unchecked', self], s.unchecked.get(self)!.delete(s.nxt.get(self)!)), self, 'w1'),
    }),
    cs: action({ over: [procs], when: (s: S, self: number) => at(s, self, 'cs'), then: (s: S, self: number) => goto(s, self, 'exit') }),
    exitAny: action({ over: [procs, nats], when: (s: S, self: number) => at(s, self, 'exit'), then: (s: S, self: number, k: number) => s.setIn(['num', self], k) }),
    exit: action({ over: [procs], when: (s: S, self: number) => at(s, self, 'exit'), then: (s: S, self: number) => goto(s.setIn(['num', self], 0), self, 'ncs') }),
  };
}

/** a \prec b: the lexicographic order on <<num, id>>. */
const prec = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** Before(i, j): num[i] > 0, and j holds or will take a number after i's. */
function before(s: Bakery, i: number, j: number): boolean {
  if (!(s.num.get(i)! > 0)) return false;
  const pcj = s.pc.get(j)!;
  const ni = s.num.get(i)!;
  switch (pcj) {
    case 'ncs': case 'e1': case 'exit': return true;
    case 'e2': return s.unchecked.get(j)!.has(i) || s.max.get(j)! >= ni;
    case 'e3': return s.max.get(j)! >= ni;
    case 'e4': case 'w1': case 'w2':
      return prec([ni, i], [s.num.get(j)!, j]) && (!(pcj === 'w1' || pcj === 'w2') || s.unchecked.get(j)!.has(i));
    default: return false;
  }
}

/** IInv, conjunct by conjunct. */
function iinv(s: Bakery, procs: readonly number[]): boolean {
  return procs.every((i) => {
    const pc = s.pc.get(i)!;
    const waiting = pc === 'w1' || pc === 'w2';
    if ((pc === 'e4' || waiting || pc === 'cs') && s.num.get(i) === 0) return false;
    if ((pc === 'e2' || pc === 'e3') && !s.flag.get(i)) return false;
    if (pc === 'w2' && s.nxt.get(i) === i) return false;
    if (waiting && s.unchecked.get(i)!.has(i)) return false;
    if (waiting && !procs.every((j) => j === i || s.unchecked.get(i)!.has(j) || before(s, i, j))) return false;
    if (pc === 'w2') {
      const k = s.nxt.get(i)!;
      const pck = s.pc.get(k)!;
      if (((pck === 'e2' && !s.unchecked.get(k)!.has(i)) || pck === 'e3') && !(s.max.get(k)! >= s.num.get(i)!)) return false;
    }
    if (pc === 'cs' && !procs.every((j) => j === i || before(s, i, j))) return false;
    return true;
  });
}
