import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { knownMigrations } from '../store/sqlite/index.js';
import { migrationStatus, type MigrationState } from '../store/sqlite/migration-status.js';

/** The store's file inside DATA_DIR (server/store/open.ts). */
export const storeFile = (dataDir: string) => join(dataDir, 'menteo.sqlite');

export interface BackupReport {
  file: string;
  pages: number;
  bytes: number;
  messages: number;
  migrations: string[];
}

/** A copy that SQLite itself checks and that holds our schema, with what it contains. */
function inspect(file: string): Omit<BackupReport, 'file' | 'pages'> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} fails SQLite's integrity check: ${String(check)}`);
    const applied = migrationStatus(db, knownMigrations()).filter((m) => m.appliedAt !== null);
    if (applied.length === 0) throw new Error(`${file} is not a Menteo store (no schema migrations recorded)`);
    const { n } = db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number };
    return { bytes: statSync(file).size, messages: n, migrations: applied.map((m) => m.id) };
  } finally {
    db.close();
  }
}

/**
 * An online, consistent copy of the running server's store with SQLite's backup API, from a
 * connection of its own (WAL: the server's writes go on meanwhile). A step that sees the source
 * changed by another connection restarts the copy, so after the first step the rest is copied in
 * one step: one read snapshot, which writers never wait for. Written to `<file>.partial`, checked,
 * then renamed, so `file` is only ever a complete backup.
 */
export async function backupSqlite(dataDir: string, file: string): Promise<BackupReport> {
  const source = storeFile(dataDir);
  if (!existsSync(source)) throw new Error(`no store at ${source} (set DATA_DIR to the server's data directory)`);
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(partial, { progress: ({ totalPages: total }) => Math.max(total, 100) });
    // The copy keeps the WAL flag in its header: put it back in rollback mode so it is one self-contained file.
    const copy = new Database(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const report = inspect(partial);
    renameSync(partial, target);
    return { file: target, pages: totalPages, ...report };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

/**
 * Brings a backup back as DATA_DIR's store. Refuses a DATA_DIR that holds anything (a restore
 * never overwrites a store, not even an empty one) and a file that is not a sound Menteo store.
 * The JWT secret is not in a backup: set JWT_SECRET (production requires it) or sign in again.
 */
export function restoreSqlite(file: string, dataDir: string): Omit<BackupReport, 'pages'> & { dataDir: string } {
  const from = resolve(file);
  if (!existsSync(from)) throw new Error(`no backup at ${from}`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`DATA_DIR ${resolve(dataDir)} is not empty: restore only into an empty or new directory (move the current one aside first)`);
  }
  const report = inspect(from);
  mkdirSync(dataDir, { recursive: true });
  const target = storeFile(dataDir);
  const partial = `${target}.partial`;
  // A fresh copy through SQLite (not a byte copy), so the restored file is exactly a checked database.
  const src = new Database(from, { readonly: true, fileMustExist: true });
  try {
    src.exec(`VACUUM INTO '${partial.replace(/'/g, "''")}'`);
  } finally {
    src.close();
  }
  renameSync(partial, target);
  return { ...report, file: target, dataDir: resolve(dataDir) };
}

/** `migrate --status`: the migrations of the store in DATA_DIR against this build's. */
export function storeMigrations(dataDir: string): MigrationState[] {
  const file = storeFile(dataDir);
  if (!existsSync(file)) throw new Error(`no store at ${file}`);
  // Not readonly: a read-only connection cannot open a WAL store whose server is stopped. It only reads.
  const db = new Database(file, { fileMustExist: true });
  try {
    return migrationStatus(db, knownMigrations());
  } finally {
    db.close();
  }
}
