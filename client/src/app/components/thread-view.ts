import { Limits } from '../../../../shared/limits.js';
import { THREAD_VISIBILITIES, type ThreadComment, type ThreadEntry, type ThreadVisibility } from '../../../../shared/types.js';
import { applyThreadEvent, SdkError, threadStateFrom, withOlderComments, withPage, type ThreadState } from '@menteo/sdk';
import type { AppContext } from '../context.js';
import { h, reconcile, type Keyed } from '../dom.js';
import { ago, dateTime } from '../format.js';
import { knownName, loadUser } from '../people.js';
import { avatar } from './avatar.js';
import { entryForm, KIND_LABEL, type LinkOption } from './entry-form.js';
import { busy, explain, formError } from './form.js';
import { markdown } from './markdown.js';

export const VISIBILITY_LABEL: Record<ThreadVisibility, string> = {
  public: 'Public',
  room: 'This room',
  private: 'Only me',
};

export const VISIBILITY_HINT: Record<ThreadVisibility, string> = {
  public: 'Anyone signed in can read it; it appears in the feed.',
  room: 'Both members of this room can read it.',
  private: 'Only you can read it.',
};

export interface ThreadViewOptions {
  ctx: AppContext;
  threadId: string;
  /** Shown above the title (a link back to the list). */
  back?: HTMLElement;
  /** The thread was deleted or is no longer readable. */
  onGone?(): void;
}

/** Entries loaded per page. */
const PAGE = 50;

/**
 * One growth thread: its entries (oldest first, Markdown rendered safely) with comments, writing
 * and editing entries (the owner), commenting (any reader), editing and deleting one's own, and
 * changing the thread's visibility. Live through the client's `thread:*` events when I am a member
 * of the thread's room; my own changes apply at once from the REST answers.
 */
