// The explorer page: the URL (?variant=&param=name=value&path=, and &loop= for a lasso) is the
// scenario and the truth; every view is fetched from the server for it, so reloading or sharing
// the link shows exactly the same thing. A Check's counterexample loads only when the user
// pressed Check on this page (or asks for it), never on page load.
import { actionsView, el, highlightWhy, lassoView, propertiesView, stateView, traceView } from './views.js';
import { historyTimeline, neighbourGraph, sequenceDiagram } from './diagrams.js';
import { startTour } from './tour.js';

const $ = (id) => document.getElementById(id);
let here = readLocation();
/** The longest trace seen through the current state: going back keeps its later steps on show. */
let remembered = [];
/** The lasso of the remembered trace, if it is one (its loop stays marked while going back). */
let rememberedLasso = null;
let polling = null;
/** The scope whose Check the user pressed here: its counterexample loads when it ends. */
let asked = null;
/** The defaults of the variant on show: a variant switch carries only the params set away from them. */
let defaults = {};
/** The address last copied: "Link copied" shows only while the page is still there. */
let copied = null;
/** The violated property whose reasons are highlighted in the state (null: the first one). */
let explained = null;

function readLocation() {
  const q = new URLSearchParams(location.search);
  const given = q.getAll('param');
  const params = given.length ? Object.fromEntries(given.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) : null;
  return { variant: q.get('variant') || null, params, path: q.get('path') || '0', loop: q.get('loop') };
}

/** The variant and params: what a view, a check and its result belong to. */
function scopeQuery(where) {
  const parts = where.variant ? [`variant=${encodeURIComponent(where.variant)}`] : [];
  for (const [k, v] of Object.entries(where.params ?? {})) parts.push(`param=${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.join('&');
}

function query(where) {
  const scope = scopeQuery(where);
  return `${scope ? `${scope}&` : ''}path=${where.path}${where.loop != null ? `&loop=${where.loop}` : ''}`;
}

/** Another state in this scope (a step clicked, an action taken): no longer a lasso. */
const at = (path) => go({ ...here, path, loop: null });

async function api(route, where, init) {
  const res = await fetch(`/api/${route}?${query(where)}`, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.code ? `error[${body.code}]: ` : ''}${body.error}${body.hint ? `\nhint: ${body.hint}` : ''}`);
  return body;
}

function showError(e) {
  $('error').hidden = !e;
  $('error').replaceChildren(...(e ? [e.message, ' ', el('a', { href: '?' }, 'start over at the first state')] : []));
}

/** Goes to a scenario: a new history entry unless replacing (back/forward, first load). */
export async function go(where, { push = true } = {}) {
  try {
    const view = await api('view', where);
    const params = Object.fromEntries(Object.entries(view.spec.params).map(([k, v]) => [k, String(v)]));
    const next = { variant: view.spec.variant, params, path: view.path, loop: view.lasso ? view.lasso.loop : null };
    // The address always names every param, so the link means the same on any server.
    if (query(next) !== query(here) || location.search !== `?${query(next)}`) history[push && query(next) !== query(here) ? 'pushState' : 'replaceState'](null, '', `?${query(next)}`);
    const moved = next.path !== here.path || scopeQuery(next) !== scopeQuery(here);
    here = next;
    render(view, moved);
    showError(null);
    api('neighbours', here).then(renderGraph, showError);
  } catch (e) {
    showError(e);
    copyLabel();
  }
}

/** "Link copied" until the address changes (any navigation: a step, a key, back, a variant). */
function copyLabel() {
  if (copied !== location.href) copied = null;
  $('copy-link').textContent = copied ? 'Link copied' : 'Copy link';
}

