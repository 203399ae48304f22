import type { ClientSession } from 'mongoose';
import { AppError } from '../../../shared/errors.js';
import { Limits } from '../../../shared/limits.js';
import type { EntryKind, EntrySummary, Thread, ThreadComment, ThreadEntry, ThreadVisibility } from '../../../shared/types.js';
import { FEED_VISIBILITY, HIGHLIGHT_KIND, HIGHLIGHT_VISIBILITIES, assertVisibilityChange, invalidField } from '../../domain/threads.js';
import type { EntryInThread, ThreadStore } from '../threads.js';
import type { CommentDoc, EntryDoc, Models, ThreadDoc } from './models.js';
import { nextCounter, type Transactions } from './tx.js';

function threadFromDoc(d: ThreadDoc): Thread {
  const t: Thread = { id: d._id, ownerId: d.ownerId, title: d.title, visibility: d.visibility as ThreadVisibility, entryCount: d.entryCount, createdAt: d.createdAt, updatedAt: d.updatedAt };
  if (d.roomId !== undefined && d.roomId !== null) t.roomId = d.roomId;
  return t;
}

function summaryFromDoc(d: EntryDoc): EntrySummary {
  const e: EntrySummary = { id: d._id, threadId: d.threadId, kind: d.kind as EntryKind, body: d.body, createdAt: d.createdAt, commentCount: d.commentCount };
  if (d.milestoneId != null) e.milestoneId = d.milestoneId;
  if (d.goalId != null) e.goalId = d.goalId;
  if (d.editedAt != null) e.editedAt = d.editedAt;
  return e;
}

/** The entry with its latest comments (oldest first); the cursor names the oldest one shown when there are older. */
function entryFromDoc(d: EntryDoc, latest: CommentDoc[]): ThreadEntry {
  const e: ThreadEntry = { ...summaryFromDoc(d), comments: latest.map(commentFromDoc) };
  if (d.commentCount > latest.length && latest[0]) e.commentsCursor = String(latest[0].position);
  return e;
}

function commentFromDoc(d: CommentDoc): ThreadComment {
  const c: ThreadComment = { id: d._id, entryId: d.entryId, authorId: d.authorId, body: d.body, createdAt: d.createdAt };
  if (d.editedAt != null) c.editedAt = d.editedAt;
  return c;
}

/** A milestone link: stored only when set (absent = none), so "has a link" is `$type: 'string'`. */
const LINKED = { $type: 'string' } as const;

/**
 * Growth threads. Entries carry copies of their thread's visibility and room, rewritten in the
 * transaction that changes the thread, so the feed and the highlights are single indexed queries.
 * Writes that touch one thread take its key; feed positions come from one `feed` counter in the
 * insert's transaction, which serialises concurrent adds (positions grow in commit order).
 */
