import { AppError } from '../../shared/errors.js';
import type { Notification, NotificationPrefs } from '../../shared/notifications.js';
import type { ActionItem, Checkin, Meeting, Message, Room, SelfUser, Thread, ThreadEntry } from '../../shared/types.js';
import type { AuthService } from '../auth/service.js';
import type { AuthSession } from '../auth/tokens.js';
import { nowIso } from '../ids.js';
import type { Store } from '../store/port.js';
import type { CommentInThread } from '../store/threads.js';
import { toSelfUser } from '../users/dto.js';
import { toWire as notificationToWire } from '../notifications/service.js';

/** What GET /api/me/export answers: everything Menteo holds about the user, as JSON. */
export interface AccountExport {
  exportedAt: string;
  user: SelfUser;
  rooms: Room[];
  /** The user's own messages in those rooms, per room, ascending seq. */
  messages: Message[];
  /** The user's threads with every entry (and the comments on them). */
  threads: Array<Thread & { entries: ThreadEntry[] }>;
  /** Every comment the user wrote, on anyone's thread (their own included), oldest first. */
  comments: CommentInThread[];
  /** The user's own check-ins on measured goals, per room, oldest first. */
  checkins: Checkin[];
  /** The sessions of the user's rooms (both members are a party to them), per room, by start. */
  sessions: Meeting[];
  /** The action items of those sessions, whoever owns them, per room, oldest first. */
  actionItems: ActionItem[];
  /** The user's inbox, newest first, and their notification preferences. */
  notifications: Notification[];
  notificationPrefs: NotificationPrefs;
}

/** The name a deleted account shows under its past messages and comments. */
export const DELETED_USER_NAME = 'Deleted user';

const PAGE = 200;

/** Data export and account deletion (issue 13). */
export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly auth: AuthService,
  ) {}

  async export(session: AuthSession): Promise<AccountExport> {
    const user = await this.store.users.get(session.id);
    if (!user) throw new AppError('UNAUTHENTICATED', 'unknown user');
    const rooms = (await this.store.rooms.listForMember(user.id)).map((r) => r.room);
    const messages: Message[] = [];
    for (const room of rooms) {
      for (let after = 0; ; ) {
        const page = await this.store.messages.history(room.id, { after, limit: PAGE });
        messages.push(...page.messages.filter((m) => m.authorId === user.id));
        if (!page.hasMore || page.messages.length === 0) break;
        after = page.messages.at(-1)!.seq;
      }
    }
    const threads: AccountExport['threads'] = [];
    for (const thread of await this.store.threads.listByOwner(user.id)) {
      const entries: ThreadEntry[] = [];
      for (let after = 0; ; ) {
        const page = await this.store.threads.entries(thread.id, { after, limit: PAGE });
        entries.push(...page.items);
        if (!page.hasMore || page.last === null) break;
        after = page.last;
      }
      threads.push({ ...thread, entries });
    }
    const comments: CommentInThread[] = [];
    for (let after = 0; ; ) {
      const page = await this.store.threads.commentsByAuthor(user.id, { after, limit: PAGE });
      comments.push(...page.items);
      if (page.next === null) break;
      after = page.next;
    }
    const checkins: Checkin[] = [];
    const sessions: Meeting[] = [];
    const actionItems: ActionItem[] = [];
    for (const room of rooms) {
      checkins.push(...(await this.store.checkins.listForRoom(room.id)).filter((c) => c.authorId === user.id));
      sessions.push(...(await this.store.meetings.list(room.id)));
      actionItems.push(...(await this.store.meetings.listItems(room.id)));
    }
    const notifications: Notification[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await this.store.notifications.list(user.id, { limit: PAGE, ...(cursor !== null && { cursor }) });
      notifications.push(...page.notifications.map(notificationToWire));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    const notificationPrefs = await this.store.notifications.prefs(user.id);
    return { exportedAt: nowIso(), user: toSelfUser(user), rooms, messages, threads, comments, checkins, sessions, actionItems, notifications, notificationPrefs };
  }

  /**
   * Deletes the account: private threads go; the personal fields are overwritten (the id stays, so
   * the rooms and the other member's history stay whole, showing "Deleted user"); every session
   * ends and its sockets close. The password is asked again: a stolen access token alone cannot do it.
   */
  async delete(session: AuthSession, password: string): Promise<void> {
    await this.auth.confirmPassword(session, password);
    for (const thread of await this.store.threads.listByOwner(session.id)) {
      if (thread.visibility === 'private') await this.store.threads.deleteThread(thread.id);
    }
    await this.store.users.erase(session.id, {
      // Unique like any email, and never deliverable (.invalid is reserved), so the old address is free again.
      email: `deleted-${session.id}@deleted.invalid`,
      displayName: DELETED_USER_NAME,
      passwordHash: '!',
      profile: { bio: '', expertise: [], mentoring: false, timezone: 'UTC' },
    });
    const ended = await this.store.sessions.revokeAllForUser(session.id, nowIso());
    await this.store.sessions.deleteAllForUser(session.id);
    // The inbox holds excerpts of messages and comments: it goes with the account.
    await this.store.notifications.deleteAllForUser(session.id);
    this.auth.revoked([...new Set([...ended, session.sid])]);
  }
}
