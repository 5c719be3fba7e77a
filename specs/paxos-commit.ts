/**
 * Paxos Commit, as in Gray and Lamport's PaxosCommit.tla (tlaplus/Examples,
 * specifications/transaction_commit), which implements TCommit.
 *
 * Two-phase commit blocks when its coordinator fails; Paxos Commit replaces the coordinator's
 * decision with one Paxos consensus instance per resource manager (RM), run by acceptors. An
 * RM prepares (or aborts) by sending a ballot-0 phase 2a message in its own instance, which
 * acceptors accept (phase 2b). The transaction commits once, in every instance, a majority of
 * acceptors accepted "prepared" in one ballot, and aborts once some instance chose "aborted". A
 * leader that times out runs a ballot b > 0 on an instance: phase 1a/1b, then a phase 2a with
 * the value of the highest-ballot vote the phase 1b quorum reports, or "aborted" if none voted.
 * Leader selection is not modelled: any process may act as a leader, several at once.
 *
 * Properties
 * - consistent (TC!TCConsistent): no RM has aborted while another has committed.
 * - onePhase1bPerBallot: an acceptor sends at most one phase 1b per instance and ballot, so
 *   Phase2a's inner `\E m \in mset : m.acc = ac` has at most one witness and is a guard here.
 * - onePhase2aPerBallot: at most one phase 2a per instance and ballot, so Phase2a's
 *   `CHOOSE m \in mset : m.bal = maxbal` has one possible value (TLC's pick cannot matter).
 *   (These two are not in the original: they check that this port counts as TLC does.)
 * - someCommit (sometimes): some RM commits.
 * PCTypeOK is enforced by the declared types (a value outside them is error SYN304): ballots,
 * the -1 "no ballot" sentinel, "none", and every message field are typed as in Message.
 *
 * Params: rm (RMs), acceptors, ballots (Ballot = 0..ballots-1, at least 2 so that leaders have
 * a ballot). Majority = every set of floor(acceptors/2)+1 acceptors: for 3 acceptors exactly
 * the cfg's {{a1,a2},{a1,a3},{a2,a3}}. Defaults rm=2, acceptors=1, ballots=2 (well under a
 * second; with one acceptor Paxos Commit degenerates to two-phase commit, the acceptor acting
 * as the transaction manager). Benchmark, TLC's PaxosCommit.cfg:
 *   synod check specs/paxos-commit.ts --no-symmetry --param rm=2 --param acceptors=3 --param ballots=2
 * TLC (no SYMMETRY in the cfg; invariant PCTypeOK; deadlock checking on): 1,321,761 distinct
 * states, 16,959,159 generated, depth 28. synod gives the same with --no-symmetry; with symmetry
 * of RM and Acceptor (the default) 119,992 orbits, 1,545,109 generated, depth 28.
 *
 * Counting as TLC: each disjunct of PCNext is an action and its `\E rm`, `\E bal, rm`, `\E acc`
 * are parameters; so is every `\E` TLC enumerates inside an action, one successor per witness
 * (duplicates included): Phase2a's `\E MS \in Majority`, Phase1b/Phase2b's `\E m \in msgs`, and
 * Decide's branch with its Decided witnesses (`\E b \in Ballot, MS \in Majority` for every RM
 * to commit, for some RM to abort).
 * Deadlock: none, so no terminal states: Phase1a is always enabled (re-sending a phase 1a is a
 * stuttering step), and TLC's numbers come from its default run, deadlock checking on.
 *
 * Variants
 * - commitOnOne: Decide commits once ANY instance chose "prepared" instead of every instance;
 *   an RM that chose to abort disagrees with one that received Commit. Breaks consistent.
 * - skipPhase1: a leader sends a ballot b > 0 phase 2a "aborted" without a phase 1 quorum, and
 *   overturns the "prepared" already chosen at ballot 0. Breaks consistent.
 *
 * Network: the set of messages ever sent (no loss; reordering and duplication implicit; a
 * broadcast is one message). Faults: any RM or leader may stop at any time (nothing is forced);
 * acceptors never forget.
 */
