import { h } from '../dom.js';
import type { View } from '../router.js';

export function notFoundView(): View {
  return {
    title: 'Not found',
    el: h(
      'section',
      { class: 'page narrow', 'data-testid': 'not-found-page' },
      h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, 'There is nothing at this address.'),
      h('a', { class: 'btn btn-primary', href: '/' }, 'Go to my rooms'),
    ),
  };
}