function render(view, moved) {
  const { spec } = view;
  document.title = `synod explore: ${spec.name}${spec.variant ? ` (${spec.variant})` : ''}`;
  $('spec-name').textContent = spec.name;
  const variantText = spec.variant ? `Variant ${spec.variant}: ${spec.variants.find((v) => v.name === spec.variant)?.description ?? ''}.` : '';
  $('description').textContent = [spec.description && `${spec.description}.`, variantText].filter(Boolean).join(' ');
  defaults = spec.defaults;
  $('params').textContent = Object.entries(spec.params).map(([k, v]) => `${k}=${v}`).join(' ');
  $('params').title = $('params').textContent;
  const select = $('variant');
  select.replaceChildren(el('option', { value: '' }, '(the spec as written)'), ...spec.variants.map((v) => el('option', { value: v.name, title: v.description }, v.name)));
  select.value = spec.variant ?? '';
  if (moved) {
    $('actions').scrollTop = 0;
    explained = null;
  }
  copyLabel();

  // Keep the steps after this one when this state lies on the remembered trace.
  const scope = scopeQuery(here);
  const onRemembered = !view.lasso && remembered.length > view.trace.length && remembered[view.trace.length - 1].path === view.path && remembered[0].scope === scope;
  if (!onRemembered) {
    remembered = view.trace.map((s) => ({ ...s, scope }));
    rememberedLasso = view.lasso;
  }
  const future = onRemembered ? remembered.slice(view.trace.length) : [];
  // The lasso's last step keeps its loop; any other step is just a state on the way.
  const onStep = (path) => (rememberedLasso && path === remembered.at(-1).path ? go({ ...here, path, loop: rememberedLasso.loop }) : at(path));
  const violations = view.properties.filter((p) => p.firstViolated != null).map((p) => ({ name: p.name, at: p.firstViolated }));
  $('trace').replaceChildren(...traceView(view.trace, future, view.path, onStep, rememberedLasso, violations));
  stepKeys = (delta) => {
    const all = [...view.trace, ...future];
    const i = view.trace.length - 1 + delta;
    if (i >= 0 && i < all.length) onStep(all[i].path);
  };
  $('lasso').replaceChildren(...lassoView(rememberedLasso, view.trace.length + future.length));
  const n = spec.initialStates;
  $('initials').replaceChildren(...(n > 1 ? [el('label', { class: 'hint' }, 'initial state ',
    el('select', { id: 'initial', onchange: (e) => at(e.target.value) },
      Array.from({ length: n }, (_, i) => el('option', { value: String(i), selected: view.path.split('/')[0] === String(i) }, `${i + 1} of ${n}`))))] : []));

  const steps = view.trace.length;
  $('state-title').textContent = `${steps}${steps > 1 ? `, after ${view.trace[steps - 1].label}` : ' (initial)'}`;
  // The last step's action in the author's words: what a highlighted change means when the
  // action does more than its name says (paxos-livelock renumbers every ballot after a step).
  const lastAction = view.trace[steps - 1].action;
  const doc = lastAction ? view.actionDocs[lastAction] : null;
  $('step-doc').hidden = !doc;
  $('step-doc').replaceChildren(...(doc ? [el('b', {}, `${lastAction}: `), doc] : []));
  $('ending').replaceChildren(...(view.ending ? [el('p', { class: view.ending }, view.ending === 'deadlock' ? 'Deadlock: no action is enabled and the spec does not call this state terminal.' : 'Terminal: no action is enabled, as the spec allows here.')] : []));
  $('state').replaceChildren(...stateView(view.state));
  $('actions').replaceChildren(...actionsView(view.actions, (ordinal) => at(`${view.path}/${ordinal}`), view.actionDocs));
  const showWhy = () => {
    const chosen = view.properties.find((p) => p.why && (explained === null || p.name === explained));
    $('properties').replaceChildren(...propertiesView(view.properties, view.ending, chosen?.name, (name) => { explained = name; showWhy(); }));
    highlightWhy($('state'), chosen?.why ?? null);
  };
  showWhy();

  // The recorded client history: beside the sequence diagram, on the same rows (one row per
  // step), or on its own with the step labels when the spec has no messages to draw.
  const h = view.histories.find((x) => x.violated) ?? view.histories[0];
  const timeline = h ? historyTimeline(h, view.trace, steps - 1, at, { labels: !view.sequence, violations }) : null;
  $('sequence-panel').hidden = !view.sequence;
  if (view.sequence) {
    const diagram = sequenceDiagram(view.sequence, view.trace, steps - 1, at, { violations, lasso: view.lasso, compact: !!h });
    $('sequence').replaceChildren(el('div', { class: 'side-by-side' }, diagram, timeline));
    $('sequence-and').textContent = h ? ' and the clients\' history (right)' : '';
  }
  $('history-panel').hidden = !h;
  if (h) {
    $('history-title').textContent = `(${h.property}${h.violated ? ': violated' : ''})`;
    $('history-where').textContent = view.sequence ? 'drawn at the right of the message sequence above, on the same rows' : 'below';
    $('history').replaceChildren(...(view.sequence ? [] : [timeline]),
      ...(h.explanation ? [el('p', { class: 'history-why', id: 'history-why' }, h.explanation)] : []));
  }
  refreshCheck();
}

