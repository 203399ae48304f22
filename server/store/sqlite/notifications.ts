import type { Database } from 'better-sqlite3';
import { defaultPrefs, type NotificationPrefs } from '../../../shared/notifications.js';
import { decodeCursor, encodeCursor, type NotificationRecord, type NotificationStore, type OutboxRecord, type OutboxStore, type ReminderRecord, type ReminderStore } from '../notifications.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

export const notificationMigrations: Migration[] = [
  {
    id: '007-notifications',
    sql: `
      CREATE TABLE notifications (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        kind       TEXT NOT NULL,
        key        TEXT NOT NULL,                 -- dedupe key; a read coalesced entry gets '<key>#<id>'
        actor_id   TEXT,
        data       TEXT NOT NULL,                 -- JSON
        count      INTEGER NOT NULL DEFAULT 1,
        seq        INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        read_at    TEXT
      );
      CREATE UNIQUE INDEX notifications_by_key ON notifications(user_id, key);
      CREATE INDEX notifications_by_time ON notifications(user_id, updated_at DESC, id DESC);
      CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
      CREATE TABLE notification_prefs (
        user_id TEXT PRIMARY KEY,
        prefs   TEXT NOT NULL                     -- JSON NotificationPrefs
      );
      CREATE TABLE reminders (
        id          TEXT PRIMARY KEY,
        key         TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        room_id     TEXT NOT NULL,
        user_ids    TEXT NOT NULL,                -- JSON array
        data        TEXT NOT NULL,
        due_at      TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending',
        claimed_by  TEXT,
        lease_until TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        finished_at TEXT
      );
      CREATE INDEX reminders_open ON reminders(due_at) WHERE state IN ('pending', 'claimed');
      CREATE INDEX reminders_by_room ON reminders(room_id);
      CREATE TABLE webhook_outbox (
        id              TEXT PRIMARY KEY,         -- the idempotency key
        user_id         TEXT NOT NULL,
        body            TEXT NOT NULL,            -- the exact bytes POSTed and signed
        created_at      TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending',
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        claimed_by      TEXT,
        lease_until     TEXT,
        last_error      TEXT,
        delivered_at    TEXT
      );
      CREATE INDEX webhook_outbox_due ON webhook_outbox(next_attempt_at) WHERE state = 'pending';
    `,
  },
];

interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  key: string;
  actor_id: string | null;
  data: string;
  count: number;
  seq: number;
  created_at: string;
  updated_at: string;
  read_at: string | null;
}

const fromRow = (r: NotificationRow): NotificationRecord => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  key: r.key,
  actorId: r.actor_id,
  data: JSON.parse(r.data) as Record<string, unknown>,
  count: r.count,
  seq: r.seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  readAt: r.read_at,
});

