// What changed between two states, as lines like `rmState[r1]: working -> prepared` and
// `msgs: + Prepared(rm: r1)`, walking records, maps and sets structurally.
import { is, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';
import { formatValue } from './format.js';

export function diffStates(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  walk(before, after, '', out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (is(a, b)) return;
  if (IRecord.isRecord(a) && IRecord.isRecord(b) && IRecord.getDescriptiveName(a) === IRecord.getDescriptiveName(b)) {
    const ao = (a as any).toObject() as Record<string, unknown>;
    const bo = (b as any).toObject() as Record<string, unknown>;
    for (const k of Object.keys(ao)) walk(ao[k], bo[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (IMap.isMap(a) && IMap.isMap(b)) {
    const am = a as IMap<unknown, unknown>;
    const bm = b as IMap<unknown, unknown>;
    for (const [k, v] of am) {
      const at = `${path}[${formatValue(k)}]`;
      if (bm.has(k)) walk(v, bm.get(k), at, out);
      else out.push(`${at}: removed (was ${formatValue(v)})`);
    }
    for (const [k, v] of bm) if (!am.has(k)) out.push(`${path}[${formatValue(k)}]: added ${formatValue(v)}`);
    return;
  }
  if (ISet.isSet(a) && ISet.isSet(b)) {
    const as = a as ISet<unknown>;
    const bs = b as ISet<unknown>;
    for (const x of bs) if (!as.has(x)) out.push(`${path}: + ${formatValue(x)}`);
    for (const x of as) if (!bs.has(x)) out.push(`${path}: - ${formatValue(x)}`);
    return;
  }
  out.push(`${path}: ${formatValue(a)} -> ${formatValue(b)}`);
}

/** Every top-level field of a state, as `name = value` lines. */
export function describeState(s: unknown): string[] {
  if (!IRecord.isRecord(s)) return [formatValue(s)];
  return Object.entries((s as any).toObject() as object).map(([k, v]) => `${k} = ${formatValue(v)}`);
}
