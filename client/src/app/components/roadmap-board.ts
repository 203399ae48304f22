import { MILESTONE_STATUSES, type MilestoneStatus } from '../../../../shared/types.js';
import type { MilestoneView, RoadmapDoc } from '@menteo/sdk';
import { h } from '../dom.js';
import { calendarDate } from '../format.js';

const COLUMN_TITLE: Record<MilestoneStatus, string> = { todo: 'To do', doing: 'Doing', done: 'Done' };

/**
 * The roadmap as a board by status (issue 16, finding 7), as in Linear: drag a card to another
 * column or between cards; from the keyboard, ←/→ move it to the neighbouring column and ↑/↓
 * within the order. A move changes the shared document (status, then order), so it reaches the
 * other editor over Yjs. Cards are redrawn from the document on every change.
 */
export function roadmapBoard(opts: { roadmap: () => RoadmapDoc | null; canEdit(): boolean }) {
  const help = h('p', { class: 'sr-only', id: 'board-help' }, 'Drag a card, or focus it and use the arrow keys: left and right change its status, up and down its place.');
  const columns = new Map<MilestoneStatus, HTMLOListElement>();
  const el = h(
    'div',
    { class: 'board', 'data-testid': 'roadmap-board' },
    help,
    MILESTONE_STATUSES.map((status) => {
      const list = h('ol', { class: 'board-cards', 'data-testid': `board-column-${status}`, 'aria-label': COLUMN_TITLE[status] });
      columns.set(status, list);
      const column = h('section', { class: 'board-column', 'data-status': status }, h('h3', {}, COLUMN_TITLE[status], ' ', h('span', { class: 'muted board-count' })), list);
      column.addEventListener('dragover', (e) => {
        if (!opts.canEdit()) return;
        e.preventDefault();
        column.classList.add('is-over');
      });
      column.addEventListener('dragleave', () => column.classList.remove('is-over'));
      column.addEventListener('drop', (e) => {
        e.preventDefault();
        column.classList.remove('is-over');
        const id = e.dataTransfer?.getData('text/plain');
        if (!id) return;
        const target = (e.target as Element).closest<HTMLElement>('[data-testid="board-card"]');
        place(id, status, target && target.dataset.id !== id ? target.dataset.id! : null);
      });
      return column;
    }),
  );
  let refocus: string | null = null;

  /** Moves milestone `id` into `status`, just before `beforeId` (or after the column's last card). */
  function place(id: string, status: MilestoneStatus, beforeId: string | null): void {
    const doc = opts.roadmap();
    if (!doc || !opts.canEdit()) return;
    doc.update(id, { status });
    const all = doc.milestones();
    const from = all.findIndex((m) => m.id === id);
    // move() takes the final position among the milestones without this one.
    const others = all.filter((m) => m.id !== id);
    let to = from;
    if (beforeId) to = others.findIndex((m) => m.id === beforeId);
    else {
      const last = [...others].reverse().find((m) => m.status === status);
      if (last) to = others.indexOf(last) + 1;
    }
    if (to >= 0 && to !== from) doc.move(id, to);
  }

  function onKey(e: KeyboardEvent, m: MilestoneView, column: MilestoneView[]): void {
    const doc = opts.roadmap();
    if (!doc || !opts.canEdit()) return;
    const at = MILESTONE_STATUSES.indexOf(m.status);
    const i = column.findIndex((x) => x.id === m.id);
    let handled = true;
    if (e.key === 'ArrowLeft' && at > 0) place(m.id, MILESTONE_STATUSES[at - 1]!, null);
    else if (e.key === 'ArrowRight' && at < MILESTONE_STATUSES.length - 1) place(m.id, MILESTONE_STATUSES[at + 1]!, null);
    else if (e.key === 'ArrowUp' && i > 0) place(m.id, m.status, column[i - 1]!.id);
    else if (e.key === 'ArrowDown' && i < column.length - 1) place(m.id, m.status, column[i + 2]?.id ?? null);
    else handled = false;
    if (handled) {
      e.preventDefault();
      refocus = m.id;
    }
  }

  function card(m: MilestoneView, column: MilestoneView[]): HTMLElement {
    const editable = opts.canEdit();
    const li = h(
      'li',
      {
        class: 'board-card',
        tabindex: '0',
        draggable: editable ? 'true' : 'false',
        'data-testid': 'board-card',
        'data-id': m.id,
        'aria-describedby': 'board-help',
        'aria-label': `${m.title}, ${COLUMN_TITLE[m.status]}`,
      },
      h('span', { class: 'board-card-title' }, m.title || 'Untitled'),
      m.due && h('span', { class: 'muted small' }, `Due ${calendarDate(m.due)}`),
    );
    li.addEventListener('dragstart', (e) => {
      e.dataTransfer?.setData('text/plain', m.id);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    });
    li.addEventListener('keydown', (e) => onKey(e, m, column));
    return li;
  }

  function render(): void {
    const doc = opts.roadmap();
    const all = doc?.ready() ? doc.milestones() : [];
    // Cards are rebuilt: the one that had focus gets it back (someone else's edit must not steal it).
    const active = document.activeElement instanceof HTMLElement && el.contains(document.activeElement) ? document.activeElement.dataset.id : undefined;
    refocus ??= active ?? null;
    for (const status of MILESTONE_STATUSES) {
      const column = all.filter((m) => m.status === status);
      const list = columns.get(status)!;
      list.replaceChildren(...column.map((m) => card(m, column)));
      list.parentElement!.querySelector('.board-count')!.textContent = String(column.length);
    }
    if (refocus) {
      el.querySelector<HTMLElement>(`[data-testid="board-card"][data-id="${CSS.escape(refocus)}"]`)?.focus();
      refocus = null;
    }
  }

  return { el, render };
}
