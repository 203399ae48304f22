import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Room } from '../../../shared/types.js';
import type { RoomStore } from '../port.js';
import type { AppendInTx } from './messages.js';
import { messageFromRow, roomData, roomFromRow, type MessageRow, type RoomRow } from './rows.js';
import type { WriteQueue } from './write-queue.js';

/** A room row's last seq: the largest seq of its messages (migration 010-seq-from-messages). */
const LAST_SEQ = '(SELECT coalesce(max(seq), 0) FROM messages m WHERE m.room_id = r.id) AS last_seq';

type MemberRow = RoomRow & { read_seq: number | null } & { [K in keyof MessageRow as `lm_${K}`]: MessageRow[K] | null };

export function sqliteRooms(db: Database, writes: WriteQueue, appendInTx: AppendInTx): RoomStore {
  const insert = db.prepare(
    `INSERT INTO rooms (id, mentor_id, mentee_id, status, rev, data, created_at, updated_at)
     VALUES (@id, @mentorId, @menteeId, @status, @rev, @data, @createdAt, @updatedAt)`,
  );
  const byId = db.prepare<[string], RoomRow>(`SELECT r.*, ${LAST_SEQ} FROM rooms r WHERE r.id = ?`);
  const openRequests = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM rooms
     WHERE (mentor_id = ? OR mentee_id = ?) AND status = 'pending' AND json_extract(data, '$.requestedBy') = ? AND created_at >= ?`,
  );
  const accessById = db.prepare<[string], { mentor_id: string; mentee_id: string; status: string }>(
    'SELECT mentor_id, mentee_id, status FROM rooms WHERE id = ?',
  );
  const casUpdate = db.prepare(
    `UPDATE rooms SET status = @status, rev = rev + 1, data = @data, updated_at = @updatedAt
     WHERE id = @id AND rev = @expectedRev`,
  );
  const messageColumns = ['id', 'room_id', 'seq', 'author_id', 'client_msg_id', 'kind', 'body', 'reply_to', 'reactions', 'created_at', 'edited_at', 'deleted_at'];
  const forMember = db.prepare<[string, string, string], MemberRow>(
    `SELECT r.*, rm.seq AS read_seq, ${messageColumns.map((c) => `lm.${c} AS lm_${c}`).join(', ')}
     FROM (SELECT r.*, ${LAST_SEQ} FROM rooms r WHERE r.mentor_id = ? OR r.mentee_id = ?) r
     LEFT JOIN read_markers rm ON rm.room_id = r.id AND rm.user_id = ?
     LEFT JOIN messages lm ON lm.room_id = r.id AND lm.seq = r.last_seq
     ORDER BY max(r.updated_at, coalesce(lm.created_at, '')) DESC`,
  );

  const active = db.prepare<[string, number], RoomRow>(`SELECT r.*, ${LAST_SEQ} FROM rooms r WHERE r.status = 'active' AND r.id > ? ORDER BY r.id LIMIT ?`);

  const pending = db.prepare<[string, string, string, number], RoomRow>(
    `SELECT r.*, ${LAST_SEQ} FROM rooms r WHERE r.status = 'pending' AND r.created_at >= ? AND r.created_at < ? AND r.id > ? ORDER BY r.id LIMIT ?`,
  );

  return {
    async listActive(afterId, limit) {
      await writes.durable();
      return active.all(afterId ?? '', limit).map(roomFromRow);
    },

    async listPending(createdFrom, createdUntil, afterId, limit) {
      await writes.durable();
      return pending.all(createdFrom, createdUntil, afterId ?? '', limit).map(roomFromRow);
    },

    create: (room, options = {}) =>
      writes.run(() => {
        // Inside the write's IMMEDIATE transaction: no other process can insert between count and insert.
        const limit = options.openRequestLimit;
        if (limit !== undefined) {
          const open = openRequests.get(room.requestedBy, room.requestedBy, room.requestedBy, options.openSince ?? '')!.n;
          if (open >= limit) {
            throw new AppError('GUARD_FAILED', `you have ${open} unanswered requests; wait for an answer before sending more`, {
              guard: 'open-requests',
              limit,
            });
          }
        }
        insert.run({ ...room, data: roomData(room) });
        return { ...room, lastSeq: 0 };
      }),

    async get(id) {
      await writes.durable();
      const row = byId.get(id);
      return row ? roomFromRow(row) : null;
    },

    async access(id) {
      await writes.durable();
      const row = accessById.get(id);
      return row ? { id, mentorId: row.mentor_id, menteeId: row.mentee_id, status: row.status as Room['status'] } : null;
    },

    async listForMember(userId) {
      await writes.durable();
      return forMember.all(userId, userId, userId).map((row) => {
        const lastMessage =
          row.lm_id === null
            ? null
            : messageFromRow(Object.fromEntries(messageColumns.map((c) => [c, row[`lm_${c}` as keyof MemberRow]])) as unknown as MessageRow);
        return { room: roomFromRow(row), readSeq: row.read_seq ?? 0, lastMessage };
      });
    },

    update: (next, expectedRev, systemMessage) =>
      writes.run(() => {
        const changed = casUpdate.run({ id: next.id, status: next.status, data: roomData(next), updatedAt: next.updatedAt, expectedRev }).changes;
        if (changed === 0) {
          if (!byId.get(next.id)) throw new AppError('NOT_FOUND', 'room not found');
          throw new AppError('CONFLICT', 'the room changed meanwhile; reload and retry');
        }
        const message = systemMessage
          ? appendInTx({ roomId: next.id, authorId: systemMessage.authorId, clientMsgId: systemMessage.clientMsgId, kind: 'system', body: systemMessage.body, createdAt: systemMessage.createdAt }).message
          : null;
        return { room: roomFromRow(byId.get(next.id)!), message };
      }),
  };
}
