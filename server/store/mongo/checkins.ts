import { AppError } from '../../../shared/errors.js';
import type { Checkin } from '../../../shared/types.js';
import type { CheckinStore } from '../checkins.js';
import type { CheckinDoc, Models } from './models.js';
import { DURABLE, isDuplicateKey } from './tx.js';

const fromDoc = (d: CheckinDoc): Checkin => ({
  id: d._id,
  roomId: d.roomId,
  goalId: d.goalId,
  authorId: d.authorId,
  value: d.value,
  ...(d.note !== undefined && d.note !== null ? { note: d.note } : {}),
  ...(d.entryId !== undefined && d.entryId !== null ? { threadId: d.threadId!, entryId: d.entryId } : {}),
  createdAt: d.createdAt,
});

/** Check-ins, the MongoDB twin of server/store/sqlite/checkins.ts: one document each, one durable insert. */
export function mongoCheckins(m: Models): CheckinStore {
  return {
    async add(c) {
      const doc: CheckinDoc = { _id: c.id, roomId: c.roomId, goalId: c.goalId, authorId: c.authorId, value: c.value, createdAt: c.createdAt };
      if (c.note !== undefined) doc.note = c.note;
      if (c.entryId !== undefined) {
        doc.threadId = c.threadId!;
        doc.entryId = c.entryId;
      }
      try {
        await m.checkins.create([doc], { writeConcern: DURABLE });
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'check-in id already used');
        throw err;
      }
      return c;
    },
    async listForRoom(roomId) {
      const docs = await m.checkins.find({ roomId }).sort({ createdAt: 1, _id: 1 }).lean<CheckinDoc[]>();
      return docs.map(fromDoc);
    },
    countForGoal: (roomId, goalId) => m.checkins.countDocuments({ roomId, goalId }),
  };
}
