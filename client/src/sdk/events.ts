import type { NotificationPush, NotificationReadPush } from '../../../shared/notifications.js';
import type { ThreadEvent, ThreadPushes } from '../../../shared/thread-events.js';
import type { ActionItem, Checkin, GoalProgress, Meeting, Message, PresenceEntry, Room, RoomId, UserId } from '../../../shared/types.js';
import type { OutboxEntry } from './outbox.js';

/**
 * The socket's state. `reconnecting` covers every wait for the next attempt (the outbox queues);
 * `unauthorized` means the server refused the token (sign in again); `closed` follows close().
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed';

/**
 * Everything a MenteoClient reports, by event name. The growth-thread pushes keep the server's
 * names (`thread:new`, `thread:entry:new`, ... with the payloads of shared/thread-events.ts) and
 * are also reported together as `thread` (a tagged union, for code that follows every change).
 */
export interface ClientEvents extends ThreadPushes {
  /** The connection changed. `resumed` is true on a connect that follows an earlier one (rooms were caught up). */
  connection: { state: ConnectionState; resumed: boolean };
  /**
   * A message this client had not seen, from a push, a catch-up, an ack or the first page of a
   * room. Fires once per seq; pages loaded with loadOlder() do not fire it.
   */
  message: { message: Message };
  /** A message changed (edit, reaction). */
  'message:updated': { message: Message };
  /** A message was deleted (it stays in the timeline as a tombstone). */
  'message:deleted': { roomId: RoomId; messageId: string };
  /** The held timeline of a room changed: read `timeline(roomId)` again. */
  timeline: { roomId: RoomId };
  /** An outbox entry changed status; a `sent` entry is reported once and then leaves the outbox. */
  outbox: { entry: OutboxEntry };
  /** The latest copy of a room (status, stage, contract, lastSeq). */
  room: { room: Room };
  /** A member's read marker moved (mine too, from any of my devices). */
  read: { roomId: RoomId; userId: UserId; seq: number };
  presence: PresenceEntry & { roomId: RoomId };
  /** Who (other than me) is typing in a room now. */
  typing: { roomId: RoomId; userIds: UserId[] };
  /** A new inbox entry (or a coalesced one that counts more) and my unread count after it. */
  notification: NotificationPush;
  /** Inbox entries were read (on any of my devices, or by reading their room). */
  'notification:read': NotificationReadPush;
  /** A check-in on a measured goal, with the goal's progress after it (issue 19). */
  'goal:checkin': { roomId: RoomId; checkin: Checkin; progress: GoalProgress };
  /** A session was scheduled or changed (issue 19). */
  'session:updated': { roomId: RoomId; session: Meeting };
  /** An action item was added, done or reopened (issue 19). */
  'session:item': { roomId: RoomId; item: ActionItem };
  /** Any growth-thread push, tagged with its event name in `type`. */
  thread: ThreadEvent;
}

/** Emits one client event (what the client's parts are given instead of the emitter). */
export type Emit = <K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]) => void;
