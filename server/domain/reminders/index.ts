/** Every time-based reminder kind the scheduler runs (server/notifications/scheduler.ts). Register a new kind here. */
import { cadenceCheckin } from './cadence.js';
import { goalDue } from './goal-due.js';
import type { DueReminder, ReminderKind, ReminderState } from './kind.js';
import { milestoneOverdue } from './milestone-overdue.js';
import { reviewDate } from './review-date.js';

export type { DueReminder, ReminderKind, ReminderState } from './kind.js';

export const REMINDER_KINDS: readonly ReminderKind[] = [reviewDate, goalDue, milestoneOverdue, cadenceCheckin];

/** Every reminder due for one room at `now`. */
export const dueReminders = (state: ReminderState, now: Date, kinds: readonly ReminderKind[] = REMINDER_KINDS): DueReminder[] =>
  kinds.flatMap((k) => k.due(state, now));
