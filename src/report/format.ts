// Values as people read them in traces: records [a: 1], union variants Prepared(rm: r1),
// maps [r1 -> working], sets {a, b}, sequences <<a, b>>, absent options as `none`.
import { List, Map as IMap, Record as IRecord, Set as ISet } from 'immutable';

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v !== 'object') return String(v);
  if (IRecord.isRecord(v)) return formatRecord(v);
  if (IMap.isMap(v)) {
    const parts = [...(v as IMap<unknown, unknown>)].map(([k, x]) => `${formatValue(k)} -> ${formatValue(x)}`);
    return `[${parts.join(', ')}]`;
  }
  if (ISet.isSet(v)) return `{${[...(v as ISet<unknown>)].map(formatValue).join(', ')}}`;
  if (List.isList(v)) return `<<${[...(v as List<unknown>)].map(formatValue).join(', ')}>>`;
  return JSON.stringify(v);
}

function formatRecord(r: object): string {
  const name = IRecord.getDescriptiveName(r as any);
  const entries = Object.entries((r as any).toObject() as object);
  if (name && name !== 'Record') {
    // A union variant: its tag field holds its own name; show it as Name(fields).
    const fields = entries.filter(([, x]) => x !== name);
    return fields.length === 0 ? name : `${name}(${fields.map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')})`;
  }
  return `[${entries.map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')}]`;
}

/** An action instance as `Name(arg1, arg2)`, or `Name` without arguments. */
export function formatAction(name: string, args: readonly unknown[]): string {
  return args.length === 0 ? name : `${name}(${args.map(formatValue).join(', ')})`;
}
