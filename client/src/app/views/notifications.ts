import type { Notification } from '@menteo/sdk';
import type { AppContext } from '../context.js';
import { h, clear } from '../dom.js';
import { ago } from '../format.js';
import { describe, linkOf } from '../notification-copy.js';
import { browserNotificationsOn, disableBrowserNotifications, enableBrowserNotifications } from '../notifier.js';
import type { View } from '../router.js';

/** The inbox, grouped by room (newest group first), with "mark all read" and the browser opt-in. */
export function notificationsView(ctx: AppContext): View {
  const groups = h('div', { class: 'notif-groups', 'data-testid': 'notification-groups' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'notifications-status' }, 'Loading…');
  const readAll = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'notifications-read-all' }, 'Mark all read');
  const optIn = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'browser-notifications' });
  const el = h(
    'div',
    { class: 'page page-narrow' },
    h('header', { class: 'page-head row' }, h('div', {}, h('h1', { tabindex: '-1' }, 'Notifications'), h('p', { class: 'muted' }, 'What happened in your mentorships while you were away.')), h('div', { class: 'row' }, optIn, readAll)),
    status,
    groups,
  );
  const renderOptIn = () => (optIn.textContent = browserNotificationsOn() ? 'Turn off browser notifications' : 'Turn on browser notifications');
  optIn.addEventListener('click', async () => {
    if (browserNotificationsOn()) disableBrowserNotifications();
    else if (!(await enableBrowserNotifications())) ctx.notify('The browser did not allow notifications.', 'error');
    renderOptIn();
  });
  renderOptIn();

  const roomTitle = (roomId: string) => {
    const e = ctx.directory.list().find((x) => x.room.id === roomId);
    return e ? `${e.counterpart?.displayName ?? 'Mentorship'} · ${e.room.title}` : 'Mentorship';
  };
  const nameFor = (n: Notification) => {
    if (!n.actorId) return 'Menteo';
    return ctx.directory.list().find((e) => e.counterpart?.id === n.actorId)?.counterpart?.displayName ?? 'Someone';
  };

  const render = (items: Notification[]) => {
    clear(groups);
    status.textContent = items.length === 0 ? 'Nothing yet.' : '';
    const byRoom = new Map<string, Notification[]>();
    for (const n of items) {
      const list = byRoom.get(n.data.roomId) ?? [];
      list.push(n);
      byRoom.set(n.data.roomId, list);
    }
    for (const [roomId, list] of byRoom) {
      groups.append(
        h(
          'section',
          { class: 'card notif-group', 'data-testid': 'notification-group', 'data-room-id': roomId },
          h('h2', { class: 'notif-room' }, h('a', { href: `/rooms/${roomId}` }, roomTitle(roomId))),
          h(
            'ul',
            { class: 'notif-list' },
            list.map((n) =>
              h(
                'li',
                { class: `notif ${n.readAt ? 'notif-read' : 'notif-unread'}`, 'data-testid': 'notification', 'data-kind': n.kind },
                h(
                  'a',
                  {
                    href: linkOf(n),
                    onclick: () => {
                      if (!n.readAt) void ctx.client.rest.notifications.read(n.id).catch(() => undefined);
                    },
                  },
                  describe(n, nameFor(n)),
                ),
                h('span', { class: 'muted notif-when' }, ago(n.updatedAt)),
              ),
            ),
          ),
        ),
      );
    }
  };

  const load = () =>
    ctx.client.rest.notifications.list({ limit: 100 }).then(
      (page) => render(page.notifications),
      () => (status.textContent = 'Could not load notifications.'),
    );
  readAll.addEventListener('click', () => void ctx.client.rest.notifications.readAll().then(load, () => undefined));
  const offs = [ctx.client.on('notification', () => void load()), ctx.client.on('notification:read', () => void load())];
  void load();
  return { title: 'Notifications', el, destroy: () => offs.forEach((off) => off()) };
}
