/**
 * What a client holds of growth threads, kept current from `thread:*` events and from its own
 * REST answers. Pure functions: each takes the held state and one event and returns the new
 * state (the same object when nothing changed). Applying an event twice changes nothing, so a
 * client may apply its own REST answer at once and the matching push later.
 */
import type { ThreadEvent } from '../../../shared/thread-events.js';
import type { CommentPage, Thread, ThreadComment, ThreadEntry } from '../../../shared/types.js';
import type { ThreadPage } from './rest-threads.js';

/** One thread and the entries loaded so far, oldest first. */
export interface ThreadState {
  thread: Thread;
  entries: ThreadEntry[];
  /** Pass as `cursor` to load what follows the last held entry. */
  nextCursor: string | null;
  /** More entries exist after the held ones than have been loaded. */
  hasMore: boolean;
}

/** The state after the first page. */
export const threadStateFrom = (page: ThreadPage): ThreadState => ({ thread: page.thread, entries: page.entries, nextCursor: page.nextCursor, hasMore: page.hasMore });

/** Adds the next page (entries already held, e.g. from a push, are not repeated). */
export function withPage(state: ThreadState, page: ThreadPage): ThreadState {
  const held = new Set(state.entries.map((e) => e.id));
  return {
    thread: page.thread,
    entries: [...state.entries, ...page.entries.filter((e) => !held.has(e.id))],
    nextCursor: page.nextCursor ?? state.nextCursor,
    hasMore: page.hasMore,
  };
}

/** Puts a page of an entry's older comments before the held ones and moves its cursor further back. */
export function withOlderComments(state: ThreadState, entryId: string, page: CommentPage): ThreadState {
  return mapEntry(state, entryId, (e) => {
    const held = new Set(e.comments.map((c) => c.id));
    const { commentsCursor: _cursor, ...rest } = e;
    const comments = [...page.comments.filter((c) => !held.has(c.id)), ...e.comments];
    return { ...rest, comments, ...(page.nextCursor !== null && { commentsCursor: page.nextCursor }) };
  });
}

const mapEntry = (state: ThreadState, entryId: string, fn: (e: ThreadEntry) => ThreadEntry): ThreadState => {
  let changed = false;
  const entries = state.entries.map((e) => {
    if (e.id !== entryId) return e;
    const next = fn(e);
    if (next !== e) changed = true;
    return next;
  });
  return changed ? { ...state, entries } : state;
};

const upsertComment = (comments: ThreadComment[], c: ThreadComment): ThreadComment[] => {
  const i = comments.findIndex((x) => x.id === c.id);
  if (i === -1) return [...comments, c];
  const next = comments.slice();
  next[i] = c;
  return next;
};

/**
 * One event applied to a held thread; null when the thread went away (deleted, or I can no
 * longer read it). Events of other threads return the state unchanged.
 */
export function applyThreadEvent(state: ThreadState, ev: ThreadEvent): ThreadState | null {
  if (ev.threadId !== state.thread.id) return state;
  switch (ev.type) {
    case 'thread:new':
    case 'thread:updated':
      return { ...state, thread: ev.thread };
    case 'thread:deleted':
      return null;
    case 'thread:entry:new': {
      if (state.entries.some((e) => e.id === ev.entry.id)) return state;
      const thread = { ...state.thread, entryCount: state.thread.entryCount + 1 };
      // With pages still to load, the new entry comes with the last of them: appending it now
      // would put it before the entries in between.
      if (state.hasMore) return { ...state, thread };
      return { ...state, thread, entries: [...state.entries, { ...ev.entry, comments: ev.entry.comments ?? [] }] };
    }
    case 'thread:entry:updated':
      // Comments follow their own events: keep the held ones.
      // Comments follow their own events: keep the held ones, their count and the cursor to older ones.
      return mapEntry(state, ev.entry.id, (e) => {
        const { commentsCursor: _cursor, ...fields } = ev.entry;
        return { ...fields, comments: e.comments, commentCount: e.commentCount, ...(e.commentsCursor !== undefined && { commentsCursor: e.commentsCursor }) };
      });
    case 'thread:entry:deleted': {
      if (!state.entries.some((e) => e.id === ev.entryId)) return state;
      return {
        ...state,
        thread: { ...state.thread, entryCount: Math.max(0, state.thread.entryCount - 1) },
        entries: state.entries.filter((e) => e.id !== ev.entryId),
      };
    }
    case 'thread:comment:new':
    case 'thread:comment:updated':
      return mapEntry(state, ev.entryId, (e) => {
        const comments = upsertComment(e.comments, ev.comment);
        if (comments === e.comments) return e;
        // A comment not held before is new (older ones never arrive as events): count it.
        const added = comments.length > e.comments.length ? 1 : 0;
        return { ...e, comments, commentCount: e.commentCount + added };
      });
    case 'thread:comment:deleted':
      // Only a held comment is counted off: a repeated event must not count twice.
      return mapEntry(state, ev.entryId, (e) =>
        e.comments.some((c) => c.id === ev.commentId)
          ? { ...e, comments: e.comments.filter((c) => c.id !== ev.commentId), commentCount: Math.max(0, e.commentCount - 1) }
          : e,
      );
  }
}

/**
 * One event applied to a room's list of threads (most recently active first). Threads of other
 * rooms are ignored; a new entry moves its thread to the top and counts it.
 */
export function applyToThreadList(list: readonly Thread[], roomId: string, ev: ThreadEvent): readonly Thread[] {
  if (ev.roomId !== roomId) return list;
  const without = list.filter((t) => t.id !== ev.threadId);
  const current = list.find((t) => t.id === ev.threadId);
  switch (ev.type) {
    case 'thread:new':
      return current ? list : [ev.thread, ...list];
    case 'thread:updated':
      return [ev.thread, ...without];
    case 'thread:deleted':
      return current ? without : list;
    case 'thread:entry:new':
      return current ? [{ ...current, entryCount: current.entryCount + 1, updatedAt: ev.entry.createdAt }, ...without] : list;
    case 'thread:entry:deleted':
      return current ? list.map((t) => (t === current ? { ...t, entryCount: Math.max(0, t.entryCount - 1) } : t)) : list;
    default:
      return list;
  }
}
