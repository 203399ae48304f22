import type { ClientSession } from 'mongoose';
import type { DocStore, StoredDoc } from '../port.js';
import type { DocSnapshotDoc, DocUpdateDoc, Models } from './models.js';
import { GroupCommit, type Transactions } from './tx.js';

/** A BSON binary as read back (a Buffer, or the driver's Binary), copied into a plain Uint8Array. */
function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  const bin = value as { buffer: Uint8Array; position: number };
  return new Uint8Array(bin.buffer.subarray(0, bin.position));
}
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Yjs documents: an update log (`doc_updates`, ids from the `doc:<name>` counter) and one snapshot
 * per document. Appends and compactions of one document both write its counter document, so on
 * MongoDB they write-conflict and serialise: ids increase in commit order, and a compaction never
 * runs beside an append it cannot see.
 */
export function mongoDocs(m: Models, tx: Transactions): DocStore {
  const counterId = (name: string) => `doc:${name}`;
  const readStored = async (name: string, session: ClientSession, upToId?: number): Promise<StoredDoc> => {
    // Sequential: operations of one transaction must not run concurrently on its session.
    const snap = await m.docSnapshots.findById(name).session(session).lean<DocSnapshotDoc>();
    const updates = await m.docUpdates
      .find(upToId === undefined ? { doc: name } : { doc: name, id: { $lte: upToId } })
      .session(session)
      .sort({ id: 1 })
      .lean<DocUpdateDoc[]>();
    return {
      snapshot: snap ? asBytes(snap.data) : null,
      snapshotUpTo: snap?.upToId ?? 0,
      updates: updates.map((u) => ({ id: u.id, update: asBytes(u.data) })),
    };
  };

  // Concurrent appends to one document share a transaction: ids for all of them from one $inc.
  const appends = new GroupCommit<{ name: string; update: Uint8Array }, number>(tx, async (key, items, session) => {
    const counter = await m.counters.findOneAndUpdate({ _id: key }, { $inc: { seq: items.length } }, { upsert: true, new: true, session, lean: true });
    const first = counter!.seq - items.length + 1;
    const at = new Date().toISOString();
    await m.docUpdates.insertMany(
      items.map((it, i) => ({ doc: it.name, id: first + i, data: asBuffer(it.update), bytes: it.update.byteLength, createdAt: at })),
      { session, ordered: true },
    );
    return items.map((_, i) => ({ ok: true as const, value: first + i }));
  });

  return {
    // One snapshot transaction: a compaction never shows half-done.
    load: (name) => tx.read((session) => readStored(name, session)),

    // One snapshot transaction, like load: a compaction lands wholly before or wholly after it.
    since: (name, afterId) =>
      tx.read(async (session) => {
        const snap = await m.docSnapshots.findById(name).session(session).lean<DocSnapshotDoc>();
        const absorbed = snap !== null && snap.upToId > afterId;
        const updates = await m.docUpdates
          .find({ doc: name, id: { $gt: absorbed ? snap.upToId : afterId } })
          .session(session)
          .sort({ id: 1 })
          .lean<DocUpdateDoc[]>();
        return {
          snapshot: absorbed ? asBytes(snap.data) : null,
          snapshotUpTo: snap?.upToId ?? 0,
          updates: updates.map((u) => ({ id: u.id, update: asBytes(u.data) })),
        };
      }),

    append: (name, update) => appends.submit(counterId(name), { name, update }),

    compact: (name, snapshot, upToId) =>
      tx.run(counterId(name), async (session) => {
        const current = await m.docSnapshots.findById(name, { upToId: 1 }).session(session).lean<Pick<DocSnapshotDoc, 'upToId'>>();
        // An older snapshot must never replace a newer one: it would lack what the newer one absorbed.
        if (current && current.upToId >= upToId) return { compacted: false, removed: 0 };
        // Touch the counter: an append of this document in flight on another node now conflicts
        // with this transaction, so the entries deleted below are exactly those the builder merged.
        await m.counters.updateOne({ _id: counterId(name) }, { $set: { touchedAt: new Date().toISOString() } }, { upsert: true, session });
        const data = typeof snapshot === 'function' ? snapshot(await readStored(name, session, upToId)) : snapshot;
        await m.docSnapshots.updateOne(
          { _id: name },
          { $set: { data: asBuffer(data), upToId, bytes: data.byteLength, updatedAt: new Date().toISOString() } },
          { upsert: true, session },
        );
        const removed = await m.docUpdates.deleteMany({ doc: name, id: { $lte: upToId } }, { session });
        return { compacted: true, removed: removed.deletedCount };
      }),

    async stats(name) {
      const [log] = await m.docUpdates.aggregate<{ n: number; bytes: number }>([
        { $match: { doc: name } },
        { $group: { _id: null, n: { $sum: 1 }, bytes: { $sum: '$bytes' } } },
      ]);
      const snap = await m.docSnapshots.findById(name, { bytes: 1, upToId: 1 }).lean<Pick<DocSnapshotDoc, 'bytes' | 'upToId'>>();
      return { updates: log?.n ?? 0, updateBytes: log?.bytes ?? 0, snapshotBytes: snap?.bytes ?? 0, snapshotUpTo: snap?.upToId ?? 0 };
    },

    async remove(name, id) {
      await m.docUpdates.deleteOne({ doc: name, id });
    },
  };
}
