import type { Server } from 'socket.io';
import type { ServerEventName, ServerEvents } from '../../shared/server-events.js';
import type { UserId } from '../../shared/types.js';

/** The Socket.IO room every socket of one user joins: reaching it reaches all their devices, on any node. */
export const userChannel = (userId: UserId): string => `user:${userId}`;
/** The Socket.IO room of sockets that have a room open (room:join): typing indicators go here. */
export const roomChannel = (roomId: string): string => `room:${roomId}`;

/**
 * How the server pushes to clients: the only code that emits Socket.IO events (services,
 * presence and typing all come through here), typed by shared/server-events.ts. It emits through
 * the Socket.IO adapter, so with the Redis adapter (cluster mode) a push reaches the sockets on
 * every node.
 */
export interface Broadcaster {
  /** Every socket of every listed user (their other devices too), except the socket id `except` (a sender that has the payload in its ack). */
  toUsers<E extends ServerEventName>(userIds: readonly UserId[], event: E, payload: ServerEvents[E], except?: string): void;
  /** Every socket that joined the room, except the socket id `except` (the sender, for typing). */
  toRoom<E extends ServerEventName>(roomId: string, event: E, payload: ServerEvents[E], except?: string): void;
}

export function socketBroadcaster(io: Server): Broadcaster {
  return {
    toUsers(userIds, event, payload, except) {
      if (userIds.length === 0) return;
      // Every socket is in a room named by its id, on every node: `except` works across the cluster.
      const target = io.to(userIds.map(userChannel));
      (except === undefined ? target : target.except(except)).emit(event, payload);
    },
    toRoom(roomId, event, payload, except) {
      const target = io.to(roomChannel(roomId));
      (except === undefined ? target : target.except(except)).emit(event, payload);
    },
  };
}
