import { membersOf } from '../rooms.js';
import { DAY_MS, startOfDate, type ReminderKind } from './kind.js';

/** Roadmap milestones with a due date that passed while they are not done. */
export const milestoneOverdue: ReminderKind = {
  name: 'milestone-overdue',
  due({ room, milestones }, now) {
    return milestones
      .filter((m) => m.due !== undefined && m.status !== 'done' && now.getTime() >= startOfDate(m.due) + DAY_MS)
      .map((m) => ({
        kind: 'milestone-overdue' as const,
        key: `milestone-overdue:${room.id}:${m.id}:${m.due}`,
        roomId: room.id,
        userIds: membersOf(room),
        data: { roomId: room.id, milestoneId: m.id, title: m.title, due: m.due! },
      }));
  },
};
