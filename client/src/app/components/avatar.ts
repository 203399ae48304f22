import { h } from '../dom.js';
import { hueOf, initials } from '../format.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A generated avatar (issue 16, finding 8): an SVG disc in a colour from the user id, a second tone
 * from the name, and the initials, so people are told apart at a glance and it stays the same on
 * every screen. Decorative: the name is always shown or read beside it.
 */
export function avatarSvg(userId: string, name: string): SVGSVGElement {
  const hue = hueOf(userId);
  const accent = (hue + 40 + (hueOf(name) % 80)) % 360;
  const el = svg('svg', { viewBox: '0 0 40 40', class: 'avatar-img', 'data-testid': 'avatar', 'data-initials': initials(name), 'aria-hidden': 'true', focusable: 'false' });
  el.append(
    svg('circle', { cx: '20', cy: '20', r: '20', fill: `hsl(${hue} 52% 42%)` }),
    svg('path', { d: 'M0 28 Q20 14 40 26 L40 40 L0 40 Z', fill: `hsl(${accent} 60% 55%)`, opacity: '0.55' }),
    svg('text', { x: '20', y: '21', 'text-anchor': 'middle', 'dominant-baseline': 'central', fill: '#fff', 'font-size': '15', 'font-weight': '700', 'font-family': 'system-ui, sans-serif' }, initials(name)),
  );
  return el;
}

/** A round avatar with an optional presence dot. */
export function avatar(userId: string, name: string, size: 'xs' | 'sm' | 'md' | 'lg' = 'md', presence?: 'online' | 'offline'): HTMLElement {
  return h(
    'span',
    { class: `avatar avatar-${size}`, 'aria-hidden': 'true' },
    avatarSvg(userId, name),
    presence && h('span', { class: `presence-dot presence-${presence}`, 'data-testid': 'presence', 'data-status': presence }),
  );
}
