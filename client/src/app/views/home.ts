import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import type { View } from '../router.js';
import { startCard } from '../components/request-form.js';
import { roomsList } from '../components/rooms-list.js';

/** Home: my rooms and requests, and how to start a new mentorship. */
export function homeView(ctx: AppContext): View {
  const list = roomsList(ctx);
  const el = h(
    'div',
    { class: 'home', 'data-testid': 'home' },
    h('section', { class: 'card home-rooms' }, h('h1', { tabindex: '-1' }, 'Your rooms'), list.el),
    h('div', { class: 'home-side' }, startCard()),
  );
  return {
    title: 'Your rooms',
    el,
    destroy() {
      list.destroy();
    },
  };
}