export function sqliteNotifications(db: Database, writes: WriteQueue): NotificationStore {
  const insert = db.prepare(
    `INSERT INTO notifications (id, user_id, kind, key, actor_id, data, count, seq, created_at, updated_at, read_at)
     VALUES (@id, @userId, @kind, @key, @actorId, @data, 1, @seq, @createdAt, @createdAt, @readAt) ON CONFLICT (user_id, key) DO NOTHING`,
  );
  const byKey = db.prepare<[string, string], NotificationRow>('SELECT * FROM notifications WHERE user_id = ? AND key = ?');
  const byId = db.prepare<[string], NotificationRow>('SELECT * FROM notifications WHERE id = ?');
  const grow = db.prepare('UPDATE notifications SET count = count + 1, seq = @seq, data = @data, actor_id = @actorId, updated_at = @at WHERE id = @id');
  const page = db.prepare<[string, number, string, string, string, number], NotificationRow>(
    `SELECT * FROM notifications WHERE user_id = ? AND (? = 0 OR read_at IS NULL)
     AND (updated_at < ? OR (updated_at = ? AND id < ?)) ORDER BY updated_at DESC, id DESC LIMIT ?`,
  );
  const unread = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL');
  const readOne = db.prepare("UPDATE notifications SET read_at = @at, key = CASE WHEN seq > 0 THEN key || '#' || id ELSE key END WHERE id = @id AND user_id = @userId AND read_at IS NULL");
  const unreadIds = db.prepare<[string], { id: string }>('SELECT id FROM notifications WHERE user_id = ? AND read_at IS NULL');
  const getPrefs = db.prepare<[string], { prefs: string }>('SELECT prefs FROM notification_prefs WHERE user_id = ?');
  const putPrefs = db.prepare('INSERT INTO notification_prefs (user_id, prefs) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET prefs = excluded.prefs');
  const deleteEntries = db.prepare('DELETE FROM notifications WHERE user_id = ?');
  const deletePrefs = db.prepare('DELETE FROM notification_prefs WHERE user_id = ?');
  const MAX = '\uffff';

  const markIds = (userId: string, ids: readonly string[], at: string) => ids.filter((id) => readOne.run({ id, userId, at }).changes > 0);

  return {
    addOnce: (n) =>
      writes.run(() => {
        const created = insert.run({ ...n, data: JSON.stringify(n.data), seq: 0 }).changes > 0;
        return { notification: fromRow(byKey.get(n.userId, n.key)!), created };
      }),
    bump: (n, seq) =>
      writes.run(() => {
        const current = byKey.get(n.userId, n.key);
        if (!current) {
          insert.run({ ...n, data: JSON.stringify(n.data), seq });
          return { notification: fromRow(byKey.get(n.userId, n.key)!), changed: true };
        }
        if (seq <= current.seq) return { notification: fromRow(current), changed: false };
        grow.run({ id: current.id, seq, data: JSON.stringify(n.data), actorId: n.actorId, at: n.createdAt });
        return { notification: fromRow(byId.get(current.id)!), changed: true };
      }),
    async list(userId, { limit, cursor, unreadOnly }) {
      await writes.durable();
      const after = cursor ? decodeCursor(cursor) : { updatedAt: MAX, id: MAX };
      const rows = page.all(userId, unreadOnly ? 1 : 0, after.updatedAt, after.updatedAt, after.id, limit + 1);
      const more = rows.length > limit;
      const notifications = rows.slice(0, limit).map(fromRow);
      const last = notifications.at(-1);
      return { notifications, nextCursor: more && last ? encodeCursor(last.updatedAt, last.id) : null };
    },
    async unreadCount(userId) {
      await writes.durable();
      return unread.get(userId)!.n;
    },
    markRead: (userId, ids, at) => writes.run(() => markIds(userId, ids, at)),
    markAllRead: (userId, at) => writes.run(() => markIds(userId, unreadIds.all(userId).map((r) => r.id), at)),
    markReadByKey(userId, key, upToSeq, at) {
      const readable = (row: NotificationRow | undefined) => row !== undefined && row.read_at === null && row.seq <= upToSeq;
      // Called for every message its author sends and every room:read: when there is nothing to
      // mark, answer from a read instead of taking a batch (and the write lock) for a no-op write.
      if (!readable(byKey.get(userId, key))) return Promise.resolve([]);
      return writes.run(() => {
        const row = byKey.get(userId, key);
        return readable(row) ? markIds(userId, [row!.id], at) : [];
      });
    },
    async prefs(userId) {
      await writes.durable();
      const row = getPrefs.get(userId);
      return row ? (JSON.parse(row.prefs) as NotificationPrefs) : defaultPrefs();
    },
    async setPrefs(userId, prefs) {
      await writes.run(() => putPrefs.run(userId, JSON.stringify(prefs)));
    },
    async deleteAllForUser(userId) {
      await writes.run(() => {
        deleteEntries.run(userId);
        deletePrefs.run(userId);
      });
    },
  };
}

interface ReminderRow {
  id: string;
  key: string;
  kind: string;
  room_id: string;
  user_ids: string;
  data: string;
  due_at: string;
  state: string;
  claimed_by: string | null;
  lease_until: string | null;
  attempts: number;
  finished_at: string | null;
}

const reminderFromRow = (r: ReminderRow): ReminderRecord => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  roomId: r.room_id,
  userIds: JSON.parse(r.user_ids) as string[],
  data: JSON.parse(r.data) as Record<string, unknown>,
  dueAt: r.due_at,
  state: r.state as ReminderRecord['state'],
  claimedBy: r.claimed_by,
  leaseUntil: r.lease_until,
  attempts: r.attempts,
  finishedAt: r.finished_at,
});

