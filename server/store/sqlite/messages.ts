import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Message } from '../../../shared/types.js';
import { applyReaction } from '../../domain/reactions.js';
import { newSortableId, nowIso } from '../../ids.js';
import type { MessageStore, NewMessage } from '../port.js';
import { messageFromRow, type MessageRow } from './rows.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

export const messageMigrations: Migration[] = [
  {
    // A room's last seq is the largest seq of its messages (read from messages_by_seq), not a
    // counter in the room row: rewriting that wide row for every message dirtied a random page
    // per message (issue 17). Messages are never hard-deleted, so max(seq) equals the old counter.
    id: '010-seq-from-messages',
    sql: 'ALTER TABLE rooms DROP COLUMN last_seq;',
  },
];

/** The room's last allocated seq (0 before its first message), or no row when the room does not exist. */
export const LAST_SEQ_OF_ROOM = 'SELECT (SELECT coalesce(max(seq), 0) FROM messages WHERE room_id = r.id) AS last_seq FROM rooms r WHERE r.id = ?';

/** The synchronous append, for use inside a write-queue transaction (rooms reuse it for system messages). */
export type AppendInTx = (m: NewMessage) => { message: Message; created: boolean };

export function sqliteAppend(db: Database): AppendInTx {
  const existing = db.prepare<[string, string, string], MessageRow>(
    'SELECT * FROM messages WHERE room_id = ? AND author_id = ? AND client_msg_id = ?',
  );
  // Inside the IMMEDIATE transaction no other writer can take the same seq.
  const lastSeq = db.prepare<[string], { last_seq: number }>(LAST_SEQ_OF_ROOM);
  const inRoom = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM messages WHERE id = ? AND room_id = ?');
  const insert = db.prepare(
    `INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, kind, body, reply_to, created_at)
     VALUES (@id, @roomId, @seq, @authorId, @clientMsgId, @kind, @body, @replyTo, @createdAt)`,
  );
  const advanceMarker = db.prepare(
    `INSERT INTO read_markers (room_id, user_id, seq) VALUES (?, ?, ?)
     ON CONFLICT (room_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)`,
  );
  return (m) => {
    const found = existing.get(m.roomId, m.authorId, m.clientMsgId);
    if (found) {
      // A key held by another kind of message is not a resend of this one (defence in depth:
      // system keys are already outside the ClientId alphabet, see systemMessageKey).
      if (found.kind !== m.kind) throw new AppError('CONFLICT', `clientMsgId is already used by a ${found.kind} message`);
      return { message: messageFromRow(found), created: false };
    }
    if (m.replyTo !== undefined && !inRoom.get(m.replyTo, m.roomId)) {
      throw new AppError('INVALID_INPUT', 'replyTo is not a message of this room');
    }
    const room = lastSeq.get(m.roomId);
    if (!room) throw new AppError('NOT_FOUND', 'room not found');
    const message: Message = {
      id: newSortableId(),
      roomId: m.roomId,
      seq: room.last_seq + 1,
      authorId: m.authorId,
      clientMsgId: m.clientMsgId,
      kind: m.kind,
      body: m.body,
      reactions: {},
      createdAt: m.createdAt,
    };
    if (m.replyTo !== undefined) message.replyTo = m.replyTo;
    insert.run({ ...message, replyTo: m.replyTo ?? null });
    // Writing a message means having read the room up to it.
    advanceMarker.run(m.roomId, m.authorId, message.seq);
    return { message, created: true };
  };
}

export function sqliteMessages(db: Database, writes: WriteQueue, appendInTx: AppendInTx): MessageStore {
  const byId = db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND id = ?');
  const afterSeq = db.prepare<[string, number, number, number], MessageRow>(
    'SELECT * FROM messages WHERE room_id = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?',
  );
  const beforeSeq = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const setBody = db.prepare('UPDATE messages SET body = ?, edited_at = ? WHERE id = ?');
  const tombstone = db.prepare(
    "UPDATE messages SET body = '', reactions = '{}', deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
  );
  const setReactions = db.prepare('UPDATE messages SET reactions = ? WHERE id = ?');
  const lastSeq = db.prepare<[string], { last_seq: number }>(LAST_SEQ_OF_ROOM);
  const upsertMarker = db.prepare(
    `INSERT INTO read_markers (room_id, user_id, seq) VALUES (?, ?, ?)
     ON CONFLICT (room_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)`,
  );
  const marker = db.prepare<[string, string], { seq: number }>('SELECT seq FROM read_markers WHERE room_id = ? AND user_id = ?');

  const readOne = (roomId: string, id: string): Message | null => {
    const row = byId.get(roomId, id);
    return row ? messageFromRow(row) : null;
  };

  return {
    append: (m) => writes.run(() => appendInTx(m)),

    async get(roomId, id) {
      await writes.durable();
      return readOne(roomId, id);
    },

    async history(roomId, page) {
      await writes.durable();
      // Read one extra row to learn whether the page has a successor without a COUNT.
      if ('after' in page) {
        const rows = afterSeq.all(roomId, page.after, page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
        return { messages: rows.slice(0, page.limit).map(messageFromRow), hasMore: rows.length > page.limit };
      }
      const before = 'before' in page ? page.before : Number.MAX_SAFE_INTEGER;
      const rows = beforeSeq.all(roomId, before, page.limit + 1);
      return { messages: rows.slice(0, page.limit).reverse().map(messageFromRow), hasMore: rows.length > page.limit };
    },

    edit: (roomId, id, body, at) =>
      writes.run(() => {
        const current = readOne(roomId, id);
        if (!current) return null;
        // Checked inside the write: a delete that landed after the service's read must win.
        if (current.deletedAt) throw new AppError('CONFLICT', 'the message was deleted');
        setBody.run(body, at, id);
        return readOne(roomId, id);
      }),

    remove: (roomId, id, at) =>
      writes.run(() => {
        if (!readOne(roomId, id)) return null;
        tombstone.run(at, id);
        return readOne(roomId, id);
      }),

    react: (roomId, id, userId, emoji, on, maxEmoji) =>
      writes.run(() => {
        const current = readOne(roomId, id);
        if (!current) return null;
        if (current.deletedAt) throw new AppError('CONFLICT', 'the message was deleted');
        const reactions = applyReaction(current.reactions, userId, emoji, on, maxEmoji);
        setReactions.run(JSON.stringify(reactions), id);
        return { ...current, reactions };
      }),

    markRead: (roomId, userId, seq) =>
      writes.run(() => {
        const room = lastSeq.get(roomId);
        if (!room) throw new AppError('NOT_FOUND', 'room not found');
        upsertMarker.run(roomId, userId, Math.min(seq, room.last_seq));
        return marker.get(roomId, userId)!.seq;
      }),

    async readMarker(roomId, userId) {
      await writes.durable();
      return marker.get(roomId, userId)?.seq ?? 0;
    },
  };
}
