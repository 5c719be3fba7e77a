// DOM builders for the explorer's panels: the state (tables by declared type), the action
// instances, the trace and the property status. Pure functions of the server's JSON.

/** Makes an element: el('td', { class: 'key' }, 'n1', child). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function cell(c) {
  const cls = c.changed ? 'changed' : undefined;
  if (c.kind === 'text') return el('span', { class: cls }, c.text);
  if (c.kind === 'list') {
    // A list marks the items added and removed, not the whole list.
    if (c.items.length === 0) return el('span', { class: 'empty' }, '(empty)');
    // Messages come in the order they were sent, with the step that sent them; delivered ones are greyed.
    return el('ul', { class: 'items' }, c.items.map((i) => el('li', {
      class: [i.mark, i.delivered ? 'delivered' : null].filter(Boolean).join(' ') || undefined,
      title: [i.mark, i.sent != null ? `sent at step ${i.sent + 1}` : null, i.delivered ? 'delivered' : null].filter(Boolean).join(', ') || undefined,
      'data-item': i.text,
    }, i.sent != null ? el('span', { class: 'sent' }, `${i.sent + 1}`) : null, i.text)));
  }
  return el('table', { class: `nested ${cls ?? ''}` }, c.rows.map((r) => el('tr', {}, el('td', {}, `${r.key}:`), el('td', {}, cell(r.cell)))));
}

/** Per-node maps as one table per id type (a row per id), then the other fields. */
export function stateView(state) {
  const out = [];
  for (const g of state.groups) {
    out.push(el('table', { class: 'group', 'data-group': g.keyType },
      el('tr', {}, el('th', {}, g.keyType), g.columns.map((c) => el('th', { 'data-column': c }, c))),
      g.rows.map((r) => el('tr', { 'data-key': r.key }, el('td', { class: 'key' }, r.key),
        r.cells.map((c, i) => el('td', { class: c.changed && c.kind !== 'list' ? 'changed' : undefined, 'data-field': g.columns[i] }, cell(c)))))));
  }
  if (state.fields.length) {
    out.push(el('table', { class: 'fields' }, state.fields.map((f) =>
      el('tr', { 'data-field': f.name }, el('th', {}, f.name), el('td', { class: f.cell.changed && f.cell.kind !== 'list' ? 'changed' : undefined }, cell(f.cell))))));
  }
  return out;
}

/** Action instances grouped by action: enabled ones as buttons with a preview, disabled greyed with the reason. */
export function actionsView(actions, onTake, docs = {}) {
  const groups = new Map();
  for (const a of actions) {
    if (!groups.has(a.action)) groups.set(a.action, []);
    groups.get(a.action).push(a);
  }
  return [...groups].map(([name, list]) => el('div', { class: `action-group${list.some((a) => a.enabled) ? '' : ' all-disabled'}` },
    el('h3', { title: docs[name] }, name),
    list.map((a) => {
      if (!a.enabled) {
        return el('div', { class: 'instance disabled' },
          el('button', { class: 'action', disabled: true, title: a.reason, 'data-label': a.label }, a.label),
          el('span', { class: 'reason' }, a.reason));
      }
      const breaks = a.breaks.length ? `breaks ${a.breaks.join(', ')}` : undefined;
      return el('div', { class: 'instance enabled' },
        el('button', { class: `action${breaks ? ' breaks' : ''}`, 'data-label': a.label, 'data-ordinal': a.ordinal, title: breaks ?? 'take this step', onclick: () => onTake(a.ordinal) }, a.label),
        el('div', { class: 'preview' }, a.changes.length ? a.changes.slice(0, 6).join('\n') + (a.changes.length > 6 ? `\n… ${a.changes.length - 6} more` : '') : '(no change)', breaks ? `\n⚠ ${breaks}` : null));
    })));
}

/**
 * The trace so far, and (greyed) the steps after the current one of the trace it was cut from.
 * A lasso marks the state its cycle starts at and its last step: back there, or stuttering.
 */
export function traceView(steps, future, currentPath, onGo, lasso, violations = []) {
  const last = steps.length + future.length - 1;
  const mark = (i) => {
    if (!lasso) return null;
    if (i === last) return el('span', { class: 'loop-mark', 'data-loop': lasso.cycles ? 'back' : 'stutter' }, lasso.cycles ? `↺ back to state ${lasso.loop + 1}` : '↻ stutters for ever here');
    if (i === lasso.loop) return el('span', { class: 'loop-mark', 'data-loop': 'start' }, '↓ the cycle starts here');
    return null;
  };
  const inCycle = (i) => lasso && lasso.cycles && i > lasso.loop && i <= last;
  const broke = (i) => violations.filter((v) => v.at === i).map((v) => v.name);
  // Items take focus (Tab, then Enter), so the trace can be walked without a mouse.
  const item = (s, i, cls) => el('li', {
    class: [cls, inCycle(i) ? 'cycle' : null, broke(i).length ? 'violates' : null].filter(Boolean).join(' ') || undefined,
    'data-path': s.path, title: `replay path ${s.path}`, tabindex: 0,
    onclick: () => onGo(s.path), onkeydown: (e) => { if (e.key === 'Enter') onGo(s.path); },
  }, s.label, s.detail ? el('span', { class: 'detail' }, s.detail) : null,
  broke(i).length ? el('span', { class: 'breaks-mark' }, `✗ breaks ${broke(i).join(', ')}`) : null, mark(i));
  return [
    ...steps.map((s, i) => item(s, i, s.path === currentPath ? 'current' : undefined)),
    ...future.map((s, i) => item(s, steps.length + i, 'future')),
  ];
}