export function sqliteReminders(db: Database, writes: WriteQueue): ReminderStore {
  const insert = db.prepare(
    `INSERT INTO reminders (id, key, kind, room_id, user_ids, data, due_at) VALUES (@id, @key, @kind, @roomId, @userIds, @data, @dueAt)
     ON CONFLICT (key) DO NOTHING`,
  );
  // One statement inside the write's IMMEDIATE transaction: no other process claims in between.
  const claim = db.prepare<{ node: string; now: string; lease: string; limit: number }, ReminderRow>(
    `UPDATE reminders SET state = 'claimed', claimed_by = @node, lease_until = @lease, attempts = attempts + 1
     WHERE id IN (SELECT id FROM reminders WHERE due_at <= @now
       AND (state = 'pending' OR (state = 'claimed' AND lease_until < @now)) ORDER BY due_at, id LIMIT @limit)
     RETURNING *`,
  );
  const finish = db.prepare("UPDATE reminders SET state = @outcome, finished_at = @at, lease_until = NULL WHERE id = @id AND claimed_by = @node AND state = 'claimed'");
  const forRoom = db.prepare<[string], ReminderRow>('SELECT * FROM reminders WHERE room_id = ? ORDER BY due_at, id');
  return {
    enqueue: (reminders) =>
      writes.run(() => reminders.filter((r) => insert.run({ ...r, userIds: JSON.stringify(r.userIds), data: JSON.stringify(r.data) }).changes > 0).length),
    claim: (node, now, lease, limit) => writes.run(() => claim.all({ node, now, lease, limit }).map(reminderFromRow)),
    finish: (id, node, outcome, at) => writes.run(() => finish.run({ id, node, outcome, at }).changes > 0),
    async forRoom(roomId) {
      await writes.durable();
      return forRoom.all(roomId).map(reminderFromRow);
    },
  };
}

interface OutboxRow {
  id: string;
  user_id: string;
  body: string;
  created_at: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  lease_until: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

const outboxFromRow = (r: OutboxRow): OutboxRecord => ({
  id: r.id,
  userId: r.user_id,
  body: r.body,
  createdAt: r.created_at,
  state: r.state as OutboxRecord['state'],
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  claimedBy: r.claimed_by,
  leaseUntil: r.lease_until,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

export function sqliteOutbox(db: Database, writes: WriteQueue): OutboxStore {
  const insert = db.prepare(
    `INSERT INTO webhook_outbox (id, user_id, body, created_at, next_attempt_at) VALUES (@id, @userId, @body, @createdAt, @nextAttemptAt)
     ON CONFLICT (id) DO NOTHING`,
  );
  const claim = db.prepare<{ node: string; now: string; lease: string; limit: number }, OutboxRow>(
    `UPDATE webhook_outbox SET claimed_by = @node, lease_until = @lease, attempts = attempts + 1
     WHERE id IN (SELECT id FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= @now
       AND (lease_until IS NULL OR lease_until < @now) ORDER BY next_attempt_at, id LIMIT @limit)
     RETURNING *`,
  );
  const held = "WHERE id = @id AND claimed_by = @node AND state = 'pending' AND lease_until IS NOT NULL";
  const delivered = db.prepare(`UPDATE webhook_outbox SET state = 'delivered', delivered_at = @at, lease_until = NULL ${held}`);
  const retry = db.prepare(`UPDATE webhook_outbox SET next_attempt_at = @next, last_error = @error, lease_until = NULL ${held}`);
  const dead = db.prepare(`UPDATE webhook_outbox SET state = 'dead', last_error = @error, lease_until = NULL, delivered_at = NULL ${held}`);
  const byId = db.prepare<[string], OutboxRow>('SELECT * FROM webhook_outbox WHERE id = ?');
  return {
    enqueue: (e) => writes.run(() => insert.run(e).changes > 0),
    claim: (node, now, lease, limit) => writes.run(() => claim.all({ node, now, lease, limit }).map(outboxFromRow)),
    settle: (id, node, outcome) =>
      writes.run(() => {
        switch (outcome.kind) {
          case 'delivered':
            return delivered.run({ id, node, at: outcome.at }).changes > 0;
          case 'retry':
            return retry.run({ id, node, next: outcome.nextAttemptAt, error: outcome.error }).changes > 0;
          case 'dead':
            return dead.run({ id, node, error: outcome.error }).changes > 0;
        }
      }),
    async get(id) {
      await writes.durable();
      const row = byId.get(id);
      return row ? outboxFromRow(row) : null;
    },
  };
}
