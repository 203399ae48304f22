import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { Limits } from '../../../shared/limits.js';
import type { EntryKind, EntrySummary, Thread, ThreadComment, ThreadEntry, ThreadVisibility } from '../../../shared/types.js';
import { FEED_VISIBILITY, HIGHLIGHT_KIND, HIGHLIGHT_VISIBILITIES, assertVisibilityChange, invalidField } from '../../domain/threads.js';
import type { EntryInThread, ThreadStore } from '../threads.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

/** Growth threads (issue 5). Runs after the core migration; touches no core table. */
export const threadMigrations: Migration[] = [
  {
    id: '003-threads',
    sql: `
      CREATE TABLE threads (
        id         TEXT PRIMARY KEY,
        owner_id   TEXT NOT NULL,
        room_id    TEXT,                               -- fixed at creation
        title      TEXT NOT NULL,
        visibility TEXT NOT NULL,                      -- public | room | private
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX threads_by_owner ON threads(owner_id, updated_at);
      CREATE INDEX threads_by_room ON threads(room_id, updated_at);
      CREATE TABLE thread_entries (
        -- The feed position: AUTOINCREMENT never reuses a value (not even the largest after a
        -- delete), and writes are serialised, so positions grow in commit order: the feed cursor.
        position     INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        thread_id    TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL,
        body         TEXT NOT NULL,
        milestone_id TEXT,
        goal_id      TEXT,
        created_at   TEXT NOT NULL,
        edited_at    TEXT
      );
      CREATE INDEX thread_entries_by_thread ON thread_entries(thread_id, position);
      CREATE TABLE thread_comments (
        position   INTEGER PRIMARY KEY AUTOINCREMENT,  -- comment order within an entry
        id         TEXT NOT NULL UNIQUE,
        entry_id   TEXT NOT NULL REFERENCES thread_entries(id) ON DELETE CASCADE,
        author_id  TEXT NOT NULL,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at  TEXT
      );
      CREATE INDEX thread_comments_by_entry ON thread_comments(entry_id, position);
    `,
  },
  {
    // The account export pages a user's own comments (issue 13).
    id: '006-comments-by-author',
    sql: `CREATE INDEX thread_comments_by_author ON thread_comments(author_id, position);`,
  },
];

interface ThreadRow {
  id: string;
  owner_id: string;
  room_id: string | null;
  title: string;
  visibility: string;
  created_at: string;
  updated_at: string;
  entry_count: number;
}

interface EntryRow {
  position: number;
  id: string;
  thread_id: string;
  kind: string;
  body: string;
  milestone_id: string | null;
  goal_id: string | null;
  created_at: string;
  edited_at: string | null;
  comment_count: number;
}

interface CommentRow {
  position: number;
  id: string;
  entry_id: string;
  author_id: string;
  body: string;
  created_at: string;
  edited_at: string | null;
}

function threadFromRow(r: ThreadRow): Thread {
  const t: Thread = {
    id: r.id,
    ownerId: r.owner_id,
    title: r.title,
    visibility: r.visibility as ThreadVisibility,
    entryCount: r.entry_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.room_id !== null) t.roomId = r.room_id;
  return t;
}

function summaryFromRow(r: EntryRow): EntrySummary {
  const e: EntrySummary = {
    id: r.id,
    threadId: r.thread_id,
    kind: r.kind as EntryKind,
    body: r.body,
    createdAt: r.created_at,
    commentCount: r.comment_count,
  };
  if (r.milestone_id !== null) e.milestoneId = r.milestone_id;
  if (r.goal_id !== null) e.goalId = r.goal_id;
  if (r.edited_at !== null) e.editedAt = r.edited_at;
  return e;
}

/** The entry with its latest comments (oldest first); the cursor names the oldest one shown when there are older. */
function entryFromRow(r: EntryRow, latest: CommentRow[]): ThreadEntry {
  const e: ThreadEntry = { ...summaryFromRow(r), comments: latest.map(commentFromRow) };
  if (r.comment_count > latest.length && latest[0]) e.commentsCursor = String(latest[0].position);
  return e;
}

function commentFromRow(r: CommentRow): ThreadComment {
  const c: ThreadComment = { id: r.id, entryId: r.entry_id, authorId: r.author_id, body: r.body, createdAt: r.created_at };
  if (r.edited_at !== null) c.editedAt = r.edited_at;
  return c;
}

