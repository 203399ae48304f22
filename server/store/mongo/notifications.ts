import { defaultPrefs, type NotificationPrefs } from '../../../shared/notifications.js';
import { decodeCursor, encodeCursor, retiredKey, type NotificationRecord, type NotificationStore, type OutboxRecord, type OutboxStore, type ReminderRecord, type ReminderStore } from '../notifications.js';
import type { Models, NotificationDoc, OutboxDoc, ReminderDoc } from './models.js';
import { DURABLE, isDuplicateKey } from './tx.js';

const fromDoc = (d: NotificationDoc): NotificationRecord => ({
  id: d._id,
  userId: d.userId,
  kind: d.kind,
  key: d.key,
  actorId: d.actorId ?? null,
  data: d.data,
  count: d.count,
  seq: d.seq,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  readAt: d.readAt ?? null,
});

/**
 * The inbox, the MongoDB twin of server/store/sqlite/notifications.ts. Each change is one
 * single-document atomic write (an insert guarded by the unique (userId, key) index, or a
 * conditional findOneAndUpdate), so no transaction is needed.
 */
export function mongoNotifications(m: Models): NotificationStore {
  const byKey = (userId: string, key: string) => m.notifications.findOne({ userId, key }).lean<NotificationDoc>();
  const insert = async (n: Parameters<NotificationStore['addOnce']>[0], seq: number): Promise<boolean> => {
    try {
      await m.notifications.create([{ _id: n.id, userId: n.userId, kind: n.kind, key: n.key, actorId: n.actorId, data: n.data, count: 1, seq, createdAt: n.createdAt, updatedAt: n.createdAt, readAt: n.readAt }]);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  };
  const markDocs = async (userId: string, docs: NotificationDoc[], at: string): Promise<string[]> => {
    const done: string[] = [];
    for (const d of docs) {
      const r = await m.notifications.updateOne({ _id: d._id, userId, readAt: null }, { $set: { readAt: at, key: d.seq > 0 ? retiredKey(d.key, d._id) : d.key } }, { writeConcern: DURABLE });
      if (r.modifiedCount > 0) done.push(d._id);
    }
    return done;
  };
  return {
    async addOnce(n) {
      const created = await insert(n, 0);
      return { notification: fromDoc((await byKey(n.userId, n.key))!), created };
    },
    async bump(n, seq) {
      for (;;) {
        const grown = await m.notifications
          .findOneAndUpdate({ userId: n.userId, key: n.key, seq: { $lt: seq } }, { $inc: { count: 1 }, $set: { seq, data: n.data, actorId: n.actorId, updatedAt: n.createdAt } }, { new: true, writeConcern: DURABLE })
          .lean<NotificationDoc>();
        if (grown) return { notification: fromDoc(grown), changed: true };
        if (await insert(n, seq)) return { notification: fromDoc((await byKey(n.userId, n.key))!), changed: true };
        const current = await byKey(n.userId, n.key);
        if (current && current.seq >= seq) return { notification: fromDoc(current), changed: false };
        // The entry was read (its key retired) between our two writes: try again.
      }
    },
    async list(userId, { limit, cursor, unreadOnly }) {
      const filter: Record<string, unknown> = { userId };
      if (unreadOnly) filter.readAt = null;
      if (cursor) {
        const c = decodeCursor(cursor);
        filter.$or = [{ updatedAt: { $lt: c.updatedAt } }, { updatedAt: c.updatedAt, _id: { $lt: c.id } }];
      }
      const docs = await m.notifications.find(filter).sort({ updatedAt: -1, _id: -1 }).limit(limit + 1).lean<NotificationDoc[]>();
      const notifications = docs.slice(0, limit).map(fromDoc);
      const last = notifications.at(-1);
      return { notifications, nextCursor: docs.length > limit && last ? encodeCursor(last.updatedAt, last.id) : null };
    },
    unreadCount: (userId) => m.notifications.countDocuments({ userId, readAt: null }),
    async markRead(userId, ids, at) {
      const docs = await m.notifications.find({ _id: { $in: [...ids] }, userId, readAt: null }).lean<NotificationDoc[]>();
      return markDocs(userId, docs, at);
    },
    async markAllRead(userId, at) {
      return markDocs(userId, await m.notifications.find({ userId, readAt: null }).lean<NotificationDoc[]>(), at);
    },
    async markReadByKey(userId, key, upToSeq, at) {
      const d = await byKey(userId, key);
      return d && d.readAt === null && d.seq <= upToSeq ? markDocs(userId, [d], at) : [];
    },
    async prefs(userId) {
      const d = await m.notificationPrefs.findById(userId).lean<{ prefs: NotificationPrefs }>();
      return d ? d.prefs : defaultPrefs();
    },
    async setPrefs(userId, prefs) {
      await m.notificationPrefs.updateOne({ _id: userId }, { $set: { prefs } }, { upsert: true, writeConcern: DURABLE });
    },
    async deleteAllForUser(userId) {
      await m.notifications.deleteMany({ userId }, { writeConcern: DURABLE });
      await m.notificationPrefs.deleteOne({ _id: userId }, { writeConcern: DURABLE });
    },
  };
}

const reminderFromDoc = (d: ReminderDoc): ReminderRecord => ({
  id: d._id,
  key: d.key,
  kind: d.kind,
  roomId: d.roomId,
  userIds: d.userIds,
  data: d.data,
  dueAt: d.dueAt,
  state: d.state as ReminderRecord['state'],
  claimedBy: d.claimedBy ?? null,
  leaseUntil: d.leaseUntil ?? null,
  attempts: d.attempts,
  finishedAt: d.finishedAt ?? null,
});

/** Reminder rows: a claim is a conditional findOneAndUpdate per row (atomic on one document). */
export function mongoReminders(m: Models): ReminderStore {
  return {
    async enqueue(reminders) {
      let n = 0;
      for (const r of reminders) {
        try {
          await m.reminders.create([{ _id: r.id, key: r.key, kind: r.kind, roomId: r.roomId, userIds: r.userIds, data: r.data, dueAt: r.dueAt, state: 'pending', claimedBy: null, leaseUntil: null, attempts: 0, finishedAt: null }]);
          n++;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      return n;
    },
    async claim(node, now, lease, limit) {
      const claimed: ReminderRecord[] = [];
      while (claimed.length < limit) {
        const d = await m.reminders
          .findOneAndUpdate(
            { dueAt: { $lte: now }, $or: [{ state: 'pending' }, { state: 'claimed', leaseUntil: { $lt: now } }] },
            { $set: { state: 'claimed', claimedBy: node, leaseUntil: lease }, $inc: { attempts: 1 } },
            { sort: { dueAt: 1, _id: 1 }, new: true, writeConcern: DURABLE },
          )
          .lean<ReminderDoc>();
        if (!d) break;
        claimed.push(reminderFromDoc(d));
      }
      return claimed;
    },
    async finish(id, node, outcome, at) {
      const r = await m.reminders.updateOne({ _id: id, claimedBy: node, state: 'claimed' }, { $set: { state: outcome, finishedAt: at, leaseUntil: null } }, { writeConcern: DURABLE });
      return r.modifiedCount > 0;
    },
    async forRoom(roomId) {
      return (await m.reminders.find({ roomId }).sort({ dueAt: 1, _id: 1 }).lean<ReminderDoc[]>()).map(reminderFromDoc);
    },
  };
}

const outboxFromDoc = (d: OutboxDoc): OutboxRecord => ({
  id: d._id,
  userId: d.userId,
  body: d.body,
  createdAt: d.createdAt,
  state: d.state as OutboxRecord['state'],
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt,
  claimedBy: d.claimedBy ?? null,
  leaseUntil: d.leaseUntil ?? null,
  lastError: d.lastError ?? null,
  deliveredAt: d.deliveredAt ?? null,
});

export function mongoOutbox(m: Models): OutboxStore {
  return {
    async enqueue(e) {
      try {
        await m.outbox.create([{ _id: e.id, userId: e.userId, body: e.body, createdAt: e.createdAt, state: 'pending', attempts: 0, nextAttemptAt: e.nextAttemptAt, claimedBy: null, leaseUntil: null, lastError: null, deliveredAt: null }]);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async claim(node, now, lease, limit) {
      const claimed: OutboxRecord[] = [];
      while (claimed.length < limit) {
        const d = await m.outbox
          .findOneAndUpdate(
            { state: 'pending', nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
            { $set: { claimedBy: node, leaseUntil: lease }, $inc: { attempts: 1 } },
            { sort: { nextAttemptAt: 1, _id: 1 }, new: true, writeConcern: DURABLE },
          )
          .lean<OutboxDoc>();
        if (!d) break;
        claimed.push(outboxFromDoc(d));
      }
      return claimed;
    },
    async settle(id, node, outcome) {
      const held = { _id: id, claimedBy: node, state: 'pending', leaseUntil: { $ne: null } };
      const set =
        outcome.kind === 'delivered'
          ? { state: 'delivered', deliveredAt: outcome.at, leaseUntil: null }
          : outcome.kind === 'retry'
            ? { nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error, leaseUntil: null }
            : { state: 'dead', lastError: outcome.error, leaseUntil: null };
      const r = await m.outbox.updateOne(held, { $set: set }, { writeConcern: DURABLE });
      return r.modifiedCount > 0;
    },
    async get(id) {
      const d = await m.outbox.findById(id).lean<OutboxDoc>();
      return d ? outboxFromDoc(d) : null;
    },
  };
}