export function threadView(opts: ThreadViewOptions): { el: HTMLElement; destroy(): void } {
  const { ctx, threadId } = opts;
  const { client } = ctx;
  const me = client.me;
  let state: ThreadState | null = null;
  let milestones: LinkOption[] = [];
  let goals: LinkOption[] = [];
  let linksLoaded = false;
  // Whether I could read the room's contract and roadmap (a reader from the feed may not).
  let goalsKnown = false;
  let milestonesKnown = false;
  let editingEntry: string | null = null;
  let editingComment: string | null = null;
  let confirming: string | null = null;
  const commentInputs = new Map<string, HTMLTextAreaElement>();
  const cache = new Map<string, { el: HTMLElement; sig: string }>();
  let generation = 0;

  const head = h('header', { class: 'thread-head' });
  const entries = h('ol', { class: 'entries', 'data-testid': 'thread-entries' });
  const more = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'thread-more', hidden: true }, 'Load more entries');
  const composer = h('section', { class: 'entry-composer', 'aria-label': 'New entry' });
  const el = h('article', { class: 'thread', 'data-testid': 'thread-view', 'data-thread-id': threadId }, opts.back ?? null, head, entries, more, composer);

  const isOwner = () => state?.thread.ownerId === me;
  const nameOf = (userId: string) => {
    const name = knownName(ctx, userId);
    if (name) return name;
    void loadUser(ctx, userId).then((u) => u && rerenderSoon());
    return '…';
  };
  let rerenderQueued = false;
  const rerenderSoon = () => {
    if (rerenderQueued) return;
    rerenderQueued = true;
    setTimeout(() => {
      rerenderQueued = false;
      render(true);
    });
  };

  function apply(next: ThreadState | null): void {
    if (next === null) {
      state = null;
      opts.onGone?.();
      return;
    }
    state = next;
    render();
  }

  async function act(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      ctx.notify(`Could not ${what}: ${explain(err)}`, 'error');
    }
  }

  function renderHead(): void {
    if (!state) return;
    const t = state.thread;
    const owner = isOwner();
    const visibility = h('select', { 'data-testid': 'thread-visibility-select', 'aria-label': 'Who can read this thread' });
    for (const v of THREAD_VISIBILITIES) if (v !== 'room' || t.roomId) visibility.append(h('option', { value: v }, VISIBILITY_LABEL[v]));
    visibility.value = t.visibility;
    visibility.addEventListener('change', () => {
      const v = visibility.value as ThreadVisibility;
      void act('change who can read the thread', async () => {
        try {
          apply(applyThreadEvent(state!, { type: 'thread:updated', roomId: t.roomId ?? '', threadId, thread: await client.rest.threads.update(threadId, { visibility: v }) }));
        } finally {
          renderHead();
        }
      });
    });
    const del = confirming === 'thread'
      ? h(
          'span',
          { class: 'confirm' },
          'Delete the thread and all its entries? ',
          h('button', { class: 'btn btn-sm btn-ghost danger', type: 'button', 'data-testid': 'thread-delete-confirm', onclick: () => void act('delete the thread', async () => {
            await client.rest.threads.remove(threadId);
            apply(null);
          }) }, 'Delete'),
          h('button', { class: 'btn btn-sm btn-ghost', type: 'button', onclick: () => ((confirming = null), renderHead()) }, 'Keep'),
        )
      : h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': 'thread-delete', onclick: () => ((confirming = 'thread'), renderHead()) }, 'Delete thread');
    head.replaceChildren(
      h('h2', { class: 'thread-title', 'data-testid': 'thread-title' }, t.title),
      h(
        'p',
        { class: 'thread-meta muted' },
        `by ${nameOf(t.ownerId)} · ${t.entryCount} entr${t.entryCount === 1 ? 'y' : 'ies'} · `,
        owner ? visibility : h('span', { class: `chip chip-vis-${t.visibility}`, 'data-testid': 'thread-visibility' }, VISIBILITY_LABEL[t.visibility]),
      ),
      owner ? h('div', { class: 'thread-owner-actions' }, del) : '',
    );
  }

  function commentItem(entry: ThreadEntry, c: ThreadComment): HTMLElement {
    const mine = c.authorId === me;
    const canDelete = mine || isOwner();
    const key = `${entry.id}/${c.id}`;
    if (editingComment === key) {
      const input = h('textarea', { rows: 2, maxlength: Limits.commentBody, 'data-testid': 'comment-edit-input', 'aria-label': 'Edit comment' });
      input.value = c.body;
      const form = h(
        'form',
        { class: 'comment-form' },
        input,
        h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary btn-sm', type: 'submit', 'data-testid': 'comment-save' }, 'Save'), h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => ((editingComment = null), render(true)) }, 'Cancel')),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (!input.value.trim()) return;
        void busy(form, () =>
          act('save the comment', async () => {
            const comment = await client.rest.threads.editComment(threadId, entry.id, c.id, { body: input.value });
            editingComment = null;
            apply(applyThreadEvent(state!, { type: 'thread:comment:updated', roomId: '', threadId, entryId: entry.id, comment }));
          }),
        );
      });
      return h('li', { class: 'comment', 'data-testid': 'entry-comment' }, form);
    }
    return h(
      'li',
      { class: 'comment', 'data-testid': 'entry-comment', 'data-comment-id': c.id },
      h('p', { class: 'comment-meta' }, avatar(c.authorId, nameOf(c.authorId), 'xs'), h('strong', {}, nameOf(c.authorId)), h('span', { class: 'muted' }, ` · ${ago(c.createdAt)}${c.editedAt ? ' · edited' : ''}`)),
      markdown(c.body, { 'data-testid': 'comment-body' }),
      (mine || canDelete) &&
        h(
          'div',
          { class: 'inline-actions' },
          mine && h('button', { class: 'btn-link', type: 'button', 'data-testid': 'comment-edit', onclick: () => ((editingComment = key), render(true)) }, 'Edit'),
          canDelete &&
            (confirming === key
              ? h(
                  'span',
                  {},
                  h('button', { class: 'btn-link danger', type: 'button', 'data-testid': 'comment-delete-confirm', onclick: () => void act('delete the comment', async () => {
                    await client.rest.threads.removeComment(threadId, entry.id, c.id);
                    confirming = null;
                    apply(applyThreadEvent(state!, { type: 'thread:comment:deleted', roomId: '', threadId, entryId: entry.id, commentId: c.id }));
                  }) }, 'Really delete'),
                  ' ',
                  h('button', { class: 'btn-link', type: 'button', onclick: () => ((confirming = null), render(true)) }, 'Keep'),
                )
              : h('button', { class: 'btn-link', type: 'button', 'data-testid': 'comment-delete', onclick: () => ((confirming = key), render(true)) }, 'Delete')),
        ),
    );
  }

  /** A thread read carries only the latest comments of an entry: this loads the earlier ones a page at a time. */
  function earlierComments(entry: ThreadEntry): HTMLElement | false {
    const cursor = entry.commentsCursor;
    if (cursor === undefined) return false;
    const hidden = Math.max(0, entry.commentCount - entry.comments.length);
    return h('button', {
      class: 'btn-link',
      type: 'button',
      'data-testid': 'comments-earlier',
      onclick: () => void act('load earlier comments', async () => {
        const page = await client.rest.threads.comments(threadId, entry.id, { before: cursor });
        apply(withOlderComments(state!, entry.id, page));
      }),
    }, `Show earlier comments (${hidden})`);
  }

  function commentForm(entry: ThreadEntry): HTMLElement {
    // The same textarea across re-renders: a comment being written survives live updates.
    let input = commentInputs.get(entry.id);
    if (!input) {
      input = h('textarea', { rows: 1, maxlength: Limits.commentBody, 'data-testid': 'comment-input', 'aria-label': 'Comment', placeholder: 'Write a comment' });
      commentInputs.set(entry.id, input);
    }
    const field = input;
    const form = h('form', { class: 'comment-form' }, field, h('button', { class: 'btn btn-ghost btn-sm', type: 'submit', 'data-testid': 'comment-submit' }, 'Comment'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!field.value.trim()) return;
      void busy(form, () =>
        act('add the comment', async () => {
          const comment = await client.rest.threads.addComment(threadId, entry.id, { body: field.value });
          field.value = '';
          apply(applyThreadEvent(state!, { type: 'thread:comment:new', roomId: '', threadId, entryId: entry.id, comment }));
        }),
      );
    });
    return form;
  }

  function entryItem(entry: ThreadEntry): HTMLElement {
    const owner = isOwner();
    if (editingEntry === entry.id) {
      const form = entryForm({
        entry,
        milestones: state?.thread.visibility === 'private' ? [] : milestones,
        goals,
        cancel: () => ((editingEntry = null), render(true)),
        submit: async (input) => {
          const next = await client.rest.threads.editEntry(threadId, entry.id, input);
          editingEntry = null;
          apply(applyThreadEvent(state!, { type: 'thread:entry:updated', roomId: '', threadId, entry: next }));
        },
      });
      queueMicrotask(() => form.focus());
      return h('li', { class: 'entry is-editing', 'data-testid': 'thread-entry' }, form.el);
    }
    // Until the room's goals and milestones are loaded, a link shows no name rather than a wrong one.
    const linkName = (list: LinkOption[], known: boolean, id: string | undefined, gone: string, unknown: string) =>
      id && linksLoaded ? (list.find((x) => x.id === id)?.title ?? (known ? gone : unknown)) : null;
    const milestone = linkName(milestones, milestonesKnown, entry.milestoneId, 'a milestone no longer on the roadmap', 'a roadmap milestone');
    const goal = linkName(goals, goalsKnown, entry.goalId, 'a goal no longer in the contract', 'a contract goal');
    return h(
      'li',
      { class: `entry kind-${entry.kind}`, 'data-testid': 'thread-entry', 'data-entry-id': entry.id, 'data-kind': entry.kind },
      h(
        'p',
        { class: 'entry-meta' },
        h('span', { class: `kind kind-${entry.kind}`, 'data-testid': 'entry-kind-label' }, KIND_LABEL[entry.kind]),
        h('time', { datetime: entry.createdAt, title: dateTime(entry.createdAt) }, ago(entry.createdAt)),
        entry.editedAt && h('span', { class: 'muted' }, 'edited'),
        milestone && h('span', { class: 'entry-link', 'data-testid': 'entry-milestone-link' }, `Evidence for: ${milestone}`),
        goal && h('span', { class: 'entry-link' }, `Goal: ${goal}`),
      ),
      markdown(entry.body, { 'data-testid': 'entry-body' }),
      owner &&
        h(
          'div',
          { class: 'inline-actions' },
          h('button', { class: 'btn-link', type: 'button', 'data-testid': 'entry-edit', onclick: () => ((editingEntry = entry.id), render(true)) }, 'Edit'),
          confirming === entry.id
            ? h(
                'span',
                {},
                h('button', { class: 'btn-link danger', type: 'button', 'data-testid': 'entry-delete-confirm', onclick: () => void act('delete the entry', async () => {
                  await client.rest.threads.removeEntry(threadId, entry.id);
                  confirming = null;
                  apply(applyThreadEvent(state!, { type: 'thread:entry:deleted', roomId: '', threadId, entryId: entry.id }));
                }) }, 'Really delete'),
                ' ',
                h('button', { class: 'btn-link', type: 'button', onclick: () => ((confirming = null), render(true)) }, 'Keep'),
              )
            : h('button', { class: 'btn-link', type: 'button', 'data-testid': 'entry-delete', onclick: () => ((confirming = entry.id), render(true)) }, 'Delete'),
        ),
      earlierComments(entry),
      h('ul', { class: 'comments', 'aria-label': 'Comments' }, entry.comments.map((c) => commentItem(entry, c))),
      commentForm(entry),
    );
  }

  let composerBuiltFor = '';
  function renderComposer(): void {
    const key = JSON.stringify([isOwner(), state?.thread.visibility, milestones, goals]);
    if (key === composerBuiltFor) return;
    composerBuiltFor = key;
    if (!isOwner() || !state) {
      composer.replaceChildren();
      return;
    }
    const form = entryForm({
      milestones: state.thread.visibility === 'private' ? [] : milestones,
      goals,
      submit: async (input) => {
        const entry = await client.rest.threads.addEntry(threadId, {
          kind: input.kind,
          body: input.body,
          ...(input.milestoneId && { milestoneId: input.milestoneId }),
          ...(input.goalId && { goalId: input.goalId }),
        });
        apply(applyThreadEvent(state!, { type: 'thread:entry:new', roomId: '', threadId, entry }));
      },
    });
    composer.replaceChildren(h('h3', {}, 'Add an entry'), form.el);
  }

  /** `force`: rebuild every entry (an edit or confirm state changed). */
  function render(force = false): void {
    if (!state) return;
    // Rebuilt entries re-parent a comment box being typed in, which blurs it: give focus back.
    const focused = document.activeElement instanceof HTMLElement && entries.contains(document.activeElement) ? document.activeElement : null;
    renderHead();
    // A new generation in every signature rebuilds each entry (clearing the cache instead would
    // leave the old elements in the list).
    if (force) generation++;
    const items: Keyed[] = state.entries.map((entry) => ({
      key: entry.id,
      sig: JSON.stringify([generation, entry, editingEntry === entry.id, editingComment?.startsWith(`${entry.id}/`) ? editingComment : null, confirming, linksLoaded]),
      build: () => entryItem(entry),
    }));
    if (items.length === 0) {
      entries.replaceChildren(h('li', { class: 'empty muted', 'data-testid': 'thread-empty' }, isOwner() ? 'No entries yet. Write the first one below.' : 'No entries yet.'));
      cache.clear();
    } else {
      if (entries.querySelector('[data-testid="thread-empty"]')) entries.replaceChildren();
      reconcile(entries, items, cache);
    }
    more.hidden = !state.hasMore;
    renderComposer();
    if (focused?.isConnected && document.activeElement !== focused) focused.focus();
  }

  more.addEventListener('click', () => {
    if (!state) return;
    more.disabled = true;
    void act('load more entries', async () => {
      apply(withPage(state!, await client.rest.threads.get(threadId, { ...(state!.nextCursor && { cursor: state!.nextCursor }), limit: PAGE })));
    }).finally(() => (more.disabled = false));
  });

  async function loadLinks(roomId: string): Promise<void> {
    const [detail, roadmap] = await Promise.all([client.rest.room(roomId).catch(() => null), client.rest.roadmap.read(roomId).catch(() => null)]);
    goals = (detail?.room.contract?.goals ?? []).map((g) => ({ id: g.id, title: g.title }));
    milestones = (roadmap?.roadmap.milestones ?? []).map((m) => ({ id: m.id, title: m.title || 'Untitled milestone' }));
    goalsKnown = detail !== null;
    milestonesKnown = roadmap !== null;
    linksLoaded = true;
    render(true);
  }

  const offs = [
    client.on('thread', (ev) => {
      if (!state || ev.threadId !== threadId) return;
      apply(applyThreadEvent(state, ev));
    }),
    // Goals change with the contract.
    client.on('room', ({ room }) => {
      if (state?.thread.roomId === room.id) {
        goals = (room.contract?.goals ?? []).map((g) => ({ id: g.id, title: g.title }));
        render();
      }
    }),
  ];

  el.append(h('p', { class: 'muted', 'data-testid': 'thread-loading' }, 'Loading…'));
  void client.rest.threads.get(threadId, { limit: PAGE }).then(
    (page) => {
      el.querySelector('[data-testid="thread-loading"]')?.remove();
      state = threadStateFrom(page);
      render();
      if (page.thread.roomId) void loadLinks(page.thread.roomId);
    },
    (err: unknown) => {
      el.querySelector('[data-testid="thread-loading"]')?.remove();
      const gone = err instanceof SdkError && err.code === 'NOT_FOUND';
      head.replaceChildren(h('h2', {}, gone ? 'Thread not found' : 'Could not load the thread'), h('p', { class: 'muted' }, gone ? 'It was deleted, or it is not shared with you.' : explain(err)));
    },
  );

  return {
    el,
    destroy() {
      offs.forEach((off) => off());
    },
  };
}

