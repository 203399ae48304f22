import type { HealthLevel, RoomHealth } from '../../../../shared/types.js';
import { h } from '../dom.js';

export const HEALTH_LABEL: Record<HealthLevel, string> = { 'on-track': 'On track', 'needs-check-in': 'Needs a check-in', 'at-risk': 'At risk' };

/** The health badge (issue 19): the level as a chip whose tooltip and screen-reader text give the reasons. */
export function healthBadge(health: RoomHealth, testId = 'health-badge'): HTMLElement {
  const reasons = health.reasons.join('; ');
  return h(
    'span',
    { class: `chip chip-health chip-health-${health.level}`, 'data-testid': testId, 'data-level': health.level, title: reasons },
    health.pausedUntil ? `Paused until ${health.pausedUntil.slice(0, 10)}` : HEALTH_LABEL[health.level],
    h('span', { class: 'sr-only' }, `: ${reasons}`),
  );
}

/** The reasons as a list, for the room header's details. */
export function healthReasons(health: RoomHealth): HTMLElement {
  return h('ul', { class: 'health-reasons', 'data-testid': 'health-reasons' }, health.reasons.map((r) => h('li', {}, r)));
}
