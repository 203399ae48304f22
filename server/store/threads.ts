/**
 * The growth-thread part of the Store port (re-exported from port.ts). Every write resolves after
 * its commit is durable. Entries carry a store-allocated feed position: monotonic, never reused,
 * allocated in commit order, so a cursor on it pages stably while entries are being added.
 */
import type { EntryKind, EntrySummary, RoomId, Thread, ThreadComment, ThreadEntry, ThreadVisibility, UserId } from '../../shared/types.js';

export interface NewThread {
  id: string;
  ownerId: UserId;
  roomId?: RoomId;
  title: string;
  visibility: ThreadVisibility;
  createdAt: string;
}

export interface ThreadPatch {
  title?: string;
  visibility?: ThreadVisibility;
  updatedAt: string;
}

export interface NewEntry {
  id: string;
  threadId: string;
  kind: EntryKind;
  body: string;
  milestoneId?: string;
  goalId?: string;
  createdAt: string;
}

/** Absent fields keep their value; `null` clears a link. */
export interface EntryPatch {
  kind?: EntryKind;
  body?: string;
  milestoneId?: string | null;
  goalId?: string | null;
  /** When it was edited; null only when a failed edit is rolled back to a never-edited entry. */
  editedAt: string | null;
}

export interface NewComment {
  id: string;
  threadId: string;
  entryId: string;
  authorId: UserId;
  body: string;
  createdAt: string;
}

/** One page and the position to continue from (null: this was the last page). */
export interface PositionPage<T> {
  items: T[];
  next: number | null;
}

/** A comment with the thread of its entry (a user's own comments, for the account export). */
export type CommentInThread = ThreadComment & { threadId: string };

/** An entry with the thread it belongs to (feed items, highlights). */
export interface EntryInThread {
  thread: Thread;
  entry: EntrySummary;
}

export interface ThreadStore {
  createThread(t: NewThread): Promise<Thread>;
  getThread(id: string): Promise<Thread | null>;
  /**
   * Changes title and/or visibility and bumps updatedAt; null when there is no such thread.
   * Throws GUARD_FAILED when turning private a thread with milestone-linked entries, checked in the
   * write transaction so a concurrent link cannot slip past it.
   */
  updateThread(id: string, patch: ThreadPatch): Promise<Thread | null>;
  /** Deletes the thread with its entries and comments; returns the removed entries, or null when there was none. */
  deleteThread(id: string): Promise<EntrySummary[] | null>;
  /** The user's threads, most recently updated first. */
  listByOwner(ownerId: UserId): Promise<Thread[]>;
  /** The threads tied to a room, most recently updated first. */
  listByRoom(roomId: RoomId): Promise<Thread[]>;

  /**
   * Appends an entry at the next feed position and bumps the thread's updatedAt. Throws NOT_FOUND
   * when the thread is gone, INVALID_INPUT when linking a milestone on a private thread (both checked
   * in the write transaction).
   */
  addEntry(e: NewEntry): Promise<ThreadEntry>;
  /** The entry with its latest `Limits.commentsInline` comments (as a thread read sends it). */
  getEntry(threadId: string, entryId: string): Promise<ThreadEntry | null>;
  /**
   * A thread's entries with their latest `inline` comments (absent = all; commentCount and
   * commentsCursor say what is older), oldest first, after a position (0 = from the start).
   * `last` is the position of the last entry returned (null when none), so a reader can resume
   * from it later and get exactly the entries added since.
   */
  entries(threadId: string, page: { after: number; limit: number; inline?: number }): Promise<{ items: ThreadEntry[]; last: number | null; hasMore: boolean }>;
  /** Applies the patch and sets editedAt; null when there is no such entry. Same guard as addEntry. */
  updateEntry(threadId: string, entryId: string, patch: EntryPatch): Promise<ThreadEntry | null>;
  /** Deletes the entry and its comments; returns what was removed, or null. */
  deleteEntry(threadId: string, entryId: string): Promise<ThreadEntry | null>;

  /** Throws NOT_FOUND when the entry is gone or not in that thread (checked in the write transaction). */
  addComment(c: NewComment): Promise<ThreadComment>;
  /**
   * An entry's comments strictly before a position (absent = from the newest), the newest `limit`
   * of them, returned oldest first; `next` continues further back. Null when the entry is not in the thread.
   */
  comments(threadId: string, entryId: string, page: { before?: number; limit: number }): Promise<PositionPage<ThreadComment> | null>;
  getComment(threadId: string, entryId: string, commentId: string): Promise<ThreadComment | null>;
  updateComment(threadId: string, entryId: string, commentId: string, body: string, editedAt: string): Promise<ThreadComment | null>;
  deleteComment(threadId: string, entryId: string, commentId: string): Promise<ThreadComment | null>;
  /**
   * Every comment the user wrote, on any thread, oldest first, strictly after a comment position
   * (0 = from the start). `next` is the position to pass as `after` for the next page.
   */
  commentsByAuthor(authorId: UserId, page: { after: number; limit: number }): Promise<PositionPage<CommentInThread>>;

  /**
   * Entries of public threads, newest first, strictly before a position (absent = from the newest).
   * Positions only grow, so entries added while a reader pages land before its first page and never
   * shift later pages; deleted entries and entries of threads no longer public are simply absent.
   */
  feed(page: { before?: number; limit: number }): Promise<PositionPage<EntryInThread>>;
  /**
   * A room's highlights for its record of achievement: breakthroughs and milestone-linked entries
   * of the room's threads that are room- or public-visible (never private), oldest first.
   */
  highlights(roomId: RoomId): Promise<EntryInThread[]>;
}
