import type { ActionItem, Meeting, Room } from '../../../../shared/types.js';
import { h } from '../dom.js';
import { calendarDate, dateTime, dueLabel } from '../format.js';
import { explain } from './form.js';
import type { RoomScope, RoomTab } from './room-scope.js';

const STATUS_LABEL: Record<Meeting['status'], string> = { scheduled: 'Scheduled', held: 'Held', 'no-show': 'No-show', cancelled: 'Cancelled' };

/** The other member's local time for a session ("Thu 4 PM in Europe/Paris"), when their profile names a zone. */
function theirTime(iso: string, zone: string | undefined): string | null {
  if (!zone) return null;
  try {
    return new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(iso)) + ` in ${zone}`;
  } catch {
    return null;
  }
}

/**
 * The sessions tab (issue 19): schedule a session (time, agenda), mark it held (with notes),
 * a no-show or cancelled, add action items (owner, due date), tick them off; the open items
 * stay listed at the top until done; the upcoming sessions download as an .ics file. Live: the
 * other member's changes arrive as `session:updated` / `session:item`.
 */
export function sessionsTab(scope: RoomScope): RoomTab {
  const { ctx, roomId, watch, nameOf } = scope;
  const me = ctx.client.me;
  const care = ctx.client.rest.care;
  let sessions: Meeting[] = [];
  let items: ActionItem[] = [];
  /**
   * What the user typed and has not saved, per session: a redraw (the other member's change, a
   * room update) rebuilds the rows, and must not throw away half-written notes or an item.
   */
  const drafts = new Map<string, { notes?: string; title?: string; owner?: string; due?: string }>();
  const draftOf = (id: string) => drafts.get(id) ?? (drafts.set(id, {}), drafts.get(id)!);
  const openItems = h('section', { class: 'card', 'data-testid': 'open-items' });
  const list = h('ol', { class: 'sessions', 'data-testid': 'sessions' });
  const when = h('input', { type: 'datetime-local', required: true, class: 'input', 'aria-label': 'When', 'data-testid': 'session-when' });
  const agenda = h('input', { type: 'text', required: true, maxlength: 2000, class: 'input', placeholder: 'Agenda', 'aria-label': 'Agenda', 'data-testid': 'session-agenda' });
  const scheduleError = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'session-error' });
  const scheduleForm = h(
    'form',
    { class: 'session-form', 'data-testid': 'session-form' },
    h('h2', {}, 'Schedule a session'),
    h('div', { class: 'row' }, when, agenda, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'session-schedule' }, 'Schedule')),
    scheduleError,
  );
  scheduleForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void schedule();
  });
  const ics = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'sessions-ics' }, 'Add upcoming sessions to my calendar (.ics)');
  ics.addEventListener('click', () => void downloadIcs());
  const content = h('div', { class: 'tab-inner stack-lg' }, openItems, h('section', { class: 'card' }, scheduleForm), h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Sessions'), ics), list));
  const el = h('div', { class: 'tab-scroll' }, content);

  const other = () => {
    const r = watch.room;
    return r ? (r.mentorId === me ? r.menteeId : r.mentorId) : '';
  };

  async function load(): Promise<void> {
    try {
      const read = await care.sessions(roomId);
      sessions = read.sessions;
      items = read.items;
      render();
    } catch (err) {
      ctx.notify(`Could not load the sessions: ${explain(err)}`, 'error');
    }
  }

  async function schedule(): Promise<void> {
    scheduleError.hidden = true;
    const at = new Date(when.value);
    if (!when.value || Number.isNaN(at.getTime())) {
      scheduleError.hidden = false;
      scheduleError.textContent = 'Pick a date and time.';
      return;
    }
    try {
      upsert(await care.schedule(roomId, { startsAt: at.toISOString(), agenda: agenda.value.trim() }));
      agenda.value = '';
      when.value = '';
    } catch (err) {
      scheduleError.hidden = false;
      scheduleError.textContent = explain(err);
    }
  }

  async function act(fn: () => Promise<Meeting | ActionItem>, where: HTMLElement, saved?: () => void): Promise<void> {
    try {
      const out = await fn();
      saved?.();
      if ('agenda' in out) upsert(out);
      else upsertItem(out);
    } catch (err) {
      where.hidden = false;
      where.textContent = explain(err);
    }
  }

  async function downloadIcs(): Promise<void> {
    try {
      const text = await care.sessionsIcs(roomId);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar' }));
      const a = h('a', { href: url, download: 'menteo-sessions.ics', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      ctx.notify(`Could not export the sessions: ${explain(err)}`, 'error');
    }
  }

  function upsert(s: Meeting): void {
    const i = sessions.findIndex((x) => x.id === s.id);
    if (i >= 0 && sessions[i]!.rev > s.rev) return;
    sessions = i >= 0 ? sessions.map((x) => (x.id === s.id ? s : x)) : [...sessions, s];
    sessions.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    render();
  }

  function upsertItem(item: ActionItem): void {
    items = items.some((x) => x.id === item.id) ? items.map((x) => (x.id === item.id ? item : x)) : [...items, item];
    render();
  }

  function itemRow(item: ActionItem): HTMLElement {
    const error = h('span', { class: 'form-error', hidden: true });
    const box = h('input', { type: 'checkbox', checked: item.status === 'done', 'aria-label': `Done: ${item.title}`, 'data-testid': 'item-done' });
    box.addEventListener('change', () => void act(() => care.setItemStatus(roomId, item.id, box.checked ? 'done' : 'open'), error));
    return h(
      'li',
      { class: `action-item item-${item.status}`, 'data-testid': 'action-item', 'data-status': item.status },
      h('label', {}, box, ' ', h('span', { 'data-testid': 'item-title' }, item.title)),
      h('span', { class: 'muted' }, ` · ${nameOf(item.ownerId)} · due ${calendarDate(item.dueDate)}${item.status === 'open' ? ` (${dueLabel(item.dueDate)})` : ''}`),
      error,
    );
  }

  function sessionRow(room: Room, s: Meeting): HTMLElement {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const draft = draftOf(s.id);
    const notes = h('textarea', { class: 'input', rows: 3, maxlength: 20000, 'aria-label': 'Notes', 'data-testid': 'session-notes', placeholder: 'Notes' });
    notes.value = draft.notes ?? s.notes;
    notes.addEventListener('input', () => (draft.notes = notes.value));
    const notesSaved = () => delete draft.notes;
    const active = room.status === 'active';
    const started = Date.parse(s.startsAt) <= Date.now();
    const buttons: HTMLElement[] = [];
    if (active && s.status === 'scheduled') {
      const held = h('button', { class: 'btn btn-sm btn-primary', type: 'button', 'data-testid': 'session-held', disabled: !started, title: started ? '' : 'It has not started yet' }, 'Mark held');
      held.addEventListener('click', () => void act(() => care.patchSession(roomId, s.id, { status: 'held', notes: notes.value }), error, notesSaved));
      const noShow = h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': 'session-no-show', disabled: !started }, `${nameOf(other())} did not come`);
      noShow.addEventListener('click', () => void act(() => care.patchSession(roomId, s.id, { status: 'no-show', absent: [other()] }), error));
      const cancel = h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': 'session-cancel' }, 'Cancel');
      cancel.addEventListener('click', () => {
        const reason = window.prompt('Why is the session cancelled?');
        if (reason?.trim()) void act(() => care.patchSession(roomId, s.id, { status: 'cancelled', reason: reason.trim() }), error);
      });
      buttons.push(held, noShow, cancel);
    }
    const saveNotes = h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': 'session-save-notes' }, 'Save notes');
    saveNotes.addEventListener('click', () => void act(() => care.patchSession(roomId, s.id, { notes: notes.value }), error, notesSaved));
    const title = h('input', { type: 'text', class: 'input input-sm', placeholder: 'Action item', maxlength: 300, 'aria-label': 'Action item', 'data-testid': 'item-title-input', required: true });
    const owner = h(
      'select',
      { class: 'input input-sm', 'aria-label': 'Owner', 'data-testid': 'item-owner' },
      [room.menteeId, room.mentorId].map((id) => h('option', { value: id }, nameOf(id))),
    );
    const due = h('input', { type: 'date', class: 'input input-sm', 'aria-label': 'Due date', 'data-testid': 'item-due', required: true });
    title.value = draft.title ?? '';
    owner.value = draft.owner ?? owner.value;
    due.value = draft.due ?? '';
    title.addEventListener('input', () => (draft.title = title.value));
    owner.addEventListener('change', () => (draft.owner = owner.value));
    due.addEventListener('input', () => (draft.due = due.value));
    const addItem = h('form', { class: 'item-form row', 'data-testid': 'item-form' }, title, owner, due, h('button', { class: 'btn btn-sm', type: 'submit', 'data-testid': 'item-add' }, 'Add'));
    addItem.addEventListener('submit', (e) => {
      e.preventDefault();
      void act(() => care.addItem(roomId, s.id, { title: title.value.trim(), ownerId: owner.value, dueDate: due.value }), error, () => {
        delete draft.title;
        delete draft.due;
      });
    });
    const mine = items.filter((i) => i.sessionId === s.id);
    const zone = ctx.directory.user(other())?.profile.timezone;
    return h(
      'li',
      { class: `session session-${s.status}`, 'data-testid': 'session', 'data-session-id': s.id, 'data-status': s.status },
      h(
        'div',
        { class: 'session-head' },
        h('strong', {}, dateTime(s.startsAt)),
        theirTime(s.startsAt, zone) && h('span', { class: 'muted' }, ` (${theirTime(s.startsAt, zone)})`),
        ' ',
        h('span', { class: `chip chip-session-${s.status}`, 'data-testid': 'session-status' }, STATUS_LABEL[s.status]),
      ),
      h('p', {}, s.agenda),
      s.status === 'cancelled' && h('p', { class: 'muted' }, `Cancelled by ${nameOf(s.cancelledBy ?? '')}: ${s.cancelReason ?? ''}`),
      s.status === 'no-show' && h('p', { class: 'muted' }, `Did not come: ${(s.absent ?? []).map(nameOf).join(' and ')}`),
      buttons.length > 0 && h('div', { class: 'goal-actions' }, buttons),
      active && notes,
      active && saveNotes,
      !active && s.notes && h('p', {}, s.notes),
      mine.length > 0 && h('ul', { class: 'items' }, mine.map(itemRow)),
      active && s.status !== 'cancelled' && addItem,
      error,
    );
  }

  /** The focused field of a session row, to focus again (caret included) after the rows are rebuilt. */
  function focusedField(): { session: string; testid: string; start: number | null; end: number | null } | null {
    const active = document.activeElement;
    const row = active instanceof HTMLElement ? active.closest<HTMLElement>('[data-session-id]') : null;
    const testid = active instanceof HTMLElement ? active.dataset.testid : undefined;
    if (!row || !testid || !list.contains(row)) return null;
    const text = active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && active.type === 'text');
    return { session: row.dataset.sessionId!, testid, start: text ? (active as HTMLInputElement).selectionStart : null, end: text ? (active as HTMLInputElement).selectionEnd : null };
  }

  function refocus(f: ReturnType<typeof focusedField>): void {
    if (!f) return;
    const el = list.querySelector<HTMLInputElement>(`[data-session-id="${CSS.escape(f.session)}"] [data-testid="${CSS.escape(f.testid)}"]`);
    el?.focus();
    if (el && f.start !== null) el.setSelectionRange(f.start, f.end);
  }

  function render(): void {
    const room = watch.room;
    if (!room) return;
    const focused = focusedField();
    const open = items.filter((i) => i.status === 'open');
    openItems.replaceChildren(
      h('h2', {}, 'Open action items'),
      open.length === 0 ? h('p', { class: 'muted' }, 'Nothing open.') : h('ul', { class: 'items', 'data-testid': 'open-item-list' }, open.map(itemRow)),
    );
    scheduleForm.hidden = room.status !== 'active';
    list.replaceChildren(...(sessions.length === 0 ? [h('li', { class: 'muted' }, 'No sessions yet.')] : [...sessions].reverse().map((s) => sessionRow(room, s))));
    refocus(focused);
  }

  const offs = [
    ctx.client.on('session:updated', (p) => p.roomId === roomId && upsert(p.session)),
    ctx.client.on('session:item', (p) => p.roomId === roomId && upsertItem(p.item)),
    watch.on('change', render),
  ];
  void load();
  return {
    el,
    show: () => void load(),
    destroy: () => offs.forEach((off) => off()),
  };
}
