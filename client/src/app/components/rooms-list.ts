import type { DirectoryEntry } from '@menteo/sdk';
import { healthBadge } from './health-badge.js';
import type { AppContext } from '../context.js';
import { h, reconcile, type Keyed } from '../dom.js';
import { shortWhen } from '../format.js';
import { avatar } from './avatar.js';
import { explain } from './form.js';

type Group = 'incoming' | 'rooms' | 'closed';

const GROUP_TITLES: Record<Group, string> = { incoming: 'Requests for you', rooms: 'Conversations', closed: 'Past requests' };

function groupOf(e: DirectoryEntry, me: string): Group {
  if (e.room.status === 'pending' && e.room.requestedBy !== me) return 'incoming';
  if (e.room.status === 'declined' || e.room.status === 'closed') return 'closed';
  return 'rooms';
}

/** "your mentor" / "your mentee": the counterpart's role, seen from me. */
export const counterpartRole = (e: DirectoryEntry): string => (e.role === 'mentee' ? 'your mentor' : 'your mentee');

function preview(e: DirectoryEntry, me: string): string {
  const name = e.counterpart?.displayName ?? 'They';
  if (e.room.status === 'pending') {
    return e.room.requestedBy === me ? `Waiting for ${name} to accept` : `${name} asks you to be their ${e.role}`;
  }
  if (e.room.status === 'declined') return 'Request declined';
  const m = e.lastMessage;
  if (!m) return 'No messages yet';
  if (m.deletedAt) return 'Message deleted';
  return (m.authorId === me && m.kind === 'text' ? 'You: ' : '') + m.body.replace(/\s+/g, ' ');
}

/**
 * My rooms, live: the other member's name and presence, the room's title, last message, unread
 * badge; incoming requests carry Accept / Decline. `activeRoomId` marks the open room.
 */
