/**
 * The `.ics` export of upcoming sessions (issue 19), built with ical.js (Mozilla's RFC 5545
 * library): one VEVENT per scheduled session, times in UTC so every calendar shows them in its
 * owner's timezone.
 */
import ICAL from 'ical.js';
import type { Meeting } from '../../shared/types.js';

export interface IcsRoom {
  id: string;
  title: string;
}

const utc = (ms: number) => ICAL.Time.fromJSDate(new Date(ms), true);

export function sessionsCalendar(room: IcsRoom, sessions: readonly Meeting[], now: number): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', '-//Menteo//Sessions//EN');
  cal.updatePropertyWithValue('version', '2.0');
  cal.updatePropertyWithValue('calscale', 'GREGORIAN');
  cal.updatePropertyWithValue('x-wr-calname', `Menteo: ${room.title}`);
  for (const s of sessions) {
    const vevent = new ICAL.Component('vevent');
    const event = new ICAL.Event(vevent);
    event.uid = `${s.id}@menteo`;
    event.summary = `Mentorship session: ${room.title}`;
    event.description = s.agenda;
    const start = Date.parse(s.startsAt);
    event.startDate = utc(start);
    event.endDate = utc(start + s.durationMin * 60_000);
    vevent.addPropertyWithValue('dtstamp', utc(now));
    // SEQUENCE follows the session's revision, so a moved session updates the imported event.
    vevent.addPropertyWithValue('sequence', s.rev - 1);
    cal.addSubcomponent(vevent);
  }
  return cal.toString();
}
