import type { PublicUser, Room } from '../../../../shared/types.js';
import { SdkError } from '../../sdk/index.js';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { ago } from '../format.js';
import type { View } from '../router.js';
import { avatar } from '../components/avatar.js';
import { composer } from '../components/composer.js';
import { explain } from '../components/form.js';
import { roomsList } from '../components/rooms-list.js';
import { messageTimeline } from '../components/timeline.js';

const STAGE_LABEL: Record<Room['stage'], string> = {
  initiation: 'Initiation',
  cultivation: 'Cultivation',
  separation: 'Separation',
  redefinition: 'Redefinition',
};

/** One mentorship room: live chat with the other member. On wide screens my rooms list sits beside it. */
export function roomView(ctx: AppContext, params: Record<string, string>): View {
  const roomId = params.id!;
  const { client, directory } = ctx;
  const me = client.me;
  const known = directory.get(roomId);
  let room: Room | null = known?.room ?? null;
  const people = new Map<string, PublicUser>();
  if (known?.counterpart) people.set(known.counterpart.id, known.counterpart);

  const otherId = () => (room ? (room.mentorId === me ? room.menteeId : room.mentorId) : '');
  const nameOf = (userId: string) => (userId === me ? ctx.session.user.displayName : (people.get(userId)?.displayName ?? directory.user(userId)?.displayName ?? 'Them'));
  const canWrite = () => room?.status === 'pending' || room?.status === 'active';

  const sidebar = roomsList(ctx, { activeRoomId: roomId });
  const header = h('header', { class: 'room-header' });
  const notice = h('div', { class: 'room-notice', 'data-testid': 'room-notice', hidden: true });
  const typing = h('p', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'typing-indicator' });
  const timeline = messageTimeline({ client, roomId, nameOf, notify: ctx.notify, canWrite });
  const box = composer(client, roomId);
  const panel = h('section', { class: 'room-panel', 'aria-labelledby': 'room-heading', 'data-testid': 'room-view', 'data-room-id': roomId }, header, notice, timeline.el, typing, box.el);
  const el = h('div', { class: 'room-layout' }, h('aside', { class: 'room-sidebar card' }, h('h2', { class: 'sidebar-title' }, 'Your rooms'), sidebar.el), panel);

  function presenceText(): { status: 'online' | 'offline' | undefined; text: string } {
    const p = client.presence(otherId());
    if (!p) return { status: undefined, text: client.state === 'connected' ? '' : 'Reconnecting…' };
    if (p.status === 'online') return { status: 'online', text: 'Online' };
    return { status: 'offline', text: p.lastSeenAt ? `Last seen ${ago(p.lastSeenAt)}` : 'Offline' };
  }

  function renderHeader(): void {
    if (!room) {
      header.replaceChildren(h('a', { class: 'back', href: '/', 'aria-label': 'Back to your rooms' }, '←'), h('h1', { id: 'room-heading', tabindex: '-1' }, 'Loading…'));
      return;
    }
    const other = otherId();
    const presence = presenceText();
    const role = room.mentorId === me ? 'your mentee' : 'your mentor';
    header.replaceChildren(
      h('a', { class: 'back', href: '/', 'aria-label': 'Back to your rooms' }, '←'),
      avatar(other, nameOf(other), 'md', presence.status),
      h(
        'div',
        { class: 'room-heading' },
        h('h1', { id: 'room-heading', tabindex: '-1', 'data-testid': 'room-counterpart' }, nameOf(other), h('span', { class: 'sr-only' }, `, ${role}`)),
        h(
          'p',
          { class: 'room-sub' },
          presence.text && h('span', { 'data-testid': 'room-presence', 'data-status': presence.status ?? 'unknown' }, presence.text),
          presence.text && ' · ',
          h('span', { class: 'room-title-text' }, room.title),
        ),
      ),
      room.status === 'active'
        ? h('span', { class: 'chip', title: 'Stage of this mentorship', 'data-testid': 'room-stage' }, STAGE_LABEL[room.stage])
        : h('span', { class: `chip chip-${room.status}` }, room.status === 'pending' ? 'Pending' : room.status === 'declined' ? 'Declined' : 'Closed'),
    );
  }

  async function answer(choice: 'accept' | 'decline'): Promise<void> {
    try {
      room = await client.rest.answer(roomId, choice);
      directory.upsert(room);
      renderAll();
    } catch (err) {
      ctx.notify(`Could not ${choice} the request: ${explain(err)}`, 'error');
    }
  }

  function renderNotice(): void {
    notice.hidden = true;
    if (!room) return;
    const name = nameOf(otherId());
    if (room.status === 'pending' && room.requestedBy !== me) {
      notice.hidden = false;
      notice.replaceChildren(
        h('p', {}, `${name} asks you to be their ${room.mentorId === me ? 'mentor' : 'mentee'}. Focus: “${room.focus}”.`),
        h(
          'div',
          { class: 'notice-actions' },
          h('button', { class: 'btn btn-primary btn-sm', type: 'button', 'data-testid': 'accept-request', onclick: () => void answer('accept') }, 'Accept'),
          h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'decline-request', onclick: () => void answer('decline') }, 'Decline'),
        ),
      );
    } else if (room.status === 'pending') {
      notice.hidden = false;
      notice.replaceChildren(h('p', {}, `Waiting for ${name} to accept. You can already introduce yourself.`));
    } else if (room.status === 'declined' || room.status === 'closed') {
      notice.hidden = false;
      notice.replaceChildren(h('p', {}, room.status === 'declined' ? 'This request was declined. The conversation is read-only.' : 'This mentorship is closed. The conversation is read-only.'));
    }
  }

  function renderTyping(): void {
    const names = client.typingIn(roomId).map(nameOf);
    typing.textContent = names.length > 0 ? `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  function renderAll(): void {
    if (room) document.title = `${nameOf(otherId())} · Menteo`;
    renderHeader();
    renderNotice();
    box.setEnabled(canWrite(), room ? `This room is ${room.status}` : '');
    timeline.render();
  }

  function showMissing(err: unknown): void {
    const gone = err instanceof SdkError && (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN');
    panel.replaceChildren(
      h(
        'div',
        { class: 'room-missing' },
        h('h1', { tabindex: '-1' }, gone ? 'Room not found' : 'Could not open this room'),
        h('p', {}, gone ? 'This room does not exist or is not one of yours.' : explain(err)),
        h('a', { class: 'btn btn-primary', href: '/' }, 'Back to your rooms'),
      ),
    );
  }

  const offs = [
    client.on('room', ({ room: r }) => {
      if (r.id === roomId && (!room || r.rev >= room.rev)) {
        room = r;
        renderAll();
      }
    }),
    client.on('presence', ({ userId }) => userId === otherId() && renderHeader()),
    client.on('connection', () => renderHeader()),
    client.on('typing', (p) => p.roomId === roomId && renderTyping()),
  ];
  // "Last seen 3 minutes ago" ages while the room stays open.
  const clock = setInterval(renderHeader, 60_000);

  renderAll();
  void client.rest.room(roomId).then(
    ({ room: r, members }) => {
      for (const m of members) people.set(m.id, m);
      if (!room || r.rev >= room.rev) room = r;
      renderAll();
    },
    (err: unknown) => {
      if (!room) showMissing(err);
    },
  );
  void client.open(roomId).then(
    () => timeline.render(true),
    (err: unknown) => {
      if (err instanceof SdkError && !err.isTransport()) showMissing(err);
    },
  );

  return {
    title: known?.counterpart ? `${known.counterpart.displayName}` : 'Room',
    el,
    destroy() {
      clearInterval(clock);
      offs.forEach((off) => off());
      timeline.destroy();
      box.destroy();
      sidebar.destroy();
    },
  };
}
