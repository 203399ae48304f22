import type { SessionRecord, SessionStore } from '../sessions.js';
import type { Models, SessionDoc } from './models.js';
import { DURABLE, type Transactions } from './tx.js';

const fromDoc = (d: SessionDoc): SessionRecord => ({ id: d._id, userId: d.userId, createdAt: d.createdAt, expiresAt: d.expiresAt, revokedAt: d.revokedAt ?? null });

/**
 * Sessions and their refresh-token hashes, the MongoDB twin of server/store/sqlite/sessions.ts.
 * A rotation reads and rewrites the session document in one transaction: two nodes presenting the
 * same token write-conflict, the retried one then sees the token already rotated, which is reuse.
 */
export function mongoSessions(m: Models, tx: Transactions): SessionStore {
  return {
    async create(s) {
      await tx.run(`session:${s.id}`, async (session) => {
        await m.sessions.create([{ _id: s.id, userId: s.userId, refreshHash: s.refreshHash, createdAt: s.createdAt, expiresAt: s.expiresAt, revokedAt: null }], { session });
        await m.sessionTokens.create([{ _id: s.refreshHash, sessionId: s.id }], { session });
      });
      return { id: s.id, userId: s.userId, createdAt: s.createdAt, expiresAt: s.expiresAt, revokedAt: null };
    },

    async get(id) {
      const d = await m.sessions.findById(id).lean<SessionDoc>();
      return d ? fromDoc(d) : null;
    },

    rotate: (presentedHash, nextHash, at, expiresAt) =>
      tx.run(`token:${presentedHash}`, async (session) => {
        const token = await m.sessionTokens.findById(presentedHash).session(session).lean<{ sessionId: string }>();
        const d = token ? await m.sessions.findById(token.sessionId).session(session).lean<SessionDoc>() : null;
        if (!d || d.revokedAt || d.expiresAt <= at) return { kind: 'refused' as const };
        if (d.refreshHash !== presentedHash) {
          await m.sessions.updateOne({ _id: d._id }, { $set: { revokedAt: at } }, { session });
          return { kind: 'reused' as const, session: { ...fromDoc(d), revokedAt: at } };
        }
        await m.sessions.updateOne({ _id: d._id }, { $set: { refreshHash: nextHash, expiresAt } }, { session });
        await m.sessionTokens.create([{ _id: nextHash, sessionId: d._id }], { session });
        return { kind: 'rotated' as const, session: { ...fromDoc(d), expiresAt } };
      }),

    async revoke(id, at) {
      const r = await m.sessions.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }, { writeConcern: DURABLE });
      return r.modifiedCount > 0;
    },

    revokeAllForUser: (userId, at, exceptId) =>
      tx.run(`sessions-of:${userId}`, async (session) => {
        const live = await m.sessions.find({ userId, revokedAt: null }, { _id: 1 }).session(session).lean<Array<{ _id: string }>>();
        const ids = live.map((d) => d._id).filter((id) => id !== exceptId);
        if (ids.length > 0) await m.sessions.updateMany({ _id: { $in: ids } }, { $set: { revokedAt: at } }, { session });
        return ids;
      }),

    async deleteAllForUser(userId) {
      await tx.run(`sessions-of:${userId}`, async (session) => {
        const all = await m.sessions.find({ userId }, { _id: 1 }).session(session).lean<Array<{ _id: string }>>();
        const ids = all.map((d) => d._id);
        if (ids.length > 0) await m.sessionTokens.deleteMany({ sessionId: { $in: ids } }, { session });
        await m.sessions.deleteMany({ userId }, { session });
      });
    },
  };
}
