// Why a state breaks an invariant, for the explorer page: the fields the property read (the
// reads are recorded while it runs), and a minimal part of the state that still breaks it. The
// latter is found by delta debugging against the initial state: every map entry, set element or
// other field that differs from it is put back (or removed) one at a time, keeping each change
// that leaves the property broken. What is left is what the property needs to fail: in Paxos,
// the Accepted messages of the two quorums that chose different values.
import { is, Map as IMap, Set as ISet } from 'immutable';
import type { RecordType } from '../spec/types.js';
import { formatValue } from '../report/format.js';

/** A part of the state: a whole field, one entry of a map field, or one element of a set field. */
export interface Part { field: string; key?: string; item?: string }

export interface Why {
  /** The state's fields the property read, in declaration order. */
  read: string[];
  /** A minimal part of the state, changed since the initial state, that breaks the property. */
  parts: Part[];
}

type Rec = { get(k: string): unknown; set(k: string, v: unknown): Rec };

/** Runs `check` on `s` and says which of its fields it read. */
function readsOf(type: RecordType, check: (s: unknown) => boolean, s: unknown): string[] {
  const fields = new Set(type.fields.map(([f]) => f));
  const read = new Set<string>();
  const target = s as object;
  const spy = new Proxy(target, {
    get(t, k) {
      if (typeof k === 'string' && fields.has(k)) read.add(k);
      if (k === 'get') return (name: string, d?: unknown) => { if (fields.has(name)) read.add(name); return (t as Rec & { get(k: string, d?: unknown): unknown }).get(name, d); };
      return Reflect.get(t, k, t);
    },
  });
  try {
    check(spy);
  } catch {
    // a property that throws is reported elsewhere; whatever it read so far still counts
  }
  return type.fields.map(([f]) => f).filter((f) => read.has(f));
}

/** Each way `cur` differs from `init`, as an undo that brings one part back. */
function differences(type: RecordType, cur: Rec, init: Rec): Array<{ part: Part; undo: (s: Rec) => Rec }> {
  const out: Array<{ part: Part; undo: (s: Rec) => Rec }> = [];
  for (const [field] of type.fields) {
    const now = cur.get(field);
    const was = init.get(field);
    if (is(now, was)) continue;
    if (IMap.isMap(now) && IMap.isMap(was)) {
      for (const [k, v] of now as IMap<unknown, unknown>) {
        if ((was as IMap<unknown, unknown>).has(k) && is(v, (was as IMap<unknown, unknown>).get(k))) continue;
        const undo = (s: Rec) => s.set(field, (was as IMap<unknown, unknown>).has(k)
          ? (s.get(field) as IMap<unknown, unknown>).set(k, (was as IMap<unknown, unknown>).get(k))
          : (s.get(field) as IMap<unknown, unknown>).delete(k));
        out.push({ part: { field, key: formatValue(k) }, undo });
      }
    } else if (ISet.isSet(now) && ISet.isSet(was)) {
      for (const x of now as ISet<unknown>) {
        if ((was as ISet<unknown>).has(x)) continue;
        out.push({ part: { field, item: formatValue(x) }, undo: (s) => s.set(field, (s.get(field) as ISet<unknown>).delete(x)) });
      }
    } else {
      out.push({ part: { field }, undo: (s) => s.set(field, was) });
    }
  }
  return out;
}

/** Why `cur` breaks the invariant `check` (which `init` satisfies, or nothing is minimised). */
export function whyBroken(type: RecordType, check: (s: unknown) => boolean, cur: unknown, init: unknown): Why {
  const breaks = (s: unknown): boolean => {
    try {
      return !check(s);
    } catch {
      return false; // a state the property cannot even read: keep the part that led there
    }
  };
  const read = readsOf(type, check, cur);
  return { read, parts: breaks(init) ? [] : essentialParts(type, breaks, cur, init) };
}

/**
 * The parts of `cur` that differ from `base` and that `keeps` needs: each difference is undone
 * in turn and stays undone when `keeps` still holds (one pass, so the result is minimal: undoing
 * any one part left would make `keeps` fail). `keeps(cur)` must hold and `keeps(base)` not.
 */
export function essentialParts(type: RecordType, keeps: (s: unknown) => boolean, cur: unknown, base: unknown): Part[] {
  let s = cur as Rec;
  const parts: Part[] = [];
  for (const d of differences(type, s, base as Rec)) {
    const without = d.undo(s);
    if (keeps(without)) s = without;
    else parts.push(d.part);
  }
  return parts;
}
