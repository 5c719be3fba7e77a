// Cold path: when an encoder rejects a value, walk it against its type to name the bad field.
import { List, Map as IMap, Set as ISet } from 'immutable';
import { describeType, type Type } from '../spec/types.js';

/** Where a value leaves its type, as "path: expected ..., got ...", or null if it fits. */
export function findInvalid(type: Type, value: unknown, path = 'state'): string | null {
  const bad = (): string => `${path}: expected ${describeType(type)}, got ${show(value)}`;
  switch (type.kind) {
    case 'int':
      return Number.isInteger(value) && (value as number) >= type.lo && (value as number) <= type.hi ? null : bad();
    case 'bool':
      return typeof value === 'boolean' ? null : bad();
    case 'enum':
    case 'scalarset':
      return type.index.has(value as string) ? null : bad();
    case 'option':
      if (value === undefined) return `${path}: expected null or ${describeType(type.inner)}, got undefined`;
      return value === null ? null : findInvalid(type.inner, value, path);
    case 'record': {
      if (!(value instanceof type.factory)) return bad();
      for (const [k, ft] of type.fields) {
        const r = findInvalid(ft, (value as any).get(k), `${path}.${k}`);
        if (r) return r;
      }
      return null;
    }
    case 'union': {
      const i = type.byTag.get((value as any)?.get?.(type.tag));
      return i === undefined ? bad() : findInvalid(type.variants[i]![1], value, path);
    }
    case 'map': {
      if (!IMap.isMap(value)) return bad();
      const m = value as IMap<unknown, unknown>;
      for (const [k, v] of m) {
        const r = findInvalid(type.key, k, `${path} key`) ?? findInvalid(type.value, v, `${path}[${show(k)}]`);
        if (r) return r;
      }
      if (type.total && m.size !== type.key.size) {
        return `${path}: a total map needs all ${type.key.size} keys of ${describeType(type.key)}, got ${m.size}`;
      }
      return null;
    }
    case 'set': {
      if (!ISet.isSet(value)) return bad();
      for (const e of value as ISet<unknown>) {
        const r = findInvalid(type.elem, e, `${path} element`);
        if (r) return r;
      }
      return null;
    }
    case 'seq': {
      if (!List.isList(value)) return bad();
      const l = value as List<unknown>;
      if (l.size > type.max) return `${path}: at most ${type.max} elements allowed, got ${l.size}`;
      let i = 0;
      for (const e of l) {
        const r = findInvalid(type.elem, e, `${path}[${i++}]`);
        if (r) return r;
      }
      return null;
    }
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v}'`;
  if (v !== null && typeof v === 'object' && 'toJS' in v) {
    const name = IMap.isMap(v) ? 'Map' : ISet.isSet(v) ? 'Set' : List.isList(v) ? 'List' : 'Record';
    return `${name} ${JSON.stringify((v as any).toJS())}`;
  }
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
