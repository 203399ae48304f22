import type { Bus } from '../scale/bus.js';
import type { AuthService } from './service.js';

declare module '../scale/bus.js' {
  interface BusChannels {
    'sessions-revoked': { sessionIds: string[] };
  }
}

const TOPIC = 'all';

/**
 * A session revoked through one node (sign-out, sign-out everywhere, password change, account
 * deletion) closes its sockets and roadmap connections on every node: each node's edges close their
 * own. A revocation published while the bus is down is not replayed; the edges bound that with the
 * access token's lifetime, and the collab server re-checks its sessions when the bus comes back.
 */
export function relayRevocations(auth: AuthService, bus: Bus): () => void {
  auth.onRevoked((sessionIds, origin) => {
    if (origin === 'here') bus.publish('sessions-revoked', TOPIC, { sessionIds });
  });
  return bus.subscribe('sessions-revoked', TOPIC, (message) => auth.revoked(message.sessionIds, 'elsewhere'));
}
