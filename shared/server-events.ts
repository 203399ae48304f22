/**
 * Every server→client Socket.IO event and its payload: the one map the server's Broadcaster
 * (server/realtime/broadcast.ts) and the client SDK (client/src/sdk/wire.ts) are typed from, so
 * an event cannot be pushed with a payload the client does not expect — on one node or many.
 */
import { Ev } from './events.js';
import type { NotificationPush, NotificationReadPush } from './notifications.js';
import type { ThreadPushes } from './thread-events.js';
import type { ActionItem, Checkin, GoalProgress, Meeting, Message, PresenceEntry, Room, RoomId, UserId } from './types.js';

/** Each server→client event and its payload (the growth-thread events come from shared/thread-events.ts). */
export interface ServerEvents extends ThreadPushes {
  [Ev.messageNew]: { message: Message };
  [Ev.messageUpdated]: { message: Message };
  [Ev.messageDeleted]: { roomId: RoomId; messageId: string };
  [Ev.roomRead]: { roomId: RoomId; userId: UserId; seq: number };
  [Ev.typing]: { roomId: RoomId; userId: UserId; typing: boolean };
  [Ev.presence]: PresenceEntry & { roomId: RoomId };
  [Ev.roomUpdated]: { room: Room };
  [Ev.notification]: NotificationPush;
  [Ev.notificationRead]: NotificationReadPush;
  [Ev.goalCheckin]: { roomId: RoomId; checkin: Checkin; progress: GoalProgress };
  [Ev.sessionUpdated]: { roomId: RoomId; session: Meeting };
  [Ev.actionItemUpdated]: { roomId: RoomId; item: ActionItem };
}

export type ServerEventName = keyof ServerEvents;