export function roomsList(ctx: AppContext, opts: { activeRoomId?: string } = {}): { el: HTMLElement; destroy(): void } {
  const { client, directory } = ctx;
  const me = client.me;
  const body = h('div', { class: 'rooms-body' });
  const el = h('nav', { class: 'rooms', 'aria-label': 'Your rooms', 'data-testid': 'rooms-list' }, body);
  const caches: Record<Group, Map<string, { el: HTMLElement; sig: string }>> = { incoming: new Map(), rooms: new Map(), closed: new Map() };
  const resetCaches = () => Object.values(caches).forEach((c) => c.clear());
  let failed = false;

  async function answer(roomId: string, choice: 'accept' | 'decline', button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const room = await client.rest.answer(roomId, choice);
      directory.upsert(room);
      // Accepting from the sidebar of an open room keeps the chat I am in (issue 16, finding 9).
      if (choice === 'accept' && opts.activeRoomId === undefined) ctx.navigate(`/rooms/${room.id}`);
      else if (choice === 'accept') ctx.notify(`Request accepted: ${room.title} is in your rooms.`);
    } catch (err) {
      button.disabled = false;
      ctx.notify(`Could not ${choice} the request: ${explain(err)}`, 'error');
    }
  }

  function item(e: DirectoryEntry): Keyed {
    const name = e.counterpart?.displayName ?? '…';
    const presence = e.room.status === 'active' ? client.presence(otherId(e))?.status : undefined;
    const active = e.room.id === opts.activeRoomId;
    const typing = client.typingIn(e.room.id).length > 0;
    const when = e.lastMessage?.createdAt ?? e.room.updatedAt;
    const text = typing ? `${name} is typing…` : preview(e, me);
    // An expired request can no longer be accepted (issue 19): the server refuses, so no button offers it.
    const incoming = e.room.status === 'pending' && e.room.requestedBy !== me && !e.request?.expired;
    // The room I am in counts nothing as unread, whichever of its tabs is open (issue 16, finding 3).
    const unread = active ? 0 : e.unread;
    return {
      key: e.room.id,
      sig: JSON.stringify([name, presence, active, text, unread, when, e.room.status, e.room.title, e.room.stage, e.health?.level, e.request?.expired]),
      build: () =>
        h(
          'li',
          { class: `room-item${active ? ' is-active' : ''}${unread > 0 ? ' has-unread' : ''}`, 'data-testid': 'room-item', 'data-room-id': e.room.id, 'data-status': e.room.status },
          h(
            'a',
            { class: 'room-link', href: `/rooms/${e.room.id}`, 'aria-current': active ? 'page' : null },
            avatar(otherId(e), name, 'md', presence),
            h(
              'span',
              { class: 'room-main' },
              h('span', { class: 'room-top' }, h('span', { class: 'room-name', 'data-testid': 'room-name' }, name), h('time', { datetime: when }, shortWhen(when))),
              h('span', { class: 'room-title' }, h('span', { class: 'sr-only' }, `${counterpartRole(e)}, `), e.room.title),
              h(
                'span',
                { class: 'room-bottom' },
                h('span', { class: `room-preview${typing ? ' is-typing' : ''}`, 'data-testid': 'room-preview' }, text),
                e.room.status === 'active' && e.health && healthBadge(e.health, 'room-health'),
                e.request?.expired && h('span', { class: 'chip chip-declined', 'data-testid': 'room-expired' }, 'Expired'),
                unread > 0 && h('span', { class: 'badge', 'data-testid': 'room-unread', 'aria-label': `${unread} unread` }, unread > 99 ? '99+' : String(unread)),
              ),
            ),
          ),
          incoming &&
            h(
              'div',
              { class: 'room-actions' },
              h('button', { class: 'btn btn-primary btn-sm', type: 'button', 'data-testid': 'accept-request', onclick: (ev: Event) => void answer(e.room.id, 'accept', ev.currentTarget as HTMLButtonElement) }, 'Accept'),
              h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'decline-request', onclick: (ev: Event) => void answer(e.room.id, 'decline', ev.currentTarget as HTMLButtonElement) }, 'Decline'),
            ),
        ),
    };
  }

  const otherId = (e: DirectoryEntry) => (e.room.mentorId === me ? e.room.menteeId : e.room.mentorId);

  function render(): void {
    if (!directory.loaded) {
      body.replaceChildren(
        failed
          ? h('p', { class: 'empty' }, 'Could not load your rooms. ', h('button', { class: 'btn btn-link', type: 'button', onclick: () => void load() }, 'Try again'))
          : h('p', { class: 'empty muted' }, 'Loading your rooms…'),
      );
      body.dataset.groups = '';
      resetCaches();
      return;
    }
    const entries = directory.list();
    if (entries.length === 0) {
      body.replaceChildren(h('p', { class: 'empty', 'data-testid': 'rooms-empty' }, 'No rooms yet. Find a mentor by skill, or turn on mentoring in your profile so mentees can find you.'));
      body.dataset.groups = '';
      resetCaches();
      return;
    }
    const groups: Group[] = ['incoming', 'rooms', 'closed'];
    const sections = groups
      .map((g) => ({ g, entries: entries.filter((e) => groupOf(e, me) === g) }))
      .filter((s) => s.entries.length > 0);
    // One keyed <ul> per group; the group's <h2> is rebuilt only when the set of groups changes.
    const sectionKeys = sections.map((s) => s.g).join(',');
    if (body.dataset.groups !== sectionKeys) {
      body.replaceChildren(
        ...sections.map((s) =>
          h('section', { class: 'rooms-group', 'data-group': s.g }, h('h2', { class: 'rooms-group-title' }, GROUP_TITLES[s.g]), h('ul', { class: 'rooms-ul', role: 'list' })),
        ),
      );
      body.dataset.groups = sectionKeys;
      resetCaches();
    }
    for (const s of sections) reconcile(body.querySelector<HTMLElement>(`[data-group="${s.g}"] ul`)!, s.entries.map(item), caches[s.g]);
  }

  async function load(): Promise<void> {
    failed = false;
    render();
    try {
      await directory.refresh();
    } catch {
      failed = true;
    }
    render();
  }

  const offs = [directory.on('change', render), client.on('presence', render), client.on('typing', render), client.on('connection', render)];
  if (directory.loaded) render();
  else void load();
  return { el, destroy: () => offs.forEach((off) => off()) };
}
