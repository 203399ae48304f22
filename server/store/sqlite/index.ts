import { closeSync, fsync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Store } from '../port.js';
import { checkinMigrations, sqliteCheckins } from './checkins.js';
import { docMigrations, sqliteDocs } from './docs.js';
import { meetingMigrations, sqliteMeetings } from './meetings.js';
import { messageMigrations, sqliteAppend, sqliteMessages } from './messages.js';
import { lifecycleMigrations } from './mentor-search.js';
import { assertNotNewer } from './migration-status.js';
import { coreMigrations, migrate, type Migration } from './migrations.js';
import { sqliteRooms } from './rooms.js';
import { notificationMigrations, sqliteNotifications, sqliteOutbox, sqliteReminders } from './notifications.js';
import { sessionMigrations, sqliteSessions } from './sessions.js';
import { sqliteTemplates, templateMigrations } from './templates.js';
import { sqliteThreads, threadMigrations } from './threads.js';
import { sqliteUsers } from './users.js';
import { Checkpointer, type CheckpointResult } from './checkpointer.js';
import { WriteQueue } from './write-queue.js';

export interface SqliteOptions {
  /** Path of the database file (created when missing). */
  file: string;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
  /** Told how long each batch's fsync took, in seconds (a metric: every ack waits for one). */
  onSync?: (seconds: number) => void;
  /** Told how long a batch waited for another process's write lock, in seconds, each time one did. */
  onLockWait?: (seconds: number) => void;
  /** Told of each WAL checkpoint the worker ran (checkpointer.ts). */
  onCheckpoint?: (r: CheckpointResult) => void;
  /** How often the WAL is checkpointed when something was written, ms (default 500). */
  checkpointIntervalMs?: number;
  /** WAL content (frames since the last rewind) from which a checkpoint rewinds the WAL (default 128 MiB; tests use less). */
  walRestartBytes?: number;
}

/**
 * From here a checkpoint rewinds the WAL. A rewind (RESTART) holds the write lock while it copies
 * the last frames and syncs the database file, so every one stalls the writes behind it (10–20 ms
 * each at 3,000–4,000 msg/s); at 16 MiB that was one per checkpoint under load. 128 MiB means one
 * every few seconds at 40 MiB/s of WAL, for a WAL file of up to that size (4× before a RESTART
 * waits for readers) and a longer WAL scan when the store opens after a crash.
 */
const WAL_RESTART_BYTES = 128 * 1024 * 1024;

/** Every migration of every sqlite module, in the order they must run. */
const migrations: Migration[] = [
  ...coreMigrations,
  ...docMigrations,
  ...threadMigrations,
  ...lifecycleMigrations,
  ...sessionMigrations,
  ...notificationMigrations,
  ...checkinMigrations,
  ...meetingMigrations,
  ...messageMigrations,
  ...templateMigrations,
];
/** What `npm run migrate -- --status` compares a store against. */
export const knownMigrations = (): readonly Migration[] => migrations;

export type SqliteStore = Store & { readonly writeStats: WriteQueue['stats']; /** Runs a WAL checkpoint now (tests, benches). */ checkpoint(): Promise<void> };

/**
 * Opens the embedded store in WAL mode; readers never block the writer. What we ack survives
 * power loss, as with synchronous=FULL: every write goes through the WriteQueue, which fsyncs the
 * WAL after each batch's COMMIT and settles the batch only then. The fsync runs on the libuv pool
 * (COMMIT itself runs with synchronous=NORMAL, so it only writes the WAL): at 1,000 msg/s a COMMIT
 * that fsyncs kept the event loop blocked for most of its time (docs/BENCHMARKS.md, chat bench).
 */
export function openSqliteStore(opts: SqliteOptions): SqliteStore {
  const db = new Database(opts.file);
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  try {
    assertNotNewer(db, migrations); // before any pragma or migration touches a store a newer version wrote
  } catch (err) {
    db.close();
    throw err;
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // migrations run before the write queue exists: durable on their own
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);

  // The WAL exists from the first read of a WAL-mode database on; fsync on any descriptor of a
  // file flushes every write to it, SQLite's included.
  const wal = openSync(`${opts.file}-wal`, 'r');
  const syncWal = () => {
    const started = performance.now();
    return new Promise<void>((resolve, reject) =>
      fsync(wal, (err) => {
        opts.onSync?.((performance.now() - started) / 1000);
        if (err) reject(err);
        else resolve();
      }),
    );
  };
  db.pragma('synchronous = NORMAL');
  // 4 ms between batch starts: more writes share a BEGIN/COMMIT and an fsync. Against 2 ms
  // (docs/BENCHMARKS.md, 8 December) it cut CPU per message by 16–27% and bytes written by ~20% at
  // 2,000–3,000 msg/s for 0.5–0.8 ms more median latency; 2 ms had cut 25–30% against none.
  // A batch waiting for another process's write lock retries its BEGIN from a timer (the event
  // loop keeps serving) for as long as busy_timeout would have slept.
  const writes = new WriteQueue(db, { sync: syncWal, minIntervalMs: 4, lockTimeoutMs: busyTimeoutMs, ...(opts.onLockWait && { onLockWait: opts.onLockWait }) });
  // Checkpoints run on a worker thread, not inside a COMMIT on the event loop (checkpointer.ts).
  db.pragma('wal_autocheckpoint = 0');
  let batchesSeen = 0;
  const checkpointer = new Checkpointer({
    file: opts.file,
    intervalMs: opts.checkpointIntervalMs ?? 500,
    restartBytes: opts.walRestartBytes ?? WAL_RESTART_BYTES,
    restartWaitMs: busyTimeoutMs,
    restartTryMs: 50,
    committed: () => batchesSeen !== (batchesSeen = writes.stats.batches),
    ...(opts.onCheckpoint && { onCheckpoint: opts.onCheckpoint }),
    onUnavailable: () => db.pragma('wal_autocheckpoint = 1000'),
  });
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
    sessions: sqliteSessions(db, writes),
    notifications: sqliteNotifications(db, writes),
    reminders: sqliteReminders(db, writes),
    outbox: sqliteOutbox(db, writes),
    checkins: sqliteCheckins(db, writes),
    meetings: sqliteMeetings(db, writes),
    templates: sqliteTemplates(db, writes),
    writeStats: writes.stats,
    checkpoint: () => checkpointer.checkpoint(),
    async ping() {
      if (writes.failed) throw writes.failed;
      ping.get();
    },
    async close() {
      if (closed) return;
      closed = true;
      await writes.drain();
      await checkpointer.close();
      closeSync(wal);
      db.close();
    },
  };
}