import { List, Map, Set } from 'immutable';
import { action, always, defineSpec, majorityQuorums, sometimes, t, type Infer } from 'synod';

const Val = t.enum('prepared', 'aborted');
const AVal = t.enum('prepared', 'aborted', 'none');

function types(p: { rm: number; acceptors: number; ballots: number }) {
  const RM = t.scalarset('RM', p.rm);
  const Acceptor = t.scalarset('Acceptor', p.acceptors);
  const Ballot = t.int(0, p.ballots - 1);
  const BallotOrNone = t.int(-1, p.ballots - 1); // Ballot \cup {-1}
  const Msg = t.union('type', {
    phase1a: { ins: RM, bal: t.int(1, p.ballots - 1) }, // Ballot \ {0}
    phase1b: { ins: RM, mbal: Ballot, bal: BallotOrNone, val: AVal, acc: Acceptor },
    phase2a: { ins: RM, bal: Ballot, val: Val },
    phase2b: { acc: Acceptor, ins: RM, bal: Ballot, val: Val },
    Commit: {},
    Abort: {},
  });
  const AState = t.record({ mbal: Ballot, bal: BallotOrNone, val: AVal });
  const state = t.record({
    rmState: t.map(RM, t.enum('working', 'prepared', 'committed', 'aborted')),
    aState: t.map(RM, t.map(Acceptor, AState)),
    msgs: t.set(Msg),
  });
  const Majority = majorityQuorums(Acceptor.values);
  const Ballots = Array.from({ length: p.ballots }, (_, b) => b);
  const BallotMajorities = product<unknown>([Ballots, Majority]) as Array<[number, Set<string>]>; // Ballot \X Majority
  // Each MS of BallotMajorities as a bitmask of acceptor indices, for Decided.
  const BallotMajorityMasks = BallotMajorities.map(([, ms]) => ms.reduce((mask, a) => mask | (1 << Acceptor.index.get(a)!), 0));
  return { RM, Acceptor, Msg, AState, Majority, Ballots, BallotMajorities, BallotMajorityMasks, state, indexes: new WeakMap<object, Index>() };
}
type PC = ReturnType<typeof types>;
type S = Infer<PC['state']>;
type M = Infer<PC['Msg']>;
type Of<K extends string> = Extract<M, { type: K }>;

function product<X>(lists: readonly (readonly X[])[]): X[][] {
  return lists.reduce<X[][]>((acc, l) => acc.flatMap((xs) => l.map((x) => [...xs, x])), [[]]);
}

/**
 * The messages sorted by what reads them, built once per message set (the explorer hands the
 * same object to every action and property): phase 1a, 1b and 2a lists, and the phase 2b votes
 * as bitmasks of acceptors: votes.get(`${rm} ${v}`)![b] holds acceptor i when it sent (rm, b, v).
 */
interface Index { phase1a: Of<'phase1a'>[]; phase2a: Of<'phase2a'>[]; phase1b: Of<'phase1b'>[]; votes: globalThis.Map<string, number[]> }
function indexOf(T: PC, s: S): Index {
  let x = T.indexes.get(s.msgs);
  if (x === undefined) {
    x = { phase1a: [], phase2a: [], phase1b: [], votes: new globalThis.Map() };
    for (const m of s.msgs) {
      if (m.type === 'phase1a') x.phase1a.push(m);
      else if (m.type === 'phase2a') x.phase2a.push(m);
      else if (m.type === 'phase1b') x.phase1b.push(m);
      else if (m.type === 'phase2b') {
        const key = `${m.ins} ${m.val}`;
        let masks = x.votes.get(key);
        if (masks === undefined) x.votes.set(key, (masks = T.Ballots.map(() => 0)));
        masks[m.bal] = masks[m.bal]! | (1 << T.Acceptor.index.get(m.acc)!);
      }
    }
    T.indexes.set(s.msgs, x);
  }
  return x;
}

