import { h } from '../dom.js';
import { hueOf, initials } from '../format.js';

/** A round avatar with initials, coloured from the user id; decorative (the name is always shown beside it). */
export function avatar(userId: string, name: string, size: 'sm' | 'md' = 'md', presence?: 'online' | 'offline'): HTMLElement {
  return h(
    'span',
    { class: `avatar avatar-${size}`, style: `--hue: ${hueOf(userId)}`, 'aria-hidden': 'true' },
    initials(name),
    presence && h('span', { class: `presence-dot presence-${presence}`, 'data-testid': 'presence', 'data-status': presence }),
  );
}
