import type { PublicUser, RoomHealth } from '../../../../shared/types.js';
import { RoomWatch, SdkError, STAGE_LABELS } from '@menteo/sdk';
import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { ago } from '../format.js';
import type { View } from '../router.js';
import { avatar } from '../components/avatar.js';
import { composer } from '../components/composer.js';
import { contractTab } from '../components/contract-tab.js';
import { explain } from '../components/form.js';
import { healthBadge, healthReasons } from '../components/health-badge.js';
import { sessionsTab } from '../components/sessions-tab.js';
import { recordTab } from '../components/record-tab.js';
import { roadmapTab } from '../components/roadmap-tab.js';
import type { RoomScope, RoomTab } from '../components/room-scope.js';
import { roomsList } from '../components/rooms-list.js';
import { stageTab } from '../components/stage-tab.js';
import { threadsTab } from '../components/threads-tab.js';
import { messageTimeline } from '../components/timeline.js';
import { rememberUsers } from '../people.js';
import { contractDueAfterCycleBack, counterpartLabel } from '../stage-copy.js';

type TabId = 'chat' | 'stage' | 'contract' | 'sessions' | 'roadmap' | 'threads' | 'record';

/** The room's tabs, in order; chat is the room's own path (/rooms/:id), the others /rooms/:id/<tab>. */
const TABS: ReadonlyArray<{ id: TabId; label: string; build?: (scope: RoomScope) => RoomTab }> = [
  { id: 'chat', label: 'Chat' },
  { id: 'stage', label: 'Stage', build: stageTab },
  { id: 'contract', label: 'Contract', build: contractTab },
  { id: 'sessions', label: 'Sessions', build: sessionsTab },
  { id: 'roadmap', label: 'Roadmap', build: roadmapTab },
  { id: 'threads', label: 'Threads', build: threadsTab },
  { id: 'record', label: 'Record', build: recordTab },
];

const tabOf = (params: Record<string, string>): TabId | null => {
  if (params.tab === undefined) return 'chat';
  return TABS.some((t) => t.id === params.tab && t.id !== 'chat') ? (params.tab as TabId) : null;
};

/**
 * One mentorship room: live chat with the other member, and tabs for the stage, the contract and
 * goals, the co-edited roadmap, growth threads and the record of achievement. Switching tabs keeps
 * the screen (the chat, an open roadmap connection). On wide screens my rooms list sits beside it.
 */