/** What the lasso's infinite behaviour does after its last state, and whether it is fair. */
export function lassoView(lasso, length) {
  if (!lasso) return [];
  const text = lasso.cycles
    ? `A lasso: state ${length} is state ${lasso.loop + 1} again, so the cycle from state ${lasso.loop + 1} to state ${length} repeats for ever.`
    : `A lasso: the behaviour stays in state ${length} for ever (it stutters: no fair action obliges it to move).`;
  return [el('p', { class: 'lasso', id: 'lasso-text' }, text),
    lasso.unfair ? el('p', { class: 'lasso unfair' }, `This behaviour is not fair: ${lasso.unfair}.`) : null].filter(Boolean);
}

/** Liveness properties: their form and fairness, and whether this lasso (or the last Check) breaks them. */
/** A property's name and, under it, what it means in the spec author's words. */
const nameCell = (p) => el('td', {}, el('code', {}, p.name), p.doc ? el('div', { class: 'doc' }, p.doc) : null);

function livenessRow(p) {
  return el('tr', { 'data-property': p.name, 'data-status': p.status, 'data-kind': 'liveness' },
    nameCell(p),
    el('td', { class: 'hint' }, p.kind,
      el('div', { class: 'fairness', title: 'the fairness the behaviours are checked under' }, p.fairness.length ? `under ${p.fairness.join(', ')}` : 'no fairness: behaviours may stop anywhere')),
    el('td', { class: `status-${p.status.replaceAll(' ', '-')}` }, p.status, p.detail ? el('span', { class: 'hint' }, ` (${p.detail})`) : null));
}

/** What a violated invariant read, and what the highlighting in the state means. */
function whyText(p, shown, onExplain) {
  if (!p.why) return null;
  const parts = p.why.parts.length;
  if (!shown) return el('button', { class: 'why-button', onclick: () => onExplain(p.name) }, 'show why');
  return el('div', { class: 'why-text' }, `It reads ${p.why.read.join(', ') || 'nothing of the state'}. `,
    parts ? el('mark', { class: 'why' }, `Highlighted: the ${parts === 1 ? 'part' : `${parts} parts`} of this state that make it fail`) : 'No smaller part of the state breaks it.',
    parts ? ' (changed since the first state; undo any one and it holds).' : '');
}

export function propertiesView(props, ending, explained, onExplain) {
  const rows = props.map((p) => {
    if (p.fairness) return livenessRow(p);
    const at = p.firstViolated ?? p.firstReached;
    const where = at === null || at === undefined ? '' : p.status === 'violated' || p.kind === 'sometimes' ? ` (state ${at + 1})` : '';
    const status = p.kind === 'always' && p.status === 'holds' && p.firstViolated !== null ? `holds here, violated at state ${p.firstViolated + 1}` : `${p.status}${where}`;
    return el('tr', { 'data-property': p.name, 'data-status': p.status, class: p.name === explained ? 'explained' : undefined },
      nameCell(p),
      el('td', { class: 'hint' }, p.kind),
      el('td', { class: `status-${p.status.replaceAll(' ', '-')}` }, status, whyText(p, p.name === explained, onExplain)));
  });
  if (ending) rows.push(el('tr', { 'data-property': 'deadlock', 'data-status': ending }, el('td', {}, el('code', {}, 'deadlock')), el('td', { class: 'hint' }, 'no action enabled'), el('td', { class: ending === 'deadlock' ? 'status-violated' : 'hint' }, ending === 'deadlock' ? 'violated' : 'terminal (allowed)')));
  return rows;
}

/** Marks the fields a violated property read and the parts of the state that make it fail. */
export function highlightWhy(stateEl, why) {
  for (const e of stateEl.querySelectorAll('.why, .read')) e.classList.remove('why', 'read');
  if (!why) return;
  for (const f of why.read) {
    for (const e of stateEl.querySelectorAll(`th[data-column="${CSS.escape(f)}"], tr[data-field="${CSS.escape(f)}"] > th`)) e.classList.add('read');
  }
  for (const part of why.parts) {
    const field = CSS.escape(part.field);
    const scope = part.key !== undefined ? stateEl.querySelectorAll(`tr[data-key="${CSS.escape(part.key)}"] td[data-field="${field}"]`)
      : stateEl.querySelectorAll(`td[data-field="${field}"], tr[data-field="${field}"] > td`);
    for (const e of scope) {
      if (part.item === undefined) e.classList.add('why');
      else for (const li of e.querySelectorAll('li[data-item]')) if (li.dataset.item === part.item) li.classList.add('why');
    }
  }
}
