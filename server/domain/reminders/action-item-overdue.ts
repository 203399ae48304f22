import { overdueActionItems } from '../meetings.js';
import type { ReminderKind } from './kind.js';

/** An open action item past its due date, to its owner only (it is theirs to do); done ends it. */
export const actionItemOverdue: ReminderKind = {
  name: 'action-item-overdue',
  due({ room, items }, now) {
    return overdueActionItems(room, items, now.getTime()).map(({ item }) => ({
      kind: 'action-item-overdue' as const,
      key: `item-overdue:${room.id}:${item.id}:${item.dueDate}`,
      roomId: room.id,
      userIds: [item.ownerId],
      data: { roomId: room.id, itemId: item.id, sessionId: item.sessionId, title: item.title, dueDate: item.dueDate },
    }));
  },
};
