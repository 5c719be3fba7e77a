// The explorer page: the URL (?variant=&path=, and &loop= for a lasso) is the scenario; every
// view is fetched from the server for it, so reloading or sharing the link shows exactly the same thing.
import { actionsView, el, lassoView, propertiesView, stateView, traceView } from './views.js';
import { neighbourGraph, sequenceDiagram } from './diagrams.js';

const $ = (id) => document.getElementById(id);
let here = readLocation();
/** The longest trace seen through the current state: going back keeps its later steps on show. */
let remembered = [];
/** The lasso of the remembered trace, if it is one (its loop stays marked while going back). */
let rememberedLasso = null;
let polling = null;

function readLocation() {
  const q = new URLSearchParams(location.search);
  return { variant: q.get('variant') || null, path: q.get('path') || '0', loop: q.get('loop') };
}

function query(where) {
  return `${where.variant ? `variant=${encodeURIComponent(where.variant)}&` : ''}path=${where.path}${where.loop != null ? `&loop=${where.loop}` : ''}`;
}

/** Another state of this variant (a step clicked, an action taken): no longer a lasso. */
const at = (path) => go({ variant: here.variant, path });

async function api(route, where, init) {
  const res = await fetch(`/api/${route}?${query(where)}`, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.code ? `error[${body.code}]: ` : ''}${body.error}${body.hint ? `\nhint: ${body.hint}` : ''}`);
  return body;
}

function showError(e) {
  $('error').hidden = !e;
  $('error').textContent = e ? e.message : '';
}

/** Goes to a scenario: a new history entry unless replacing (back/forward, first load). */
export async function go(where, { push = true } = {}) {
  try {
    const view = await api('view', where);
    if (push && query(where) !== query(here)) history.pushState(null, '', `?${query(where)}`);
    here = { variant: view.spec.variant, path: view.path, loop: view.lasso ? view.lasso.loop : null };
    render(view);
    showError(null);
    api('neighbours', here).then(renderGraph, showError);
  } catch (e) {
    showError(e);
  }
}

function render(view) {
  const { spec } = view;
  document.title = `synod explore: ${spec.name}${spec.variant ? ` (${spec.variant})` : ''}`;
  $('spec-name').textContent = spec.name;
  const variantText = spec.variant ? `Variant ${spec.variant}: ${spec.variants.find((v) => v.name === spec.variant)?.description ?? ''}.` : '';
  $('description').textContent = [spec.description && `${spec.description}.`, variantText].filter(Boolean).join(' ');
  $('params').textContent = Object.entries(spec.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const select = $('variant');
  select.replaceChildren(el('option', { value: '' }, '(the spec as written)'), ...spec.variants.map((v) => el('option', { value: v.name, title: v.description }, v.name)));
  select.value = spec.variant ?? '';

  // Keep the steps after this one when this state lies on the remembered trace.
  const onRemembered = !view.lasso && remembered.length > view.trace.length && remembered[view.trace.length - 1].path === view.path && remembered[0].variant === spec.variant;
  if (!onRemembered) {
    remembered = view.trace.map((s) => ({ ...s, variant: spec.variant }));
    rememberedLasso = view.lasso;
  }
  const future = onRemembered ? remembered.slice(view.trace.length) : [];
  // The lasso's last step keeps its loop; any other step is just a state on the way.
  const onStep = (path) => (rememberedLasso && path === remembered.at(-1).path ? go({ variant: here.variant, path, loop: rememberedLasso.loop }) : at(path));
  $('trace').replaceChildren(...traceView(view.trace, future, view.path, onStep, rememberedLasso));
  $('lasso').replaceChildren(...lassoView(rememberedLasso, view.trace.length + future.length));
  const n = spec.initialStates;
  $('initials').replaceChildren(...(n > 1 ? [el('label', { class: 'hint' }, 'initial state ',
    el('select', { id: 'initial', onchange: (e) => at(e.target.value) },
      Array.from({ length: n }, (_, i) => el('option', { value: String(i), selected: view.path.split('/')[0] === String(i) }, `${i + 1} of ${n}`))))] : []));

  const steps = view.trace.length;
  $('state-title').textContent = `${steps}${steps > 1 ? `, after ${view.trace[steps - 1].label}` : ' (initial)'}`;
  $('ending').replaceChildren(...(view.ending ? [el('p', { class: view.ending }, view.ending === 'deadlock' ? 'Deadlock: no action is enabled and the spec does not call this state terminal.' : 'Terminal: no action is enabled, as the spec allows here.')] : []));
  $('state').replaceChildren(...stateView(view.state));
  $('actions').replaceChildren(...actionsView(view.actions, (ordinal) => at(`${view.path}/${ordinal}`)));
  $('properties').replaceChildren(...propertiesView(view.properties, view.ending));

  $('sequence-panel').hidden = !view.sequence;
  if (view.sequence) $('sequence').replaceChildren(sequenceDiagram(view.sequence, view.trace, steps - 1, at));
  refreshCheck();
}

function renderGraph(graph) {
  $('graph').replaceChildren(neighbourGraph(graph, at),
    ...(graph.complete ? [] : [el('p', { class: 'hint' }, 'Only the first states are drawn.')]));
}

// The exhaustive check runs on the server; the page polls its progress and then offers the traces.
async function startCheck() {
  try {
    await api($('check').dataset.running ? 'check/stop' : 'check', here, { method: 'POST' });
    refreshCheck();
  } catch (e) {
    showError(e);
  }
}

async function refreshCheck() {
  clearTimeout(polling);
  const variant = here.variant;
  let job;
  try {
    job = await api('check', here);
  } catch (e) {
    return showError(e);
  }
  if (variant !== here.variant) return;
  const status = $('check-status');
  const result = $('check-result');
  const button = $('check');
  button.textContent = job.status === 'running' ? 'Stop' : 'Check';
  if (job.status === 'running') button.dataset.running = 'yes';
  else delete button.dataset.running;
  if (job.status === 'none') {
    status.textContent = '';
    result.replaceChildren();
    return;
  }
  if (job.status === 'running') {
    const p = job.progress;
    status.textContent = p ? `checking: ${p.distinct.toLocaleString()} states, depth ${p.depth}…` : 'checking…';
    polling = setTimeout(refreshCheck, 300);
    return;
  }
  if (job.status === 'error') {
    status.textContent = `check failed: ${job.error}`;
    return;
  }
  const r = job.result;
  const first = r.violations.find((v) => v.path);
  status.textContent = `${r.verdict}: ${r.distinctStates.toLocaleString()} ${r.symmetry ? 'orbits' : 'states'}, depth ${r.stateDepth}`;
  const show = (path, loop = null) => go({ variant: here.variant, path, loop });
  result.replaceChildren(
    el('p', { class: `verdict-${r.verdict}`, id: 'verdict' }, r.verdict === 'ok' ? 'Check: every property holds in every reachable state.'
      : r.verdict === 'violation' ? 'Check: a property is violated.' : r.verdict === 'error' ? `Check: error: ${r.error?.message}` : `Check: incomplete (${r.stopReason}).`),
    el('ul', {},
      r.violations.map((v) => el('li', { 'data-violation': v.property }, `${v.property} (${v.kind}) violated`, v.path ? [' ', el('button', { onclick: () => show(v.path, v.loop) }, v.kind === 'liveness' ? 'lasso' : 'shortest trace')] : ' (never reached)')),
      r.witnesses.filter((w) => w.path).map((w) => el('li', { 'data-witness': w.property }, `${w.property} reachable `, el('button', { onclick: () => show(w.path) }, 'shortest witness')))));
  if (first && result.dataset.loaded !== `${variant}:${first.path}`) {
    result.dataset.loaded = `${variant}:${first.path}`;
    show(first.path, first.loop);
  } else if (!first && r.liveness.length && result.dataset.loaded !== `${variant}:done`) {
    // Liveness properties hold or not for the whole variant: show what the check found.
    result.dataset.loaded = `${variant}:done`;
    go(here, { push: false });
  }
}

$('check').addEventListener('click', startCheck);
$('variant').addEventListener('change', (e) => go({ variant: e.target.value || null, path: '0', loop: null }));
$('show-disabled').addEventListener('change', (e) => $('actions').classList.toggle('hide-disabled', !e.target.checked));
$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    $('copy-link').textContent = 'Link copied';
  } catch {
    prompt('Link to this scenario:', location.href);
  }
});
window.addEventListener('popstate', () => go(readLocation(), { push: false }));
go(here, { push: false });
