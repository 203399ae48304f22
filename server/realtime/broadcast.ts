import type { Server } from 'socket.io';
import type { UserId } from '../../shared/types.js';

/** The Socket.IO room every socket of one user joins: reaching it reaches all their devices, on any node. */
export const userChannel = (userId: UserId): string => `user:${userId}`;
/** The Socket.IO room of sockets that have a room open (room:join): typing indicators go here. */
export const roomChannel = (roomId: string): string => `room:${roomId}`;

/** How services publish to clients without knowing about sockets. */
export interface Broadcaster {
  /** Every socket of every listed user (their other devices too). */
  toUsers(userIds: readonly UserId[], event: string, payload: unknown): void;
  /** Every socket that joined the room. */
  toRoom(roomId: string, event: string, payload: unknown): void;
}

export function socketBroadcaster(io: Server): Broadcaster {
  return {
    toUsers(userIds, event, payload) {
      io.to(userIds.map(userChannel)).emit(event, payload);
    },
    toRoom(roomId, event, payload) {
      io.to(roomChannel(roomId)).emit(event, payload);
    },
  };
}
