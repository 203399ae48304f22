import { SdkError } from '@menteo/sdk';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { ago, dateTime, shortWhen } from '../format.js';
import type { View } from '../router.js';
import { avatar } from '../components/avatar.js';
import { explain } from '../components/form.js';
import { requestForm } from '../components/request-form.js';

/**
 * A person's public profile (issue 16, finding 8): the whole bio, expertise, whether they mentor and
 * how many rooms they mentored to completion (GET /api/users/:id), the growth threads of theirs I may
 * read (GET /api/users/:id/threads), and a way to ask them to mentor me or offer to mentor them.
 */
export function personView(ctx: AppContext, params: Record<string, string>): View {
  const userId = params.id!;
  const body = h('div', { class: 'stack-lg' }, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const el = h('div', { class: 'page person', 'data-testid': 'person-page', 'data-user-id': userId }, body);
  let offDirectory = () => {};
  let destroyed = false;
  const view: View = {
    title: 'Profile',
    el,
    destroy: () => {
      destroyed = true;
      offDirectory();
    },
  };

  void Promise.all([ctx.client.rest.person(userId), ctx.client.rest.threads.ofUser(userId)]).then(
    ([{ user, roomsCompleted }, { threads }]) => {
      if (destroyed) return;
      view.title = user.displayName;
      document.title = `${user.displayName} · Menteo`;
      // A mentor's responsiveness (issue 19): last active and median reply time over 90 days.
      const activity = h('p', { class: 'muted', 'data-testid': 'person-activity', hidden: true });
      if (user.profile.mentoring) {
        void ctx.client.rest.care.mentorProfile(user.id).then(
          ({ activity: a }) => {
            activity.hidden = false;
            activity.textContent = [
              a.lastActiveAt ? `Last active ${ago(a.lastActiveAt)}` : `Not active in the last ${a.windowDays} days`,
              a.medianReplyHours !== null ? `usually answers within ${a.medianReplyHours} h (median of ${a.replies} replies, ${a.windowDays} days)` : null,
            ]
              .filter(Boolean)
              .join(' · ');
          },
          () => undefined,
        );
      }
      // Ask them (they mentor) or offer to mentor them (I do): discovery by profile, never by user id.
      // Redrawn when my rooms load or change, unless a request is being written or was answered.
      const actionBox = h('div', { class: 'person-actions' });
      const renderActions = () => {
        if (actionBox.querySelector('form, [data-testid="person-requested"], [data-testid="person-existing"]')) return;
        const existing = ctx.directory.list().find((e) => (e.room.mentorId === userId || e.room.menteeId === userId) && (e.room.status === 'pending' || e.room.status === 'active'));
        const action =
          user.id === ctx.session.user.id
            ? h('a', { class: 'btn btn-ghost btn-sm', href: '/profile' }, 'Edit your profile')
            : existing
              ? h('a', { class: 'btn btn-ghost btn-sm', href: `/rooms/${existing.room.id}`, 'data-testid': 'person-open-room' }, 'Open your room')
              : user.profile.mentoring
                ? requestForm(ctx, user, 'mentor')
                : ctx.session.user.profile.mentoring && requestForm(ctx, user, 'mentee');
        actionBox.replaceChildren(...(action ? [action] : []));
      };
      renderActions();
      offDirectory = ctx.directory.on('change', renderActions);
      const parts: Array<HTMLElement | false> = [
        h(
          'header',
          { class: 'card person-head' },
          avatar(user.id, user.displayName, 'lg'),
          h(
            'div',
            {},
            h('h1', { tabindex: '-1', 'data-testid': 'person-name' }, user.displayName),
            h('p', { class: 'muted' }, user.profile.mentoring ? 'Mentors on Menteo' : 'On Menteo', user.profile.timezone ? ` · ${user.profile.timezone}` : '', user.createdAt ? ` · since ${dateTime(user.createdAt)}` : ''),
            activity,
            (user.profile.mentoring || roomsCompleted > 0) &&
              h(
                'p',
                { class: 'person-stat', 'data-testid': 'person-rooms-completed', 'data-count': String(roomsCompleted), title: 'Mentorships whose goals were seen through: they reached Separation or Redefinition' },
                h('strong', {}, String(roomsCompleted)),
                ` room${roomsCompleted === 1 ? '' : 's'} completed as a mentor`,
              ),
          ),
          actionBox,
        ),
        h('section', { class: 'card', 'aria-labelledby': 'person-about' }, h('h2', { id: 'person-about' }, 'About'), user.profile.bio ? h('p', { class: 'person-bio', 'data-testid': 'person-bio' }, user.profile.bio) : h('p', { class: 'muted' }, 'No bio yet.')),
        user.profile.expertise.length > 0 &&
          h(
            'section',
            { class: 'card', 'aria-labelledby': 'person-skills' },
            h('h2', { id: 'person-skills' }, 'Expertise'),
            h('ul', { class: 'tags', 'data-testid': 'person-tags' }, user.profile.expertise.map((t) => h('li', {}, h('a', { class: 'tag', href: `/mentors?skill=${encodeURIComponent(t)}` }, t)))),
          ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'person-threads' },
          h('h2', { id: 'person-threads' }, 'Growth threads'),
          threads.length > 0
            ? h('ul', { class: 'person-thread-list', 'data-testid': 'person-threads' }, threads.map((t) => h('li', {}, h('a', { href: `/threads/${t.id}` }, t.title), h('span', { class: 'muted small' }, ` · ${t.entryCount} entr${t.entryCount === 1 ? 'y' : 'ies'} · ${shortWhen(t.updatedAt)}`))))
            : h('p', { class: 'muted' }, 'No threads you can read.'),
        ),
      ];
      body.replaceChildren(...parts.filter((x): x is HTMLElement => x !== false));
    },
    (err: unknown) => {
      const gone = err instanceof SdkError && err.code === 'NOT_FOUND';
      body.replaceChildren(h('h1', { tabindex: '-1' }, gone ? 'No such person' : 'Could not load this profile'), h('p', {}, gone ? 'This profile does not exist.' : explain(err)));
    },
  );
  return view;
}
