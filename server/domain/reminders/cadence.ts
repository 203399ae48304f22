import { cadenceMs, effectiveCadence } from '../cadence.js';
import { lastHeld } from '../meetings.js';
import { activeDeadline } from '../pause.js';
import { membersOf } from '../rooms.js';
import type { ReminderKind } from './kind.js';

/**
 * A check-in is due when the room has had no message and no held session for the current
 * stage's cadence (`effectiveCadence`: Separation and Redefinition are lighter), counted in active
 * time, so a pause does not use up the silence. Keyed by the last contact, so each silence is
 * announced once and a new message ends it.
 */
export const cadenceCheckin: ReminderKind = {
  name: 'cadence-checkin',
  due({ room, lastMessageAt, meetings }, now) {
    const every = effectiveCadence(room);
    if (!every) return [];
    const since = [lastMessageAt, lastHeld(meetings)?.startsAt, room.acceptedAt ?? room.createdAt].filter((t): t is string => !!t).sort().at(-1)!;
    if (now.getTime() < activeDeadline(room, Date.parse(since), cadenceMs(every))) return [];
    return [{ kind: 'cadence-checkin', key: `cadence:${room.id}:${since}`, roomId: room.id, userIds: membersOf(room), data: { roomId: room.id, every, lastMessageAt: since } }];
  },
};
