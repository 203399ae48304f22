/**
 * The Socket.IO protocol as the client sees it, typed from the shared definitions
 * (shared/events.ts names, shared/schemas payloads, shared/types DTOs; DESIGN §4).
 */
import { Ev } from '../../../shared/events.js';
import type { MessageDeleteIn, MessageEditIn, MessageReactIn, MessageSendIn } from '../../../shared/schemas/message.js';
import type { RoomJoinIn, RoomLeaveIn, RoomReadIn, RoomViewIn, TypingIn } from '../../../shared/schemas/room.js';
import type { ServerEvents } from '../../../shared/server-events.js';
import type { Message, PresenceEntry, Room, UserId } from '../../../shared/types.js';

/** room:join's answer: the room, a page of messages (ascending seq) and both members' presence. */
export interface JoinResult {
  room: Room;
  messages: Message[];
  /** More messages exist after the page (with `since`) or before it (without). */
  hasMore: boolean;
  presence: PresenceEntry[];
  /** Both members' stored read markers (older servers omit it). */
  reads?: Array<{ userId: UserId; seq: number }>;
}

/** Each client→server event: its payload and the result carried by an `{ ok: true }` ack. */
export interface Calls {
  [Ev.roomJoin]: { in: RoomJoinIn; out: JoinResult };
  [Ev.roomLeave]: { in: RoomLeaveIn; out: object };
  [Ev.roomRead]: { in: RoomReadIn; out: { seq: number } };
  [Ev.roomView]: { in: RoomViewIn; out: object };
  [Ev.messageSend]: { in: MessageSendIn; out: { message: Message } };
  [Ev.messageEdit]: { in: MessageEditIn; out: { message: Message } };
  [Ev.messageDelete]: { in: MessageDeleteIn; out: object };
  [Ev.messageReact]: { in: MessageReactIn; out: { message: Message } };
  [Ev.typing]: { in: TypingIn; out: object };
}
export type CallName = keyof Calls;

/** Each server→client event and its payload: the shared map the server's Broadcaster is typed from. */
export type Pushes = ServerEvents;

/** socket.io-client's typed maps: listeners for pushes; emits carry a payload and an ack. */
export type ServerToClient = { [K in keyof Pushes]: (payload: Pushes[K]) => void };
export type ClientToServer = { [K in CallName]: (payload: Calls[K]['in'], ack: (reply: unknown) => void) => void };
