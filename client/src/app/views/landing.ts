import { STAGES } from '../../../../shared/types.js';
import { STAGE_LABELS } from '@menteo/sdk';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import type { View } from '../router.js';
import { STAGE_EXPLAINED } from '../stage-copy.js';

/**
 * What a signed-out visitor sees first (issue 16, finding 8): what Menteo is, the four stages a
 * mentorship goes through, and the way in. Signing in stays one click away.
 */
export function landingView(_ctx: AppContext): View {
  const el = h(
    'section',
    { class: 'landing', 'data-testid': 'landing' },
    h(
      'div',
      { class: 'landing-hero' },
      h('h1', { tabindex: '-1' }, 'Mentorship with a beginning, a middle and an end'),
      h(
        'p',
        { class: 'landing-lead' },
        'Menteo gives a mentor and a mentee one room: a live chat, a contract with 3–5 goals, a roadmap you edit together, growth threads, and a record of what you achieved.',
      ),
      h(
        'p',
        { class: 'landing-actions' },
        h('a', { class: 'btn btn-primary', href: '/signup', 'data-testid': 'landing-signup' }, 'Create an account'),
        h('a', { class: 'btn btn-ghost', href: '/signin', 'data-testid': 'landing-signin' }, 'Sign in'),
      ),
    ),
    h(
      'section',
      { class: 'landing-stages', 'aria-labelledby': 'stages-title' },
      h('h2', { id: 'stages-title' }, 'The four stages of a mentorship'),
      h(
        'ol',
        { class: 'stage-cards', 'data-testid': 'landing-stages' },
        STAGES.map((stage, i) =>
          h('li', { class: 'card stage-card', 'data-stage': stage }, h('h3', {}, h('span', { class: 'step-dot', 'aria-hidden': 'true' }, String(i + 1)), ' ', STAGE_LABELS[stage]), h('p', {}, STAGE_EXPLAINED[stage])),
        ),
      ),
    ),
  );
  return { title: 'Welcome', el };
}
