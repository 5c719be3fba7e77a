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

/** Lifelines across, trace steps down; an arrow per message from its send step to its receive step (dashed to the bottom while in flight). */
export function sequenceDiagram(seq, trace, currentIndex, onGo) {
  const unknown = seq.arrows.some((a) => a.from === null || a.to === null);
  const columns = [...seq.lifelines.map((l) => l.id), ...(unknown ? ['(network)'] : [])];
  const left = 230;
  const colW = 140;
  const top = 34;
  const rowH = 34;
  const rows = trace.length;
  const width = left + columns.length * colW;
  const height = top + (rows + 0.6) * rowH;
  const x = (id) => left + colW / 2 + colW * columns.indexOf(id ?? '(network)');
  const y = (step) => top + step * rowH + rowH / 2;
  const out = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'message sequence diagram' },
    svg('defs', {}, arrowHead('head', '#2457c5'), arrowHead('head-pending', '#6b7280')));
  trace.forEach((s, i) => {
    const row = svg('g', { class: `step-row${i === currentIndex ? ' current' : ''}`, style: 'cursor:pointer' },
      svg('rect', { x: 0, y: top + i * rowH, width, height: rowH, fill: i % 2 ? '#fafbfc' : '#fff' }),
      svg('text', { x: 6, y: y(i) + 4, class: 'step-label' }, `${i + 1}. ${s.label.length > 30 ? `${s.label.slice(0, 29)}…` : s.label}`),
      svg('title', {}, s.label));
    row.addEventListener('click', () => onGo(s.path));
    out.append(row);
  });
  columns.forEach((id) => {
    out.append(svg('text', { x: x(id), y: 18, 'text-anchor': 'middle', style: 'font-weight:600' }, id));
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
    const line = svg('line', { class: `arrow${pending ? ' pending' : ''}`, x1, y1: y(a.sent), x2, y2: y(end), 'marker-end': `url(#${pending ? 'head-pending' : 'head'})` },
      svg('title', {}, `${a.label}: ${a.from ?? '?'} -> ${a.to ?? '?'}${pending ? ' (in flight)' : `, received at step ${a.received + 1}`}`));
    out.append(line);
    // Labels sit three quarters along their arrow: arrows fanning out of one step end at
    // different lifelines, so their labels rarely collide. Messages still in flight all run
    // to the bottom, so theirs are left to the tooltip.
    if (pending) continue;
    const label = a.label.length > 24 ? `${a.label.slice(0, 23)}…` : a.label;
    const lx = x1 + (x2 - x1) * 0.75;
    const ly = y(a.sent) + (y(end) - y(a.sent)) * 0.75;
    out.append(svg('text', { x: lx, y: ly - 4, 'text-anchor': 'middle', style: 'font-size:9.5px;fill:#2457c5;paint-order:stroke;stroke:#fff;stroke-width:3px' }, label));
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
