import { MILESTONE_STATUSES, type Goal, type MilestoneStatus, type ThreadHighlight } from '../../../../shared/types.js';
import type { MilestoneView, RoadmapDoc } from '@menteo/sdk';
import { h } from '../dom.js';
import { calendarDate } from '../format.js';
import { TextBinding } from './notes-binding.js';

const STATUS_LABEL: Record<MilestoneStatus, string> = { todo: 'To do', doing: 'Doing', done: 'Done' };

export interface MilestoneRowDeps {
  roadmap: RoadmapDoc;
  /** The contract's goals, for the "serves goal" link. */
  goals(): Goal[];
  /** Growth-thread entries by id (from the record's highlights), to show evidence. */
  evidence(entryId: string): ThreadHighlight | undefined;
  /** A link to the thread that holds an entry. */
  threadHref(threadId: string): string;
  canEdit(): boolean;
  /** Tells the others I started (id) or stopped (null) editing this milestone's notes. */
  editing?(milestoneId: string | null): void;
}

/**
 * Sets a form control's value when it differs. A text field being typed in keeps what the user
 * types (the title is last-writer-wins; the row shows the shared value again on blur).
 */
function setValue(control: HTMLInputElement | HTMLSelectElement, value: string): void {
  if (control.value === value) return;
  if (control instanceof HTMLInputElement && control.type === 'text' && document.activeElement === control) return;
  control.value = value;
}

/**
 * One milestone of the roadmap, edited in place: status, title, due date, the goal it serves,
 * notes bound live to its Y.Text, its evidence, and move / delete. The row stays the same element
 * while the milestone changes (focus and caret survive others' edits); `update` refreshes it.
 */
