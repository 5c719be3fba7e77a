// Subsets and quorums, which quorum-based specs enumerate as action domains or read in
// properties. Orders are fixed (lexicographic by position) so that successor order, and with it
// which of several shortest traces is reported, does not depend on how a spec builds them.
import { Set as ISet } from 'immutable';

/** Every k-element subset of xs, as arrays in lexicographic order of position: [a,b], [a,c], [b,c]. */
export function subsetsOfSize<X>(xs: readonly X[], k: number): X[][] {
  if (!Number.isSafeInteger(k) || k < 0) throw new TypeError(`subsetsOfSize: size must be a whole number >= 0, got ${String(k)}`);
  const out: X[][] = [];
  const pick = (from: number, chosen: X[]): void => {
    if (chosen.length === k) { out.push([...chosen]); return; }
    // Stop when too few elements are left to fill the subset.
    for (let i = from; i <= xs.length - (k - chosen.length); i++) {
      chosen.push(xs[i]!);
      pick(i + 1, chosen);
      chosen.pop();
    }
  };
  pick(0, []);
  return out;
}

/** The size of the smallest majority of n members: floor(n/2) + 1. */
export function majority(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`majority: a member count must be a whole number >= 0, got ${String(n)}`);
  return Math.floor(n / 2) + 1;
}

/**
 * The minimal majority quorums of the members (every subset of majority(n) of them), as Immutable
 * Sets in lexicographic order. Any two of them intersect, the property majority protocols rely on.
 */
export function majorityQuorums<X>(members: readonly X[]): ISet<X>[] {
  return subsetsOfSize(members, majority(members.length)).map((q) => ISet(q));
}
