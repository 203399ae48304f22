import { Limits } from '../../../../shared/limits.js';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import type { View } from '../router.js';
import { busy, explain, field, formError } from '../components/form.js';

/** Time zones this browser knows (for suggestions); any IANA name may still be typed. */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/** "Leadership, hiring , rust" → ["leadership", "hiring", "rust"] (the server lower-cases and de-duplicates too). */
export const parseTags = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  ),
];

/**
 * My profile (PATCH /api/me/profile): name, bio, expertise tags, whether I mentor (and so appear
 * in mentor search), and my time zone.
 */
export function profileView(ctx: AppContext): View {
  const user = ctx.session.user;
  const name = h('input', { type: 'text', maxlength: Limits.displayName, value: user.displayName, required: true, 'data-testid': 'profile-name' });
  const bio = h('textarea', { rows: 5, maxlength: 4000, 'data-testid': 'profile-bio', placeholder: 'What you have done, what you can help with.' });
  bio.value = user.profile.bio;
  const tags = h('input', { type: 'text', value: user.profile.expertise.join(', '), 'data-testid': 'profile-expertise', placeholder: 'e.g. leadership, hiring, rust' });
  const preview = h('ul', { class: 'tags', 'aria-label': 'Tags as saved', 'data-testid': 'profile-tags' });
  const renderTags = () => preview.replaceChildren(...parseTags(tags.value).map((t) => h('li', {}, h('span', { class: 'tag' }, t))));
  tags.addEventListener('input', renderTags);
  renderTags();
  const mentoring = h('input', { type: 'checkbox', id: 'profile-mentoring', 'data-testid': 'profile-mentoring', checked: user.profile.mentoring });
  const zones = h('datalist', { id: 'tz-list' }, timeZones().map((z) => h('option', { value: z })));
  const timezone = h('input', { type: 'text', list: 'tz-list', maxlength: 64, value: user.profile.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || '', 'data-testid': 'profile-timezone', autocomplete: 'off' });
  const error = formError('profile-error');
  const ok = h('p', { class: 'form-ok', role: 'status', 'data-testid': 'profile-ok', hidden: true });
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    field('Name', name),
    field('Bio', bio, 'Shown on your mentor card and to the people in your rooms.'),
    h('div', { class: 'field' }, h('label', { for: 'profile-tags-input' }, 'Expertise'), Object.assign(tags, { id: 'profile-tags-input' }), h('span', { class: 'field-hint' }, 'Separate tags with commas. Mentees can search by tag.'), preview),
    h('div', { class: 'check' }, mentoring, h('label', { for: 'profile-mentoring' }, 'I mentor: list me in mentor search')),
    field('Time zone', timezone, 'So the people you work with know when you are around.'),
    zones,
    error,
    ok,
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'profile-save' }, 'Save profile')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    ok.hidden = true;
    if (!name.value.trim()) return error.show('Your name cannot be empty.');
    void busy(form, async () => {
      try {
        const saved = await ctx.client.rest.updateProfile({
          displayName: name.value,
          bio: bio.value,
          expertise: parseTags(tags.value),
          mentoring: mentoring.checked,
          ...(timezone.value.trim() && { timezone: timezone.value.trim() }),
        });
        ctx.updateUser(saved);
        tags.value = saved.profile.expertise.join(', ');
        renderTags();
        ok.hidden = false;
        ok.textContent = saved.profile.mentoring ? 'Saved. You are listed in mentor search.' : 'Saved.';
      } catch (err) {
        error.show(explain(err));
      }
    });
  });
  const el = h(
    'div',
    { class: 'page page-narrow' },
    h('header', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Your profile')),
    h('section', { class: 'card' }, form),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Your public profile'),
      h('p', { class: 'muted' }, 'What others see: your bio, expertise, rooms completed and public threads. Mentees find you through search and the skill picker.'),
      h('a', { class: 'btn btn-ghost btn-sm', href: `/people/${encodeURIComponent(ctx.session.user.id)}`, 'data-testid': 'profile-public-link' }, 'See your public profile'),
    ),
  );
  return { title: 'Your profile', el };
}
