import type { Server } from 'socket.io';
import type { AuthService } from '../auth/service.js';
import type { AuthSession } from '../auth/tokens.js';

/** The Socket.IO room of one session's sockets (revocation disconnects it). */
export const sessionChannel = (sid: string): string => `session:${sid}`;

/** setTimeout's largest delay; access tokens live far less, but a misconfigured TTL must not fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A socket lives no longer than its access token: it is disconnected (reason "io server
 * disconnect" on the client, which then refreshes and reconnects) when the token expires and as
 * soon as its session is revoked (sign-out, sign-out everywhere, password change, refresh reuse).
 */
export function closeEndedSessions(io: Server, auth: AuthService): void {
  // Each node closes its own sockets: revocations made elsewhere arrive over the bus (relayRevocations).
  auth.onRevoked((ids) => {
    for (const id of ids) io.local.in(sessionChannel(id)).disconnectSockets(true);
  });
  io.on('connection', (socket) => {
    const { sid, exp } = (socket.data as { user: AuthSession }).user;
    void socket.join(sessionChannel(sid));
    const timer = setTimeout(() => socket.disconnect(true), Math.min(MAX_TIMER_MS, Math.max(0, exp * 1000 - Date.now())));
    socket.once('disconnect', () => clearTimeout(timer));
  });
}
