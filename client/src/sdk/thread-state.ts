/**
 * What a client holds of growth threads, kept current from `thread:*` events and from its own
 * REST answers. Pure functions: each takes the held state and one event and returns the new
 * state (the same object when nothing changed). Applying an event twice changes nothing, so a
 * client may apply its own REST answer at once and the matching push later.
 */
import type { ThreadEvent } from '../../../shared/thread-events.js';
import type { Thread, ThreadComment, ThreadEntry } from '../../../shared/types.js';
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
      return mapEntry(state, ev.entry.id, (e) => ({ ...ev.entry, comments: e.comments }));
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
        return comments === e.comments ? e : { ...e, comments };
      });
    case 'thread:comment:deleted':
      return mapEntry(state, ev.entryId, (e) => (e.comments.some((c) => c.id === ev.commentId) ? { ...e, comments: e.comments.filter((c) => c.id !== ev.commentId) } : e));
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
