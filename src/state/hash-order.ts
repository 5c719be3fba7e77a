// The order in which Immutable iterates a Set or Map of more than eight entries. Up to eight it
// keeps an array of entries in insertion order; beyond, a hashed trie whose nodes hold their
// children by 5-bit fragments of the key's hash, lowest fragment first, so iteration runs in
// the order of those fragments read from the lowest up (keys of equal hashes share a node, in
// the order they went into the trie).
// Synod keeps a decoded message set of more than eight messages as an array of entries already
// in that order (provenance.ts): what a spec iterates is what Immutable's trie would give it,
// so successor order, counts and traces stay as they were.
import { hash, is } from 'immutable';

export type Pair = [unknown, unknown];

/** A hash's place in trie order: its fragments (5 bits, the last 2), lowest first, as one number. */
export function trieKey(h: number): number {
  const u = h >>> 0;
  return (u & 31) * 0x8000000 + ((u >>> 5) & 31) * 0x400000 + ((u >>> 10) & 31) * 0x20000 +
    ((u >>> 15) & 31) * 0x1000 + ((u >>> 20) & 31) * 0x80 + ((u >>> 25) & 31) * 4 + (u >>> 30);
}

/**
 * The trie-order key of a value, from the hash Immutable's Map gives it; kept on a declared
 * record (a slot makeRecord gives every record), which never changes once built.
 */
export function orderKey(x: unknown): number {
  if (typeof x !== 'object' || x === null) return trieKey(hash(x));
  const r = x as { __synodTrie?: number; __synodFields?: unknown; __ownerID?: unknown };
  const kept = r.__synodTrie;
  if (kept !== undefined) return kept;
  const k = trieKey(hash(x));
  if (r.__synodFields !== undefined && r.__ownerID === undefined) r.__synodTrie = k;
  return k;
}

/**
 * Where x lies among entries in trie order: its index when there (by is()), otherwise
 * -1 - (where it goes: after the entries of its hash, which Immutable keeps in insertion order).
 */
export function search(entries: readonly Pair[], x: unknown): number {
  const k = orderKey(x);
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (orderKey(entries[mid]![0]) <= k) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && orderKey(entries[i]![0]) === k; i--) if (is(entries[i]![0], x)) return i;
  return -1 - lo;
}

/** entries with [x, x] put at index `at` (a new array). */
export function insertAt(entries: readonly Pair[], at: number, x: unknown): Pair[] {
  const out = new Array<Pair>(entries.length + 1);
  for (let i = 0; i < at; i++) out[i] = entries[i]!;
  out[at] = [x, x];
  for (let i = at; i < entries.length; i++) out[i + 1] = entries[i]!;
  return out;
}

/**
 * Entries (distinct keys) listed in the order they went into a trie, in the order that trie
 * iterates them (a new array): by trie key, entries of equal hashes in insertion order.
 */
export function inTrieOrder(inserted: readonly Pair[]): Pair[] {
  const keys = inserted.map((e) => orderKey(e[0]));
  const order = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return order.map((i) => inserted[i]!);
}

/**
 * The order in which a trie gets the entries of a set built by adding them one by one in this
 * order: Immutable turns eight entries into a trie when a ninth comes, putting the ninth in first.
 */
export function insertionIntoTrie<T>(added: readonly T[]): T[] {
  if (added.length <= ARRAY_MAP_MAX) return added.slice();
  return [added[ARRAY_MAP_MAX]!, ...added.slice(0, ARRAY_MAP_MAX), ...added.slice(ARRAY_MAP_MAX + 1)];
}

/** The order in which to add entries one by one so that the trie gets them in this order (undoes the above). */
export function additionsFor<T>(intoTrie: readonly T[]): T[] {
  if (intoTrie.length <= ARRAY_MAP_MAX) return intoTrie.slice();
  return [...intoTrie.slice(1, ARRAY_MAP_MAX + 1), intoTrie[0]!, ...intoTrie.slice(ARRAY_MAP_MAX + 1)];
}

/** Immutable's MAX_ARRAY_MAP_SIZE: larger maps and sets hash their keys into a trie. */
export const ARRAY_MAP_MAX = 8;
