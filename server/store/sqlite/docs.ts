import type { Database } from 'better-sqlite3';
import type { DocStore, StoredDoc } from '../port.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

/** Schema of the collaborative documents: an update log per document and one snapshot each. */
export const docMigrations: Migration[] = [
  {
    id: '002-docs',
    sql: `
      -- AUTOINCREMENT: ids are never reused, even after compaction deleted the highest ones, so an
      -- entry appended after a compaction can never fall at or under the snapshot's up_to_id.
      CREATE TABLE doc_updates (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        doc        TEXT NOT NULL,
        data       BLOB NOT NULL,                    -- one Yjs v1 update, as received
        created_at TEXT NOT NULL
      );
      CREATE INDEX doc_updates_by_doc ON doc_updates(doc, id);
      CREATE TABLE doc_snapshots (
        doc        TEXT PRIMARY KEY,
        data       BLOB NOT NULL,                    -- Y.encodeStateAsUpdate of the merged document
        up_to_id   INTEGER NOT NULL,                 -- last doc_updates.id the snapshot covers
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

interface SnapshotRow {
  data: Buffer;
  up_to_id: number;
}

/** better-sqlite3 binds Buffers; a Buffer view over the same memory avoids a copy. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Rows come back as Buffers; callers get plain Uint8Arrays (what Yjs expects, and no pooled memory). */
const asBytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));

export function sqliteDocs(db: Database, writes: WriteQueue): DocStore {
  const snapshotOf = db.prepare<[string], SnapshotRow>('SELECT data, up_to_id FROM doc_snapshots WHERE doc = ?');
  const updatesOf = db.prepare<[string], { id: number; data: Buffer }>('SELECT id, data FROM doc_updates WHERE doc = ? ORDER BY id');
  const updatesUpTo = db.prepare<[string, number], { id: number; data: Buffer }>(
    'SELECT id, data FROM doc_updates WHERE doc = ? AND id <= ? ORDER BY id',
  );
  const updatesAfter = db.prepare<[string, number], { id: number; data: Buffer }>(
    'SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id',
  );
  const insert = db.prepare('INSERT INTO doc_updates (doc, data, created_at) VALUES (?, ?, ?)');
  const upsertSnapshot = db.prepare(
    `INSERT INTO doc_snapshots (doc, data, up_to_id, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (doc) DO UPDATE SET data = excluded.data, up_to_id = excluded.up_to_id, updated_at = excluded.updated_at`,
  );
  const deleteOne = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id = ?');
  const deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?');
  const logStats = db.prepare<[string], { n: number; bytes: number | null }>(
    'SELECT count(*) AS n, sum(length(data)) AS bytes FROM doc_updates WHERE doc = ?',
  );
  const snapshotStats = db.prepare<[string], { bytes: number; up_to_id: number }>(
    'SELECT length(data) AS bytes, up_to_id FROM doc_snapshots WHERE doc = ?',
  );

  // One read transaction: in WAL mode it sees one committed state, so another process's
  // compaction can never land between reading the snapshot and reading the log.
  const readDoc = db.transaction((name: string): StoredDoc => {
    const snap = snapshotOf.get(name);
    return {
      snapshot: snap ? asBytes(snap.data) : null,
      snapshotUpTo: snap?.up_to_id ?? 0,
      updates: updatesOf.all(name).map((r) => ({ id: r.id, update: asBytes(r.data) })),
    };
  });

  // Same read transaction as readDoc: a compaction lands wholly before or wholly after it.
  const readSince = db.transaction((name: string, afterId: number): StoredDoc => {
    const snap = snapshotOf.get(name);
    const absorbed = snap !== undefined && snap.up_to_id > afterId;
    return {
      snapshot: absorbed ? asBytes(snap.data) : null,
      snapshotUpTo: snap?.up_to_id ?? 0,
      updates: updatesAfter.all(name, absorbed ? snap.up_to_id : afterId).map((r) => ({ id: r.id, update: asBytes(r.data) })),
    };
  });

  return {
    async load(name) {
      await writes.durable();
      return readDoc(name);
    },

    async since(name, afterId) {
      await writes.durable();
      return readSince(name, afterId);
    },

    append: (name, update) => writes.run(() => Number(insert.run(name, asBuffer(update), new Date().toISOString()).lastInsertRowid)),

    compact: (name, snapshot, upToId) =>
      writes.run(() => {
        const current = snapshotOf.get(name);
        // An older snapshot must never replace a newer one: it would lack the entries the newer
        // one already absorbed (and deleted from the log).
        if (current && current.up_to_id >= upToId) return { compacted: false, removed: 0 };
        // Built here, under the write lock: no other process can append or compact in between, so
        // every entry deleted below is one the snapshot merged.
        const data =
          typeof snapshot === 'function'
            ? snapshot({
                snapshot: current ? asBytes(current.data) : null,
                snapshotUpTo: current?.up_to_id ?? 0,
                updates: updatesUpTo.all(name, upToId).map((r) => ({ id: r.id, update: asBytes(r.data) })),
              })
            : snapshot;
        upsertSnapshot.run(name, asBuffer(data), upToId, new Date().toISOString());
        return { compacted: true, removed: deleteUpTo.run(name, upToId).changes };
      }),

    remove: (name, id) =>
      writes.run(() => {
        deleteOne.run(name, id);
      }),

    async stats(name) {

      await writes.durable();
      const log = logStats.get(name)!;
      const snap = snapshotStats.get(name);
      return { updates: log.n, updateBytes: log.bytes ?? 0, snapshotBytes: snap?.bytes ?? 0, snapshotUpTo: snap?.up_to_id ?? 0 };
    },
  };
}
