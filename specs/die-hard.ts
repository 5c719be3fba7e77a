/**
 * Die Hard: the water-jug puzzle from Die Hard 3, as in Lamport's DieHard.tla.
 *
 * Two jugs hold 3 and 5 gallons. You may fill a jug, empty it, or pour one into the other
 * until the source is empty or the target is full. Can you measure exactly 4 gallons?
 *
 * Properties
 * - typeOK: the jugs never hold more than they can (the types already bound them).
 * - notSolved: the big jug never holds 4 gallons. It FAILS, and the shortest trace (7
 *   states, 6 steps) is the puzzle's solution: that is how a model checker solves puzzles.
 * - canFillBig (sometimes): some state has a full big jug, so the spec is not vacuous.
 *
 * Params: none. Variants: none. Network and faults: none (a single sequential system).
 */
import { always, defineSpec, sometimes, t } from 'synod';

export default defineSpec({
  name: 'die-hard',
  description: 'The Die Hard jugs puzzle: measure 4 gallons with a 3- and a 5-gallon jug',
  types: () => ({
    state: t.record({ small: t.int(0, 3), big: t.int(0, 5) }),
  }),
  init: (T) => T.state.make({ small: 0, big: 0 }),
  actions: () => ({
    FillSmallJug: { then: (s) => s.set('small', 3) },
    FillBigJug: { then: (s) => s.set('big', 5) },
    EmptySmallJug: { then: (s) => s.set('small', 0) },
    EmptyBigJug: { then: (s) => s.set('big', 0) },
    SmallToBig: {
      then: (s) => {
        const big = Math.min(s.big + s.small, 5);
        return s.merge({ big, small: s.small - (big - s.big) });
      },
    },
    BigToSmall: {
      then: (s) => {
        const small = Math.min(s.big + s.small, 3);
        return s.merge({ small, big: s.big - (small - s.small) });
      },
    },
  }),
  // A parameter (even unused) lets TypeScript type `s` from the spec's state.
  properties: (_T) => ({
    typeOK: always((s) => s.small >= 0 && s.small <= 3 && s.big >= 0 && s.big <= 5),
    notSolved: always((s) => s.big !== 4),
    canFillBig: sometimes((s) => s.big === 5),
  }),
});