export function mongoThreads(m: Models, tx: Transactions): ThreadStore {
  const s = (session?: ClientSession) => session ?? null;
  const readThread = async (id: string, session?: ClientSession) => {
    const d = await m.threads.findById(id).session(s(session)).lean<ThreadDoc>();
    return d ? threadFromDoc(d) : null;
  };
  /** An entry's newest `limit` comments before a position, oldest first. */
  const latestComments = async (entryId: string, before: number, limit?: number, session?: ClientSession) => {
    const q = m.comments.find({ entryId, position: { $lt: before } }).session(s(session)).sort({ position: -1 });
    return (await (limit === undefined ? q : q.limit(limit)).lean<CommentDoc[]>()).reverse();
  };
  const readEntry = async (threadId: string, entryId: string, session?: ClientSession) => {
    const d = await m.entries.findOne({ _id: entryId, threadId }).session(s(session)).lean<EntryDoc>();
    if (!d) return null;
    return entryFromDoc(d, await latestComments(entryId, Number.MAX_SAFE_INTEGER, Limits.commentsInline, session));
  };
  const readComment = async (threadId: string, entryId: string, commentId: string, session?: ClientSession) => {
    const d = await m.comments.findOne({ _id: commentId, entryId, threadId }).session(s(session)).lean<CommentDoc>();
    return d ? commentFromDoc(d) : null;
  };
  /** In a write transaction: the thread an entry write goes to, with the link guard. */
  const threadForEntryWrite = async (threadId: string, milestoneId: string | null | undefined, session: ClientSession) => {
    const thread = await readThread(threadId, session);
    if (!thread) throw new AppError('NOT_FOUND', 'thread not found');
    if (milestoneId && thread.visibility === 'private') throw invalidField('milestoneId', 'a private entry cannot be milestone evidence');
    return thread;
  };
  const withThreads = async (docs: EntryDoc[]): Promise<EntryInThread[]> => {
    const ids = [...new Set(docs.map((d) => d.threadId))];
    const threads = new Map((await m.threads.find({ _id: { $in: ids } }).lean<ThreadDoc[]>()).map((t) => [t._id, threadFromDoc(t)]));
    return docs.map((d) => ({ thread: threads.get(d.threadId)!, entry: summaryFromDoc(d) }));
  };
  const touch = (threadId: string, at: string, session: ClientSession, entryDelta = 0) =>
    m.threads.updateOne({ _id: threadId }, { $set: { updatedAt: at }, ...(entryDelta !== 0 && { $inc: { entryCount: entryDelta } }) }, { session });

  return {
    createThread: (t) =>
      tx.run('threads', async (session) => {
        const order = await nextCounter(m, 'threads', session);
        await m.threads.create([{ _id: t.id, ownerId: t.ownerId, ...(t.roomId !== undefined && { roomId: t.roomId }), title: t.title, visibility: t.visibility, createdAt: t.createdAt, updatedAt: t.createdAt, entryCount: 0, order }], { session });
        return (await readThread(t.id, session))!;
      }),

    getThread: (id) => readThread(id),

    updateThread: (id, patch) =>
      tx.run(`thread:${id}`, async (session) => {
        const current = await readThread(id, session);
        if (!current) return null;
        const visibility = patch.visibility ?? current.visibility;
        if (visibility !== current.visibility) {
          const linked = await m.entries.countDocuments({ threadId: id, milestoneId: LINKED }).session(session);
          assertVisibilityChange(visibility, current.roomId !== undefined, linked);
          await m.entries.updateMany({ threadId: id }, { $set: { visibility } }, { session });
        }
        await m.threads.updateOne({ _id: id }, { $set: { title: patch.title ?? current.title, visibility, updatedAt: patch.updatedAt } }, { session });
        return readThread(id, session);
      }),

    deleteThread: (id) =>
      tx.run(`thread:${id}`, async (session) => {
        if (!(await readThread(id, session))) return null;
        const removed = (await m.entries.find({ threadId: id }).session(session).sort({ position: 1 }).lean<EntryDoc[]>()).map(summaryFromDoc);
        // The cascade SQLite does with ON DELETE CASCADE, in one transaction.
        await m.comments.deleteMany({ threadId: id }, { session });
        await m.entries.deleteMany({ threadId: id }, { session });
        await m.threads.deleteOne({ _id: id }, { session });
        return removed;
      }),

    async listByOwner(ownerId) {
      return (await m.threads.find({ ownerId }).sort({ updatedAt: -1, order: -1 }).lean<ThreadDoc[]>()).map(threadFromDoc);
    },

    async listByRoom(roomId) {
      return (await m.threads.find({ roomId }).sort({ updatedAt: -1, order: -1 }).lean<ThreadDoc[]>()).map(threadFromDoc);
    },

    addEntry: (e) =>
      tx.run('feed', async (session) => {
        const thread = await threadForEntryWrite(e.threadId, e.milestoneId, session);
        const position = await nextCounter(m, 'feed', session);
        await m.entries.create(
          [{ _id: e.id, position, threadId: e.threadId, kind: e.kind, body: e.body, ...(e.milestoneId !== undefined && { milestoneId: e.milestoneId }), ...(e.goalId !== undefined && { goalId: e.goalId }), createdAt: e.createdAt, commentCount: 0, visibility: thread.visibility, ...(thread.roomId !== undefined && { roomId: thread.roomId }) }],
          { session },
        );
        await touch(e.threadId, e.createdAt, session, 1);
        return (await readEntry(e.threadId, e.id, session))!;
      }),

    getEntry: (threadId, entryId) => readEntry(threadId, entryId),

    async entries(threadId, page) {
      const docs = await m.entries.find({ threadId, position: { $gt: page.after } }).sort({ position: 1 }).limit(page.limit + 1).lean<EntryDoc[]>();
      const pageDocs = docs.slice(0, page.limit);
      // One bounded query per entry (a page has at most feedPageMax entries) rather than every comment.
      const latest = await Promise.all(pageDocs.map((d) => latestComments(d._id, Number.MAX_SAFE_INTEGER, page.inline)));
      const last = pageDocs.at(-1);
      return { items: pageDocs.map((d, i) => entryFromDoc(d, latest[i]!)), last: last ? last.position : null, hasMore: docs.length > page.limit };
    },

    updateEntry: (threadId, entryId, patch) =>
      tx.run(`thread:${threadId}`, async (session) => {
        const current = await readEntry(threadId, entryId, session);
        if (!current) return null;
        const milestoneId = patch.milestoneId === undefined ? (current.milestoneId ?? null) : patch.milestoneId;
        const goalId = patch.goalId === undefined ? (current.goalId ?? null) : patch.goalId;
        await threadForEntryWrite(threadId, milestoneId, session);
        const set: Record<string, unknown> = { kind: patch.kind ?? current.kind, body: patch.body ?? current.body };
        const unset: Record<string, 1> = {};
        for (const [field, value] of [['milestoneId', milestoneId], ['goalId', goalId], ['editedAt', patch.editedAt]] as const) {
          if (value === null) unset[field] = 1;
          else set[field] = value;
        }
        await m.entries.updateOne({ _id: entryId }, { $set: set, ...(Object.keys(unset).length > 0 && { $unset: unset }) }, { session });
        if (patch.editedAt !== null) await touch(threadId, patch.editedAt, session);
        return readEntry(threadId, entryId, session);
      }),

    deleteEntry: (threadId, entryId) =>
      tx.run(`thread:${threadId}`, async (session) => {
        const current = await readEntry(threadId, entryId, session);
        if (!current) return null;
        await m.comments.deleteMany({ entryId }, { session });
        await m.entries.deleteOne({ _id: entryId }, { session });
        await m.threads.updateOne({ _id: threadId }, { $inc: { entryCount: -1 } }, { session });
        return current;
      }),

    addComment: (c) =>
      tx.run(`thread:${c.threadId}`, async (session) => {
        if (!(await m.entries.exists({ _id: c.entryId, threadId: c.threadId }).session(session))) throw new AppError('NOT_FOUND', 'entry not found');
        const position = await nextCounter(m, 'comments', session);
        await m.comments.create([{ _id: c.id, threadId: c.threadId, entryId: c.entryId, authorId: c.authorId, body: c.body, createdAt: c.createdAt, position }], { session });
        await m.entries.updateOne({ _id: c.entryId }, { $inc: { commentCount: 1 } }, { session });
        return (await readComment(c.threadId, c.entryId, c.id, session))!;
      }),

    async comments(threadId, entryId, page) {
      if (!(await m.entries.exists({ _id: entryId, threadId }))) return null;
      const docs = await latestComments(entryId, page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
      // Oldest first: with one row too many, the first is the extra that says another page follows.
      const more = docs.length > page.limit;
      const pageDocs = more ? docs.slice(1) : docs;
      return { items: pageDocs.map(commentFromDoc), next: more && pageDocs[0] ? pageDocs[0].position : null };
    },

    getComment: (threadId, entryId, commentId) => readComment(threadId, entryId, commentId),

    async updateComment(threadId, entryId, commentId, body, editedAt) {
      const d = await m.comments.findOneAndUpdate({ _id: commentId, entryId, threadId }, { $set: { body, editedAt } }, { new: true }).lean<CommentDoc>();
      return d ? commentFromDoc(d) : null;
    },

    deleteComment: (threadId, entryId, commentId) =>
      tx.run(`thread:${threadId}`, async (session) => {
        const current = await readComment(threadId, entryId, commentId, session);
        if (!current) return null;
        await m.comments.deleteOne({ _id: commentId }, { session });
        await m.entries.updateOne({ _id: entryId }, { $inc: { commentCount: -1 } }, { session });
        return current;
      }),

    async commentsByAuthor(authorId, page) {
      const docs = await m.comments.find({ authorId, position: { $gt: page.after } }).sort({ position: 1 }).limit(page.limit + 1).lean<CommentDoc[]>();
      const pageDocs = docs.slice(0, page.limit);
      const last = pageDocs.at(-1);
      return {
        items: pageDocs.map((d) => ({ ...commentFromDoc(d), threadId: d.threadId })),
        next: docs.length > page.limit && last ? last.position : null,
      };
    },

    async feed(page) {
      const docs = await m.entries
        .find({ visibility: FEED_VISIBILITY, position: { $lt: page.before ?? Number.MAX_SAFE_INTEGER } })
        .sort({ position: -1 })
        .limit(page.limit + 1)
        .lean<EntryDoc[]>();
      const pageDocs = docs.slice(0, page.limit);
      const last = pageDocs.at(-1);
      return { items: await withThreads(pageDocs), next: docs.length > page.limit && last ? last.position : null };
    },

    async highlights(roomId) {
      const docs = await m.entries
        .find({ roomId, visibility: { $in: [...HIGHLIGHT_VISIBILITIES] }, $or: [{ kind: HIGHLIGHT_KIND }, { milestoneId: LINKED }] })
        .sort({ position: 1 })
        .lean<EntryDoc[]>();
      return withThreads(docs);
    },
  };
}
