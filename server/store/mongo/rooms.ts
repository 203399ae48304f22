import type { ClientSession } from 'mongoose';
import { AppError } from '../../../shared/errors.js';
import type { Room } from '../../../shared/types.js';
import type { RoomStore } from '../port.js';
import { markerId, messageFromDoc, type AppendInTx } from './messages.js';
import type { MessageDoc, Models, RoomDoc } from './models.js';
import { nextCounter, type Transactions } from './tx.js';

export function roomFromDoc(d: RoomDoc): Room {
  return {
    ...(d.data as Omit<Room, 'id' | 'mentorId' | 'menteeId' | 'status' | 'lastSeq' | 'rev' | 'createdAt' | 'updatedAt'>),
    id: d._id,
    mentorId: d.mentorId,
    menteeId: d.menteeId,
    status: d.status as Room['status'],
    lastSeq: d.lastSeq,
    rev: d.rev,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The part of a room without a field of its own. */
function roomData(room: Room): Record<string, unknown> {
  const { id: _id, mentorId: _mentor, menteeId: _mentee, status: _status, lastSeq: _seq, rev: _rev, createdAt: _c, updatedAt: _u, ...data } = room;
  return data;
}

export function mongoRooms(m: Models, tx: Transactions, appendInTx: AppendInTx): RoomStore {
  const byId = async (id: string, session?: ClientSession) => {
    const d = await m.rooms.findById(id).session(session ?? null).lean<RoomDoc>();
    return d ? roomFromDoc(d) : null;
  };
  return {
    async listActive(afterId, limit) {
      const docs = await m.rooms.find({ status: 'active', ...(afterId !== null && { _id: { $gt: afterId } }) }).sort({ _id: 1 }).limit(limit).lean<RoomDoc[]>();
      return docs.map(roomFromDoc);
    },

    async listPending(createdFrom, createdUntil, afterId, limit) {
      const docs = await m.rooms
        .find({ status: 'pending', createdAt: { $gte: createdFrom, $lt: createdUntil }, ...(afterId !== null && { _id: { $gt: afterId } }) })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<RoomDoc[]>();
      return docs.map(roomFromDoc);
    },

    async create(room, options = {}) {
      const doc = { _id: room.id, mentorId: room.mentorId, menteeId: room.menteeId, status: room.status, lastSeq: 0, rev: room.rev, createdAt: room.createdAt, updatedAt: room.updatedAt, data: roomData(room) };
      const limit = options.openRequestLimit;
      if (limit === undefined) {
        await m.rooms.create([doc]);
        return { ...room, lastSeq: 0 };
      }
      const key = `open-requests:${room.requestedBy}`;
      await tx.run(key, async (session) => {
        // Every capped create of one requester writes this counter first, so two such transactions on
        // any nodes write-conflict and one is retried: snapshot reads alone would let both count the
        // same pending rooms and insert past the cap (write skew).
        await nextCounter(m, key, session);
        const open = await m.rooms
          .countDocuments({
            status: 'pending',
            'data.requestedBy': room.requestedBy,
            $or: [{ mentorId: room.requestedBy }, { menteeId: room.requestedBy }],
            ...(options.openSince ? { createdAt: { $gte: options.openSince } } : {}),
          })
          .session(session);
        if (open >= limit) {
          throw new AppError('GUARD_FAILED', `you have ${open} unanswered requests; wait for an answer before sending more`, { guard: 'open-requests', limit });
        }
        await m.rooms.create([doc], { session });
      });
      return { ...room, lastSeq: 0 };
    },

    get: (id) => byId(id),

    async access(id) {
      const d = await m.rooms.findById(id, { mentorId: 1, menteeId: 1, status: 1 }).lean<Pick<RoomDoc, '_id' | 'mentorId' | 'menteeId' | 'status'>>();
      return d ? { id, mentorId: d.mentorId, menteeId: d.menteeId, status: d.status as Room['status'] } : null;
    },

    async listForMember(userId) {
      const rooms = await m.rooms.find({ $or: [{ mentorId: userId }, { menteeId: userId }] }).lean<RoomDoc[]>();
      if (rooms.length === 0) return [];
      const withMessages = rooms.filter((r) => r.lastSeq > 0);
      const [markers, lasts] = await Promise.all([
        m.markers.find({ _id: { $in: rooms.map((r) => markerId(r._id, userId)) } }).lean<Array<{ roomId: string; seq: number }>>(),
        withMessages.length === 0 ? [] : m.messages.find({ $or: withMessages.map((r) => ({ roomId: r._id, seq: r.lastSeq })) }).lean<MessageDoc[]>(),
      ]);
      const readSeq = new Map(markers.map((k) => [k.roomId, k.seq]));
      const last = new Map(lasts.map((d) => [d.roomId, messageFromDoc(d)]));
      const activity = (r: RoomDoc) => {
        const at = last.get(r._id)?.createdAt ?? '';
        return at > r.updatedAt ? at : r.updatedAt;
      };
      return rooms
        .sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0))
        .map((r) => ({ room: roomFromDoc(r), readSeq: readSeq.get(r._id) ?? 0, lastMessage: last.get(r._id) ?? null }));
    },

    update: (next, expectedRev, systemMessage) =>
      tx.run(`room:${next.id}`, async (session) => {
        // Compare-and-set on rev; the system message's seq comes from the same room document in
        // the same transaction, so both land or neither does.
        const changed = await m.rooms.updateOne(
          { _id: next.id, rev: expectedRev },
          { $set: { status: next.status, data: roomData(next), updatedAt: next.updatedAt }, $inc: { rev: 1 } },
          { session },
        );
        if (changed.matchedCount === 0) {
          if (!(await m.rooms.exists({ _id: next.id }).session(session))) throw new AppError('NOT_FOUND', 'room not found');
          throw new AppError('CONFLICT', 'the room changed meanwhile; reload and retry');
        }
        const message = systemMessage
          ? (await appendInTx({ roomId: next.id, authorId: systemMessage.authorId, clientMsgId: systemMessage.clientMsgId, kind: 'system', body: systemMessage.body, createdAt: systemMessage.createdAt }, session)).message
          : null;
        return { room: (await byId(next.id, session))!, message };
      }),
  };
}
