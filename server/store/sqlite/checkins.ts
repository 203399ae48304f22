import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Checkin } from '../../../shared/types.js';
import type { CheckinStore } from '../checkins.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

/** Check-ins on measured goals (issue 19). Touches no other table. */
export const checkinMigrations: Migration[] = [
  {
    id: '008-checkins',
    sql: `
      CREATE TABLE goal_checkins (
        id         TEXT PRIMARY KEY,
        room_id    TEXT NOT NULL,
        goal_id    TEXT NOT NULL,
        author_id  TEXT NOT NULL,
        value      REAL NOT NULL,
        note       TEXT,
        thread_id  TEXT,
        entry_id   TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX goal_checkins_by_room ON goal_checkins(room_id, created_at, id);
      CREATE INDEX goal_checkins_by_goal ON goal_checkins(room_id, goal_id);
    `,
  },
];

interface CheckinRow {
  id: string;
  room_id: string;
  goal_id: string;
  author_id: string;
  value: number;
  note: string | null;
  thread_id: string | null;
  entry_id: string | null;
  created_at: string;
}

const fromRow = (r: CheckinRow): Checkin => ({
  id: r.id,
  roomId: r.room_id,
  goalId: r.goal_id,
  authorId: r.author_id,
  value: r.value,
  ...(r.note !== null ? { note: r.note } : {}),
  ...(r.entry_id !== null ? { threadId: r.thread_id!, entryId: r.entry_id } : {}),
  createdAt: r.created_at,
});

export function sqliteCheckins(db: Database, writes: WriteQueue): CheckinStore {
  const insert = db.prepare(
    'INSERT INTO goal_checkins (id, room_id, goal_id, author_id, value, note, thread_id, entry_id, created_at) VALUES (@id, @roomId, @goalId, @authorId, @value, @note, @threadId, @entryId, @createdAt)',
  );
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM goal_checkins WHERE id = ?');
  const ofRoom = db.prepare<[string], CheckinRow>('SELECT * FROM goal_checkins WHERE room_id = ? ORDER BY created_at, id');
  const ofGoal = db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM goal_checkins WHERE room_id = ? AND goal_id = ?');
  return {
    add: (c) =>
      writes.run(() => {
        if (exists.get(c.id)) throw new AppError('CONFLICT', 'check-in id already used');
        insert.run({ ...c, note: c.note ?? null, threadId: c.threadId ?? null, entryId: c.entryId ?? null });
        return c;
      }),
    async listForRoom(roomId) {
      await writes.durable();
      return ofRoom.all(roomId).map(fromRow);
    },
    async countForGoal(roomId, goalId) {
      await writes.durable();
      return ofGoal.get(roomId, goalId)!.n;
    },
  };
}
