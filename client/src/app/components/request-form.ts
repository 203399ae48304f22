import { Limits } from '../../../../shared/limits.js';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { busy, existingRoomNotice, explain, field, formError } from './form.js';

/** Start a mentorship: a link to mentor search, or a request by the other person's user id. */
export function requestForm(ctx: AppContext): { el: HTMLElement; destroy(): void } {
  const { client, directory } = ctx;
  const otherId = h('input', { type: 'text', name: 'userId', required: true, autocomplete: 'off', spellcheck: 'false', 'data-testid': 'request-user-id' });
  const role = h(
    'select',
    { name: 'role', 'data-testid': 'request-role' },
    h('option', { value: 'mentor' }, 'my mentor'),
    h('option', { value: 'mentee' }, 'my mentee'),
  );
  const focus = h('input', {
    type: 'text',
    name: 'focus',
    required: true,
    maxlength: Limits.roomTitle,
    placeholder: 'e.g. Move from engineer to engineering manager',
    'data-testid': 'request-focus',
  });
  const error = formError('request-error');
  const done = h('p', { class: 'form-ok', role: 'status', 'data-testid': 'request-ok', hidden: true });
  const existing = h('div', { class: 'request-existing' });
  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-labelledby': 'request-title' },
    field('Their user id', otherId, 'They can find it on their Menteo home page.'),
    field('I am asking them to be', role),
    field('What do you want to work on?', focus),
    error,
    existing,
    done,
    h('button', { class: 'btn btn-ghost', type: 'submit', 'data-testid': 'request-submit' }, 'Send request'),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    existing.replaceChildren();
    done.hidden = true;
    const id = otherId.value.trim();
    if (!id) return error.show('Enter the user id of the person you want to ask.');
    if (!focus.value.trim()) return error.show('Say in a few words what you want to work on.');
    void busy(form, async () => {
      try {
        const room = await client.rest.requestRoom(role.value === 'mentor' ? { mentorId: id, focus: focus.value } : { menteeId: id, focus: focus.value });
        directory.upsert(room);
        form.reset();
        done.hidden = false;
        done.textContent = 'Request sent. The room opens when they accept; you can already say hello in it.';
      } catch (err) {
        const notice = existingRoomNotice(err, 'request-existing');
        if (notice) existing.replaceChildren(notice);
        else error.show(explain(err, { NOT_FOUND: 'There is no user with that id.' }));
      }
    });
  });

  const el = h(
    'section',
    { class: 'card request' },
    h('h2', { id: 'request-title' }, 'Start a mentorship'),
    h('p', {}, h('a', { class: 'btn btn-primary btn-block', href: '/mentors', 'data-testid': 'find-mentor' }, 'Find a mentor')),
    h('p', { class: 'muted small' }, 'Or ask someone you know by their user id:'),
    form,
  );
  return { el, destroy: () => undefined };
}

/** My user id with a copy button: what a mentee needs to ask me. */
export function myIdCard(ctx: AppContext): HTMLElement {
  const id = ctx.session.user.id;
  const code = h('code', { class: 'user-id', 'data-testid': 'my-user-id' }, id);
  const status = h('span', { class: 'copy-status', role: 'status' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(id);
      status.textContent = 'Copied';
    } catch {
      // No clipboard on plain-http origins: select the id so the user can copy it by hand.
      getSelection()?.selectAllChildren(code);
      status.textContent = 'Selected: press Ctrl+C to copy';
    }
    setTimeout(() => (status.textContent = ''), 3000);
  };
  return h(
    'section',
    { class: 'card my-id' },
    h('h2', {}, 'Your user id'),
    h('p', { class: 'muted' }, 'Share it with someone who wants you as their mentor or mentee.'),
    h('div', { class: 'id-row' }, code, h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => void copy() }, 'Copy'), status),
  );
}
