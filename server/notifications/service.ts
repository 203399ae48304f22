import { Ev } from '../../shared/events.js';
import { channelsFor, type Notification, type NotificationPrefs } from '../../shared/notifications.js';
import type { NotificationQuery, NotificationReadIn } from '../../shared/schemas/notification.js';
import type { UserId } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Intent } from '../domain/notifications.js';
import { newId } from '../ids.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { NewNotification, NotificationRecord } from '../store/notifications.js';
import type { Store } from '../store/port.js';
import type { Clock } from '../domain/clock.js';

/** Where a stored notification goes besides the inbox (the webhook outbox); optional. */
export interface NotificationSink {
  /** Called once per new entry whose kind has the webhook on for its recipient. */
  queued(notification: Notification, prefs: NotificationPrefs): Promise<void>;
}

/** The inbox as clients see it: a store record with the coalescing counters folded into `data`. */
export function toWire(r: NotificationRecord): Notification {
  const data = r.kind === 'message' ? { ...r.data, count: r.count, lastSeq: r.seq } : r.data;
  return {
    id: r.id,
    userId: r.userId,
    kind: r.kind,
    data,
    ...(r.actorId !== null && { actorId: r.actorId }),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    readAt: r.readAt,
  } as Notification;
}

const PAGE_DEFAULT = 30;

/**
 * The per-user inbox (issue 15): stores intents (once by key, or coalesced), pushes
 * `notification` to every device of the recipient and `notification:read` when entries are read,
 * and hands new entries to the webhook sink. A recipient is never the actor. Preferences decide
 * the channels: in-app off stores the entry already read (no push, no count).
 */
export class NotificationService {
  private sink: NotificationSink | null = null;

  constructor(
    private readonly store: Store,
    /** The untapped broadcaster: notification pushes are not domain events. */
    private readonly broadcast: Broadcaster,
    private readonly clock: Clock,
  ) {}

  /** Connects the webhook outbox (set once at start when NOTIFY_WEBHOOK_URL is configured). */
  attachSink(sink: NotificationSink): void {
    this.sink = sink;
  }

  /**
   * Stores `intent` for its recipient: `once` (a one-off kind, idempotent on its key) or
   * `{ seq }` (coalesced: one unread entry per key counts each source seq once).
   * Resolves with the entry when it is new or changed, null when nothing changed.
   */
  async deliver(intent: Intent, mode: 'once' | { seq: number }): Promise<Notification | null> {
    if (intent.actorId !== null && intent.userId === intent.actorId) return null;
    const prefs = await this.store.notifications.prefs(intent.userId);
    const channels = channelsFor(prefs, intent.kind);
    const at = new Date(this.clock()).toISOString();
    const n: NewNotification = {
      id: newId(),
      userId: intent.userId,
      kind: intent.kind,
      key: intent.key,
      actorId: intent.actorId,
      data: intent.data as unknown as Record<string, unknown>,
      createdAt: at,
      readAt: channels.inApp ? null : at,
    };
    const { record, changed } =
      mode === 'once'
        ? await this.store.notifications.addOnce(n).then((r) => ({ record: r.notification, changed: r.created }))
        : await this.store.notifications.bump(n, mode.seq).then((r) => ({ record: r.notification, changed: r.changed }));
    if (!changed) return null;
    const notification = toWire(record);
    if (channels.inApp && record.readAt === null) {
      const unread = await this.store.notifications.unreadCount(intent.userId);
      this.broadcast.toUsers([intent.userId], Ev.notification, { notification, unread });
    }
    // One webhook per entry: a coalesced one goes out when it starts, not on every message.
    if (channels.webhook && record.count === 1 && this.sink) await this.sink.queued(notification, prefs);
    return notification;
  }

  /** GET /api/notifications: a page, newest first, with the unread count. */
  async list(user: AuthUser, query: NotificationQuery): Promise<{ notifications: Notification[]; unread: number; nextCursor: string | null }> {
    const page = await this.store.notifications.list(user.id, {
      limit: query.limit ?? PAGE_DEFAULT,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      unreadOnly: query.unread === 'true',
    });
    return { notifications: page.notifications.map(toWire), unread: await this.store.notifications.unreadCount(user.id), nextCursor: page.nextCursor };
  }

  async unread(user: AuthUser): Promise<number> {
    return this.store.notifications.unreadCount(user.id);
  }

  /**
   * Marks one entry or all read and tells every device. An id that is not the caller's unread
   * entry (read already, someone else's, unknown) changes nothing: idempotent, and no oracle.
   */
  async markRead(user: AuthUser, input: NotificationReadIn): Promise<{ ids: string[]; unread: number }> {
    const at = new Date(this.clock()).toISOString();
    const all = 'all' in input;
    const ids = all ? await this.store.notifications.markAllRead(user.id, at) : await this.store.notifications.markRead(user.id, [input.id], at);
    return { ids, unread: await this.announceRead(user.id, ids, all) };
  }

  /** Reading a room up to `seq` reads its message notification (called for every room:read). */
  async roomRead(userId: UserId, key: string, seq: number): Promise<void> {
    const ids = await this.store.notifications.markReadByKey(userId, key, seq, new Date(this.clock()).toISOString());
    if (ids.length > 0) await this.announceRead(userId, ids, false);
  }

  prefs(user: AuthUser): Promise<NotificationPrefs> {
    return this.store.notifications.prefs(user.id);
  }

  async setPrefs(user: AuthUser, prefs: NotificationPrefs): Promise<NotificationPrefs> {
    await this.store.notifications.setPrefs(user.id, prefs);
    return prefs;
  }

  private async announceRead(userId: UserId, ids: string[], all: boolean): Promise<number> {
    const unread = await this.store.notifications.unreadCount(userId);
    if (ids.length > 0 || all) this.broadcast.toUsers([userId], Ev.notificationRead, { ids, all, unread });
    return unread;
  }
}
