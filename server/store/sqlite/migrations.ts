import type { Database } from 'better-sqlite3';

/** One schema step. Ids are applied in array order and recorded, so each runs exactly once. */
export interface Migration {
  id: string;
  sql: string;
}

export const coreMigrations: Migration[] = [
  {
    id: '001-core',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,          -- stored lower-cased
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        profile       TEXT NOT NULL,                 -- JSON Profile
        mentoring     INTEGER NOT NULL DEFAULT 0,    -- copy of profile.mentoring, for search
        created_at    TEXT NOT NULL
      );
      CREATE TABLE rooms (
        id         TEXT PRIMARY KEY,
        mentor_id  TEXT NOT NULL,
        mentee_id  TEXT NOT NULL,
        status     TEXT NOT NULL,
        last_seq   INTEGER NOT NULL DEFAULT 0,       -- the seq allocator: bumped inside the append transaction
        rev        INTEGER NOT NULL,
        data       TEXT NOT NULL,                    -- JSON: the rest of the Room document
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX rooms_by_mentor ON rooms(mentor_id);
      CREATE INDEX rooms_by_mentee ON rooms(mentee_id);
      CREATE TABLE messages (
        id            TEXT PRIMARY KEY,
        room_id       TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        author_id     TEXT NOT NULL,
        client_msg_id TEXT NOT NULL,
        kind          TEXT NOT NULL,
        body          TEXT NOT NULL,
        reply_to      TEXT,
        reactions     TEXT NOT NULL DEFAULT '{}',
        created_at    TEXT NOT NULL,
        edited_at     TEXT,
        deleted_at    TEXT
      );
      CREATE UNIQUE INDEX messages_by_seq ON messages(room_id, seq);
      CREATE UNIQUE INDEX messages_by_client_id ON messages(room_id, author_id, client_msg_id);
      CREATE TABLE read_markers (
        room_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;
    `,
  },
];

/**
 * Applies the migrations not yet recorded, each in its own IMMEDIATE transaction so two
 * processes opening the same new file do not both run one.
 */
export function migrate(db: Database, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    db.transaction(() => {
      if (applied.get(m.id)) return;
      db.exec(m.sql);
      record.run(m.id, new Date().toISOString());
    }).immediate();
  }
}
