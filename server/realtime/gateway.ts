import type { Server } from 'socket.io';
import { Ev } from '../../shared/events.js';
import { AppError, toWire } from '../../shared/errors.js';
import { counterpartOf, sharesPresence } from '../domain/rooms.js';
import { nowIso } from '../ids.js';
import { ServerLimits } from '../limits.js';
import { TokenBucket } from '../rate/token-bucket.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { userChannel } from './broadcast.js';
import type { AppSocket } from './handle.js';
import { registerMessageHandlers } from './handlers/message.js';
import { registerRoomHandlers } from './handlers/room.js';
import type { PresenceTracker } from './presence.js';

/**
 * Wires Socket.IO: authenticate the handshake, put each socket in its user's channel, track
 * presence, and register the event handlers.
 */
export function attachGateway(io: Server, services: Services, presence: PresenceTracker, log: Logger): void {
  io.use(async (socket, next) => {
    try {
      const user = await services.auth.authenticate((socket.handshake.auth as { token?: unknown } | undefined)?.token);
      socket.data = { user, bucket: new TokenBucket(ServerLimits.socketEventsPerSecond, ServerLimits.socketEventBurst) };
      next();
    } catch (err) {
      const wire = toWire(err instanceof AppError ? err : new AppError('UNAUTHENTICATED', 'authentication failed'));
      // connect_error on the client carries `message` = code and `data` = the full error.
      next(Object.assign(new Error(wire.code), { data: wire }));
    }
  });

  io.on('connection', (raw) => {
    const socket = raw as AppSocket;
    const { user } = socket.data;
    void socket.join(userChannel(user.id));
    if (presence.connected(user.id)) void announcePresence(user.id);
    socket.on('disconnect', () => {
      if (presence.disconnected(user.id, nowIso())) void announcePresence(user.id);
    });
    registerRoomHandlers(socket, log, services, presence);
    registerMessageHandlers(socket, log, services);
  });

  /** Tells the other member of each of the user's active rooms that the user came or went. */
  async function announcePresence(userId: string): Promise<void> {
    try {
      const entry = presence.entry(userId);
      for (const room of await services.rooms.listMine({ id: userId })) {
        if (!sharesPresence(room)) continue;
        io.to(userChannel(counterpartOf(room, userId))).emit(Ev.presence, { roomId: room.id, ...entry });
      }
    } catch (err) {
      log.warn({ err, userId }, 'presence announcement failed');
    }
  }
}
