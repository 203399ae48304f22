import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { ActionItem, Meeting } from '../../../shared/types.js';
import type { MeetingStore } from '../meetings.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

/** Sessions and action items (issue 19). A session is a JSON document with its keys beside it. */
export const meetingMigrations: Migration[] = [
  {
    id: '009-meetings',
    sql: `
      CREATE TABLE meetings (
        id         TEXT PRIMARY KEY,
        room_id    TEXT NOT NULL,
        starts_at  TEXT NOT NULL,
        rev        INTEGER NOT NULL,
        data       TEXT NOT NULL                     -- JSON: the whole Meeting
      );
      CREATE INDEX meetings_by_room ON meetings(room_id, starts_at);
      CREATE TABLE action_items (
        id         TEXT PRIMARY KEY,
        room_id    TEXT NOT NULL,
        session_id TEXT NOT NULL,
        status     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        data       TEXT NOT NULL                     -- JSON: the whole ActionItem
      );
      CREATE INDEX action_items_by_room ON action_items(room_id, created_at, id);
      CREATE INDEX action_items_by_session ON action_items(session_id);
    `,
  },
];

export function sqliteMeetings(db: Database, writes: WriteQueue): MeetingStore {
  const insert = db.prepare('INSERT INTO meetings (id, room_id, starts_at, rev, data) VALUES (@id, @roomId, @startsAt, @rev, @data)');
  const byId = db.prepare<[string, string], { data: string }>('SELECT data FROM meetings WHERE room_id = ? AND id = ?');
  const anyById = db.prepare<[string], { id: string }>('SELECT id FROM meetings WHERE id = ?');
  const ofRoom = db.prepare<[string], { data: string }>('SELECT data FROM meetings WHERE room_id = ? ORDER BY starts_at, id');
  const countRoom = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM meetings WHERE room_id = ?');
  const cas = db.prepare('UPDATE meetings SET starts_at = @startsAt, rev = rev + 1, data = @data WHERE room_id = @roomId AND id = @id AND rev = @expectedRev');
  const insertItem = db.prepare('INSERT INTO action_items (id, room_id, session_id, status, created_at, data) VALUES (@id, @roomId, @sessionId, @status, @createdAt, @data)');
  const itemById = db.prepare<[string, string], { data: string }>('SELECT data FROM action_items WHERE room_id = ? AND id = ?');
  const anyItem = db.prepare<[string], { id: string }>('SELECT id FROM action_items WHERE id = ?');
  const setItem = db.prepare('UPDATE action_items SET status = @status, data = @data WHERE room_id = @roomId AND id = @id');
  const itemsOfRoom = db.prepare<[string], { data: string }>('SELECT data FROM action_items WHERE room_id = ? ORDER BY created_at, id');
  const countSession = db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM action_items WHERE room_id = ? AND session_id = ?');
  const meeting = (row: { data: string }) => JSON.parse(row.data) as Meeting;
  const item = (row: { data: string }) => JSON.parse(row.data) as ActionItem;

  return {
    create: (m) =>
      writes.run(() => {
        if (anyById.get(m.id)) throw new AppError('CONFLICT', 'session id already used');
        insert.run({ id: m.id, roomId: m.roomId, startsAt: m.startsAt, rev: m.rev, data: JSON.stringify(m) });
        return m;
      }),
    async get(roomId, id) {
      await writes.durable();
      const row = byId.get(roomId, id);
      return row ? meeting(row) : null;
    },
    async list(roomId) {
      await writes.durable();
      return ofRoom.all(roomId).map(meeting);
    },
    async count(roomId) {
      await writes.durable();
      return countRoom.get(roomId)!.n;
    },
    update: (next, expectedRev) =>
      writes.run(() => {
        const stored = { ...next, rev: expectedRev + 1 };
        const changed = cas.run({ id: next.id, roomId: next.roomId, startsAt: next.startsAt, expectedRev, data: JSON.stringify(stored) }).changes;
        if (changed === 0) {
          if (!byId.get(next.roomId, next.id)) throw new AppError('NOT_FOUND', 'session not found');
          throw new AppError('CONFLICT', 'the session changed meanwhile; reload and retry');
        }
        return stored;
      }),
    addItem: (i) =>
      writes.run(() => {
        if (anyItem.get(i.id)) throw new AppError('CONFLICT', 'action item id already used');
        insertItem.run({ id: i.id, roomId: i.roomId, sessionId: i.sessionId, status: i.status, createdAt: i.createdAt, data: JSON.stringify(i) });
        return i;
      }),
    async getItem(roomId, id) {
      await writes.durable();
      const row = itemById.get(roomId, id);
      return row ? item(row) : null;
    },
    updateItem: (next) =>
      writes.run(() => {
        const row = itemById.get(next.roomId, next.id);
        if (!row) throw new AppError('NOT_FOUND', 'action item not found');
        // Only status and doneAt change; the rest stays as created.
        const stored: ActionItem = { ...item(row), status: next.status };
        if (next.doneAt) stored.doneAt = next.doneAt;
        else delete stored.doneAt;
        setItem.run({ id: next.id, roomId: next.roomId, status: stored.status, data: JSON.stringify(stored) });
        return stored;
      }),
    async listItems(roomId) {
      await writes.durable();
      return itemsOfRoom.all(roomId).map(item);
    },
    async countItems(roomId, sessionId) {
      await writes.durable();
      return countSession.get(roomId, sessionId)!.n;
    },
  };
}
