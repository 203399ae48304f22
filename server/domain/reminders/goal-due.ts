import { membersOf } from '../rooms.js';
import { DAY_MS, startOfDate, within, type DueReminder, type ReminderKind } from './kind.js';

/** Open contract goals: due within 3 days (until the due date ends), then overdue (from the day after). */
export const goalDue: ReminderKind = {
  name: 'goal-due',
  due({ room }, now) {
    const out: DueReminder[] = [];
    for (const goal of room.contract?.goals ?? []) {
      if (goal.status !== 'open') continue;
      const day = startOfDate(goal.dueDate);
      const base = { roomId: room.id, userIds: membersOf(room), data: { roomId: room.id, goalId: goal.id, title: goal.title, dueDate: goal.dueDate } };
      if (within(now, day - 3 * DAY_MS, day + DAY_MS)) out.push({ ...base, kind: 'goal-due-3d', key: `goal-3d:${room.id}:${goal.id}:${goal.dueDate}` });
      if (now.getTime() >= day + DAY_MS) out.push({ ...base, kind: 'goal-overdue', key: `goal-overdue:${room.id}:${goal.id}:${goal.dueDate}` });
    }
    return out;
  },
};
