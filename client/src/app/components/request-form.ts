import { Limits } from '../../../../shared/limits.js';
import type { PublicUser } from '../../../../shared/types.js';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { busy, existingRoomNotice, explain, formError } from './form.js';

/**
 * Home's "start a mentorship" card. People are found by search, the skill picker and profile
 * pages, never by a raw user id (issue 16, finding 8).
 */
export function startCard(): HTMLElement {
  return h(
    'section',
    { class: 'card request', 'data-testid': 'start-card' },
    h('h2', {}, 'Start a mentorship'),
    h('p', {}, h('a', { class: 'btn btn-primary btn-block', href: '/mentors', 'data-testid': 'find-mentor' }, 'Find a mentor')),
    h('p', { class: 'muted small' }, 'Search mentors by what they know, or pick a skill. To mentor someone, open their profile (from the feed or a thread) and offer.'),
  );
}

/**
 * On a person's profile: ask them to mentor me (`role` mentor) or offer to mentor them (mentee),
 * with a focus. A refused duplicate links to the room the pair already has.
 */
export function requestForm(ctx: AppContext, person: PublicUser, role: 'mentor' | 'mentee'): HTMLElement {
  const { client, directory } = ctx;
  const label = role === 'mentor' ? 'Ask to mentor you' : `Offer to mentor ${person.displayName}`;
  const box = h('div', { class: 'person-request', 'data-testid': 'person-request' });
  const showButton = () =>
    box.replaceChildren(h('button', { class: role === 'mentor' ? 'btn btn-primary btn-sm' : 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'person-ask', onclick: showForm }, label));

  function showForm(): void {
    const focus = h('input', {
      type: 'text',
      required: true,
      maxlength: Limits.roomTitle,
      placeholder: 'What do you want to work on?',
      'aria-label': `What you want to work on with ${person.displayName}`,
      'data-testid': 'person-focus',
    });
    const error = formError('person-request-error');
    const form = h(
      'form',
      { class: 'mentor-ask', novalidate: true },
      focus,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary btn-sm', type: 'submit', 'data-testid': 'person-send' }, 'Send request'), h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: showButton }, 'Cancel')),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.show(null);
      if (!focus.value.trim()) return error.show('Say in a few words what you want to work on.');
      void busy(form, async () => {
        try {
          const room = await client.rest.requestRoom(role === 'mentor' ? { mentorId: person.id, focus: focus.value } : { menteeId: person.id, focus: focus.value });
          directory.upsert(room);
          box.replaceChildren(h('p', { class: 'form-ok', role: 'status', 'data-testid': 'person-requested' }, `Request sent to ${person.displayName}. `, h('a', { href: `/rooms/${room.id}` }, 'Open the room')));
        } catch (err) {
          const notice = existingRoomNotice(err, 'person-existing');
          if (notice) box.replaceChildren(notice);
          else error.show(explain(err));
        }
      });
    });
    box.replaceChildren(form);
    focus.focus();
  }

  showButton();
  return box;
}
