import { membersOf } from '../rooms.js';
import { HOUR_MS } from '../clock.js';
import { within, type ReminderKind } from './kind.js';

export const SESSION_REMINDER_MS = 24 * HOUR_MS;

/**
 * A scheduled session, 24 h before it starts until it starts; a cancelled (or already held)
 * session is not scheduled, so it gets none. Keyed by the start time: a session moved to another
 * time is announced again for the new one.
 */
export const sessionSoon: ReminderKind = {
  name: 'session-soon',
  due({ room, meetings }, now) {
    return meetings
      .filter((m) => m.status === 'scheduled' && within(now, Date.parse(m.startsAt) - SESSION_REMINDER_MS, Date.parse(m.startsAt)))
      .map((m) => ({
        kind: 'session-soon' as const,
        key: `session-soon:${room.id}:${m.id}:${m.startsAt}`,
        roomId: room.id,
        userIds: membersOf(room),
        data: { roomId: room.id, sessionId: m.id, startsAt: m.startsAt, agenda: m.agenda },
      }));
  },
};
