import type { Server } from 'socket.io';
import { AppError, toWire } from '../../shared/errors.js';
import type { Logger } from '../log.js';
import type { Limiter } from '../rate/limiter.js';
import type { Services } from '../services.js';
import { userChannel } from './broadcast.js';
import type { AppSocket } from './handle.js';
import { registerMessageHandlers } from './handlers/message.js';
import { registerRoomHandlers } from './handlers/room.js';
import type { PresenceAnnouncer } from './presence.js';
import type { TypingRelay } from './typing.js';

/** What the socket edge needs besides the services. */
export interface GatewayDeps {
  presence: PresenceAnnouncer;
  typing: TypingRelay;
  /** Socket events per user, across all their sockets and nodes. */
  events: Limiter;
  log: Logger;
}

/**
 * Wires Socket.IO: authenticate the handshake, put each socket in its user's channel, track
 * presence, and register the event handlers.
 */
export function attachGateway(io: Server, services: Services, deps: GatewayDeps): void {
  io.use(async (socket, next) => {
    try {
      const user = await services.auth.authenticate((socket.handshake.auth as { token?: unknown } | undefined)?.token);
      socket.data = { user, events: deps.events };
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
    deps.presence.connected(user.id);
    socket.on('disconnect', () => {
      const viewing = socket.data.viewing ?? null;
      socket.data.viewing = null;
      if (viewing !== null) void deps.presence.viewing(user.id, viewing, null);
      deps.presence.disconnected(user.id);
    });
    registerRoomHandlers(socket, deps, services);
    registerMessageHandlers(socket, deps.log, services);
  });
}
