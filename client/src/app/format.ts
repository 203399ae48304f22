/** Display formatting in the user's locale. */

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'short', day: 'numeric' });
const dayWithYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const clockTime = (iso: string): string => time.format(new Date(iso));

/** A local calendar day as YYYY-MM-DD (for grouping messages). */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", "Monday, Mar 3" or "Mar 3, 2023". */
export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const startOf = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOf(now) - startOf(d)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return d.getFullYear() === now.getFullYear() ? day.format(d) : dayWithYear.format(d);
}

/** Short time for lists: the clock time today, else the date. */
export function shortWhen(iso: string, now = new Date()): string {
  return dayKey(iso) === dayKey(now.toISOString()) ? clockTime(iso) : dayWithYear.format(new Date(iso)).replace(/, \d{4}$/, '');
}

/** "5 minutes ago", "yesterday". */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** Up to two initials for an avatar. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts.at(-1)![0]] : [...(parts[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** A stable hue for a user's avatar, from their id. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

const dateTimeFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });
const calendarFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** "Mar 3, 2025, 2:05 PM" in the reader's zone. */
export const dateTime = (iso: string): string => dateTimeFmt.format(new Date(iso));

/** A calendar date (YYYY-MM-DD, no zone) as "Mar 3, 2025": formatted in UTC so it never shifts a day. */
export function calendarDate(ymd: string): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? ymd : calendarFmt.format(d);
}

/** Today in UTC as YYYY-MM-DD, plus `days` (the server compares contract dates in UTC days). */
export function utcDay(days = 0, now = Date.now()): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}

/** "due in 5 days", "due today", "3 days overdue" for a YYYY-MM-DD date, in UTC days. */
export function dueLabel(ymd: string, now = Date.now()): string {
  const days = Math.round((Date.parse(`${ymd}T00:00:00Z`) - Date.parse(`${utcDay(0, now)}T00:00:00Z`)) / 86_400_000);
  if (Number.isNaN(days)) return '';
  if (days === 0) return 'due today';
  if (days > 0) return `due in ${days} day${days === 1 ? '' : 's'}`;
  return `${-days} day${days === -1 ? '' : 's'} overdue`;
}

/** A length of time for people: "3 days", "5 hours", "12 minutes", "less than a minute". */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

/** A contract cadence for people: "2w" → "2 weeks", "1m" → "month". */
export function cadenceText(every: string): string {
  const m = /^(\d+)([dwm])$/.exec(every);
  if (!m) return every;
  const n = Number(m[1]);
  const unit = { d: 'day', w: 'week', m: 'month' }[m[2] as 'd' | 'w' | 'm'];
  return n === 1 ? unit : `${n} ${unit}s`;
}

/**
 * Server text (next steps) names calendar dates as YYYY-MM-DD for programs; people read them in
 * their own format: "review date in 3 days (2026-05-01)" → "… (May 1, 2026)" (issue 16).
 */
export const localDates = (text: string): string => text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (ymd) => calendarDate(ymd));
