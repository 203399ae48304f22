/** Every time-based reminder kind the scheduler runs (server/notifications/scheduler.ts). Register a new kind here. */
import { currentPause } from '../pause.js';
import { actionItemOverdue } from './action-item-overdue.js';
import { cadenceCheckin } from './cadence.js';
import { goalDue } from './goal-due.js';
import type { DueReminder, ReminderKind, ReminderState } from './kind.js';
import { milestoneOverdue } from './milestone-overdue.js';
import { replyPromise } from './reply-promise.js';
import { requestExpired } from './request-expired.js';
import { reviewDate } from './review-date.js';
import { sessionSoon } from './session-soon.js';

export type { DueReminder, ReminderKind, ReminderState } from './kind.js';

export const REMINDER_KINDS: readonly ReminderKind[] = [reviewDate, goalDue, milestoneOverdue, cadenceCheckin, replyPromise, actionItemOverdue, sessionSoon, requestExpired];

/**
 * Every reminder due for one room at `now`: each kind for rooms of its status only. A paused room
 * gets none of any kind ("pausing stops every timer and reminder", issue 19). The rule lives here,
 * not in each kind, so a kind added later cannot forget it, and since delivery re-checks through
 * this function, a reminder stored before the pause is skipped rather than sent during it. What
 * fell due in the pause and is still timely afterwards (an overdue goal) is sent after it; the
 * clocks that run on elapsed time (cadence, reply promises, action items) count only active time.
 */
export function dueReminders(state: ReminderState, now: Date, kinds: readonly ReminderKind[] = REMINDER_KINDS): DueReminder[] {
  const { room } = state;
  if (room.status === 'active' && currentPause(room, now.getTime())) return [];
  return kinds.filter((k) => (k.status ?? 'active') === room.status).flatMap((k) => k.due(state, now));
}
