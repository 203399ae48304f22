import type { Database } from 'better-sqlite3';
import type { SessionRecord, SessionStore } from '../sessions.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

export const sessionMigrations: Migration[] = [
  {
    id: '005-sessions',
    sql: `
      CREATE TABLE sessions (
        id           TEXT PRIMARY KEY,
        user_id      TEXT NOT NULL,
        refresh_hash TEXT NOT NULL,                -- sha256 of the current refresh token
        created_at   TEXT NOT NULL,
        expires_at   TEXT NOT NULL,
        revoked_at   TEXT
      );
      CREATE INDEX sessions_by_user ON sessions(user_id);
      -- Every refresh token a session was given, current and rotated: a rotated one presented again is reuse.
      CREATE TABLE session_tokens (
        hash       TEXT PRIMARY KEY,
        session_id TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX session_tokens_by_session ON session_tokens(session_id);
    `,
  },
];

interface SessionRow {
  id: string;
  user_id: string;
  refresh_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

const fromRow = (r: SessionRow): SessionRecord => ({ id: r.id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at });

export function sqliteSessions(db: Database, writes: WriteQueue): SessionStore {
  const insert = db.prepare('INSERT INTO sessions (id, user_id, refresh_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const insertToken = db.prepare('INSERT INTO session_tokens (hash, session_id) VALUES (?, ?)');
  const byId = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
  const byToken = db.prepare<[string], SessionRow>('SELECT s.* FROM session_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?');
  const setRefresh = db.prepare('UPDATE sessions SET refresh_hash = ?, expires_at = ? WHERE id = ?');
  const revokeOne = db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const liveOfUser = db.prepare<[string], { id: string }>('SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL');
  const deleteTokens = db.prepare('DELETE FROM session_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = ?)');
  const deleteSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?');

  return {
    async create(s) {
      return writes.run(() => {
        insert.run(s.id, s.userId, s.refreshHash, s.createdAt, s.expiresAt);
        insertToken.run(s.refreshHash, s.id);
        return { id: s.id, userId: s.userId, createdAt: s.createdAt, expiresAt: s.expiresAt, revokedAt: null };
      });
    },
    async get(id) {
      await writes.durable();
      const row = byId.get(id);
      return row ? fromRow(row) : null;
    },
    async rotate(presentedHash, nextHash, at, expiresAt) {
      return writes.run(() => {
        const row = byToken.get(presentedHash);
        if (!row || row.revoked_at !== null || row.expires_at <= at) return { kind: 'refused' as const };
        if (row.refresh_hash !== presentedHash) {
          revokeOne.run(at, row.id);
          return { kind: 'reused' as const, session: { ...fromRow(row), revokedAt: at } };
        }
        setRefresh.run(nextHash, expiresAt, row.id);
        insertToken.run(nextHash, row.id);
        return { kind: 'rotated' as const, session: { ...fromRow(row), expiresAt } };
      });
    },
    async revoke(id, at) {
      return writes.run(() => revokeOne.run(at, id).changes > 0);
    },
    async revokeAllForUser(userId, at, exceptId) {
      return writes.run(() => {
        const ids = liveOfUser.all(userId).map((r) => r.id).filter((id) => id !== exceptId);
        for (const id of ids) revokeOne.run(at, id);
        return ids;
      });
    },
    async deleteAllForUser(userId) {
      await writes.run(() => {
        deleteTokens.run(userId);
        deleteSessions.run(userId);
      });
    },
  };
}
