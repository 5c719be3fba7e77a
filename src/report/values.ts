// State values as JSON: plain JSON for --json summaries, and ITF (the Informal Trace Format of
// Apalache and Quint) for --trace-out, which keeps ints, sets, maps and options exact.
import { List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import type { Type } from '../spec/types.js';

/** Plain JSON: records and string-keyed maps become objects, sets and lists arrays. */
export function toPlainJSON(v: unknown): unknown {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v;
  if (IRecord.isRecord(v)) return mapValues((v as any).toObject(), toPlainJSON);
  if (IMap.isMap(v)) {
    const m = v as IMap<unknown, unknown>;
    if ([...m.keys()].every((k) => typeof k === 'string')) return Object.fromEntries([...m].map(([k, x]) => [k, toPlainJSON(x)]));
    return [...m].map(([k, x]) => [toPlainJSON(k), toPlainJSON(x)]);
  }
  if (ISet.isSet(v) || List.isList(v)) return [...(v as Iterable<unknown>)].map(toPlainJSON);
  return v;
}

/** ITF, directed by the declared type so options and ints come out exact. */
export function toITF(type: Type, v: unknown): unknown {
  switch (type.kind) {
    case 'int': return { '#bigint': String(v) };
    case 'bool':
    case 'enum':
    case 'scalarset': return v;
    case 'option': return v === null || v === undefined ? { tag: 'None', value: { '#tup': [] } } : { tag: 'Some', value: toITF(type.inner, v) };
    case 'record': return Object.fromEntries(type.fields.map(([k, ft]) => [k, toITF(ft, (v as any).get(k))]));
    case 'union': {
      const variant = type.variants[type.byTag.get((v as any).get(type.tag))!]![1];
      return toITF(variant, v);
    }
    case 'map': return { '#map': [...(v as IMap<unknown, unknown>)].map(([k, x]) => [toITF(type.key, k), toITF(type.value, x)]) };
    case 'set': return { '#set': [...(v as ISet<unknown>)].map((x) => toITF(type.elem, x)) };
    case 'seq': return [...(v as List<unknown>)].map((x) => toITF(type.elem, x));
  }
}

function mapValues(o: Record<string, unknown>, f: (x: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, f(x)]));
}
