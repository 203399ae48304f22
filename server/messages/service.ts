import { AppError } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';
import { Limits } from '../../shared/limits.js';
import type { MessageDeleteIn, MessageEditIn, MessageReactIn, MessageSendIn } from '../../shared/schemas/message.js';
import type { HistoryQuery } from '../../shared/schemas/room.js';
import type { Message, UserId } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { assertCanModifyMessage, assertCanPost, assertMember, membersOf } from '../domain/rooms.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { HistoryPage, RoomAccess, Store } from '../store/port.js';
import type { RoomService } from '../rooms/service.js';

/** Listeners for counting what flows (metrics); optional. */
export interface MessageHooks {
  onStored?(message: Message, created: boolean): void;
}

/** Chat: send, history, edit, delete, react, read markers. Every write is acked after it is durable. */
export class MessageService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly broadcast: Broadcaster,
    private readonly hooks: MessageHooks = {},
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Stores the message (idempotent on clientMsgId) and publishes `message:new` to every device
   * of both members but `skipSocket` (the sender's socket when it asked for no echo: its ack
   * carries the message). A resend publishes again: the first publish may have been lost with a
   * crashed node, and clients drop seqs they already hold.
   */
  async send(user: AuthUser, input: Omit<MessageSendIn, 'echo'>, skipSocket?: string): Promise<{ message: Message; created: boolean }> {
    const room = await this.roomOf(user, input.roomId);
    assertCanPost(room, user.id);
    const result = await this.store.messages.append({
      roomId: room.id,
      authorId: user.id,
      clientMsgId: input.clientMsgId,
      kind: 'text',
      body: input.body,
      ...(input.replyTo !== undefined && { replyTo: input.replyTo }),
      createdAt: new Date(this.clock()).toISOString(),
    });
    this.hooks.onStored?.(result.message, result.created);
    this.broadcast.toUsers(membersOf(room), Ev.messageNew, { message: result.message }, skipSocket);
    return result;
  }

  /** One page of history in ascending seq (DESIGN §4: after / before cursors, latest by default). */
  async history(user: AuthUser, roomId: string, query: HistoryQuery): Promise<{ messages: Message[]; hasMore: boolean }> {
    const room = await this.roomOf(user, roomId);
    const limit = query.limit ?? Limits.pageDefault;
    const page: HistoryPage =
      query.after !== undefined
        ? { after: query.after, ...(query.before !== undefined && { before: query.before }), limit }
        : query.before !== undefined
          ? { before: query.before, limit }
          : { latest: true, limit };
    return this.store.messages.history(room.id, page);
  }

  async edit(user: AuthUser, input: MessageEditIn): Promise<Message> {
    const room = await this.roomOf(user, input.roomId);
    assertCanPost(room, user.id);
    const current = await this.messageOf(room, input.messageId);
    assertCanModifyMessage(current.authorId, current.kind, user.id);
    if (current.deletedAt) throw new AppError('CONFLICT', 'the message was deleted');
    const message = (await this.store.messages.edit(room.id, current.id, input.body, new Date(this.clock()).toISOString()))!;
    this.broadcast.toUsers(membersOf(room), Ev.messageUpdated, { message });
    return message;
  }

  /** Tombstones the message: it keeps its seq so history stays gapless. Deleting twice is fine. */
  async remove(user: AuthUser, input: MessageDeleteIn): Promise<void> {
    const room = await this.roomOf(user, input.roomId);
    assertMember(room, user.id);
    const current = await this.messageOf(room, input.messageId);
    assertCanModifyMessage(current.authorId, current.kind, user.id);
    if (current.deletedAt) return;
    await this.store.messages.remove(room.id, current.id, new Date(this.clock()).toISOString());
    this.broadcast.toUsers(membersOf(room), Ev.messageDeleted, { roomId: room.id, messageId: current.id });
  }

  async react(user: AuthUser, input: MessageReactIn): Promise<Message> {
    const room = await this.roomOf(user, input.roomId);
    assertCanPost(room, user.id);
    const current = await this.messageOf(room, input.messageId);
    if (current.deletedAt) throw new AppError('CONFLICT', 'the message was deleted');
    const message = (await this.store.messages.react(room.id, current.id, user.id, input.emoji, input.on, Limits.reactionsPerMessage))!;
    this.broadcast.toUsers(membersOf(room), Ev.messageUpdated, { message });
    return message;
  }

  /** Moves the reader's marker forward and tells both members' devices (to clear badges). */
  async markRead(user: AuthUser, roomId: string, seq: number): Promise<number> {
    const room = await this.roomOf(user, roomId);
    const stored = await this.store.messages.markRead(room.id, user.id, seq);
    this.broadcast.toUsers(membersOf(room), Ev.roomRead, { roomId: room.id, userId: user.id, seq: stored });
    return stored;
  }

  /**
   * Both members' stored read markers (member only), for room:join: a page opened later still
   * shows "Seen" from what was stored, not only from live room:read pushes (issue 16).
   */
  async readMarkers(user: AuthUser, roomId: string): Promise<Array<{ userId: UserId; seq: number }>> {
    const room = await this.roomOf(user, roomId);
    return Promise.all(membersOf(room).map(async (userId) => ({ userId, seq: await this.store.messages.readMarker(room.id, userId) })));
  }

  /** Membership and status only: every chat event checks them, none needs the room document. */
  private async roomOf(user: AuthUser, roomId: string): Promise<RoomAccess> {
    return this.rooms.accessForMember(user, roomId);
  }

  private async messageOf(room: RoomAccess, messageId: string): Promise<Message> {
    const message = await this.store.messages.get(room.id, messageId);
    if (!message) throw new AppError('NOT_FOUND', 'message not found');
    return message;
  }
}