export function roomView(ctx: AppContext, params: Record<string, string>): View {
  const roomId = params.id!;
  const { client, directory } = ctx;
  const me = client.me;
  const known = directory.get(roomId);
  const watch = new RoomWatch(client, roomId);
  if (known) watch.apply(known.room);
  const people = new Map<string, PublicUser>();
  if (known?.counterpart) people.set(known.counterpart.id, known.counterpart);

  const room = () => watch.room;
  const otherId = () => {
    const r = room();
    return r ? (r.mentorId === me ? r.menteeId : r.mentorId) : '';
  };
  const nameOf = (userId: string) =>
    userId === me ? ctx.session.user.displayName : (people.get(userId)?.displayName ?? watch.member(userId)?.displayName ?? directory.user(userId)?.displayName ?? 'Them');
  const roleOf = (userId: string) => {
    const r = room();
    return r?.mentorId === userId ? 'mentor' : r?.menteeId === userId ? 'mentee' : null;
  };
  const roleNames = () => {
    const r = room();
    return { mentor: r ? nameOf(r.mentorId) : 'The mentor', mentee: r ? nameOf(r.menteeId) : 'The mentee' };
  };
  const canWrite = () => room()?.status === 'pending' || room()?.status === 'active';
  const scope: RoomScope = { ctx, roomId, watch, nameOf, roleOf };

  const sidebar = roomsList(ctx, { activeRoomId: roomId });
  const header = h('header', { class: 'room-header' });
  // Health (issue 19): read when the room changes and every minute; the badge sits in the header.
  let health: RoomHealth | null = null;
  let healthTimer: ReturnType<typeof setTimeout> | null = null;
  const refreshHealth = () => {
    if (healthTimer) clearTimeout(healthTimer);
    healthTimer = setTimeout(() => {
      if (room()?.status !== 'active') return;
      void client.rest.care.health(roomId).then(
        (next) => {
          health = next;
          renderHeader();
        },
        () => undefined,
      );
    }, 200);
  };
  let healthOpen = false;
  async function pauseOrResume(): Promise<void> {
    try {
      if (health?.pausedUntil) watch.apply(await client.rest.care.resume(roomId));
      else {
        const suggested = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
        const until = window.prompt('Pause every reminder and reply promise until (YYYY-MM-DD, at most 60 days):', suggested);
        if (!until) return;
        watch.apply(await client.rest.care.pause(roomId, { until: until.trim() }));
      }
      refreshHealth();
    } catch (err) {
      ctx.notify(`Could not ${health?.pausedUntil ? 'resume' : 'pause'} the room: ${explain(err)}`, 'error');
    }
  }
  const tabsNav = h('nav', { class: 'room-tabs', 'aria-label': 'Room sections' });
  const notice = h('div', { class: 'room-notice', 'data-testid': 'room-notice', hidden: true });
  const typing = h('p', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'typing-indicator' });
  // My read marker as I came in, fixed for this visit: the divider stays where it was put.
  let readSince = known?.readSeq;
  const timeline = messageTimeline({ client, roomId, nameOf, notify: ctx.notify, canWrite, otherId, roleNames, readSince: () => (readSince ??= directory.get(roomId)?.readSeq) });
  const box = composer(client, roomId);
  const chatPane = h('section', { class: 'chat-pane', 'aria-label': 'Chat', 'data-testid': 'tab-panel-chat' }, timeline.el, typing, box.el);
  const body = h('div', { class: 'room-body' }, chatPane);
  const panel = h('section', { class: 'room-panel', 'aria-labelledby': 'room-heading', 'data-testid': 'room-view', 'data-room-id': roomId }, header, tabsNav, notice, body);
  const el = h('div', { class: 'room-layout' }, h('aside', { class: 'room-sidebar card' }, h('h2', { class: 'sidebar-title' }, 'Your rooms'), sidebar.el), panel);

  const built = new Map<TabId, RoomTab>();
  let current: TabId = tabOf(params) ?? 'chat';

  function showTab(id: TabId): void {
    const previous = current;
    current = id;
    if (previous !== id) built.get(previous)?.hide?.();
    chatPane.hidden = id !== 'chat';
    for (const [tabId, tab] of built) tab.el.hidden = tabId !== id;
    if (id !== 'chat') {
      let tab = built.get(id);
      if (!tab) {
        tab = TABS.find((t) => t.id === id)!.build!(scope);
        tab.el.classList.add('tab-panel');
        tab.el.dataset.testid = `tab-panel-${id}`;
        built.set(id, tab);
        body.append(tab.el);
      }
      tab.el.hidden = false;
      tab.show?.();
    } else {
      // Back from another tab: the timeline was hidden, so it may have missed its scroll position.
      timeline.render();
    }
    renderTabs();
  }

  function renderTabs(): void {
    tabsNav.replaceChildren(
      ...TABS.map((t) =>
        h(
          'a',
          { href: t.id === 'chat' ? `/rooms/${roomId}` : `/rooms/${roomId}/${t.id}`, 'aria-current': t.id === current ? 'page' : null, 'data-testid': `tab-${t.id}` },
          t.label,
        ),
      ),
    );
  }

  function presenceText(): { status: 'online' | 'offline' | undefined; text: string } {
    const p = client.presence(otherId());
    if (!p) return { status: undefined, text: client.state === 'connected' ? '' : 'Reconnecting…' };
    if (p.status === 'online') return { status: 'online', text: 'Online' };
    return { status: 'offline', text: p.lastSeenAt ? `Last seen ${ago(p.lastSeenAt)}` : 'Offline' };
  }

  function renderHeader(): void {
    const r = room();
    if (!r) {
      header.replaceChildren(h('a', { class: 'back', href: '/', 'aria-label': 'Back to your rooms' }, '←'), h('h1', { id: 'room-heading', tabindex: '-1' }, 'Loading…'));
      return;
    }
    const other = otherId();
    const presence = presenceText();
    const label = counterpartLabel(r, r.mentorId === me ? 'mentee' : 'mentor');
    const role = label.charAt(0).toLowerCase() + label.slice(1);
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
          h('span', { class: 'room-role', 'data-testid': 'room-role', 'aria-hidden': 'true' }, label),
          ' · ',
          presence.text && h('span', { 'data-testid': 'room-presence', 'data-status': presence.status ?? 'unknown' }, presence.text),
          presence.text && ' · ',
          h('span', { class: 'room-title-text' }, r.title),
        ),
      ),
      r.status === 'active' && health
        ? h(
            'details',
            // Open stays open across redraws (a pause redraws the header; Resume is inside).
            { class: 'room-health', 'data-testid': 'room-health', open: healthOpen, ontoggle: (e: Event) => (healthOpen = (e.currentTarget as HTMLDetailsElement).open) },
            h('summary', {}, healthBadge(health)),
            healthReasons(health),
            h('button', { class: 'btn btn-sm btn-ghost', type: 'button', 'data-testid': health.pausedUntil ? 'room-resume' : 'room-pause', onclick: () => void pauseOrResume() }, health.pausedUntil ? 'Resume' : 'Pause'),
          )
        : '',
      r.status === 'active'
        ? h('a', { class: 'chip chip-link', href: `/rooms/${roomId}/stage`, title: 'Stage of this mentorship', 'data-testid': 'room-stage' }, STAGE_LABELS[r.stage])
        : h('span', { class: `chip chip-${r.status}` }, r.status === 'pending' ? 'Pending' : r.status === 'declined' ? 'Declined' : 'Closed'),
    );
  }

  async function answer(choice: 'accept' | 'decline'): Promise<void> {
    try {
      const r = await client.rest.answer(roomId, choice);
      watch.apply(r);
      directory.upsert(r);
    } catch (err) {
      ctx.notify(`Could not ${choice} the request: ${explain(err)}`, 'error');
    }
  }

  function renderNotice(): void {
    notice.hidden = true;
    const r = room();
    if (!r) return;
    const name = nameOf(otherId());
    const request = directory.get(roomId)?.request;
    if (r.status === 'pending' && request?.expired) {
      // Issue 19: a request waits 14 days; after that the server refuses to accept it.
      notice.hidden = false;
      notice.replaceChildren(
        h('p', { 'data-testid': 'request-expired' }, `This request expired on ${request.expiresAt.slice(0, 10)} without an answer. ${r.requestedBy === me ? 'You can send a new one.' : `${name} can send a new one.`}`),
      );
    } else if (r.status === 'pending' && r.requestedBy !== me) {
      notice.hidden = false;
      notice.replaceChildren(
        h('p', {}, `${name} asks you to be their ${r.mentorId === me ? 'mentor' : 'mentee'}. Focus: “${r.focus}”.`),
        h(
          'div',
          { class: 'notice-actions' },
          h('button', { class: 'btn btn-primary btn-sm', type: 'button', 'data-testid': 'accept-request', onclick: () => void answer('accept') }, 'Accept'),
          h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'decline-request', onclick: () => void answer('decline') }, 'Decline'),
        ),
      );
    } else if (r.status === 'pending') {
      notice.hidden = false;
      notice.replaceChildren(h('p', {}, `Waiting for ${name} to accept. You can already introduce yourself.`));
    } else if (contractDueAfterCycleBack(r) !== null) {
      // The loop goes on: a cycle back is a new challenge, which needs new terms (issue 16, finding 5).
      const version = contractDueAfterCycleBack(r)!;
      notice.hidden = false;
      notice.replaceChildren(
        h('p', { 'data-testid': 'contract-next-prompt' }, `You cycled back for a new challenge. Agree on its goals in contract v${version}: edit the contract, then both accept it.`),
        h('div', { class: 'notice-actions' }, h('a', { class: 'btn btn-primary btn-sm', href: `/rooms/${roomId}/contract`, 'data-testid': 'contract-next-open' }, `Draft contract v${version}`)),
      );
    } else if (r.status === 'declined' || r.status === 'closed') {
      notice.hidden = false;
      notice.replaceChildren(h('p', {}, r.status === 'declined' ? 'This request was declined. The conversation is read-only.' : 'This mentorship is closed. The conversation is read-only.'));
    }
  }

  function renderTyping(): void {
    const names = client.typingIn(roomId).map(nameOf);
    typing.textContent = names.length > 0 ? `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  function renderAll(): void {
    const r = room();
    if (r) document.title = `${nameOf(otherId())} · Menteo`;
    renderHeader();
    renderNotice();
    box.setEnabled(canWrite(), r ? `This room is ${r.status}` : '');
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
    watch.on('change', () => {
      rememberUsers(watch.members);
      for (const m of watch.members) people.set(m.id, m);
      renderAll();
      refreshHealth();
    }),
    client.on('message', ({ message }) => message.roomId === roomId && refreshHealth()),
    client.on('session:updated', (p) => p.roomId === roomId && refreshHealth()),
    client.on('session:item', (p) => p.roomId === roomId && refreshHealth()),
    client.on('presence', ({ userId }) => userId === otherId() && renderHeader()),
    client.on('connection', () => renderHeader()),
    client.on('typing', (p) => p.roomId === roomId && renderTyping()),
  ];
  // "Last seen 3 minutes ago" ages while the room stays open.
  const clock = setInterval(() => {
    renderHeader();
    refreshHealth();
  }, 60_000);

  renderAll();
  showTab(current);
  void watch.refresh().catch((err: unknown) => {
    if (!room()) showMissing(err);
  });
  void client.open(roomId).then(
    () => timeline.render(current === 'chat'),
    (err: unknown) => {
      if (err instanceof SdkError && !err.isTransport()) showMissing(err);
    },
  );

  const titleFor = (tab: TabId) => {
    const name = known?.counterpart?.displayName ?? (room() ? nameOf(otherId()) : 'Room');
    return tab === 'chat' ? name : `${TABS.find((t) => t.id === tab)!.label} · ${name}`;
  };

  const view: View = {
    title: titleFor(current),
    el,
    update(next) {
      const tab = tabOf(next);
      if (next.id !== roomId || tab === null) return false;
      showTab(tab);
      view.title = titleFor(tab);
      return true;
    },
    destroy() {
      clearInterval(clock);
      if (healthTimer) clearTimeout(healthTimer);
      offs.forEach((off) => off());
      for (const tab of built.values()) tab.destroy();
      watch.dispose();
      timeline.destroy();
      box.destroy();
      sidebar.destroy();
    },
  };
  return view;
}