/** The witnesses <<b, MS>> of Decided(rm, v): every acceptor of MS sent phase 2b (rm, b, v). */
function decided(T: PC, s: S, rm: string, v: string): List<unknown>[] {
  const masks = indexOf(T, s).votes.get(`${rm} ${v}`);
  if (masks === undefined) return [];
  const out: List<unknown>[] = [];
  T.BallotMajorities.forEach((w, i) => {
    const ms = T.BallotMajorityMasks[i]!;
    if ((masks[w[0]]! & ms) === ms) out.push(List(w));
  });
  return out;
}

const send = (s: S, m: M): S => s.update('msgs', (ms) => ms.add(m));

export default defineSpec({
  name: 'paxos-commit',
  description: "Gray and Lamport's Paxos Commit: one Paxos instance per resource manager decides commit or abort",
  params: {
    rm: { default: 2, min: 1, max: 6, doc: 'number of resource managers' },
    acceptors: { default: 1, min: 1, max: 7, doc: 'number of acceptors (Majority: every set of floor(n/2)+1)' },
    ballots: { default: 2, min: 2, max: 6, doc: 'number of ballots: Ballot = 0..ballots-1' },
  },
  types,
  init: (T) =>
    T.state.make({
      rmState: Map(T.RM.values.map((r) => [r, 'working'] as const)),
      aState: Map(T.RM.values.map((r) =>
        [r, Map(T.Acceptor.values.map((a) => [a, T.AState.make({ mbal: 0, bal: -1, val: 'none' })] as const))] as const)),
      msgs: Set(),
    }),
  actions: (T) => {
    const commit = T.Msg.make({ type: 'Commit' });
    const abort = T.Msg.make({ type: 'Abort' });
    const leaderBallots = T.Ballots.slice(1); // Ballot \ {0}
    return {
      RMPrepare: action({
        over: [T.RM],
        when: (s, rm) => s.rmState.get(rm) === 'working',
        then: (s, rm) => send(s.setIn(['rmState', rm], 'prepared'), T.Msg.make({ type: 'phase2a', ins: rm, bal: 0, val: 'prepared' })),
      }),
      RMChooseToAbort: action({
        over: [T.RM],
        when: (s, rm) => s.rmState.get(rm) === 'working',
        then: (s, rm) => send(s.setIn(['rmState', rm], 'aborted'), T.Msg.make({ type: 'phase2a', ins: rm, bal: 0, val: 'aborted' })),
      }),
      RMRcvCommitMsg: action({
        over: [T.RM],
        when: (s) => s.msgs.has(commit),
        then: (s, rm) => s.setIn(['rmState', rm], 'committed'),
      }),
      RMRcvAbortMsg: action({
        over: [T.RM],
        when: (s) => s.msgs.has(abort),
        then: (s, rm) => s.setIn(['rmState', rm], 'aborted'),
      }),
      Phase1a: action({
        over: [leaderBallots, T.RM],
        then: (s, bal, rm) => send(s, T.Msg.make({ type: 'phase1a', ins: rm, bal })),
      }),
      Phase2a: action({
        over: [leaderBallots, T.RM, T.Majority],
        when: (s, bal, rm, MS: Set<string>) => {
          const x = indexOf(T, s);
          return !x.phase2a.some((m) => m.bal === bal && m.ins === rm) &&
            MS.every((ac) => x.phase1b.some((m) => m.ins === rm && m.mbal === bal && m.acc === ac));
        },
        then: (s, bal, rm, MS: Set<string>) => {
          // maxbal over mset = the phase 1b messages of MS for (rm, bal); val from one with maxbal.
          let maxbal = -1;
          let val: 'prepared' | 'aborted' = 'aborted';
          for (const m of indexOf(T, s).phase1b) {
            if (m.ins !== rm || m.mbal !== bal || !MS.has(m.acc) || m.bal <= maxbal) continue;
            maxbal = m.bal;
            val = m.val as 'prepared' | 'aborted'; // bal >= 0, so not 'none' (the codec would refuse it)
          }
          return send(s, T.Msg.make({ type: 'phase2a', ins: rm, bal, val }));
        },
      }),
      // One successor per witness, as TLC counts them: Commit takes a Decided witness <<b, MS>>
      // for every RM (shown as rm -> <<b, MS>>), Abort one <<rm, b, MS>> for some RM.
      Decide: action({
        over: [
          ['Commit', 'Abort'],
          (s: S, d: string) => d === 'Commit'
            ? product(T.RM.values.map((rm) => decided(T, s, rm, 'prepared'))).map((ws) => Map(ws.map((w, i) => [T.RM.values[i]!, w])))
            : T.RM.values.flatMap((rm) => decided(T, s, rm, 'aborted').map((w) => w.unshift(rm))),
        ],
        then: (s, d: string) => send(s, d === 'Commit' ? commit : abort),
      }),
      // `\E m \in msgs : m.type = "phase1a" /\ ...`: the type test is folded into the domain.
      Phase1b: action({
        over: [T.Acceptor, (s: S) => indexOf(T, s).phase1a],
        when: (s, acc, m: Of<'phase1a'>) => s.aState.get(m.ins)!.get(acc)!.mbal < m.bal,
        then: (s, acc, m: Of<'phase1a'>) => {
          const a = s.aState.get(m.ins)!.get(acc)!;
          return send(s.setIn(['aState', m.ins, acc, 'mbal'], m.bal),
            T.Msg.make({ type: 'phase1b', ins: m.ins, mbal: m.bal, bal: a.bal, val: a.val, acc }));
        },
      }),
      Phase2b: action({
        over: [T.Acceptor, (s: S) => indexOf(T, s).phase2a],
        when: (s, acc, m: Of<'phase2a'>) => s.aState.get(m.ins)!.get(acc)!.mbal <= m.bal,
        then: (s, acc, m: Of<'phase2a'>) =>
          send(s.setIn(['aState', m.ins, acc], T.AState.make({ mbal: m.bal, bal: m.bal, val: m.val })),
            T.Msg.make({ type: 'phase2b', ins: m.ins, bal: m.bal, val: m.val, acc })),
      }),
    };
  },
  properties: (T) => {
    /** No two messages of `list` share a key. */
    const unique = <X>(list: X[], key: (m: X) => string) => new globalThis.Set(list.map(key)).size === list.length;
    return {
      consistent: always((s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed'))),
      onePhase1bPerBallot: always((s) => unique(indexOf(T, s).phase1b, (m) => `${m.ins} ${m.mbal} ${m.acc}`)),
      onePhase2aPerBallot: always((s) => unique(indexOf(T, s).phase2a, (m) => `${m.ins} ${m.bal}`)),
      someCommit: sometimes((s) => s.rmState.includes('committed')),
    };
  },
  variants: {
    commitOnOne: {
      description: 'Decide commits once any one instance chose "prepared", instead of every instance',
      actions: (T) => ({
        Decide: action({
          over: [
            ['Commit', 'Abort'],
            (s: S, d: string) => T.RM.values.flatMap((rm) =>
              decided(T, s, rm, d === 'Commit' ? 'prepared' : 'aborted').map((w) => w.unshift(rm))),
          ],
          then: (s, d: string) => send(s, T.Msg.make({ type: d === 'Commit' ? 'Commit' : 'Abort' })),
        }),
      }),
    },
    skipPhase1: {
      description: 'a leader sends a ballot b > 0 phase 2a "aborted" without collecting phase 1b messages',
      actions: (T) => ({
        Phase2a: action({
          over: [T.Ballots.slice(1), T.RM],
          when: (s, bal, rm) => !indexOf(T, s).phase2a.some((m) => m.bal === bal && m.ins === rm),
          then: (s, bal, rm) => send(s, T.Msg.make({ type: 'phase2a', ins: rm, bal, val: 'aborted' })),
        }),
      }),
    },
  },
});
