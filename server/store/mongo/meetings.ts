import { AppError } from '../../../shared/errors.js';
import type { ActionItem, Meeting } from '../../../shared/types.js';
import type { MeetingStore } from '../meetings.js';
import type { ActionItemDoc, MeetingDoc, Models } from './models.js';
import { DURABLE, isDuplicateKey } from './tx.js';

const conflictOnDuplicate = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `${what} id already used`);
    throw err;
  }
};

/**
 * Sessions and action items, the MongoDB twin of server/store/sqlite/meetings.ts. A session
 * update is one conditional updateOne on (id, rev): a single-document compare-and-set, atomic
 * on any MongoDB without a transaction.
 */
export function mongoMeetings(m: Models): MeetingStore {
  return {
    async create(meeting) {
      await conflictOnDuplicate('session', () =>
        m.meetings.create([{ _id: meeting.id, roomId: meeting.roomId, startsAt: meeting.startsAt, rev: meeting.rev, data: { ...meeting } }], { writeConcern: DURABLE }),
      );
      return meeting;
    },
    async get(roomId, id) {
      const d = await m.meetings.findOne({ _id: id, roomId }).lean<MeetingDoc>();
      return d ? (d.data as unknown as Meeting) : null;
    },
    async list(roomId) {
      const docs = await m.meetings.find({ roomId }).sort({ startsAt: 1, _id: 1 }).lean<MeetingDoc[]>();
      return docs.map((d) => d.data as unknown as Meeting);
    },
    count: (roomId) => m.meetings.countDocuments({ roomId }),
    async update(next, expectedRev) {
      const stored: Meeting = { ...next, rev: expectedRev + 1 };
      const r = await m.meetings.updateOne(
        { _id: next.id, roomId: next.roomId, rev: expectedRev },
        { $set: { startsAt: stored.startsAt, rev: stored.rev, data: { ...stored } } },
        { writeConcern: DURABLE },
      );
      if (r.matchedCount === 0) {
        if (!(await m.meetings.exists({ _id: next.id, roomId: next.roomId }))) throw new AppError('NOT_FOUND', 'session not found');
        throw new AppError('CONFLICT', 'the session changed meanwhile; reload and retry');
      }
      return stored;
    },
    async addItem(item) {
      await conflictOnDuplicate('action item', () =>
        m.actionItems.create([{ _id: item.id, roomId: item.roomId, sessionId: item.sessionId, status: item.status, createdAt: item.createdAt, data: { ...item } }], {
          writeConcern: DURABLE,
        }),
      );
      return item;
    },
    async getItem(roomId, id) {
      const d = await m.actionItems.findOne({ _id: id, roomId }).lean<ActionItemDoc>();
      return d ? (d.data as unknown as ActionItem) : null;
    },
    async updateItem(next) {
      const d = await m.actionItems.findOne({ _id: next.id, roomId: next.roomId }).lean<ActionItemDoc>();
      if (!d) throw new AppError('NOT_FOUND', 'action item not found');
      // Only status and doneAt change; the rest stays as created.
      const stored: ActionItem = { ...(d.data as unknown as ActionItem), status: next.status };
      if (next.doneAt) stored.doneAt = next.doneAt;
      else delete stored.doneAt;
      await m.actionItems.updateOne({ _id: next.id, roomId: next.roomId }, { $set: { status: stored.status, data: { ...stored } } }, { writeConcern: DURABLE });
      return stored;
    },
    async listItems(roomId) {
      const docs = await m.actionItems.find({ roomId }).sort({ createdAt: 1, _id: 1 }).lean<ActionItemDoc[]>();
      return docs.map((d) => d.data as unknown as ActionItem);
    },
    countItems: (roomId, sessionId) => m.actionItems.countDocuments({ roomId, sessionId }),
  };
}
