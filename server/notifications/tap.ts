import type { ServerEventName, ServerEvents } from '../../shared/server-events.js';
import type { UserId } from '../../shared/types.js';
import type { Broadcaster } from '../realtime/broadcast.js';

/** One push the services made, as a tagged union (`event` is the name), with the users it went to. */
export type Pushed = { [E in ServerEventName]: { event: E; payload: ServerEvents[E]; to: readonly UserId[] } }[ServerEventName];

/**
 * The Broadcaster the services use, with a listener told of every push to users after it was
 * emitted: the notification producers follow the domain events the services already publish
 * (message:new, room:updated, room:read, thread:comment:new) instead of being called from them.
 */
export function tapBroadcaster(inner: Broadcaster, listener: (pushed: Pushed) => void): Broadcaster {
  return {
    toUsers(userIds, event, payload, except) {
      inner.toUsers(userIds, event, payload, except);
      listener({ event, payload, to: userIds } as Pushed);
    },
    toRoom(roomId, event, payload, except) {
      inner.toRoom(roomId, event, payload, except);
    },
  };
}
