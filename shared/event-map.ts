/**
 * The Socket.IO events and the collab endpoint, described once: docs/PROTOCOL.md's generated
 * reference comes from here (`npm run docs`; a test fails when the doc is stale). Keyed by every
 * event name, so a new entry in `Ev` does not type-check until it is described.
 */
import type { z } from 'zod';
import { CollabClose, Ev, type EventName } from './events.js';
import { MessageDeleteIn, MessageEditIn, MessageReactIn, MessageSendIn } from './schemas/message.js';
import { RoomJoinIn, RoomLeaveIn, RoomReadIn, RoomViewIn, TypingIn } from './schemas/room.js';

export type EventDoc =
  /** Client → server: the payload's schema (parsed by the handler) and what the ack carries besides `ok`. */
  | { direction: 'client'; schema: z.ZodObject; ack: string; summary: string }
  /** Server → client: the payload's shape (types in shared/types.ts, shared/thread-events.ts) and who gets it. */
  | { direction: 'server'; payload: string; to: string; summary: string };

const thread = (payload: string, summary: string): EventDoc => ({ direction: 'server', payload: payload ? `{roomId, threadId, ${payload}}` : '{roomId, threadId}', to: 'the room members who may read the thread', summary });

export const EVENT_MAP: Record<EventName, EventDoc> = {
  [Ev.roomJoin]: { direction: 'client', schema: RoomJoinIn, ack: '{room, messages, hasMore, presence, reads}', summary: 'open a room: subscribe, then catch up on seq > since' },
  [Ev.roomLeave]: { direction: 'client', schema: RoomLeaveIn, ack: '{}', summary: 'stop following a room' },
  [Ev.roomRead]: { direction: 'client', schema: RoomReadIn, ack: '{seq}', summary: 'move my read marker (never back)' },
  [Ev.roomView]: { direction: 'client', schema: RoomViewIn, ack: '{}', summary: 'the room this device shows (null: none or in the background); messages there make no notification for me' },
  [Ev.messageSend]: { direction: 'client', schema: MessageSendIn, ack: '{message}', summary: 'send; idempotent on clientMsgId; acked after the durable write; echo: false spares this socket the message:new its ack already carries' },
  [Ev.messageEdit]: { direction: 'client', schema: MessageEditIn, ack: '{message}', summary: 'edit my message' },
  [Ev.messageDelete]: { direction: 'client', schema: MessageDeleteIn, ack: '{}', summary: 'delete my message (a tombstone keeps the seq)' },
  [Ev.messageReact]: { direction: 'client', schema: MessageReactIn, ack: '{message}', summary: 'add or remove a reaction' },
  [Ev.typing]: { direction: 'client', schema: TypingIn, ack: '{} (optional)', summary: 'typing indicator, never stored' },
  [Ev.messageNew]: { direction: 'server', payload: '{message}', to: 'every device of both members (not the sending socket when it sent echo: false)', summary: 'a stored message (again on a resend)' },
  [Ev.messageUpdated]: { direction: 'server', payload: '{message}', to: 'every device of both members', summary: 'an edit or a reaction' },
  [Ev.messageDeleted]: { direction: 'server', payload: '{roomId, messageId}', to: 'every device of both members', summary: 'a deletion' },
  [Ev.presence]: { direction: 'server', payload: '{roomId, userId, status: online|offline, lastSeenAt}', to: 'the other member of each active room', summary: "a user's first socket connected or last one left" },
  [Ev.roomUpdated]: { direction: 'server', payload: '{room}', to: 'both members', summary: "the room's status, stage or contract changed" },
  [Ev.notification]: { direction: 'server', payload: '{notification, unread}', to: 'every device of the recipient', summary: 'a new inbox entry, or a coalesced one that counts more (docs/NOTIFICATIONS.md)' },
  [Ev.notificationRead]: { direction: 'server', payload: '{ids, all, unread}', to: 'every device of the user', summary: 'inbox entries were read (on another device, or by reading the room)' },
  [Ev.goalCheckin]: { direction: 'server', payload: '{roomId, checkin, progress}', to: 'every device of both members', summary: 'a check-in on a measured goal, with the goal\'s progress after it' },
  [Ev.sessionUpdated]: { direction: 'server', payload: '{roomId, session}', to: 'every device of both members', summary: 'a session was scheduled, moved, held, missed, cancelled or got notes' },
  [Ev.actionItemUpdated]: { direction: 'server', payload: '{roomId, item}', to: 'every device of both members', summary: 'an action item was added, done or reopened' },
  [Ev.threadNew]: thread('thread', 'a thread was started or became readable'),
  [Ev.threadUpdated]: thread('thread', 'a thread was renamed or its visibility changed'),
  [Ev.threadDeleted]: thread('', 'a thread was deleted or is no longer readable'),
  [Ev.threadEntryNew]: thread('entry', 'an entry was added'),
  [Ev.threadEntryUpdated]: thread('entry', 'an entry was edited (it carries its latest 20 comments and commentCount, as in a thread read)'),
  [Ev.threadEntryDeleted]: thread('entryId', 'an entry was deleted'),
  [Ev.threadCommentNew]: thread('entryId, comment', 'a comment was added (clients append it and count it in the entry commentCount)'),
  [Ev.threadCommentUpdated]: thread('entryId, comment', 'a comment was edited'),
  [Ev.threadCommentDeleted]: thread('entryId, commentId', 'a comment was deleted'),
};

/** The collab endpoint (docs/COLLAB.md): the stock y-websocket provider speaks to it. */
export const COLLAB_ENDPOINT = {
  path: '/collab/<roomId>?token=<jwt>',
  protocol: 'y-websocket (y-protocols sync + awareness, binary frames)',
  refusals: 'before the upgrade, with the HTTP status of the error code: 401 (no or a bad token), 403 (not a member), 404 (unknown room)',
  closeCodes: CollabClose,
} as const;
