// A state as the explorer page shows it, directed by the declared types: the fields that are
// maps keyed by one id type (a scalarset or an enum) are grouped into a table with a row per
// id (Raft's role, term and votedFor side by side for each node); sets (message soups) become
// lists marking what the last step added and removed; anything else nests as small tables.
// Every cell says whether the last step changed it.
import { is, List, Map as IMap, Set as ISet } from 'immutable';
import type { RecordType, Type } from '../spec/types.js';
import { formatValue } from '../report/format.js';

export type Cell =
  | { kind: 'text'; text: string; changed: boolean }
  | { kind: 'list'; items: Item[]; changed: boolean }
  | { kind: 'table'; rows: Array<{ key: string; cell: Cell }>; changed: boolean };

/** A list item; a message also says the step that sent it (0-based) and whether it was delivered. */
export interface Item { text: string; mark: 'added' | 'removed' | null; sent?: number; delivered?: boolean }

/** What the trace says about the messages of the network field: when each was sent, which were delivered. */
export interface MessageHistory { field: string; sent: Map<string, number>; delivered: Set<string> }

/** Top-level maps over one id type, side by side: a row per id, a column per field. */
export interface Group {
  keyType: string;
  columns: string[];
  rows: Array<{ key: string; cells: Cell[] }>;
}

export interface RenderedState {
  groups: Group[];
  fields: Array<{ name: string; cell: Cell }>;
}

/** Renders `s`, marking what changed since `prev` (undefined for an initial state). */
export function renderState(type: RecordType, s: unknown, prev: unknown, messages: MessageHistory | null = null): RenderedState {
  const groups = new Map<Type, Group>();
  const fields: RenderedState['fields'] = [];
  for (const [name, ft] of type.fields) {
    const v = (s as any).get(name);
    const before = prev === undefined ? undefined : (prev as any).get(name);
    const key = groupKey(ft);
    if (key === null) {
      const cell = renderCell(ft, v, before);
      fields.push({ name, cell: messages?.field === name && cell.kind === 'list' ? inSendingOrder(cell, messages) : cell });
      continue;
    }
    let g = groups.get(key);
    if (!g) {
      g = { keyType: typeName(key), columns: [], rows: [...(v as IMap<unknown, unknown>).keys()].map((k) => ({ key: formatValue(k), cells: [] })) };
      groups.set(key, g);
    }
    g.columns.push(name);
    const valueType = (ft as Extract<Type, { kind: 'map' }>).value;
    [...(v as IMap<unknown, unknown>).entries()].forEach(([k, x], i) => {
      g!.rows[i]!.cells.push(renderCell(valueType, x, before === undefined ? undefined : (before as IMap<unknown, unknown>).get(k)));
    });
  }
  return { groups: [...groups.values()], fields };
}

/** The key type of a total map over ids, which groups fields into one table; else null. */
function groupKey(t: Type): Type | null {
  return t.kind === 'map' && t.total && (t.key.kind === 'scalarset' || t.key.kind === 'enum') ? t.key : null;
}

function typeName(t: Type): string {
  return t.kind === 'scalarset' ? t.name : t.kind === 'enum' ? t.values.join(' | ') : t.kind;
}

function renderCell(t: Type, v: unknown, prev: unknown): Cell {
  const changed = prev !== undefined && !is(v, prev);
  switch (t.kind) {
    case 'option':
      return v === null || v === undefined ? { kind: 'text', text: 'none', changed } : withChanged(renderCell(t.inner, v, prev ?? undefined), changed);
    case 'set': {
      const now = v as ISet<unknown>;
      const was = prev as ISet<unknown> | undefined;
      const items: Item[] = [...now].map((x) => ({ text: formatValue(x), mark: was && !was.has(x) ? 'added' : null }));
      if (was) for (const x of was) if (!now.has(x)) items.push({ text: formatValue(x), mark: 'removed' });
      return { kind: 'list', items, changed };
    }
    case 'seq':
      return { kind: 'list', items: [...(v as List<unknown>)].map((x) => ({ text: formatValue(x), mark: null })), changed };
    case 'map': {
      const m = v as IMap<unknown, unknown>;
      const was = prev as IMap<unknown, unknown> | undefined;
      const rows = [...m].map(([k, x]) => ({ key: formatValue(k), cell: renderCell(t.value, x, was === undefined ? undefined : was.has(k) ? was.get(k) : null) }));
      return { kind: 'table', rows, changed };
    }
    case 'record': {
      const rows = t.fields.map(([k, ft]) => ({ key: k, cell: renderCell(ft, (v as any).get(k), prev == null ? undefined : (prev as any).get(k)) }));
      return { kind: 'table', rows, changed };
    }
    default:
      return { kind: 'text', text: formatValue(v), changed };
  }
}

function withChanged(c: Cell, changed: boolean): Cell {
  return { ...c, changed };
}

/** A message set in the order its messages were sent (not hash order), each with its step. */
function inSendingOrder(cell: Extract<Cell, { kind: 'list' }>, h: MessageHistory): Cell {
  const items = cell.items.map((i) => ({ ...i, sent: h.sent.get(i.text), delivered: h.delivered.has(i.text) }));
  const rank = (i: Item) => (i.mark === 'removed' ? Infinity : i.sent ?? -1);
  return { ...cell, items: items.map((i, k) => [i, k] as const).sort(([a, j], [b, k]) => rank(a) - rank(b) || j - k).map(([i]) => i) };
}
