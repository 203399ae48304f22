import { membersOf } from '../rooms.js';
import { DAY_MS, startOfDate, within, type DueReminder, type ReminderKind } from './kind.js';

/**
 * The contract's review date, 7 days and 1 day ahead. Each is timely until the next one takes
 * over (7 d until 1 d before, 1 d until the date), so a date already past is never announced.
 */
export const reviewDate: ReminderKind = {
  name: 'review-date',
  due({ room }, now) {
    const reviewAt = room.contract?.reviewAt;
    if (!reviewAt) return [];
    const day = startOfDate(reviewAt);
    const base = { roomId: room.id, userIds: membersOf(room), data: { roomId: room.id, reviewAt } };
    const out: DueReminder[] = [];
    if (within(now, day - 7 * DAY_MS, day - DAY_MS)) out.push({ ...base, kind: 'review-in-7d', key: `review-7d:${room.id}:${reviewAt}` });
    if (within(now, day - DAY_MS, day)) out.push({ ...base, kind: 'review-in-1d', key: `review-1d:${room.id}:${reviewAt}` });
    return out;
  },
};
