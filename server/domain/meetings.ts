/**
 * Sessions and action items (issue 19), pure: who may schedule and record a session, what an
 * outcome change does, and which action items are overdue at a moment (the reminder kind issue
 * 15's scheduler will run). A session is scheduled, then held, a no-show (whose) or cancelled
 * (by whom, why); notes may be written on any session, before or after.
 */
import { AppError } from '../../shared/errors.js';
import type { ActionItemIn, MeetingPatchIn, MeetingScheduleIn } from '../../shared/schemas/meeting.js';
import type { ActionItem, Meeting, Room, UserId } from '../../shared/types.js';
import { DAY_MS } from './clock.js';
import { assertActive, guardFailed } from './guards.js';
import { activeMs } from './pause.js';
import { assertMember, isMember } from './rooms.js';

/** A new scheduled session. Either member schedules, in an active room, for a time not in the past. */
export function scheduleMeeting(room: Room, by: UserId, input: MeetingScheduleIn, now: number, id: string): Meeting {
  assertMember(room, by);
  assertActive(room);
  const startsAt = Date.parse(input.startsAt);
  if (startsAt < now - 60_000) throw new AppError('INVALID_INPUT', 'a session is scheduled for a time to come', [{ path: 'startsAt', message: 'in the past' }]);
  const at = new Date(now).toISOString();
  return { id, roomId: room.id, startsAt: new Date(startsAt).toISOString(), durationMin: input.durationMin ?? 60, agenda: input.agenda, status: 'scheduled', notes: '', createdBy: by, createdAt: at, updatedAt: at, rev: 1 };
}

/**
 * A session after a patch. An outcome is set on a scheduled session only (GUARD_FAILED
 * `session-open` otherwise: a held session is not cancelled later); held and no-show need its
 * start time to have come. The time and agenda move only while it is scheduled.
 */
export function patchMeeting(room: Room, meeting: Meeting, by: UserId, patch: MeetingPatchIn, now: number): Meeting {
  assertMember(room, by);
  assertActive(room);
  let next: Meeting = { ...meeting };
  if ((patch.status || patch.startsAt || patch.agenda) && meeting.status !== 'scheduled') {
    throw guardFailed('session-open', `the session is ${meeting.status}; only a scheduled session changes its outcome, time or agenda`, { status: meeting.status });
  }
  if (patch.startsAt) next.startsAt = new Date(Date.parse(patch.startsAt)).toISOString();
  if (patch.agenda) next.agenda = patch.agenda;
  if (patch.notes !== undefined) next.notes = patch.notes;
  if (patch.status === 'held' || patch.status === 'no-show') {
    if (Date.parse(next.startsAt) > now) throw guardFailed('session-open', 'the session has not started yet', { startsAt: next.startsAt });
  }
  if (patch.status === 'held') next = { ...next, status: 'held' };
  if (patch.status === 'no-show') {
    const absent = [...new Set(patch.absent!)];
    if (!absent.every((id) => isMember(room, id))) throw new AppError('INVALID_INPUT', 'absent names a member of the room', [{ path: 'absent', message: 'not a member' }]);
    next = { ...next, status: 'no-show', absent };
  }
  if (patch.status === 'cancelled') next = { ...next, status: 'cancelled', cancelledBy: by, cancelReason: patch.reason! };
  return { ...next, updatedAt: new Date(now).toISOString() };
}

/** A new action item of a session: owned by a member, optionally serving a goal of the current contract. */
export function newActionItem(room: Room, meeting: Meeting, by: UserId, input: ActionItemIn, now: number, id: string): ActionItem {
  assertMember(room, by);
  assertActive(room);
  if (meeting.status === 'cancelled') throw guardFailed('session-open', 'the session was cancelled; it has no action items');
  if (!isMember(room, input.ownerId)) throw new AppError('INVALID_INPUT', 'the owner is a member of the room', [{ path: 'ownerId', message: 'not a member' }]);
  if (input.goalId && !room.contract?.goals.some((g) => g.id === input.goalId)) {
    throw new AppError('INVALID_INPUT', 'goalId names a goal of the current contract', [{ path: 'goalId', message: 'unknown goal' }]);
  }
  return {
    id,
    roomId: room.id,
    sessionId: meeting.id,
    title: input.title,
    ownerId: input.ownerId,
    dueDate: input.dueDate,
    ...(input.goalId ? { goalId: input.goalId } : {}),
    status: 'open',
    createdAt: new Date(now).toISOString(),
  };
}

/** An item marked done or reopened. */
export function setItemStatus(room: Room, item: ActionItem, by: UserId, status: ActionItem['status'], now: number): ActionItem {
  assertMember(room, by);
  assertActive(room);
  if (status === item.status) return item;
  if (status === 'done') return { ...item, status, doneAt: new Date(now).toISOString() };
  const { doneAt: _gone, ...rest } = item;
  return { ...rest, status };
}

/** An overdue item: `daysOverdue` counts active (unpaused) days past the end of its due date. */
export interface OverdueItem {
  item: ActionItem;
  daysOverdue: number;
}

/** End of a YYYY-MM-DD day (UTC): an item is overdue from then on. */
const endOfDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) + DAY_MS;

/** The open items past their due date at `now`, most overdue first; a pause stops their clock. */
export function overdueActionItems(room: Pick<Room, 'pauses'>, items: readonly ActionItem[], now: number): OverdueItem[] {
  return items
    .filter((i) => i.status === 'open' && endOfDay(i.dueDate) <= now)
    .map((item) => ({ item, ms: activeMs(room, endOfDay(item.dueDate), now) }))
    .filter((o) => o.ms > 0)
    .sort((a, b) => b.ms - a.ms)
    .map(({ item, ms }) => ({ item, daysOverdue: Math.floor(ms / DAY_MS) }));
}

/** Scheduled sessions starting at or after `now`, soonest first (the .ics export). */
export const upcomingMeetings = (meetings: readonly Meeting[], now: number): Meeting[] =>
  meetings.filter((m) => m.status === 'scheduled' && Date.parse(m.startsAt) + m.durationMin * 60_000 > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt));

/** The last session that was held, or null. */
export const lastHeld = (meetings: readonly Meeting[]): Meeting | null =>
  meetings.filter((m) => m.status === 'held').sort((a, b) => a.startsAt.localeCompare(b.startsAt)).at(-1) ?? null;
