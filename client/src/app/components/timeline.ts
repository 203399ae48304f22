import { Limits } from '../../../../shared/limits.js';
import type { Message, RoomId } from '../../../../shared/types.js';
import type { MenteoClient, OutboxEntry } from '@menteo/sdk';
import { h, reconcile, type Keyed } from '../dom.js';
import { clockTime, dayKey, dayLabel } from '../format.js';
import { groupSystemRuns, personalise, runSummary, type RoleNames } from '../system-lines.js';
import { explain } from './form.js';

/** The quick reactions offered on every message. */
export const QUICK_REACTIONS = ['👍', '❤️', '🎉', '😄', '🙏', '👀'] as const;

/** Consecutive messages of one author within this many ms are drawn as one group. */
const GROUP_MS = 5 * 60_000;

export interface TimelineOptions {
  client: MenteoClient;
  roomId: RoomId;
  /** Display name of a member (for screen-reader labels and the typing line). */
  nameOf(userId: string): string;
  notify(message: string, tone?: 'info' | 'error'): void;
  /** Whether I may post, edit and react (false once the room is declined or closed). */
  canWrite(): boolean;
  /**
   * My read marker when I came into the room: the "New since you left" divider goes before the
   * first later message of the other side. Undefined while unknown (no divider).
   */
  readSince(): number | undefined;
  /** The members' names by role, for system messages ("The mentee …" reads "Theo …"). */
  roleNames(): RoleNames;
  /** The other member's id ('' while the room is unknown). */
  otherId(): string;
}

type PendingEntry = Exclude<OutboxEntry, { status: 'sent' }>;

const PENDING_TEXT: Record<PendingEntry['status'], string> = {
  queued: 'Waiting to send',
  sending: 'Sending…',
  failed: 'Not sent',
};

/**
 * The message history of one room with my unsent messages after it: day separators, grouping,
 * edit / delete of my own messages, reactions, "load older", and scroll that follows new messages
 * only when the reader is at the bottom. Reports read markers while the newest message is in view.
 */
