import type { Thread } from '../../../../shared/types.js';
import { applyToThreadList } from '@menteo/sdk';
import { h, reconcile, type Keyed } from '../dom.js';
import { ago } from '../format.js';
import { explain } from './form.js';
import type { RoomScope, RoomTab } from './room-scope.js';
import { newThreadForm, threadView, VISIBILITY_LABEL } from './thread-view.js';

/**
 * The room's growth threads: the list (live through `thread:*` events), starting one (public,
 * room or private) and one thread open at a time with its entries and comments.
 */
export function threadsTab(scope: RoomScope): RoomTab {
  const { ctx, roomId, nameOf } = scope;
  let threads: readonly Thread[] = [];
  let loaded = false;
  let open: { id: string; view: ReturnType<typeof threadView> } | null = null;
  const cache = new Map<string, { el: HTMLElement; sig: string }>();

  const list = h('ul', { class: 'thread-list', 'data-testid': 'thread-list' });
  const status = h('p', { class: 'empty muted', 'data-testid': 'threads-empty' });
  const create = h('button', { class: 'btn btn-primary btn-sm', type: 'button', 'data-testid': 'thread-new' }, 'New thread');
  const formSlot = h('div');
  const listPane = h(
    'section',
    { class: 'card', 'aria-labelledby': `threads-title-${roomId}` },
    h('div', { class: 'card-head' }, h('h2', { id: `threads-title-${roomId}` }, 'Growth threads'), create),
    formSlot,
    list,
    status,
  );
  const detail = h('section', { class: 'card', hidden: true });
  const el = h('div', { class: 'tab-scroll' }, h('div', { class: 'tab-inner stack-lg' }, listPane, detail));

  function item(t: Thread): Keyed {
    return {
      key: t.id,
      sig: JSON.stringify([t.title, t.visibility, t.entryCount, t.updatedAt, nameOf(t.ownerId)]),
      build: () =>
        h(
          'li',
          { class: 'thread-item', 'data-testid': 'thread-item', 'data-thread-id': t.id },
          h(
            'button',
            { class: 'thread-open', type: 'button', onclick: () => openThread(t.id) },
            h('span', { class: 'thread-item-title' }, t.title),
            h(
              'span',
              { class: 'thread-item-meta muted' },
              `${nameOf(t.ownerId)} · ${t.entryCount} entr${t.entryCount === 1 ? 'y' : 'ies'} · ${ago(t.updatedAt)} `,
              h('span', { class: `chip chip-vis-${t.visibility}` }, VISIBILITY_LABEL[t.visibility]),
            ),
          ),
        ),
    };
  }

  function renderList(): void {
    reconcile(list, threads.map(item), cache);
    status.hidden = threads.length > 0 && loaded;
    status.textContent = loaded ? 'No threads yet. Start one to write down what you try, what fails and what works.' : 'Loading…';
  }

  function openThread(threadId: string): void {
    open?.view.destroy();
    const back = h('button', { class: 'btn btn-link back-link', type: 'button', 'data-testid': 'threads-back', onclick: () => closeThread() }, '← All threads');
    const view = threadView({ ctx, threadId, back, onGone: () => closeThread() });
    open = { id: threadId, view };
    detail.replaceChildren(view.el);
    detail.hidden = false;
    listPane.hidden = true;
    el.scrollTop = 0;
  }

  function closeThread(): void {
    if (new URLSearchParams(location.search).has('thread')) history.replaceState(null, '', location.pathname);
    open?.view.destroy();
    open = null;
    detail.hidden = true;
    detail.replaceChildren();
    listPane.hidden = false;
  }

  create.addEventListener('click', () => {
    create.hidden = true;
    const form = newThreadForm(ctx, {
      roomId,
      created: (id) => {
        formSlot.replaceChildren();
        create.hidden = false;
        openThread(id);
      },
      cancel: () => {
        formSlot.replaceChildren();
        create.hidden = false;
      },
    });
    formSlot.replaceChildren(form);
    form.querySelector('input')?.focus();
  });

  async function load(): Promise<void> {
    try {
      threads = await ctx.client.rest.threads.list({ roomId });
      loaded = true;
      renderList();
    } catch (err) {
      status.hidden = false;
      status.textContent = `Could not load the threads: ${explain(err)}`;
    }
  }

  const off = ctx.client.on('thread', (ev) => {
    const next = applyToThreadList(threads, roomId, ev);
    if (next === threads) return;
    threads = next;
    renderList();
  });
  renderList();

  return {
    el,
    show() {
      void load();
      // /rooms/:id/threads?thread=<id> (a link from the roadmap's evidence or the record) opens that thread.
      const wanted = new URLSearchParams(location.search).get('thread');
      if (wanted && open?.id !== wanted) openThread(wanted);
    },
    destroy() {
      off();
      open?.view.destroy();
    },
  };
}
