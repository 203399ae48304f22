import { membersOf } from '../rooms.js';
import { DAY_MS, type ReminderKind } from './kind.js';

/** A cadence ("1w", "10d", "1m") in ms; a month counts 30 days. */
export function cadenceMs(every: string): number | null {
  const m = /^([1-9]\d{0,2})([dwm])$/.exec(every);
  if (!m) return null;
  return Number(m[1]) * { d: 1, w: 7, m: 30 }[m[2] as 'd' | 'w' | 'm'] * DAY_MS;
}

/**
 * A check-in is due when the room has been silent for the contract's cadence period. Keyed by
 * the last activity, so each silence is announced once and a new message ends it.
 */
export const cadenceCheckin: ReminderKind = {
  name: 'cadence-checkin',
  due({ room, lastMessageAt }, now) {
    const every = room.contract?.cadence.every;
    const period = every ? cadenceMs(every) : null;
    if (!every || period === null) return [];
    const since = lastMessageAt ?? room.acceptedAt ?? room.createdAt;
    if (now.getTime() < Date.parse(since) + period) return [];
    return [{ kind: 'cadence-checkin', key: `cadence:${room.id}:${since}`, roomId: room.id, userIds: membersOf(room), data: { roomId: room.id, every, lastMessageAt: since } }];
  },
};
