import { CommentIn, CommentPageQuery, EntryIn, EntryPatchIn, FeedQuery, ThreadCreateIn, ThreadPatchIn } from '../../../shared/schemas/thread.js';
import type { CommentPage, FeedItem, PublicUser, RoomId, Thread, ThreadComment, ThreadEntry, UserId } from '../../../shared/types.js';
import type { RestClient } from './rest.js';
import { check } from './rest.js';

/**
 * One page of a thread's entries, oldest first, each with its latest comments (see `comments()` for older ones). `nextCursor` continues after
 * the last entry returned: the next page while `hasMore`, later the entries added since.
 */
export interface ThreadPage {
  thread: Thread;
  entries: ThreadEntry[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** One page of the public feed, newest first; `nextCursor` is null on the last page. */
export interface FeedPage {
  items: FeedItem[];
  nextCursor: string | null;
}

const query = (q: FeedQuery): string => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
  return params.toString() ? `?${params}` : '';
};
const t = (id: string) => `/threads/${encodeURIComponent(id)}`;
const e = (threadId: string, entryId: string) => `${t(threadId)}/entries/${encodeURIComponent(entryId)}`;

/**
 * Growth threads over REST (docs/THREADS.md). A thread the caller may not read answers NOT_FOUND
 * everywhere; FORBIDDEN means it may be read but not changed by the caller. Live changes arrive
 * as the client's `thread:*` events (to the members of the thread's room).
 */
export class ThreadsApi {
  constructor(private readonly rest: RestClient) {}

  /** A room's threads I may read (with `roomId`), or all of my own. Most recently updated first. */
  async list(opts: { roomId?: RoomId } = {}): Promise<Thread[]> {
    const qs = opts.roomId ? `?roomId=${encodeURIComponent(opts.roomId)}` : '';
    return (await this.rest.request<{ threads: Thread[] }>('GET', `/threads${qs}`)).threads;
  }

  /** A user's public profile and the threads of theirs I may see on it. */
  ofUser(userId: UserId): Promise<{ user: PublicUser; threads: Thread[] }> {
    return this.rest.request('GET', `/users/${encodeURIComponent(userId)}/threads`);
  }

  async create(input: ThreadCreateIn): Promise<Thread> {
    return (await this.rest.request<{ thread: Thread }>('POST', '/threads', check(ThreadCreateIn, input, 'thread'))).thread;
  }

  /** The thread and one page of entries (pass the previous page's `nextCursor` as `cursor`). */
  get(threadId: string, page: FeedQuery = {}): Promise<ThreadPage> {
    return this.rest.request('GET', `${t(threadId)}${query(check(FeedQuery, page, 'thread page'))}`);
  }

  async update(threadId: string, patch: ThreadPatchIn): Promise<Thread> {
    return (await this.rest.request<{ thread: Thread }>('PATCH', t(threadId), check(ThreadPatchIn, patch, 'thread change'))).thread;
  }

  async remove(threadId: string): Promise<void> {
    await this.rest.request('DELETE', t(threadId));
  }

  async addEntry(threadId: string, input: EntryIn): Promise<ThreadEntry> {
    return (await this.rest.request<{ entry: ThreadEntry }>('POST', `${t(threadId)}/entries`, check(EntryIn, input, 'entry'))).entry;
  }

  /** Absent fields keep their value; `null` unlinks a milestone or goal. */
  async editEntry(threadId: string, entryId: string, patch: EntryPatchIn): Promise<ThreadEntry> {
    return (await this.rest.request<{ entry: ThreadEntry }>('PATCH', e(threadId, entryId), check(EntryPatchIn, patch, 'entry change'))).entry;
  }

  async removeEntry(threadId: string, entryId: string): Promise<void> {
    await this.rest.request('DELETE', e(threadId, entryId));
  }

  async addComment(threadId: string, entryId: string, input: CommentIn): Promise<ThreadComment> {
    return (await this.rest.request<{ comment: ThreadComment }>('POST', `${e(threadId, entryId)}/comments`, check(CommentIn, input, 'comment'))).comment;
  }

  /** Older comments of an entry: pass the entry's `commentsCursor`, then each page's `nextCursor` until null. */
  comments(threadId: string, entryId: string, page: CommentPageQuery = {}): Promise<CommentPage> {
    return this.rest.request('GET', `${e(threadId, entryId)}/comments${query(check(CommentPageQuery, page, 'comment page'))}`);
  }

  async editComment(threadId: string, entryId: string, commentId: string, input: CommentIn): Promise<ThreadComment> {
    const path = `${e(threadId, entryId)}/comments/${encodeURIComponent(commentId)}`;
    return (await this.rest.request<{ comment: ThreadComment }>('PATCH', path, check(CommentIn, input, 'comment'))).comment;
  }

  async removeComment(threadId: string, entryId: string, commentId: string): Promise<void> {
    await this.rest.request('DELETE', `${e(threadId, entryId)}/comments/${encodeURIComponent(commentId)}`);
  }

  /** Public entries of everyone, newest first. */
  feed(page: FeedQuery = {}): Promise<FeedPage> {
    return this.rest.request('GET', `/feed${query(check(FeedQuery, page, 'feed page'))}`);
  }
}
