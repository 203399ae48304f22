import type { Goal, PairTemplate, RoadmapTemplate, ThreadHighlight } from '../../../../shared/types.js';
import { RoadmapSession, type RoadmapStatus } from '@menteo/sdk';
import { h } from '../dom.js';
import { avatar } from './avatar.js';
import { busy, explain, formError } from './form.js';
import { milestoneRow } from './milestone-row.js';
import { roadmapBoard } from './roadmap-board.js';
import type { RoomScope, RoomTab } from './room-scope.js';

const STATUS_TEXT: Record<RoadmapStatus, string> = {
  connecting: 'Connecting…',
  syncing: 'Loading…',
  live: 'Live',
  offline: 'Offline: your edits are kept and sent when the connection is back',
  refused: 'The roadmap is not available',
};

/**
 * The roadmap, co-edited live over Yjs (docs/COLLAB.md): the title, milestones (status, due date,
 * linked goal, notes bound to their Y.Text, evidence), reordering, progress, the people editing
 * now, and templates (applied by the server, which then reach every editor live). The connection
 * opens the first time the tab is shown and stays open while the room screen is.
 */
export function roadmapTab(scope: RoomScope): RoomTab {
  const { ctx, roomId, watch } = scope;
  let session: RoadmapSession | null = null;
  const rows = new Map<string, ReturnType<typeof milestoneRow>>();
  let highlights = new Map<string, ThreadHighlight>();
  // The curated templates and the pair's own (issue 16): one list for the picker.
  let templates: RoadmapTemplate[] | null = null;
  let own: PairTemplate[] = [];
  let scheduled = false;
  let offeredTemplates = false;

  const status = h('span', { class: 'sync-status', 'data-testid': 'roadmap-status', 'data-status': 'connecting' }, STATUS_TEXT.connecting);
  const collaborators = h('div', { class: 'collaborators', 'data-testid': 'roadmap-collaborators', 'aria-live': 'polite' });
  const title = h('input', { type: 'text', class: 'roadmap-title', 'data-testid': 'roadmap-title', 'aria-label': 'Roadmap title', placeholder: 'Name this roadmap', maxlength: 200, disabled: true });
  const bar = h('span', { class: 'progress-fill' });
  const progressText = h('span', { class: 'progress-text' });
  const progress = h('div', { class: 'progress', 'data-testid': 'roadmap-progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-label': 'Milestones done' }, h('span', { class: 'progress-track' }, bar), progressText);
  const list = h('ol', { class: 'milestones', 'data-testid': 'milestones' });
  const empty = h('p', { class: 'empty muted', 'data-testid': 'milestones-empty', hidden: true }, 'No milestones yet. Add the first one below, or start from a template.');
  const newTitle = h('input', { type: 'text', 'data-testid': 'milestone-new-title', placeholder: 'A new milestone', 'aria-label': 'New milestone', maxlength: 200 });
  const addForm = h('form', { class: 'ms-add' }, newTitle, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'milestone-add' }, 'Add'));

  const templateSelect = h('select', { 'data-testid': 'template-select', 'aria-label': 'Template' });
  const templateInfo = h('p', { class: 'muted template-info' });
  const replace = h('input', { type: 'checkbox', id: `tpl-replace-${roomId}`, 'data-testid': 'template-replace' });
  const templateError = formError('template-error');
  const templateForm = h(
    'form',
    { class: 'template-form' },
    h('div', { class: 'template-row' }, templateSelect, h('button', { class: 'btn btn-ghost', type: 'submit', 'data-testid': 'template-apply' }, 'Apply template')),
    templateInfo,
    h('div', { class: 'check' }, replace, h('label', { for: replace.id }, 'Replace the current milestones (otherwise they are added after them)')),
    templateError,
  );
  // Milestones offered from the contract's goals: one per goal that has none yet (issue 16).
  const suggestions = h('div', { class: 'goal-suggestions', 'data-testid': 'goal-suggestions', hidden: true });
  // "Save this roadmap as our own template" (issue 16): offered next to the curated ones afterwards.
  const saveName = h('input', { type: 'text', maxlength: 80, 'data-testid': 'template-save-name', 'aria-label': 'Template name', placeholder: 'Name of the template' });
  const saveStatus = h('p', { class: 'form-ok', role: 'status', 'data-testid': 'template-saved', hidden: true });
  const saveError = formError('template-save-error');
  const saveForm = h(
    'form',
    { class: 'template-save', novalidate: true },
    h('div', { class: 'template-row' }, saveName, h('button', { class: 'btn btn-ghost', type: 'submit', 'data-testid': 'template-save' }, 'Save as our template')),
    saveStatus,
    saveError,
  );
  const templates$ = h('details', { class: 'card templates', 'data-testid': 'template-picker' }, h('summary', {}, 'Templates'), templateForm, h('h3', { class: 'template-save-title' }, 'Save this roadmap as your own template'), h('p', { class: 'muted small' }, 'Its title, milestones and notes become a template only you two see, offered here next to the curated ones.'), saveForm);
  // List (every field) or board (by status, drag and drop): issue 16, finding 7.
  let view: 'list' | 'board' = 'list';
  const board = roadmapBoard({ roadmap: () => session?.roadmap ?? null, canEdit: () => canEdit() });
  board.el.hidden = true;
  const viewButton = (id: 'list' | 'board', label: string) =>
    h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'aria-pressed': String(view === id), 'data-testid': `roadmap-view-${id}`, onclick: () => setView(id) }, label);
  const viewSwitch = h('div', { class: 'view-switch', role: 'group', 'aria-label': 'Show the roadmap as' });
  function setView(next: 'list' | 'board'): void {
    view = next;
    viewSwitch.replaceChildren(viewButton('list', 'List'), viewButton('board', 'Board'));
    list.hidden = view !== 'list';
    board.el.hidden = view !== 'board';
    schedule();
  }
  viewSwitch.append(viewButton('list', 'List'), viewButton('board', 'Board'));

  const el = h(
    'div',
    { class: 'tab-scroll' },
    h(
      'div',
      { class: 'tab-inner stack-lg' },
      h('section', { class: 'card roadmap-head' }, h('div', { class: 'roadmap-bar' }, status, collaborators), title, progress),
      templates$,
      h('section', { class: 'card', 'aria-label': 'Milestones' }, viewSwitch, list, board.el, empty, suggestions, addForm),
    ),
  );

  const canEdit = () => (session?.status === 'live' || session?.status === 'offline') && session.roadmap.ready() && (watch.room?.status === 'active' || watch.room?.status === 'pending');

  function renderCollaborators(): void {
    const people = session?.collaborators() ?? [];
    for (const [id, row] of rows) row.showEditors(people.filter((p) => p.editing === id).map((p) => p.name));
    collaborators.replaceChildren(
      ...(people.length > 0
        ? [h('span', { class: 'muted' }, 'Also here: '), ...people.map((p) => h('span', { class: 'collaborator', 'data-testid': 'collaborator' }, avatar(p.userId, p.name, 'sm'), p.name))]
        : [h('span', { class: 'muted' }, 'Only you are here')]),
    );
  }

  function render(): void {
    scheduled = false;
    if (!session) return;
    status.dataset.status = session.status;
    status.textContent = STATUS_TEXT[session.status];
    const doc = session.roadmap;
    const editable = canEdit();
    // The title being typed in is mine until blur (a plain string: last writer wins).
    if (document.activeElement !== title) title.value = doc.title();
    title.disabled = !editable;
    const all = doc.milestones();
    const { done, total } = doc.progress();
    bar.style.width = total > 0 ? `${Math.round((done / total) * 100)}%` : '0';
    progressText.textContent = total > 0 ? `${done} of ${total} done` : 'No milestones yet';
    progress.setAttribute('aria-valuemax', String(total));
    progress.setAttribute('aria-valuenow', String(done));
    progress.dataset.done = String(done);
    progress.dataset.total = String(total);
    empty.hidden = all.length > 0 || !doc.ready();
    // An empty roadmap offers the templates once; closing them is then the user's choice.
    if (!offeredTemplates && doc.ready() && editable) {
      offeredTemplates = true;
      if (all.length === 0) templates$.open = true;
    }
    renderSuggestions(all, editable);
    for (const control of Array.from(addForm.elements) as HTMLInputElement[]) control.disabled = !editable;
    for (const control of Array.from(saveForm.elements) as HTMLInputElement[]) control.disabled = !editable || all.length === 0;
    if (!saveName.value && document.activeElement !== saveName) saveName.placeholder = doc.title() || 'Name of the template';
    for (const control of Array.from(templateForm.elements) as HTMLInputElement[]) control.disabled = !editable || !templates?.length;

    // Keyed rows: the same element follows a milestone through edits and moves.
    const focused = document.activeElement instanceof HTMLElement && list.contains(document.activeElement) ? document.activeElement : null;
    let cursor: ChildNode | null = list.firstChild;
    const seen = new Set<string>();
    all.forEach((m, i) => {
      seen.add(m.id);
      let row = rows.get(m.id);
      if (!row) {
        row = milestoneRow(m, {
          roadmap: doc,
          goals: () => watch.room?.contract?.goals ?? [],
          evidence: (id) => highlights.get(id),
          threadHref: (threadId) => `/rooms/${roomId}/threads?thread=${encodeURIComponent(threadId)}`,
          canEdit,
          editing: (milestoneId) => session?.setEditing(milestoneId),
        });
        rows.set(m.id, row);
      }
      row.update(m, { first: i === 0, last: i === all.length - 1 });
      if (row.el === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(row.el, cursor);
    });
    for (const [id, row] of rows) {
      if (seen.has(id)) continue;
      row.destroy();
      row.el.remove();
      rows.delete(id);
    }
    if (view === 'board') board.render();
    renderCollaborators();
    // Moving a row's element blurs what was focused in it (the ↑ button): give focus back.
    if (focused && focused.isConnected && document.activeElement !== focused) focused.focus();
  }

  function renderSuggestions(all: ReadonlyArray<{ goalId?: string | undefined }>, editable: boolean): void {
    const served = new Set(all.map((m) => m.goalId).filter((g): g is string => g !== undefined));
    const open: Goal[] = (watch.room?.contract?.goals ?? []).filter((g) => g.status === 'open' && !served.has(g.id));
    suggestions.hidden = !editable || open.length === 0 || !session?.roadmap.ready();
    const key = open.map((g) => `${g.id}:${g.title}`).join('|');
    if (suggestions.dataset.key === key) return;
    suggestions.dataset.key = key;
    suggestions.replaceChildren(
      h('p', { class: 'muted small' }, 'Goals of your contract without a milestone yet:'),
      h(
        'ul',
        { class: 'suggestion-list' },
        open.map((g) =>
          h(
            'li',
            {},
            h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'goal-suggestion', 'data-goal-id': g.id, onclick: () => session?.roadmap.add(g.title, { goalId: g.id }) }, `+ Add a milestone for “${g.title}”`),
          ),
        ),
      ),
    );
  }

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(render);
  };

  function renderTemplates(): void {
    if (!templates) return;
    const selected = templateSelect.value;
    templateSelect.replaceChildren(
      h('optgroup', { label: 'Curated' }, templates.map((t) => h('option', { value: t.id }, t.name))),
      ...(own.length === 0 ? [] : [h('optgroup', { label: 'Yours', 'data-testid': 'template-own' }, own.map((t) => h('option', { value: t.id }, t.name)))]),
    );
    if (selected) templateSelect.value = selected;
    const t = [...templates, ...own].find((x) => x.id === templateSelect.value);
    templateInfo.textContent = t ? `${t.description ? `${t.description} ` : ''}(${t.milestones.length} milestones)` : '';
  }

  function loadTemplates(): Promise<void> {
    return ctx.client.rest.roadmap.roomTemplates(roomId).then(
      (res) => {
        templates = res.templates;
        own = res.own;
        renderTemplates();
        schedule();
      },
      () => undefined,
    );
  }

  saveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    saveError.show(null);
    saveStatus.hidden = true;
    const name = saveName.value.trim() || session?.roadmap.title().trim() || '';
    if (!name) return saveError.show('Give the template a name.');
    void busy(saveForm, async () => {
      try {
        const saved = await ctx.client.rest.roadmap.saveTemplate(roomId, { name });
        saveName.value = '';
        saveStatus.hidden = false;
        saveStatus.textContent = `Saved “${saved.name}”: it is offered under Yours when you apply a template.`;
        await loadTemplates();
      } catch (err) {
        saveError.show(explain(err));
      }
    }).finally(schedule);
  });
  templateSelect.addEventListener('change', renderTemplates);

  templateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    templateError.show(null);
    const templateId = templateSelect.value;
    if (!templateId) return;
    void busy(templateForm, async () => {
      try {
        // The server edits the live document: the milestones arrive here (and at the other editor) over Yjs.
        await ctx.client.rest.roadmap.applyTemplate(roomId, { templateId, mode: replace.checked ? 'replace' : 'append' });
        replace.checked = false;
        templates$.open = false;
      } catch (err) {
        templateError.show(explain(err));
      }
    }).finally(schedule);
  });

  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = newTitle.value.trim();
    if (!text || !session || !canEdit()) return;
    session.roadmap.add(text);
    newTitle.value = '';
    newTitle.focus();
  });
  title.addEventListener('input', () => session?.roadmap.setTitle(title.value));
  title.addEventListener('blur', schedule);

  async function loadHighlights(): Promise<void> {
    try {
      const record = await ctx.client.rest.lifecycle.record(roomId);
      highlights = new Map(record.highlights.map((x) => [x.entryId, x]));
      for (const row of rows.values()) row.refreshEvidence();
    } catch {
      // Evidence then shows as "not shown"; the roadmap itself does not depend on it.
    }
  }
  let highlightTimer: ReturnType<typeof setTimeout> | null = null;
  const offs = [
    watch.on('change', schedule),
    ctx.client.on('thread', (ev) => {
      if (ev.roomId !== roomId || highlightTimer) return;
      highlightTimer = setTimeout(() => {
        highlightTimer = null;
        void loadHighlights();
      }, 300);
    }),
  ];

  /**
   * A declined or closed room's roadmap is read-only and the collab endpoint refuses it: show what
   * was stored, over REST.
   */
  async function showStored(): Promise<void> {
    status.dataset.status = 'refused';
    status.textContent = `This room is ${watch.room?.status}: its roadmap is read-only`;
    templates$.hidden = true;
    addForm.hidden = true;
    try {
      const { roadmap, progress: p } = await ctx.client.rest.roadmap.read(roomId);
      title.value = roadmap.title;
      bar.style.width = p.total > 0 ? `${Math.round((p.done / p.total) * 100)}%` : '0';
      progressText.textContent = `${p.done} of ${p.total} done`;
      list.replaceChildren(
        ...roadmap.milestones.map((m) =>
          h('li', { class: 'milestone', 'data-testid': 'milestone', 'data-id': m.id, 'data-status': m.status }, h('strong', {}, m.title), m.notes && h('p', { class: 'muted' }, m.notes)),
        ),
      );
      empty.hidden = roadmap.milestones.length > 0;
    } catch (err) {
      status.textContent = `Could not load the roadmap: ${explain(err)}`;
    }
  }

  function open(): void {
    if (session) return;
    const roomStatus = watch.room?.status;
    if (roomStatus === 'declined' || roomStatus === 'closed') {
      void showStored();
      return;
    }
    const s = new RoadmapSession({
      baseUrl: '',
      roomId,
      token: ctx.client.rest.currentToken ?? ctx.session.token,
      renewToken: async () => ((await ctx.client.rest.refresh()) ? (ctx.client.rest.currentToken ?? null) : null),
      user: { id: ctx.session.user.id, name: ctx.session.user.displayName },
    });
    session = s;
    s.on('change', schedule);
    s.on('status', schedule);
    s.on('collaborators', renderCollaborators);
    renderCollaborators();
    schedule();
    void loadTemplates();
  }

  return {
    el,
    show() {
      open();
      void loadHighlights();
    },
    destroy() {
      offs.forEach((off) => off());
      if (highlightTimer) clearTimeout(highlightTimer);
      for (const row of rows.values()) row.destroy();
      session?.destroy();
      session = null;
    },
  };
}
