import { DAY_MS } from '../clock.js';
import { REQUEST_EXPIRY_DAYS, requestExpiresAt } from '../requests.js';
import { membersOf } from '../rooms.js';
import { within, type ReminderKind } from './kind.js';

/** How long after its expiry a request is still announced: bounds the catch-up after downtime. */
export const EXPIRED_NOTICE_DAYS = 14;

/**
 * The creation times (ISO, [from, until)) of pending requests whose expiry is announceable at
 * `now`: the scheduler's store query for its pass over pending rooms.
 */
export function expiredRequestWindow(now: Date): { from: string; until: string } {
  const until = now.getTime() - REQUEST_EXPIRY_DAYS * DAY_MS;
  return { from: new Date(until - EXPIRED_NOTICE_DAYS * DAY_MS).toISOString(), until: new Date(until + 1).toISOString() };
}

/** A pending request that expired unanswered: both sides are told once (an expired request stays pending in the store). */
export const requestExpired: ReminderKind = {
  name: 'request-expired',
  status: 'pending',
  due({ room }, now) {
    const expiresAt = requestExpiresAt(room);
    if (!expiresAt || !within(now, Date.parse(expiresAt), Date.parse(expiresAt) + EXPIRED_NOTICE_DAYS * DAY_MS)) return [];
    return [{ kind: 'request-expired', key: `request-expired:${room.id}`, roomId: room.id, userIds: membersOf(room), data: { roomId: room.id, focus: room.focus, expiresAt } }];
  },
};
