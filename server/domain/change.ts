import type { Room } from '../../shared/types.js';

/**
 * A lifecycle change decided by the domain: the room as it should be stored, and the system
 * message that tells the timeline about it. The service stores both in one transaction.
 */
export interface LifecycleChange {
  room: Room;
  message: {
    /** Idempotency key of the system message, unique per change in the room (per author). */
    key: string;
    body: string;
  };
}