function renderGraph(graph) {
  $('graph').replaceChildren(neighbourGraph(graph, at),
    ...(graph.complete ? [] : [el('p', { class: 'hint' }, 'Only the first states are drawn.')]));
}

// The exhaustive check runs on the server; the page polls its progress and then offers the traces.
async function startCheck() {
  const button = $('check');
  if (button.dataset.running) {
    await api('check/stop', here, { method: 'POST' }).catch(showError);
    return refreshCheck();
  }
  // Feedback at once; the button takes no second press until the server has the check.
  asked = scopeQuery(here);
  button.textContent = 'Stop';
  button.disabled = true;
  $('check-status').textContent = 'checking…';
  $('check-result').replaceChildren();
  try {
    await api('check', here, { method: 'POST' });
  } catch (e) {
    showError(e);
  }
  button.disabled = false;
  refreshCheck();
}

/** What symmetry reduction counts, said wherever orbits are counted (a tooltip and a glossary line). */
const ORBIT = 'an orbit is a group of states that differ only by renaming interchangeable ids (the values of a scalarset, e.g. nodes); with symmetry reduction Check explores one state of each orbit and counts orbits';
const glossary = () => el('p', { class: 'hint glossary', id: 'orbit-glossary' }, el('dfn', {}, 'Orbit'), `: ${ORBIT.replace(/^an orbit is /, '')}.`);

/** A running check in words: its pass (the search; with symmetry and liveness, then the liveness graph) and what it counts. */
function progressText(p) {
  const ph = p.phase ?? { name: 'search', step: 1, of: 1, orbits: false };
  const pass = ph.of > 1 ? ` (step ${ph.step} of ${ph.of}, ${ph.name === 'search' ? 'the search' : 'the liveness graph: every state, no symmetry reduction'})`
    : ph.graph ? ` (the search, recording the liveness graph${ph.graph === 'reduced' ? ' of orbits' : ''})` : '';
  return `checking${pass}: ${p.distinct.toLocaleString()} ${ph.orbits ? 'orbits' : 'distinct states'} so far, depth ${p.depth}…`;
}

/** A finished check's counts: orbits with the states they stand for, or distinct states. */
function countText(r) {
  const counted = r.symmetry ? `${r.distinctStates.toLocaleString()} orbits (${r.symmetry.states.toLocaleString()} states)` : `${r.distinctStates.toLocaleString()} distinct states`;
  return `${counted}, depth ${r.stateDepth}`;
}

