/** Quiet hours (issue 15), pure: when a webhook delivery held by the user's quiet hours may go. */
import type { QuietHours } from '../../shared/notifications.js';

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The wall-clock time of day in `timeZone`, in minutes since midnight (UTC for an unknown zone). */
export function localMinutes(at: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    return at.getUTCHours() * 60 + at.getUTCMinutes();
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When quiet hours hold a delivery made at `at`: the end of the current quiet period (the user's
 * morning), or null when `at` is outside them. A window may wrap midnight (22:00–07:00).
 */
export function quietUntil(at: Date, timeZone: string, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const now = localMinutes(at, timeZone);
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  const wait = (end - now + 24 * 60) % (24 * 60);
  // To the start of the end minute (seconds of the current minute taken off).
  return new Date(at.getTime() + wait * 60_000 - (at.getTime() % 60_000));
}
