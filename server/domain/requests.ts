/**
 * Requests that wait (issue 19), pure: a pending request expires 14 days after it was made.
 * Nothing is written when it does; every read computes it from the stored request and the clock,
 * so an expired request reads as expired on every node and can no longer be accepted.
 */
import type { Room } from '../../shared/types.js';
import { DAY_MS } from './clock.js';
import { guardFailed } from './guards.js';

export const REQUEST_EXPIRY_DAYS = 14;

/** When a pending request expires (null for a room that is not a pending request). */
export const requestExpiresAt = (room: Pick<Room, 'status' | 'createdAt'>): string | null =>
  room.status === 'pending' ? new Date(Date.parse(room.createdAt) + REQUEST_EXPIRY_DAYS * DAY_MS).toISOString() : null;

export function isRequestExpired(room: Pick<Room, 'status' | 'createdAt'>, now: number): boolean {
  const at = requestExpiresAt(room);
  return at !== null && Date.parse(at) <= now;
}

/** Refuses answering an expired request (GUARD_FAILED `request-expired`). */
export function assertRequestOpen(room: Pick<Room, 'status' | 'createdAt'>, now: number): void {
  if (isRequestExpired(room, now)) {
    throw guardFailed('request-expired', `the request expired on ${requestExpiresAt(room)!.slice(0, 10)} (${REQUEST_EXPIRY_DAYS} days without an answer); send a new one`, {
      expiresAt: requestExpiresAt(room),
    });
  }
}
