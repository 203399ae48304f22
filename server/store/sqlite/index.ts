import Database from 'better-sqlite3';
import type { Store } from '../port.js';
import { docMigrations, sqliteDocs } from './docs.js';
import { sqliteAppend, sqliteMessages } from './messages.js';
import { lifecycleMigrations } from './mentor-search.js';
import { coreMigrations, migrate, type Migration } from './migrations.js';
import { sqliteRooms } from './rooms.js';
import { sqliteThreads, threadMigrations } from './threads.js';
import { sqliteUsers } from './users.js';
import { WriteQueue } from './write-queue.js';

export interface SqliteOptions {
  /** Path of the database file (created when missing). */
  file: string;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/** Every migration of every sqlite module, in the order they must run. */
const migrations: Migration[] = [...coreMigrations, ...docMigrations, ...threadMigrations, ...lifecycleMigrations];

export type SqliteStore = Store & { readonly writeStats: WriteQueue['stats'] };

/**
 * Opens the embedded store. WAL with synchronous=FULL: a COMMIT returns only after the WAL is
 * fsynced, so what we ack survives power loss; readers never block the writer.
 */
export function openSqliteStore(opts: SqliteOptions): SqliteStore {
  const db = new Database(opts.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);

  const writes = new WriteQueue(db);
  const appendInTx = sqliteAppend(db);
  const ping = db.prepare('SELECT 1');
  let closed = false;

  return {
    kind: 'sqlite',
    users: sqliteUsers(db, writes),
    rooms: sqliteRooms(db, writes, appendInTx),
    messages: sqliteMessages(db, writes, appendInTx),
    threads: sqliteThreads(db, writes),
    docs: sqliteDocs(db, writes),
    writeStats: writes.stats,
    async ping() {
      ping.get();
    },
    async close() {
      if (closed) return;
      closed = true;
      await writes.drain();
      db.close();
    },
  };
}
