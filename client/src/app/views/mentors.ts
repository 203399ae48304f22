import { MentorLimits } from '../../../../shared/schemas/contract.js';
import type { PublicUser } from '../../../../shared/types.js';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import type { View } from '../router.js';
import { avatar } from '../components/avatar.js';
import { busy, existingRoomNotice, explain, formError } from '../components/form.js';

/** Results per page. */
const PAGE = 12;

/**
 * Finding a mentor: search by words (name, bio, tags) and by one skill tag, page through the
 * results, and ask one of them with a focus. The search is kept in the address (?q=&skill=).
 */
export function mentorsView(ctx: AppContext): View {
  const { client, directory } = ctx;
  const params = new URLSearchParams(location.search);
  const q = h('input', { type: 'search', name: 'q', maxlength: MentorLimits.queryChars, value: params.get('q') ?? '', placeholder: 'e.g. product leadership', 'data-testid': 'mentor-search-q', 'aria-label': 'Search words' });
  const skill = h('input', { type: 'search', name: 'skill', list: 'skill-options', maxlength: MentorLimits.skillChars, value: params.get('skill') ?? '', placeholder: 'a skill tag, e.g. rust', 'data-testid': 'mentor-search-skill', 'aria-label': 'Skill tag' });
  // The tags mentors use, so nobody has to guess the exact spelling ("sys" → "system design"): issue 16.
  const skillOptions = h('datalist', { id: 'skill-options' });
  const picker = h('ul', { class: 'tags skill-picker', 'aria-label': 'Skills mentors offer', 'data-testid': 'skill-picker' });
  void client.rest.request<{ skills: Array<{ tag: string; mentors: number }> }>('GET', '/mentors/skills').then(
    ({ skills }) => {
      skillOptions.replaceChildren(...skills.map((s) => h('option', { value: s.tag }, `${s.mentors} mentor${s.mentors === 1 ? '' : 's'}`)));
      picker.replaceChildren(
        ...skills.slice(0, 16).map((s) =>
          h('li', {}, h('button', { class: 'tag', type: 'button', 'data-testid': 'skill-option', 'aria-label': `${s.tag}, ${s.mentors} mentor${s.mentors === 1 ? '' : 's'}`, onclick: () => searchSkill(s.tag) }, s.tag, h('span', { class: 'tag-count', 'aria-hidden': 'true' }, ` ${s.mentors}`))),
        ),
      );
    },
    () => undefined,
  );
  const form = h(
    'form',
    { class: 'mentor-search', role: 'search' },
    h('label', { class: 'grow' }, h('span', { class: 'field-label' }, 'Words'), q),
    h('label', {}, h('span', { class: 'field-label' }, 'Skill'), skill),
    h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'mentor-search-submit' }, 'Search'),
  );
  const results = h('ul', { class: 'mentor-cards', 'data-testid': 'mentor-results' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'mentor-status' });
  const more = h('button', { class: 'btn btn-ghost', type: 'button', 'data-testid': 'mentors-more', hidden: true }, 'Show more mentors');
  const el = h(
    'div',
    { class: 'page' },
    h('header', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Find a mentor'), h('p', { class: 'muted' }, 'People on Menteo who offer to mentor. Ask one with what you want to work on; the room opens when they accept.')),
    h('section', { class: 'card' }, form, skillOptions, picker),
    status,
    results,
    h('div', { class: 'center' }, more),
  );

  let cursor: string | null = null;
  let generation = 0;

  /** My room with this mentor, when I already asked them or they mentor me. */
  const roomWith = (mentorId: string) =>
    directory.list().find((e) => e.room.mentorId === mentorId && e.room.menteeId === client.me && (e.room.status === 'pending' || e.room.status === 'active'));

  /** Each shown card's action area, refreshed when my rooms change (the list may load after the results). */
  const refreshers = new Set<() => void>();

  function card(m: PublicUser): HTMLElement {
    const action = h('div', { class: 'mentor-action' });
    const showAsk = () => {
      const focus = h('input', { type: 'text', maxlength: 200, required: true, placeholder: 'What do you want to work on?', 'data-testid': 'mentor-focus', 'aria-label': `What you want to work on with ${m.displayName}` });
      const error = formError('mentor-request-error');
      const ask = h(
        'form',
        { class: 'mentor-ask' },
        focus,
        h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary btn-sm', type: 'submit', 'data-testid': 'mentor-send' }, 'Send request'), h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => renderAction() }, 'Cancel')),
        error,
      );
      ask.addEventListener('submit', (event) => {
        event.preventDefault();
        error.show(null);
        if (!focus.value.trim()) return error.show('Say in a few words what you want to work on.');
        void busy(ask, async () => {
          try {
            const room = await client.rest.requestRoom({ mentorId: m.id, focus: focus.value });
            directory.upsert(room);
            action.replaceChildren(
              h('p', { class: 'form-ok', 'data-testid': 'mentor-requested' }, `Request sent to ${m.displayName}. `, h('a', { href: `/rooms/${room.id}`, 'data-testid': 'mentor-open-room' }, 'Open the room')),
            );
          } catch (err) {
            const notice = existingRoomNotice(err, 'mentor-existing');
            if (notice) action.replaceChildren(notice);
            else error.show(explain(err));
          }
        });
      });
      action.replaceChildren(ask);
      focus.focus();
    };
    const renderAction = () => {
      const existing = roomWith(m.id);
      action.replaceChildren(
        m.id === client.me
          ? h('p', { class: 'muted' }, 'This is you.')
          : existing
            ? h('a', { class: 'btn btn-ghost btn-sm', href: `/rooms/${existing.room.id}`, 'data-testid': 'mentor-open-room' }, existing.room.status === 'pending' ? 'Request sent: open the room' : 'Open your room')
            : h('button', { class: 'btn btn-primary btn-sm', type: 'button', 'data-testid': 'mentor-request', onclick: showAsk }, 'Ask to mentor me'),
      );
    };
    renderAction();
    // Not while a request is being written or was just sent.
    refreshers.add(() => action.querySelector('form, [data-testid="mentor-requested"]') || renderAction());
    return h(
      'li',
      { class: 'card mentor-card', 'data-testid': 'mentor-card', 'data-user-id': m.id },
      h(
        'div',
        { class: 'mentor-card-head' },
        avatar(m.id, m.displayName),
        h('div', {}, h('h2', { class: 'mentor-card-name' }, h('a', { href: `/people/${encodeURIComponent(m.id)}`, 'data-testid': 'mentor-profile-link' }, m.displayName)), m.profile.timezone && h('p', { class: 'muted small' }, m.profile.timezone)),
      ),
      m.profile.bio ? h('p', { class: 'mentor-bio', 'data-testid': 'mentor-bio' }, m.profile.bio) : h('p', { class: 'muted' }, 'No bio yet.'),
      m.profile.expertise.length > 0 &&
        h(
          'ul',
          { class: 'tags', 'aria-label': 'Expertise' },
          m.profile.expertise.map((t) => h('li', {}, h('button', { class: 'tag', type: 'button', 'data-testid': 'mentor-tag', title: `Mentors with ${t}`, onclick: () => searchSkill(t) }, t))),
        ),
      action,
    );
  }

  function searchSkill(tag: string): void {
    skill.value = tag;
    q.value = '';
    void search();
  }

  async function search(append = false): Promise<void> {
    const mine = ++generation;
    if (!append) {
      cursor = null;
      const next = new URLSearchParams();
      if (q.value.trim()) next.set('q', q.value.trim());
      if (skill.value.trim()) next.set('skill', skill.value.trim());
      // Keep the search in the address without re-rendering the screen.
      history.replaceState(null, '', `/mentors${next.toString() ? `?${next}` : ''}`);
      status.textContent = 'Searching…';
    }
    more.disabled = true;
    try {
      const page = await client.rest.searchMentors({ q: q.value, skill: skill.value, limit: PAGE, ...(append && cursor && { cursor }) });
      if (mine !== generation) return;
      if (!append) refreshers.clear();
      const cards = page.mentors.map(card);
      if (append) results.append(...cards);
      else results.replaceChildren(...cards);
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      const shown = results.children.length;
      status.textContent =
        shown === 0 ? (q.value.trim() || skill.value.trim() ? 'No mentor matches this search. Try fewer words or another skill.' : 'No one offers to mentor yet.') : `${shown}${cursor ? '+' : ''} mentor${shown === 1 ? '' : 's'}`;
    } catch (err) {
      if (mine === generation) status.textContent = `Could not search: ${explain(err)}`;
    } finally {
      more.disabled = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void search();
  });
  more.addEventListener('click', () => void search(true));
  void search();
  const off = directory.on('change', () => refreshers.forEach((refresh) => refresh()));

  return { title: 'Find a mentor', el, destroy: off };
}