export function messageTimeline(opts: TimelineOptions) {
  const { client, roomId } = opts;
  const me = client.me;
  const cache = new Map<string, { el: HTMLElement; sig: string }>();
  // What the user is doing with one message; at most one of each at a time.
  let editingId: string | null = null;
  // The edit box's text, kept across re-renders (a reaction or a read marker arriving mid-edit
  // rebuilds the message): issue 16, finding 1.
  let editDraft = '';
  let pickerId: string | null = null;
  let confirmDeleteId: string | null = null;
  let activeId: string | null = null;
  let loadingOlder = false;
  let renderedSeqMax = 0;
  // The other member's read marker as far as this page has heard (room:read pushes, and their
  // own messages: the server moves an author's marker when it stores the message).
  let theirReadSeq = 0;
  let arrivedSeq: number | undefined;

  const list = h('ol', { class: 'messages', 'data-testid': 'messages' });
  const olderButton = h('button', { class: 'btn btn-ghost btn-sm load-older', type: 'button', 'data-testid': 'load-older', hidden: true }, 'Load older messages');
  const start = h('p', { class: 'timeline-start muted', hidden: true }, 'This is the beginning of your conversation.');
  const scroller = h(
    'div',
    { class: 'timeline', role: 'log', 'aria-label': 'Messages', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'data-testid': 'timeline' },
    h('div', { class: 'timeline-inner' }, olderButton, start, list),
  );
  const jump = h('button', { class: 'jump', type: 'button', hidden: true, 'data-testid': 'jump-to-latest' }, 'New messages ↓');
  const el = h('div', { class: 'timeline-wrap' }, scroller, jump);

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  // Whether the reader is following the newest message; kept across resizes (a phone keyboard
  // opening, a rotation) that would otherwise leave the view short of the bottom.
  let following = true;
  const scrollToBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
    jump.hidden = true;
  };

  function set(update: () => void): void {
    update();
    render();
  }

  async function act(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      opts.notify(`Could not ${what}: ${explain(err)}`, 'error');
    }
  }

  function reactionsOf(m: Message): HTMLElement | null {
    const entries = Object.entries(m.reactions).filter(([, users]) => users.length > 0);
    if (entries.length === 0 || m.deletedAt) return null;
    return h(
      'ul',
      { class: 'reactions', role: 'list' },
      entries.map(([emoji, users]) => {
        const mine = users.includes(me);
        const who = users.map((u) => (u === me ? 'you' : opts.nameOf(u))).join(', ');
        return h(
          'li',
          {},
          h(
            'button',
            {
              class: `reaction${mine ? ' is-mine' : ''}`,
              type: 'button',
              'aria-pressed': String(mine),
              'aria-label': `${emoji} ${users.length}, from ${who}`,
              title: who,
              'data-testid': 'reaction',
              disabled: !opts.canWrite(),
              onclick: () => void act('react', () => client.react(roomId, m.id, emoji, !mine)),
            },
            h('span', { 'aria-hidden': 'true' }, emoji),
            h('span', { class: 'reaction-count', 'aria-hidden': 'true' }, String(users.length)),
          ),
        );
      }),
    );
  }

  function editForm(m: Message): HTMLElement {
    const input = h('textarea', { class: 'edit-input', rows: 2, maxlength: Limits.messageBody, 'aria-label': 'Edit message', 'data-testid': 'edit-input' });
    input.value = editDraft;
    input.addEventListener('input', () => (editDraft = input.value));
    const form = h(
      'form',
      { class: 'edit-form' },
      input,
      h(
        'div',
        { class: 'edit-buttons' },
        h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => set(() => (editingId = null)) }, 'Cancel'),
        h('button', { class: 'btn btn-primary btn-sm', type: 'submit', 'data-testid': 'edit-save' }, 'Save'),
      ),
    );
    const save = () => {
      const body = input.value.trim();
      if (!body || body === m.body) return set(() => (editingId = null));
      void act('edit the message', async () => {
        await client.edit(roomId, m.id, body);
        set(() => (editingId = null));
      });
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      save();
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') set(() => (editingId = null));
      else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        save();
      }
    });
    queueMicrotask(() => {
      if (!input.isConnected || document.activeElement === input) return;
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    });
    return form;
  }

  function actionsOf(m: Message): HTMLElement | null {
    if (m.deletedAt || m.kind !== 'text' || !opts.canWrite()) return null;
    const own = m.authorId === me;
    return h(
      'div',
      { class: 'msg-actions', role: 'group', 'aria-label': 'Message actions' },
      h('button', { class: 'icon-btn', type: 'button', 'aria-expanded': String(pickerId === m.id), 'data-testid': 'react-button', onclick: () => set(() => (pickerId = pickerId === m.id ? null : m.id)) }, 'React'),
      own && h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'edit-button', onclick: () => set(() => ((editingId = m.id), (editDraft = m.body), (pickerId = null))) }, 'Edit'),
      own &&
        (confirmDeleteId === m.id
          ? h('button', { class: 'icon-btn danger', type: 'button', 'data-testid': 'delete-confirm', onclick: () => void act('delete the message', () => client.remove(roomId, m.id)) }, 'Really delete?')
          : h('button', {
              class: 'icon-btn',
              type: 'button',
              'data-testid': 'delete-button',
              onclick: () => {
                set(() => (confirmDeleteId = m.id));
                setTimeout(() => confirmDeleteId === m.id && set(() => (confirmDeleteId = null)), 4000);
              },
            }, 'Delete')),
    );
  }

  function picker(m: Message): HTMLElement {
    return h(
      'div',
      { class: 'picker', role: 'group', 'aria-label': 'Pick a reaction' },
      QUICK_REACTIONS.map((emoji) =>
        h('button', {
          class: 'picker-btn',
          type: 'button',
          'aria-label': `React with ${emoji}`,
          'data-testid': 'pick-reaction',
          onclick: () => {
            const on = !(m.reactions[emoji] ?? []).includes(me);
            set(() => (pickerId = null));
            void act('react', () => client.react(roomId, m.id, emoji, on));
          },
        }, emoji),
      ),
    );
  }

  /** The member of the room who is not `m`'s author (the reader of my message). */
  const otherOf = (m: Message): string => opts.otherId() || m.authorId;

  /** A run of like system messages as one line; each original is one click away. */
  function runItem(kind: Parameters<typeof runSummary>[0], run: Message[], names: RoleNames): Keyed {
    const last = run.at(-1)!;
    return {
      key: `r:${run[0]!.id}`,
      sig: JSON.stringify([run.map((m) => m.id), names]),
      build: () =>
        h(
          'li',
          { class: 'msg msg-system', 'data-testid': 'message', 'data-seq': last.seq, 'data-kind': 'system-run', 'data-count': run.length },
          h('p', { class: 'msg-body', 'data-testid': 'message-body' }, runSummary(kind, run, names)),
          h(
            'details',
            { class: 'run-details' },
            h('summary', {}, `Show all ${run.length}`),
            h('ul', { 'data-testid': 'run-lines' }, run.map((m) => h('li', {}, personalise(m.body, names), ' ', h('time', { datetime: m.createdAt }, clockTime(m.createdAt))))),
          ),
          h('time', { datetime: last.createdAt }, clockTime(last.createdAt)),
        ),
    };
  }

  function messageItem(m: Message, grouped: boolean, seen: boolean, names: RoleNames): Keyed {
    const own = m.authorId === me && m.kind === 'text';
    const flags = [editingId === m.id, pickerId === m.id, confirmDeleteId === m.id, activeId === m.id, opts.canWrite(), seen];
    return {
      key: `m:${m.id}`,
      sig: JSON.stringify([m.body, m.editedAt, m.deletedAt, m.reactions, grouped, flags, m.kind === 'system' ? names : null]),
      build: () => {
        if (m.kind === 'system') {
          return h('li', { class: 'msg msg-system', 'data-testid': 'message', 'data-seq': m.seq, 'data-kind': 'system' }, h('p', { class: 'msg-body', 'data-testid': 'message-body' }, personalise(m.body, names)), h('time', { datetime: m.createdAt }, clockTime(m.createdAt)));
        }
        const bubble = h(
          'div',
          {
            class: 'bubble',
            tabindex: '0',
            // A click inside the edit form (into the box, on Save) must not rebuild the form under it:
            // the rebuilt form is detached before its submit fires (issue 16, finding 1).
            onclick: (e: Event) => {
              if (editingId === m.id || (e.target as Element).closest('form')) return;
              set(() => (activeId = activeId === m.id ? null : m.id));
            },
          },
          h('span', { class: 'sr-only' }, `${own ? 'You' : opts.nameOf(m.authorId)} at ${clockTime(m.createdAt)}: `),
          editingId === m.id
            ? editForm(m)
            : h('p', { class: `msg-body${m.deletedAt ? ' is-deleted' : ''}`, 'data-testid': 'message-body' }, m.deletedAt ? 'Message deleted' : m.body),
          h('span', { class: 'msg-meta', 'aria-hidden': 'true' }, clockTime(m.createdAt), m.editedAt && !m.deletedAt ? ' · edited' : ''),
          m.editedAt && !m.deletedAt ? h('span', { class: 'sr-only' }, ' (edited)') : null,
        );
        return h(
          'li',
          {
            class: `msg ${own ? 'msg-own' : 'msg-other'}${grouped ? ' is-grouped' : ''}${activeId === m.id ? ' is-active' : ''}`,
            'data-testid': 'message',
            'data-seq': m.seq,
            'data-id': m.id,
            'data-status': 'sent',
            'data-own': String(own),
          },
          bubble,
          seen && h('p', { class: 'msg-seen', 'data-testid': 'message-seen' }, `Seen by ${opts.nameOf(otherOf(m))}`),
          reactionsOf(m),
          pickerId === m.id ? picker(m) : null,
          editingId === m.id ? null : actionsOf(m),
        );
      },
    };
  }

  function pendingItem(e: PendingEntry): Keyed {
    const offline = client.state !== 'connected';
    const label = e.status === 'queued' && offline ? 'Waiting for connection' : PENDING_TEXT[e.status];
    return {
      key: `p:${e.clientMsgId}`,
      sig: JSON.stringify([e.status, label, e.status === 'failed' ? e.error.message : '']),
      build: () =>
        h(
          'li',
          { class: `msg msg-own is-pending is-${e.status}`, 'data-testid': 'message', 'data-status': e.status, 'data-client-msg-id': e.clientMsgId, 'data-own': 'true' },
          h(
            'div',
            { class: 'bubble' },
            h('p', { class: 'msg-body', 'data-testid': 'message-body' }, e.body),
            h('span', { class: 'msg-meta', 'data-testid': 'message-status' }, label, e.status === 'failed' ? `: ${explain(e.error)}` : ''),
          ),
          e.status === 'failed' &&
            h(
              'div',
              { class: 'msg-actions is-visible' },
              h('button', { class: 'icon-btn', type: 'button', 'data-testid': 'retry-send', onclick: () => client.retry(e.clientMsgId) }, 'Retry'),
              h('button', { class: 'icon-btn', type: 'button', onclick: () => (client.discard(e.clientMsgId), render()) }, 'Discard'),
            ),
        ),
    };
  }

  function render(forceBottom = false): void {
    const wasNearBottom = nearBottom();
    const prevHeight = scroller.scrollHeight;
    const prevTop = scroller.scrollTop;
    const messages = client.timeline(roomId);
    const items: Keyed[] = [];
    let prev: Message | null = null;
    for (const m of messages) if (m.authorId !== me && m.kind === 'text') theirReadSeq = Math.max(theirReadSeq, m.seq);
    // The stored marker from room:join: "Seen" survives a reload (issue 16).
    if (opts.otherId()) theirReadSeq = Math.max(theirReadSeq, client.readMarker(roomId, opts.otherId()));
    // "Seen" goes under my last message only, once the other side has read up to it.
    const lastOwn = [...messages].reverse().find((m) => m.authorId === me && m.kind === 'text' && !m.deletedAt);
    const seenId = lastOwn && theirReadSeq >= lastOwn.seq ? lastOwn.id : null;
    const since = opts.readSince();
    // The divider marks what was unread when I came in, not what arrives while I am here.
    if (messages.length > 0) arrivedSeq ??= messages.at(-1)!.seq;
    const firstNew = since === undefined ? undefined : messages.find((m) => m.seq > since && m.seq <= (arrivedSeq ?? 0) && m.authorId !== me && m.kind === 'text');
    const names = opts.roleNames();
    for (const item of groupSystemRuns(messages)) {
      const m = item.type === 'message' ? item.message : item.messages[0]!;
      const day = dayKey(m.createdAt);
      if (!prev || dayKey(prev.createdAt) !== day) {
        items.push({ key: `d:${day}`, sig: dayLabel(m.createdAt), build: () => h('li', { class: 'day' }, h('span', {}, dayLabel(m.createdAt))) });
      }
      if (item.type === 'run') {
        items.push(runItem(item.kind, item.messages, names));
        prev = item.messages.at(-1)!;
        continue;
      }
      const grouped =
        prev !== null && prev.kind === 'text' && m.kind === 'text' && prev.authorId === m.authorId && dayKey(prev.createdAt) === day &&
        Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
      if (m === firstNew) {
        items.push({ key: 'new-divider', sig: String(m.seq), build: () => h('li', { class: 'new-divider', 'data-testid': 'new-divider' }, h('span', {}, 'New since you left')) });
      }
      items.push(messageItem(m, grouped && m !== firstNew, m.id === seenId, names));
      prev = m;
    }
    for (const e of client.pending(roomId)) if (e.status !== 'sent') items.push(pendingItem(e));
    reconcile(list, items, cache);

    const hasOlder = client.hasOlder(roomId);
    olderButton.hidden = !hasOlder;
    olderButton.disabled = loadingOlder;
    olderButton.textContent = loadingOlder ? 'Loading…' : 'Load older messages';
    start.hidden = hasOlder || messages.length === 0;

    const newest = messages.at(-1)?.seq ?? 0;
    const grew = newest > renderedSeqMax;
    renderedSeqMax = Math.max(renderedSeqMax, newest);
    if (loadingOlder) scroller.scrollTop = prevTop + (scroller.scrollHeight - prevHeight);
    else if (forceBottom || wasNearBottom) {
      scrollToBottom();
      following = true;
    }
    else if (grew) jump.hidden = false;
    markRead();
  }

  /**
   * Moves my read marker to the newest message while it is on screen and the page is visible. A
   * hidden timeline (another tab of the room is open) has no height and reads as "at the bottom":
   * it must not mark anything read.
   */
  function markRead(): void {
    const newest = client.timeline(roomId).at(-1)?.seq;
    if (newest && document.visibilityState === 'visible' && scroller.clientHeight > 0 && nearBottom()) client.markRead(roomId, newest);
  }

  olderButton.addEventListener('click', () => {
    loadingOlder = true;
    render();
    void act('load older messages', () => client.loadOlder(roomId)).finally(() => {
      render();
      loadingOlder = false;
      render();
    });
  });
  jump.addEventListener('click', () => {
    scrollToBottom();
    markRead();
  });
  const resize = new ResizeObserver(() => {
    if (following) scrollToBottom();
  });
  resize.observe(scroller);
  scroller.addEventListener('scroll', () => {
    following = nearBottom();
    if (following) {
      jump.hidden = true;
      markRead();
    }
  });
  const onVisible = () => markRead();
  document.addEventListener('visibilitychange', onVisible);

  const offs = [
    client.on('timeline', (p) => p.roomId === roomId && render()),
    client.on('read', (p) => {
      if (p.roomId !== roomId || p.userId === me || p.seq <= theirReadSeq) return;
      theirReadSeq = p.seq;
      render();
    }),
    client.on('outbox', ({ entry }) => entry.roomId === roomId && render(entry.status === 'queued' && entry.attempts === 0)),
    client.on('connection', () => render()),
  ];

  return {
    el,
    render,
    scrollToBottom,
    destroy() {
      offs.forEach((off) => off());
      resize.disconnect();
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
