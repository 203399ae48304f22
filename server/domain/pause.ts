/**
 * Pausing a room (issue 19), pure: a holiday or a crunch stops every timer (reply promises,
 * cadence, overdue items) for at most 60 days. Elapsed time is then counted without the paused
 * spans (`activeMs`), so a room resumes where it stood instead of waking up "at risk".
 */
import { AppError } from '../../shared/errors.js';
import { PauseLimits, type PauseIn } from '../../shared/schemas/pause.js';
import type { Room, RoomPause, UserId } from '../../shared/types.js';
import type { LifecycleChange } from './change.js';
import { DAY_MS } from './clock.js';
import { assertActive, guardFailed } from './guards.js';
import { assertMember } from './rooms.js';

/** When a pause ends: resumed early, or its resume date. */
export const pauseEnd = (p: RoomPause): number => Math.min(Date.parse(p.until), p.endedAt ? Date.parse(p.endedAt) : Infinity);

/** The pause running at `now`, if any. */
export function currentPause(room: Pick<Room, 'pauses'>, now: number): RoomPause | null {
  const last = room.pauses?.at(-1);
  return last && Date.parse(last.from) <= now && now < pauseEnd(last) ? last : null;
}

/** Milliseconds from `from` to `to` that were not inside a pause. */
export function activeMs(room: Pick<Room, 'pauses'>, from: number, to: number): number {
  if (to <= from) return 0;
  let paused = 0;
  for (const p of room.pauses ?? []) {
    const start = Math.max(from, Date.parse(p.from));
    const end = Math.min(to, pauseEnd(p));
    if (end > start) paused += end - start;
  }
  return to - from - paused;
}

/**
 * The moment at which `ms` of active (unpaused) time will have passed since `from`, given the
 * pauses known now; a running pause counts as lasting until its resume date.
 */
export function activeDeadline(room: Pick<Room, 'pauses'>, from: number, ms: number): number {
  let t = from + ms;
  // Each pause overlapping [from, t) pushes t later by its overlap; pauses are few, a loop settles it.
  for (let i = 0; i < 10; i++) {
    const next = from + ms + (t - from - activeMs(room, from, t));
    if (next === t) break;
    t = next;
  }
  return t;
}

/** Pauses the room until the start of `input.until` (UTC), at most 60 days from now. */
export function pauseRoom(room: Room, by: UserId, input: PauseIn, now: number): LifecycleChange {
  const role = assertMember(room, by);
  assertActive(room);
  if (currentPause(room, now)) throw guardFailed('room-not-paused', 'the room is already paused; resume it first');
  const until = Date.parse(`${input.until}T00:00:00Z`);
  if (until <= now) throw new AppError('INVALID_INPUT', 'the resume date must be in the future', [{ path: 'until', message: 'not in the future' }]);
  if (until - now > PauseLimits.maxDays * DAY_MS) {
    throw new AppError('INVALID_INPUT', `a pause lasts at most ${PauseLimits.maxDays} days`, [{ path: 'until', message: `more than ${PauseLimits.maxDays} days away` }]);
  }
  const at = new Date(now).toISOString();
  const pause: RoomPause = { from: at, until: new Date(until).toISOString(), by, ...(input.reason ? { reason: input.reason } : {}) };
  const pauses = [...(room.pauses ?? []), pause];
  return {
    room: { ...room, pauses, updatedAt: at },
    message: { key: `pause:${pauses.length}`, body: `The ${role} paused the mentorship until ${input.until}${input.reason ? ` (${input.reason})` : ''}. Reminders and reply promises are on hold.` },
  };
}

/** Ends the running pause now. */
export function resumeRoom(room: Room, by: UserId, now: number): LifecycleChange {
  const role = assertMember(room, by);
  assertActive(room);
  const running = currentPause(room, now);
  if (!running) throw guardFailed('room-paused', 'the room is not paused');
  const at = new Date(now).toISOString();
  const pauses = [...room.pauses!.slice(0, -1), { ...running, endedAt: at, endedBy: by }];
  return { room: { ...room, pauses, updatedAt: at }, message: { key: `resume:${pauses.length}`, body: `The ${role} resumed the mentorship.` } };
}
