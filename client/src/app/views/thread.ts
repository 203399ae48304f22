import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import type { View } from '../router.js';
import { threadView } from '../components/thread-view.js';

/** One growth thread on its own page (linked from the feed): read, comment, and for its owner, write. */
export function threadPageView(ctx: AppContext, params: Record<string, string>): View {
  const back = h('a', { class: 'back-link', href: '/feed' }, '← Feed');
  const view = threadView({ ctx, threadId: params.threadId!, back, onGone: () => ctx.navigate('/feed', { replace: true }) });
  const el = h('div', { class: 'page page-narrow' }, h('h1', { class: 'sr-only', tabindex: '-1' }, 'Growth thread'), h('section', { class: 'card' }, view.el));
  return { title: 'Growth thread', el, destroy: view.destroy };
}
