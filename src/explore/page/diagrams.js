// SVG drawings: the message-sequence diagram of the trace, and the graph of the states around
// the current one.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function arrowHead(id, color) {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: color }));
}

/**
 * Lifelines across, trace steps down; an arrow per message from its send step to its receive
 * step (dashed to the bottom while in flight, dotted for a later delivery of the same message,
 * teal for messages a step read as a quorum without receiving them). The step that breaks a
 * property is marked red, a lasso's cycle bracketed on the left.
 */
export function sequenceDiagram(seq, trace, currentIndex, onGo, { violations = [], lasso = null, compact = false } = {}) {
  const unknown = seq.arrows.some((a) => a.from === null || a.to === null);
  const columns = [...seq.lifelines.map((l) => l.id), ...(unknown ? ['(network)'] : [])];
  const labels = trace.map((s, i) => `${i + 1}. ${s.label}`);
  // Full labels: the left column is as wide as the longest (13 px monospace is about 7.9 px a character).
  const left = 24 + Math.max(...labels.map((l) => l.length)) * 7.9;
  // Compact when a history is drawn beside it, so both fit a 1200 px window.
  const colW = compact ? 110 : 150;
  const top = 38;
  const rowH = 36;
  const rows = trace.length;
  const width = left + columns.length * colW;
  const height = top + (rows + 0.6) * rowH;
  const x = (id) => left + colW / 2 + colW * columns.indexOf(id ?? '(network)');
  const y = (step) => top + step * rowH + rowH / 2;
  const out = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'message sequence diagram' },
    svg('defs', {}, arrowHead('head', '#2457c5'), arrowHead('head-pending', '#6b7280'), arrowHead('head-read', '#0f8a7e')));
  trace.forEach((s, i) => {
    const broke = violations.filter((v) => v.at === i).map((v) => v.name);
    const row = svg('g', { class: `step-row${i === currentIndex ? ' current' : ''}${broke.length ? ' violates' : ''}`, style: 'cursor:pointer', 'data-step': i },
      svg('rect', { x: 0, y: top + i * rowH, width, height: rowH, fill: i % 2 ? '#fafbfc' : '#fff' }),
      svg('text', { x: 14, y: y(i) + 4, class: 'step-label' }, labels[i]),
      svg('title', {}, `${s.label}${broke.length ? ` (breaks ${broke.join(', ')})` : ''}`));
    row.addEventListener('click', () => onGo(s.path));
    out.append(row);
  });
  if (lasso && lasso.cycles) {
    const y1 = top + (lasso.loop + 0.5) * rowH;
    const y2 = top + (rows - 0.5) * rowH;
    out.append(svg('path', { class: 'cycle-bracket', d: `M 9 ${y1} L 4 ${y1} L 4 ${y2} L 9 ${y2}`, 'data-cycle': `${lasso.loop}-${rows - 1}` },
      svg('title', {}, `the lasso's cycle: from state ${lasso.loop + 1} back to it, for ever`)));
  }
  columns.forEach((id) => {
    out.append(svg('text', { x: x(id), y: 20, 'text-anchor': 'middle', style: 'font-weight:600' }, id));
    out.append(svg('line', { class: 'lifeline', x1: x(id), y1: top, x2: x(id), y2: height }));
  });
  seq.actors.forEach((a, i) => {
    if (a !== null && columns.includes(a)) out.append(svg('circle', { cx: x(a), cy: y(i), r: 4, fill: '#1d2330' }));
  });
  for (const a of seq.arrows) {
    const end = a.received ?? rows - 0.4;
    const x1 = x(a.from);
    let x2 = x(a.to);
    if (x1 === x2) x2 += 0.01; // a message to oneself: still a visible tick
    const pending = a.received === null;
    const cls = pending ? 'pending' : a.kind;
    const what = pending ? 'in flight' : a.kind === 'read' ? `read at step ${a.received + 1} (counted, not received)` : `${a.kind === 'again' ? 'delivered again' : 'received'} at step ${a.received + 1}`;
    out.append(svg('line', { class: `arrow ${cls}`, 'data-kind': a.kind, x1, y1: y(a.sent), x2, y2: y(end), 'marker-end': `url(#${pending ? 'head-pending' : a.kind === 'read' ? 'head-read' : 'head'})` },
      svg('title', {}, `${a.label}: ${a.from ?? '?'} -> ${a.to ?? '?'}, sent at step ${a.sent + 1}, ${what}`)));
    // A short label (the message's kind) just after the sender, where arrows have not fanned
    // out yet, so it rarely sits on another arrow; the whole message is in the tooltip.
    if (a.kind !== 'send' || pending) continue;
    const kind = a.label.split('(')[0];
    out.append(svg('text', { x: x1 + (x2 > x1 ? 8 : -8), y: y(a.sent) + 16, 'text-anchor': x2 > x1 ? 'start' : 'end', class: 'arrow-label' }, kind));
  }
  return out;
}

