import { Ev } from '../../shared/events.js';
import type { Message, RoomId, UserId } from '../../shared/types.js';
import { excerpt, messageKey, roomIntents } from '../domain/notifications.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/port.js';
import type { NotificationService } from './service.js';
import type { Pushed } from './tap.js';

/** Which of the users show a room right now (a socket that sent room:view), on any node. */
export type RoomViewers = (roomId: RoomId, userIds: readonly UserId[]) => Promise<ReadonlySet<UserId>>;

/**
 * Turns the pushes the services make into notifications (issue 15): a message while the
 * recipient does not have the room open (coalesced per room), a read that clears it, a room
 * change (request, stage, contract: server/domain/notifications.ts), a comment on an entry.
 * Work for one recipient and room runs in order, so a burst counts every message.
 */
export class NotificationProducers {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly notifications: NotificationService,
    private readonly viewers: RoomViewers,
    private readonly log: Logger,
  ) {}

  /** The tap's listener: never throws (a failure is logged; the push itself already went out). */
  onPush = (pushed: Pushed): void => {
    switch (pushed.event) {
      case Ev.messageNew:
        return this.onMessage(pushed.payload.message, pushed.to);
      case Ev.roomRead: {
        const { roomId, userId, seq } = pushed.payload;
        return this.serial(`${userId}:${roomId}`, () => this.notifications.roomRead(userId, messageKey(roomId), seq));
      }
      case Ev.roomUpdated: {
        const room = pushed.payload.room;
        return this.serial(`room:${room.id}`, async () => {
          for (const intent of roomIntents(room)) await this.notifications.deliver(intent, 'once');
        });
      }
      case Ev.threadCommentNew: {
        const { roomId, threadId, entryId, comment } = pushed.payload;
        return this.serial(`thread:${threadId}`, async () => {
          const thread = await this.store.threads.getThread(threadId);
          // The owner may always read their thread; nobody else is told about it here.
          if (!thread || thread.ownerId === comment.authorId) return;
          await this.notifications.deliver(
            { userId: thread.ownerId, kind: 'comment-on-entry', key: `comment:${comment.id}`, actorId: comment.authorId, data: { roomId, threadId, entryId, commentId: comment.id, excerpt: excerpt(comment.body) } },
            'once',
          );
        });
      }
      default:
        return;
    }
  };

  /** Resolves when every queued piece of work has run (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private onMessage(message: Message, to: readonly UserId[]): void {
    if (message.kind !== 'text') return; // system lines have their own kinds (stage, contract, request)
    for (const userId of to) {
      const key = `${userId}:${message.roomId}`;
      if (userId === message.authorId) {
        // Writing in the room is reading it: the author's own message entry for the room is done.
        this.serial(key, () => this.notifications.roomRead(userId, messageKey(message.roomId), message.seq));
        continue;
      }
      this.serial(key, () => this.messageAway(userId, message));
    }
  }

  private async messageAway(userId: UserId, message: Message): Promise<void> {
    // The room is open on one of their devices (asked first: no store read), or already read (a resend re-publishes old messages).
    if ((await this.viewers(message.roomId, [userId])).has(userId)) return;
    if ((await this.store.messages.readMarker(message.roomId, userId)) >= message.seq) return;
    await this.notifications.deliver(
      { userId, kind: 'message', key: messageKey(message.roomId), actorId: message.authorId, data: { roomId: message.roomId, count: 1, lastSeq: message.seq, excerpt: excerpt(message.body) } },
      { seq: message.seq },
    );
  }

  private serial(key: string, fn: () => Promise<void>): void {
    const run = (this.queues.get(key) ?? Promise.resolve())
      .then(fn)
      .catch((err: unknown) => this.log.warn({ err, key }, 'notification producer failed'));
    this.queues.set(key, run);
    void run.then(() => {
      if (this.queues.get(key) === run) this.queues.delete(key);
    });
  }
}