async function refreshCheck() {
  clearTimeout(polling);
  const where = { ...here };
  const scope = scopeQuery(where);
  let job;
  try {
    job = await api('check', where);
  } catch (e) {
    return showError(e);
  }
  if (scope !== scopeQuery(here)) return; // the page moved to another scope meanwhile
  const status = $('check-status');
  const result = $('check-result');
  const button = $('check');
  if (button.disabled) return; // a Check being started: its own refresh follows
  button.textContent = job.status === 'running' ? 'Stop' : 'Check';
  if (job.status === 'running') button.dataset.running = 'yes';
  else delete button.dataset.running;
  status.title = '';
  if (job.status !== 'done') result.replaceChildren();
  if (job.status === 'none') {
    status.textContent = '';
    return;
  }
  if (job.status === 'running') {
    const p = job.progress;
    status.textContent = p ? progressText(p) : 'checking…';
    status.title = status.textContent;
    if (p?.phase?.orbits || p?.phase?.of > 1) {
      status.title += `\n(${ORBIT})`;
      result.replaceChildren(el('p', { id: 'check-progress' }, status.textContent), glossary());
    }
    polling = setTimeout(refreshCheck, 300);
    return;
  }
  if (job.status === 'error') {
    status.textContent = `check failed: ${job.error}`;
    return;
  }
  const r = job.result;
  const first = r.violations.find((v) => v.path);
  status.textContent = `${r.verdict}: ${countText(r)}`;
  status.title = r.symmetry ? `${status.textContent}\n(${ORBIT})` : status.textContent;
  const graph = r.livenessGraph;
  const show = (path, loop = null) => go({ ...where, path, loop });
  result.replaceChildren(
    el('p', { class: `verdict-${r.verdict}`, id: 'verdict' }, r.verdict === 'ok' ? 'Check: every property holds in every reachable state.'
      : r.verdict === 'violation' ? 'Check: a property is violated.' : r.verdict === 'error' ? `Check: error: ${r.error?.message}` : `Check: incomplete (${r.stopReason}).`),
    el('ul', {},
      r.violations.map((v) => el('li', { 'data-violation': v.property }, `${v.property} (${v.kind}) violated`, v.path ? [' ', el('button', { onclick: () => show(v.path, v.loop) }, v.kind === 'liveness' ? 'lasso' : 'shortest trace')] : ' (never reached)')),
      r.witnesses.filter((w) => w.path).map((w) => el('li', { 'data-witness': w.property }, `${w.property} reachable `, el('button', { onclick: () => show(w.path) }, 'shortest witness')))),
    el('p', { class: 'hint', id: 'check-counts' }, `Explored ${countText(r)}.`,
      graph?.separatePass ? ` Liveness was checked on the graph of every state: ${graph.states.toLocaleString()} states, ${graph.edges.toLocaleString()} edges (a second pass without symmetry reduction).`
        : graph?.reduced ? ` Liveness was checked on the graph of orbits: ${graph.states.toLocaleString()} orbits, ${graph.edges.toLocaleString()} edges (each lasso found is lifted to real states).` : ''),
    r.symmetry ? glossary() : null);
  if (asked !== scope) return;
  // The user pressed Check here: show what it found.
  asked = null;
  if (first) show(first.path, first.loop);
  else if (r.liveness.length) go(here, { push: false }); // liveness verdicts are about the whole variant
}

/** ←/→ step along the trace (set by render). */
let stepKeys = () => {};

$('check').addEventListener('click', startCheck);
$('variant').addEventListener('change', (e) => {
  // Params the user chose (those away from this variant's defaults) go along; the rest take the new variant's.
  const chosen = Object.entries(here.params ?? {}).filter(([k, v]) => String(defaults[k]) !== v);
  go({ variant: e.target.value || null, params: chosen.length ? Object.fromEntries(chosen) : null, path: '0', loop: null });
});
$('show-disabled').addEventListener('change', (e) => $('actions').classList.toggle('hide-disabled', !e.target.checked));
$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    copied = location.href;
    $('copy-link').textContent = 'Link copied';
  } catch {
    prompt('Link to this scenario:', location.href);
  }
});
window.addEventListener('popstate', () => go(readLocation(), { push: false }));
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest?.('select, input, textarea')) return;
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
  e.preventDefault();
  stepKeys(e.key === 'ArrowLeft' ? -1 : 1);
});
$('tour').addEventListener('click', () => startTour(true));
go(here, { push: false }).then(() => startTour(false));