/** A form to start a thread; `roomId` ties it to a room (and offers the room visibility). */
export function newThreadForm(ctx: AppContext, opts: { roomId?: string; created(threadId: string): void; cancel(): void }): HTMLFormElement {
  const title = h('input', { type: 'text', maxlength: Limits.threadTitle, required: true, 'data-testid': 'thread-title-input', placeholder: 'e.g. Getting to my first 10 customers', 'aria-label': 'Thread title' });
  const visibility = h('select', { 'data-testid': 'thread-visibility-input', 'aria-label': 'Who can read it' });
  for (const v of THREAD_VISIBILITIES) if (v !== 'room' || opts.roomId) visibility.append(h('option', { value: v }, `${VISIBILITY_LABEL[v]} — ${VISIBILITY_HINT[v]}`));
  visibility.value = opts.roomId ? 'room' : 'public';
  const error = formError('thread-create-error');
  const form = h(
    'form',
    { class: 'new-thread stack', novalidate: true, 'data-testid': 'thread-create-form' },
    h('h3', {}, 'Start a growth thread'),
    h('p', { class: 'muted' }, 'Write down your journey as it happens: assumptions, failures, breakthroughs, progress.'),
    title,
    visibility,
    error,
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'thread-create' }, 'Start thread'), h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => opts.cancel() }, 'Cancel')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    if (!title.value.trim()) return error.show('Give the thread a title.');
    void busy(form, async () => {
      try {
        const thread = await ctx.client.rest.threads.create({
          title: title.value,
          visibility: visibility.value as ThreadVisibility,
          ...(opts.roomId && { roomId: opts.roomId }),
        });
        opts.created(thread.id);
      } catch (err) {
        error.show(explain(err));
      }
    });
  });
  return form;
}
