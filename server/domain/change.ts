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

/**
 * The stored clientMsgId of a system message: the domain key behind a `#`. ClientId
 * (shared/schemas/common.ts) refuses `#`, so no chat message can hold a system key and pre-empt
 * the timeline entry of a change by sending a message with that key first. Rooms stored before
 * this scheme keep their unprefixed keys; that is harmless, because every key names a change
 * that happens once (stage count, contract version, room rev), so no later change reuses one.
 */
export const systemMessageKey = (key: string): string => `#${key}`;
