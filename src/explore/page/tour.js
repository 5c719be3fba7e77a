// A five-step guided tour for a first visit: what a state, an action, a trace and a property
// are, and what Check does. Dismissible; remembered in localStorage so it shows once.
import { el } from './views.js';

const KEY = 'synod-tour';
const STEPS = [
  ['state-panel', 'A state', 'This is one state of the protocol: every variable, per node side by side. Yellow: what the last step changed.'],
  ['side-panel', 'Actions', 'Each button is one step the protocol may take from here; its preview says what would change. Greyed ones are disabled, with the reason.'],
  ['trace-panel', 'The trace', 'The steps taken so far. Click one (or use ← and →) to go back; take another action there to branch.'],
  ['properties', 'Properties', 'What must always hold (always), what should be reachable (sometimes). A violated one says why and highlights what breaks it.'],
  ['check', 'Check', 'Check explores every reachable state and loads the shortest trace to a violation. The address always holds this exact scenario: share it.'],
];

/** Shows the tour unless it was seen (or always, when asked from the Tour button). */
export function startTour(asked) {
  if (!asked && localStorage.getItem(KEY)) return;
  let i = 0;
  const box = el('div', { id: 'tour-box', role: 'dialog', 'aria-label': 'guided tour' });
  const done = () => {
    localStorage.setItem(KEY, 'done');
    document.querySelector('.tour-target')?.classList.remove('tour-target');
    box.remove();
  };
  const show = () => {
    const [id, title, text] = STEPS[i];
    document.querySelector('.tour-target')?.classList.remove('tour-target');
    const target = document.getElementById(id);
    target.classList.add('tour-target');
    target.scrollIntoView({ block: 'nearest' });
    const r = target.getBoundingClientRect();
    box.style.top = `${Math.min(window.scrollY + r.bottom + 8, window.scrollY + window.innerHeight - 190)}px`;
    box.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - 380))}px`;
    box.replaceChildren(
      el('p', { class: 'tour-title' }, `${i + 1} of ${STEPS.length}: ${title}`),
      el('p', {}, text),
      el('div', { class: 'tour-buttons' },
        el('button', { id: 'tour-skip', onclick: done }, i + 1 < STEPS.length ? 'Skip the tour' : 'Close'),
        i + 1 < STEPS.length ? el('button', { id: 'tour-next', onclick: () => { i++; show(); } }, 'Next') : null));
    box.querySelector('#tour-next, #tour-skip').focus();
  };
  document.getElementById('tour-box')?.remove();
  document.body.append(box);
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') done(); });
  show();
}