export function milestoneRow(initial: MilestoneView, deps: MilestoneRowDeps) {
  let view = initial;
  const id = initial.id;
  const status = h('select', { class: 'ms-status', 'data-testid': 'milestone-status', 'aria-label': 'Status' }, MILESTONE_STATUSES.map((s) => h('option', { value: s }, STATUS_LABEL[s])));
  const title = h('input', { type: 'text', class: 'ms-title', 'data-testid': 'milestone-title', 'aria-label': 'Milestone', maxlength: 200 });
  const due = h('input', { type: 'date', class: 'ms-due', 'data-testid': 'milestone-due', 'aria-label': 'Due date' });
  const goal = h('select', { class: 'ms-goal', 'data-testid': 'milestone-goal', 'aria-label': 'Serves goal' });
  const notes = h('textarea', { class: 'ms-notes', rows: 2, 'data-testid': 'milestone-notes', 'aria-label': 'Notes', placeholder: 'Notes (shared, live)' });
  const evidence = h('div', { class: 'ms-evidence', 'data-testid': 'milestone-evidence' });
  const up = h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'milestone-up', 'aria-label': 'Move up' }, '↑');
  const down = h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'milestone-down', 'aria-label': 'Move down' }, '↓');
  const remove = h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'milestone-delete', 'aria-label': 'Delete milestone' }, 'Delete');
  const confirm = h(
    'span',
    { class: 'ms-confirm', hidden: true },
    'Delete this milestone? ',
    h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': 'milestone-delete-confirm', onclick: () => deps.roadmap.remove(id) }, 'Delete'),
    h('button', { class: 'btn btn-sm btn-ghost', type: 'button', onclick: () => toggleConfirm(false) }, 'Keep'),
  );
  const binding = new TextBinding(notes);
  const grow = () => {
    notes.style.height = 'auto';
    notes.style.height = `${Math.min(notes.scrollHeight + 2, 320)}px`;
  };
  notes.addEventListener('input', grow);
  notes.addEventListener('menteo:resize', grow);

  // "Maya is editing this note", from the others' awareness (issue 16, finding 7).
  const editingNote = h('p', { class: 'ms-editing muted small', 'data-testid': 'milestone-editing', 'aria-live': 'polite', hidden: true });
  // On a phone a card starts collapsed (status and title, a one-line summary), details on expand:
  // seven full cards were ~480 px each (issue 16, finding 9).
  const phone = matchMedia('(max-width: 640px)');
  let expanded = !phone.matches;
  // Follows the screen size (a rotation, a resized window) until the user opens or closes it.
  let toggledByUser = false;
  const onMedia = () => toggledByUser || setExpanded(!phone.matches);
  phone.addEventListener('change', onMedia);
  const summary = h('p', { class: 'ms-summary muted small', 'data-testid': 'milestone-summary' });
  const toggle = h('button', { class: 'icon-btn ms-toggle', type: 'button', 'data-testid': 'milestone-toggle', 'aria-expanded': String(expanded), 'aria-label': 'Details' }, expanded ? '▴' : '▾');
  const details = h(
    'div',
    { class: 'ms-details', 'data-testid': 'milestone-details', id: `ms-details-${id}` },
    h('div', { class: 'ms-meta' }, h('label', { class: 'ms-field' }, h('span', {}, 'Due'), due), h('label', { class: 'ms-field' }, h('span', {}, 'Goal'), goal)),
    notes,
    evidence,
  );
  toggle.setAttribute('aria-controls', details.id);
  const el = h(
    'li',
    { class: 'milestone', 'data-testid': 'milestone', 'data-id': id },
    h('div', { class: 'ms-top' }, status, title, h('div', { class: 'ms-move' }, up, down, remove, toggle)),
    confirm,
    summary,
    details,
    editingNote,
  );
  function setExpanded(on: boolean): void {
    expanded = on;
    details.hidden = !on;
    summary.hidden = on;
    toggle.setAttribute('aria-expanded', String(on));
    toggle.textContent = on ? '▴' : '▾';
    el.dataset.expanded = String(on);
    if (on) grow();
  }
  toggle.addEventListener('click', () => {
    toggledByUser = true;
    setExpanded(!expanded);
  });

  function toggleConfirm(on: boolean): void {
    confirm.hidden = !on;
    remove.hidden = on;
  }

  status.addEventListener('change', () => deps.roadmap.update(id, { status: status.value as MilestoneStatus }));
  title.addEventListener('input', () => deps.roadmap.update(id, { title: title.value }));
  title.addEventListener('blur', () => setValue(title, view.title));
  due.addEventListener('change', () => deps.roadmap.update(id, { due: due.value || null }));
  goal.addEventListener('change', () => deps.roadmap.update(id, { goalId: goal.value || null }));
  up.addEventListener('click', () => deps.roadmap.move(id, indexOf() - 1));
  down.addEventListener('click', () => deps.roadmap.move(id, indexOf() + 1));
  remove.addEventListener('click', () => toggleConfirm(true));
  // A milestone written by another client may have plain-string notes: make them shared on first use.
  notes.addEventListener('focus', () => {
    if (!view.text && deps.canEdit()) binding.bind(deps.roadmap.notes(id));
    deps.editing?.(id);
  });
  notes.addEventListener('blur', () => deps.editing?.(null));
  const indexOf = () => deps.roadmap.milestones().findIndex((m) => m.id === id);

  function renderGoals(): void {
    const goals = deps.goals();
    const wanted = ['', ...goals.map((g) => g.id)];
    const have = Array.from(goal.options).map((o) => o.value);
    const known = view.goalId === undefined || goals.some((g) => g.id === view.goalId);
    if (wanted.join('\n') !== have.join('\n') || !known) {
      goal.replaceChildren(
        h('option', { value: '' }, goals.length > 0 ? 'No goal' : 'No goals yet'),
        ...goals.map((g) => h('option', { value: g.id }, g.title)),
        // A goal an edit removed from the contract: still linked, shown as such.
        ...(known ? [] : [h('option', { value: view.goalId! }, 'A goal no longer in the contract')]),
      );
    }
    setValue(goal, view.goalId ?? '');
  }

  function renderEvidence(): void {
    if (view.evidence.length === 0) {
      evidence.replaceChildren();
      return;
    }
    const found = view.evidence.map((e) => deps.evidence(e)).filter((x): x is ThreadHighlight => x !== undefined);
    const missing = view.evidence.length - found.length;
    evidence.replaceChildren(
      h('p', { class: 'ms-evidence-title' }, `Evidence (${view.evidence.length})`),
      h(
        'ul',
        {},
        found.map((e) =>
          h(
            'li',
            { 'data-testid': 'evidence-entry' },
            h('span', { class: `kind kind-${e.kind}` }, e.kind),
            ' ',
            h('a', { href: deps.threadHref(e.threadId) }, e.threadTitle),
            h('span', { class: 'muted' }, ` — ${e.excerpt}`),
          ),
        ),
        missing > 0 && h('li', { class: 'muted' }, `${missing} entr${missing === 1 ? 'y' : 'ies'} not shown (deleted or not visible to you)`),
      ),
    );
  }

  function update(next: MilestoneView, position: { first: boolean; last: boolean }): void {
    view = next;
    el.dataset.status = next.status;
    setValue(status, next.status);
    setValue(title, next.title);
    setValue(due, next.due ?? '');
    due.title = next.due ? calendarDate(next.due) : '';
    renderGoals();
    if (next.text) binding.bind(next.text);
    else if (document.activeElement !== notes) notes.value = next.notes;
    renderEvidence();
    const goalTitle = deps.goals().find((g) => g.id === next.goalId)?.title;
    const parts = [next.due ? `Due ${calendarDate(next.due)}` : '', goalTitle ? `Goal: ${goalTitle}` : '', next.notes ? 'Notes' : '', next.evidence.length > 0 ? `Evidence ${next.evidence.length}` : ''].filter(Boolean);
    summary.textContent = parts.length > 0 ? parts.join(' · ') : 'No date, goal or notes yet';
    const editable = deps.canEdit();
    for (const control of [status, title, due, goal, notes]) control.disabled = !editable;
    up.disabled = !editable || position.first;
    down.disabled = !editable || position.last;
    remove.disabled = !editable;
    grow();
  }

  /** Shows who else is editing these notes now (names from awareness). */
  function showEditors(names: string[]): void {
    editingNote.hidden = names.length === 0;
    editingNote.textContent = names.length === 0 ? '' : `${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} editing this note`;
  }

  setExpanded(expanded);

  return {
    el,
    update,
    showEditors,
    refreshEvidence: renderEvidence,
    destroy: () => {
      phone.removeEventListener('change', onMedia);
      binding.destroy();
    },
  };
}
