import type { FeedItem } from '../../../../shared/types.js';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { ago, dateTime } from '../format.js';
import type { View } from '../router.js';
import { avatar } from '../components/avatar.js';
import { KIND_LABEL } from '../components/entry-form.js';
import { explain } from '../components/form.js';
import { markdown } from '../components/markdown.js';
import { rememberUsers } from '../people.js';

/** The public feed: what everyone shares publicly from their growth threads, newest first, paged. */
export function feedView(ctx: AppContext): View {
  const list = h('ol', { class: 'feed', 'data-testid': 'feed' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'feed-status' }, 'Loading…');
  const more = h('button', { class: 'btn btn-ghost', type: 'button', 'data-testid': 'feed-more', hidden: true }, 'Load more');
  const refresh = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'feed-refresh' }, 'Show newest');
  const el = h(
    'div',
    { class: 'page page-narrow' },
    h('header', { class: 'page-head row' }, h('div', {}, h('h1', { tabindex: '-1' }, 'Feed'), h('p', { class: 'muted' }, 'Public entries from growth threads: assumptions, failures, breakthroughs, progress.')), refresh),
    list,
    status,
    h('div', { class: 'center' }, more),
  );
  let cursor: string | null = null;
  const shown = new Set<string>();

  const item = (x: FeedItem) =>
    h(
      'li',
      { class: `card feed-item kind-${x.entry.kind}`, 'data-testid': 'feed-item', 'data-entry-id': x.entry.id },
      h(
        'div',
        { class: 'feed-head' },
        avatar(x.owner.id, x.owner.displayName, 'sm'),
        h(
          'div',
          { class: 'feed-who' },
          h('strong', {}, x.owner.displayName),
          h('span', { class: 'muted' }, ' in '),
          h('a', { href: `/threads/${x.thread.id}`, 'data-testid': 'feed-thread-link' }, x.thread.title),
          h('p', { class: 'muted small' }, h('span', { class: `kind kind-${x.entry.kind}` }, KIND_LABEL[x.entry.kind]), ' · ', h('time', { datetime: x.entry.createdAt, title: dateTime(x.entry.createdAt) }, ago(x.entry.createdAt))),
        ),
      ),
      markdown(x.entry.body, { 'data-testid': 'feed-body' }),
      h('a', { class: 'small', href: `/threads/${x.thread.id}` }, x.entry.commentCount > 0 ? `${x.entry.commentCount} comment${x.entry.commentCount === 1 ? '' : 's'}` : 'Comment'),
    );

  async function load(reset: boolean): Promise<void> {
    more.disabled = true;
    try {
      const page = await ctx.client.rest.threads.feed(reset || !cursor ? {} : { cursor });
      if (reset) {
        list.replaceChildren();
        shown.clear();
      }
      rememberUsers(page.items.map((x) => x.owner));
      for (const x of page.items) {
        if (shown.has(x.entry.id)) continue;
        shown.add(x.entry.id);
        list.append(item(x));
      }
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      status.textContent = shown.size === 0 ? 'Nothing public yet. Entries of public threads appear here.' : cursor === null ? 'You have reached the start.' : '';
    } catch (err) {
      status.textContent = `Could not load the feed: ${explain(err)}`;
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => void load(false));
  refresh.addEventListener('click', () => void load(true));
  void load(true);
  return { title: 'Feed', el };
}