const THREAD = `t.*, (SELECT count(*) FROM thread_entries x WHERE x.thread_id = t.id) AS entry_count`;
const ENTRY = `e.*, (SELECT count(*) FROM thread_comments x WHERE x.entry_id = e.id) AS comment_count`;

export function sqliteThreads(db: Database, writes: WriteQueue): ThreadStore {
  const insertThread = db.prepare(
    `INSERT INTO threads (id, owner_id, room_id, title, visibility, created_at, updated_at)
     VALUES (@id, @ownerId, @roomId, @title, @visibility, @createdAt, @createdAt)`,
  );
  const threadById = db.prepare<[string], ThreadRow>(`SELECT ${THREAD} FROM threads t WHERE t.id = ?`);
  const threadsByOwner = db.prepare<[string], ThreadRow>(`SELECT ${THREAD} FROM threads t WHERE t.owner_id = ? ORDER BY t.updated_at DESC, t.rowid DESC`);
  const threadsByRoom = db.prepare<[string], ThreadRow>(`SELECT ${THREAD} FROM threads t WHERE t.room_id = ? ORDER BY t.updated_at DESC, t.rowid DESC`);
  const setThread = db.prepare('UPDATE threads SET title = @title, visibility = @visibility, updated_at = @updatedAt WHERE id = @id');
  const touchThread = db.prepare('UPDATE threads SET updated_at = ? WHERE id = ?');
  const deleteThreadRow = db.prepare('DELETE FROM threads WHERE id = ?');
  const linkedCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM thread_entries WHERE thread_id = ? AND milestone_id IS NOT NULL');

  const insertEntry = db.prepare(
    `INSERT INTO thread_entries (id, thread_id, kind, body, milestone_id, goal_id, created_at)
     VALUES (@id, @threadId, @kind, @body, @milestoneId, @goalId, @createdAt)`,
  );
  const entryById = db.prepare<[string, string], EntryRow>(`SELECT ${ENTRY} FROM thread_entries e WHERE e.thread_id = ? AND e.id = ?`);
  const entriesAfter = db.prepare<[string, number, number], EntryRow>(
    `SELECT ${ENTRY} FROM thread_entries e WHERE e.thread_id = ? AND e.position > ? ORDER BY e.position ASC LIMIT ?`,
  );
  const allEntries = db.prepare<[string], EntryRow>(`SELECT ${ENTRY} FROM thread_entries e WHERE e.thread_id = ? ORDER BY e.position ASC`);
  const setEntry = db.prepare(
    `UPDATE thread_entries SET kind = @kind, body = @body, milestone_id = @milestoneId, goal_id = @goalId, edited_at = @editedAt
     WHERE id = @id`,
  );
  const deleteEntryRow = db.prepare('DELETE FROM thread_entries WHERE id = ?');

  const insertComment = db.prepare(
    `INSERT INTO thread_comments (id, entry_id, author_id, body, created_at) VALUES (@id, @entryId, @authorId, @body, @createdAt)`,
  );
  const commentById = db.prepare<[string, string, string], CommentRow>(
    `SELECT c.* FROM thread_comments c JOIN thread_entries e ON e.id = c.entry_id
     WHERE e.thread_id = ? AND c.entry_id = ? AND c.id = ?`,
  );
  // Newest first, read back to front by the callers: the latest N before a position.
  const commentsBefore = db.prepare<[string, number, number], CommentRow>(
    'SELECT * FROM thread_comments WHERE entry_id = ? AND position < ? ORDER BY position DESC LIMIT ?',
  );
  // The latest N comments of each entry in a page range, in one query (a window per entry).
  const latestInRange = db.prepare<[string, number, number, number], CommentRow>(
    `SELECT * FROM (
       SELECT c.*, row_number() OVER (PARTITION BY c.entry_id ORDER BY c.position DESC) AS rank
       FROM thread_comments c JOIN thread_entries e ON e.id = c.entry_id
       WHERE e.thread_id = ? AND e.position > ? AND e.position <= ?
     ) WHERE rank <= ? ORDER BY position ASC`,
  );
  const commentsByAuthorAfter = db.prepare<[string, number, number], CommentRow & { thread_id: string }>(
    `SELECT c.*, e.thread_id FROM thread_comments c JOIN thread_entries e ON e.id = c.entry_id
     WHERE c.author_id = ? AND c.position > ? ORDER BY c.position ASC LIMIT ?`,
  );
  const setComment = db.prepare('UPDATE thread_comments SET body = ?, edited_at = ? WHERE id = ?');
  const deleteCommentRow = db.prepare('DELETE FROM thread_comments WHERE id = ?');

  // The visibility rules are the domain's (server/domain/threads.ts), bound as parameters here.
  const feedBefore = db.prepare<[string, number, number], EntryRow>(
    `SELECT ${ENTRY} FROM thread_entries e JOIN threads t ON t.id = e.thread_id
     WHERE t.visibility = ? AND e.position < ? ORDER BY e.position DESC LIMIT ?`,
  );
  const highlightRows = db.prepare<[string, string, string], EntryRow>(
    `SELECT ${ENTRY} FROM thread_entries e JOIN threads t ON t.id = e.thread_id
     WHERE t.room_id = ? AND t.visibility IN (SELECT value FROM json_each(?)) AND (e.kind = ? OR e.milestone_id IS NOT NULL)
     ORDER BY e.position ASC`,
  );

  const readThread = (id: string): Thread | null => {
    const row = threadById.get(id);
    return row ? threadFromRow(row) : null;
  };
  const readEntry = (threadId: string, entryId: string): ThreadEntry | null => {
    const row = entryById.get(threadId, entryId);
    return row ? entryFromRow(row, commentsBefore.all(row.id, Number.MAX_SAFE_INTEGER, Limits.commentsInline).reverse()) : null;
  };
  const readComment = (threadId: string, entryId: string, commentId: string): ThreadComment | null => {
    const row = commentById.get(threadId, entryId, commentId);
    return row ? commentFromRow(row) : null;
  };
  /** In a write transaction: the thread an entry write goes to, with the link guard. */
  const threadForEntryWrite = (threadId: string, milestoneId: string | null | undefined): Thread => {
    const thread = readThread(threadId);
    if (!thread) throw new AppError('NOT_FOUND', 'thread not found');
    if (milestoneId && thread.visibility === 'private') {
      throw invalidField('milestoneId', 'a private entry cannot be milestone evidence');
    }
    return thread;
  };
  /** Threads of a page of entries, each read once. */
  const withThreads = (rows: EntryRow[]): EntryInThread[] => {
    const threads = new Map<string, Thread>();
    return rows.map((row) => {
      let thread = threads.get(row.thread_id);
      if (!thread) {
        thread = readThread(row.thread_id)!;
        threads.set(row.thread_id, thread);
      }
      return { thread, entry: summaryFromRow(row) };
    });
  };

  return {
    createThread: (t) =>
      writes.run(() => {
        insertThread.run({ ...t, roomId: t.roomId ?? null });
        return readThread(t.id)!;
      }),

    async getThread(id) {

      await writes.durable();
      return readThread(id);
    },

    updateThread: (id, patch) =>
      writes.run(() => {
        const current = readThread(id);
        if (!current) return null;
        const visibility = patch.visibility ?? current.visibility;
        if (visibility !== current.visibility) assertVisibilityChange(visibility, current.roomId !== undefined, linkedCount.get(id)!.n);
        setThread.run({ id, title: patch.title ?? current.title, visibility, updatedAt: patch.updatedAt });
        return readThread(id);
      }),

    deleteThread: (id) =>
      writes.run(() => {
        if (!readThread(id)) return null;
        const removed = allEntries.all(id).map(summaryFromRow);
        deleteThreadRow.run(id); // entries and comments go with it (ON DELETE CASCADE)
        return removed;
      }),

    async listByOwner(ownerId) {

      await writes.durable();
      return threadsByOwner.all(ownerId).map(threadFromRow);
    },

    async listByRoom(roomId) {

      await writes.durable();
      return threadsByRoom.all(roomId).map(threadFromRow);
    },

    addEntry: (e) =>
      writes.run(() => {
        threadForEntryWrite(e.threadId, e.milestoneId);
        insertEntry.run({ ...e, milestoneId: e.milestoneId ?? null, goalId: e.goalId ?? null });
        touchThread.run(e.createdAt, e.threadId);
        return readEntry(e.threadId, e.id)!;
      }),

    async getEntry(threadId, entryId) {

      await writes.durable();
      return readEntry(threadId, entryId);
    },

    async entries(threadId, page) {
      // Like every read: nothing is served that is not yet durable.
      await writes.durable();
      // One extra row tells whether another page follows, without a COUNT.
      const rows = entriesAfter.all(threadId, page.after, page.limit + 1);
      const pageRows = rows.slice(0, page.limit);
      const last = pageRows.at(-1);
      const comments = new Map<string, CommentRow[]>();
      if (last) {
        for (const c of latestInRange.all(threadId, page.after, last.position, page.inline ?? Number.MAX_SAFE_INTEGER)) {
          const list = comments.get(c.entry_id) ?? [];
          list.push(c);
          comments.set(c.entry_id, list);
        }
      }
      return {
        items: pageRows.map((r) => entryFromRow(r, comments.get(r.id) ?? [])),
        last: last ? last.position : null,
        hasMore: rows.length > page.limit,
      };
    },

    updateEntry: (threadId, entryId, patch) =>
      writes.run(() => {
        const current = readEntry(threadId, entryId);
        if (!current) return null;
        const milestoneId = patch.milestoneId === undefined ? (current.milestoneId ?? null) : patch.milestoneId;
        threadForEntryWrite(threadId, milestoneId);
        setEntry.run({
          id: entryId,
          kind: patch.kind ?? current.kind,
          body: patch.body ?? current.body,
          milestoneId,
          goalId: patch.goalId === undefined ? (current.goalId ?? null) : patch.goalId,
          editedAt: patch.editedAt,
        });
        if (patch.editedAt !== null) touchThread.run(patch.editedAt, threadId);
        return readEntry(threadId, entryId);
      }),

    deleteEntry: (threadId, entryId) =>
      writes.run(() => {
        const current = readEntry(threadId, entryId);
        if (!current) return null;
        deleteEntryRow.run(entryId); // its comments go with it (ON DELETE CASCADE)
        return current;
      }),

    addComment: (c) =>
      writes.run(() => {
        if (!entryById.get(c.threadId, c.entryId)) throw new AppError('NOT_FOUND', 'entry not found');
        insertComment.run(c);
        return readComment(c.threadId, c.entryId, c.id)!;
      }),

    async comments(threadId, entryId, page) {
      await writes.durable();
      if (!entryById.get(threadId, entryId)) return null;
      const rows = commentsBefore.all(entryId, page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
      const pageRows = rows.slice(0, page.limit);
      const oldest = pageRows.at(-1);
      return { items: pageRows.reverse().map(commentFromRow), next: rows.length > page.limit && oldest ? oldest.position : null };
    },

    async getComment(threadId, entryId, commentId) {

      await writes.durable();
      return readComment(threadId, entryId, commentId);
    },

    updateComment: (threadId, entryId, commentId, body, editedAt) =>
      writes.run(() => {
        if (!readComment(threadId, entryId, commentId)) return null;
        setComment.run(body, editedAt, commentId);
        return readComment(threadId, entryId, commentId);
      }),

    deleteComment: (threadId, entryId, commentId) =>
      writes.run(() => {
        const current = readComment(threadId, entryId, commentId);
        if (!current) return null;
        deleteCommentRow.run(commentId);
        return current;
      }),

    async commentsByAuthor(authorId, page) {
      await writes.durable();
      const rows = commentsByAuthorAfter.all(authorId, page.after, page.limit + 1);
      const pageRows = rows.slice(0, page.limit);
      const last = pageRows.at(-1);
      return {
        items: pageRows.map((r) => ({ ...commentFromRow(r), threadId: r.thread_id })),
        next: rows.length > page.limit && last ? last.position : null,
      };
    },

    async feed(page) {

      await writes.durable();
      const rows = feedBefore.all(FEED_VISIBILITY, page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
      const pageRows = rows.slice(0, page.limit);
      const last = pageRows.at(-1);
      return { items: withThreads(pageRows), next: rows.length > page.limit && last ? last.position : null };
    },

    async highlights(roomId) {

      await writes.durable();
      return withThreads(highlightRows.all(roomId, JSON.stringify(HIGHLIGHT_VISIBILITIES), HIGHLIGHT_KIND));
    },
  };
}