/**
 * A recorded client history beside the sequence diagram, on the same rows (trace steps down): a
 * column per client, each operation a bar from the step that called it to the step that
 * returned it (open at the bottom while pending). Operations in a violation's core are red.
 */
export function historyTimeline(h, trace, currentIndex, onGo, { labels = false, violations = [] } = {}) {
  const texts = trace.map((s, i) => (labels ? `${i + 1}. ${s.label}` : `${i + 1}.`));
  const left = 24 + Math.max(...texts.map((l) => l.length)) * 7.9;
  const colW = Math.max(120, 40 + Math.max(0, ...h.ops.map((o) => o.text.length)) * 7.9);
  const top = 38;
  const rowH = 36; // as the sequence diagram's rows
  const rows = trace.length;
  const width = left + h.processes.length * colW;
  const height = top + (rows + 0.6) * rowH;
  const x = (p) => left + colW * h.processes.indexOf(p) + 16;
  const y = (step) => top + step * rowH + rowH / 2;
  const out = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `history of ${h.property}` });
  trace.forEach((s, i) => {
    const broke = violations.some((v) => v.at === i && v.name === h.property);
    const row = svg('g', { class: `step-row${i === currentIndex ? ' current' : ''}${broke ? ' violates' : ''}`, style: 'cursor:pointer', 'data-step': i },
      svg('rect', { x: 0, y: top + i * rowH, width, height: rowH, fill: i % 2 ? '#fafbfc' : '#fff' }),
      svg('text', { x: 14, y: y(i) + 4, class: 'step-label' }, texts[i]),
      svg('title', {}, s.label));
    row.addEventListener('click', () => onGo(s.path));
    out.append(row);
  });
  h.processes.forEach((p) => {
    out.append(svg('text', { x: x(p), y: 20, style: 'font-weight:600' }, p));
    out.append(svg('line', { class: 'lifeline', x1: x(p), y1: top, x2: x(p), y2: height }));
  });
  for (const o of h.ops) {
    const y1 = y(o.callStep) - 8;
    const y2 = o.retStep === null ? height - 4 : y(o.retStep) + 8;
    const when = o.retStep === null ? 'still pending' : `returned at step ${o.retStep + 1}`;
    out.append(svg('g', { class: `op${o.core ? ' core' : ''}${o.retStep === null ? ' pending' : ''}`, 'data-op': o.id },
      svg('rect', { x: x(o.process) - 5, y: y1, width: 10, height: y2 - y1, rx: 3 }),
      svg('text', { x: x(o.process) + 12, y: y(o.callStep) + 4, class: 'op-label' }, o.text),
      svg('title', {}, `${o.process}: ${o.text}, called at step ${o.callStep + 1}, ${when}${o.core ? ' (no order explains it with the other red operations)' : ''}`)));
  }
  return out;
}

/** States in columns by distance (the one before, this one, one step on, two steps on). */
export function neighbourGraph(graph, onGo) {
  const byDepth = new Map();
  for (const n of graph.nodes) {
    if (!byDepth.has(n.depth)) byDepth.set(n.depth, []);
    byDepth.get(n.depth).push(n);
  }
  const depths = [...byDepth.keys()].sort((a, b) => a - b);
  const colW = 230;
  const rowH = 24;
  const tallest = Math.max(...[...byDepth.values()].map((l) => l.length));
  const width = 40 + depths.length * colW;
  const height = 30 + tallest * rowH;
  const pos = new Map();
  depths.forEach((d, ci) => {
    const list = byDepth.get(d);
    list.forEach((n, i) => pos.set(n.id, { x: 30 + ci * colW, y: 20 + (tallest - list.length) * rowH / 2 + i * rowH }));
  });
  const out = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'states around the current one' });
  const labelInto = new Map();
  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    if (!labelInto.has(e.to) && e.from !== e.to) labelInto.set(e.to, e.label);
    out.append(svg('line', { class: 'edge', x1: a.x, y1: a.y, x2: b.x, y2: b.y }, svg('title', {}, e.label)));
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id);
    const cls = `node${n.id === 0 ? ' current' : ''}${n.violated.length ? ' violated' : ''}`;
    const title = [n.id === 0 ? 'this state' : `replay path ${n.path}`, ...n.changes, ...(n.violated.length ? [`breaks ${n.violated.join(', ')}`] : [])].join('\n');
    const g = svg('g', { 'data-path': n.path }, svg('circle', { class: cls, cx: p.x, cy: p.y, r: 8 }), svg('title', {}, title));
    const text = n.id === 0 ? 'this state' : n.depth === -1 ? 'before' : labelInto.get(n.id) ?? '';
    g.append(svg('text', { x: p.x + 12, y: p.y + 4 }, text.length > 26 ? `${text.slice(0, 25)}…` : text));
    if (n.id !== 0) g.addEventListener('click', () => onGo(n.path));
    out.append(g);
  }
  return out;
}
