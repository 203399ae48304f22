import { AppError } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';
import { Limits } from '../../shared/limits.js';
import type { ServerEvents } from '../../shared/server-events.js';
import type { ThreadEventName, ThreadPushes } from '../../shared/thread-events.js';
import type { CommentIn, CommentPageQuery, EntryIn, EntryPatchIn, FeedQuery, ThreadCreateIn, ThreadPatchIn } from '../../shared/schemas/thread.js';
import type { CommentPage, FeedItem, PublicUser, Room, Thread, ThreadComment, ThreadEntry, ThreadHighlight, UserId } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { isMember } from '../domain/rooms.js';
import { assertLinksAllowed, excerptOf, invalidField, isHighlight } from '../domain/threads.js';
import {
  assertCanEdit,
  assertCanRead,
  audienceOf,
  canDeleteComment,
  canEditComment,
  listedInRoom,
  listedOnProfile,
} from '../domain/visibility.js';
import { newId, nowIso } from '../ids.js';
import { ServerLimits } from '../limits.js';
import type { Logger } from '../log.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { Store } from '../store/port.js';
import { toPublicUser } from '../users/dto.js';
import { commentAllowance, type CommentRate } from './comment-limits.js';
import type { MilestoneLinks } from './milestone-links.js';

/**
 * A thread read: one page of its entries (oldest first). `nextCursor` continues after the last
 * entry returned: the next page while `hasMore`, or later on the entries added since.
 */
export interface ThreadPage {
  thread: Thread;
  entries: ThreadEntry[];
  nextCursor: string | null;
  hasMore: boolean;
}

interface Loaded {
  thread: Thread;
  room: Room | null;
}

/** How many of `entries` (at least one) fit in `bytes` of JSON. */
function entriesWithin(entries: readonly ThreadEntry[], bytes: number): number {
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    total += Buffer.byteLength(JSON.stringify(entries[i]));
    if (total > bytes) return Math.max(1, i);
  }
  return entries.length;
}

/**
 * Growth threads: a user's journey in entries, with comments, milestone evidence and the public
 * feed. Authorises with the pure rules in domain/visibility.ts, persists via the Store, keeps the
 * roadmap's evidence in step through MilestoneLinks, then tells the room's readers.
 *
 * Without `links` (no roadmap on this node) an entry naming a milestone is refused rather than
 * stored unlinked.
 */
export class ThreadService {
  constructor(
    private readonly store: Store,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
    private readonly links?: MilestoneLinks,
    private readonly commentRate: CommentRate = commentAllowance(),
  ) {}

  /** A new thread of the caller's; tied to a room only by a member of it (others get NOT_FOUND). */
  async create(user: AuthUser, input: ThreadCreateIn): Promise<Thread> {
    let room: Room | null = null;
    if (input.roomId !== undefined) {
      room = await this.store.rooms.get(input.roomId);
      // NOT_FOUND for a stranger's room too: this route does not reveal which rooms exist.
      if (!room || !isMember(room, user.id)) throw new AppError('NOT_FOUND', 'room not found');
    }
    const thread = await this.store.threads.createThread({
      id: newId(),
      ownerId: user.id,
      ...(input.roomId !== undefined ? { roomId: input.roomId } : {}),
      title: input.title,
      visibility: input.visibility,
      createdAt: nowIso(),
    });
    this.emit(thread, room, Ev.threadNew, { thread });
    return thread;
  }

  /** The thread and one page of its entries with their latest comments. NOT_FOUND unless the caller may read it. */
  async get(user: AuthUser, threadId: string, query: FeedQuery): Promise<ThreadPage> {
    const { thread } = await this.load(user.id, threadId);
    const after = query.cursor === undefined ? 0 : Number(query.cursor);
    const inline = Limits.commentsInline;
    let page = await this.store.threads.entries(thread.id, { after, limit: query.limit ?? Limits.pageDefault, inline });
    // A page stops once its JSON passes threadPageBytes (one entry at least); the cursor goes on from there.
    const fit = entriesWithin(page.items, ServerLimits.threadPageBytes);
    if (fit < page.items.length) page = await this.store.threads.entries(thread.id, { after, limit: fit, inline });
    const nextCursor = page.last !== null ? String(page.last) : (query.cursor ?? null);
    return { thread, entries: page.items, nextCursor, hasMore: page.hasMore };
  }

  /** Older comments of an entry, page by page back from a cursor; the same read check as the thread. */
  async comments(user: AuthUser, threadId: string, entryId: string, query: CommentPageQuery): Promise<CommentPage> {
    const { thread } = await this.load(user.id, threadId);
    const before = query.before === undefined ? undefined : Number(query.before);
    const page = await this.store.threads.comments(thread.id, entryId, { ...(before !== undefined && { before }), limit: query.limit ?? Limits.commentsInline });
    if (!page) throw new AppError('NOT_FOUND', 'entry not found');
    return { comments: page.items, nextCursor: page.next === null ? null : String(page.next) };
  }

  /** Owner only. Turning private is refused (GUARD_FAILED) while entries are milestone evidence. */
  async update(user: AuthUser, threadId: string, patch: ThreadPatchIn): Promise<Thread> {
    const { thread, room } = await this.load(user.id, threadId);
    assertCanEdit(thread, user.id, room);
    const stored = await this.store.threads.updateThread(thread.id, { ...patch, updatedAt: nowIso() });
    if (!stored) throw new AppError('NOT_FOUND', 'thread not found');
    const before = audienceOf(thread, room);
    const after = audienceOf(stored, room);
    if (room && after.length > 0) this.broadcast.toUsers(after, Ev.threadUpdated, { roomId: room.id, threadId: stored.id, thread: stored });
    // Readers who lost access see the thread go away, without its new contents.
    const lost = before.filter((id) => !after.includes(id));
    if (room && lost.length > 0) this.broadcast.toUsers(lost, Ev.threadDeleted, { roomId: room.id, threadId: stored.id });
    return stored;
  }

  /** Owner only: removes the thread, its entries and comments, and their milestone evidence. */
  async remove(user: AuthUser, threadId: string): Promise<void> {
    const { thread, room } = await this.load(user.id, threadId);
    assertCanEdit(thread, user.id, room);
    const removed = await this.store.threads.deleteThread(thread.id);
    if (!removed) throw new AppError('NOT_FOUND', 'thread not found');
    for (const entry of removed) {
      if (entry.milestoneId !== undefined) await this.unlink(thread, entry.milestoneId, entry.id);
    }
    this.emit(thread, room, Ev.threadDeleted, {});
  }

  /** The caller's own threads, every visibility, most recently updated first. */
  async listMine(user: AuthUser): Promise<Thread[]> {
    return this.store.threads.listByOwner(user.id);
  }

  /** A room's threads the caller may read (a stranger sees its public ones; an unknown room has none). */
  async listForRoom(user: AuthUser, roomId: string): Promise<Thread[]> {
    const room = await this.store.rooms.get(roomId);
    if (!room) return [];
    return (await this.store.threads.listByRoom(room.id)).filter((t) => listedInRoom(t, user.id, room));
  }

  /** Profile page data: the user and their threads as the caller may see them (others: public only). */
  async listForUser(user: AuthUser, ownerId: string): Promise<{ user: PublicUser; threads: Thread[] }> {
    const owner = await this.store.users.get(ownerId);
    if (!owner) throw new AppError('NOT_FOUND', 'user not found');
    const threads = (await this.store.threads.listByOwner(owner.id)).filter((t) => listedOnProfile(t, user.id));
    return { user: toPublicUser(owner), threads };
  }

  /**
   * Owner only. The entry is stored first (durably), then added to its milestone's evidence; if
   * that fails the entry is removed again and the error returned, so it is never left unlinked.
   */
  async addEntry(user: AuthUser, threadId: string, input: EntryIn): Promise<ThreadEntry> {
    const { thread, room } = await this.load(user.id, threadId);
    assertCanEdit(thread, user.id, room);
    await this.checkLinks(thread, room, input.milestoneId, input.goalId);
    const entry = await this.store.threads.addEntry({ id: newId(), threadId: thread.id, ...input, createdAt: nowIso() });
    if (entry.milestoneId !== undefined) {
      try {
        await this.links!.addEvidence(thread.roomId!, entry.milestoneId, entry.id);
      } catch (err) {
        await this.store.threads.deleteEntry(thread.id, entry.id);
        throw err;
      }
    }
    this.emit(thread, room, Ev.threadEntryNew, { entry });
    return entry;
  }

  /**
   * Owner only. A new milestone is checked, the entry stored, then the evidence moved: added to the
   * new milestone (on failure the edit is rolled back and the error returned) and removed from the
   * old one (a failure there is logged: the entry already points at its new milestone).
   */
  async editEntry(user: AuthUser, threadId: string, entryId: string, patch: EntryPatchIn): Promise<ThreadEntry> {
    const { thread, room } = await this.load(user.id, threadId);
    assertCanEdit(thread, user.id, room);
    const current = await this.entryOf(thread, entryId);
    const newMilestone = typeof patch.milestoneId === 'string' && patch.milestoneId !== current.milestoneId ? patch.milestoneId : undefined;
    await this.checkLinks(thread, room, newMilestone, patch.goalId ?? undefined);
    const entry = await this.store.threads.updateEntry(thread.id, current.id, { ...patch, editedAt: nowIso() });
    if (!entry) throw new AppError('NOT_FOUND', 'entry not found');
    if (entry.milestoneId !== current.milestoneId) {
      if (entry.milestoneId !== undefined) {
        try {
          await this.links!.addEvidence(thread.roomId!, entry.milestoneId, entry.id);
        } catch (err) {
          await this.store.threads.updateEntry(thread.id, current.id, {
            kind: current.kind,
            body: current.body,
            milestoneId: current.milestoneId ?? null,
            goalId: current.goalId ?? null,
            editedAt: current.editedAt ?? null,
          });
          throw err;
        }
      }
      if (current.milestoneId !== undefined) await this.unlink(thread, current.milestoneId, current.id);
    }
    this.emit(thread, room, Ev.threadEntryUpdated, { entry });
    return entry;
  }

  /** Owner only: deletes the entry with its comments, then takes it out of its milestone's evidence. */
  async removeEntry(user: AuthUser, threadId: string, entryId: string): Promise<void> {
    const { thread, room } = await this.load(user.id, threadId);
    assertCanEdit(thread, user.id, room);
    const removed = await this.store.threads.deleteEntry(thread.id, entryId);
    if (!removed) throw new AppError('NOT_FOUND', 'entry not found');
    if (removed.milestoneId !== undefined) await this.unlink(thread, removed.milestoneId, removed.id);
    this.emit(thread, room, Ev.threadEntryDeleted, { entryId: removed.id });
  }

  /** Any reader may comment (the mentor; anyone signed in on a public thread). */
  async addComment(user: AuthUser, threadId: string, entryId: string, input: CommentIn): Promise<ThreadComment> {
    const { thread, room } = await this.load(user.id, threadId);
    const entry = await this.entryOf(thread, entryId);
    // Limits on what strangers may write on a public entry (issue 13). The count is read before the
    // insert, so concurrent comments may pass the cap by a few; the rate bounds how many.
    if (entry.commentCount >= ServerLimits.commentsPerEntry) {
      throw new AppError('GUARD_FAILED', `this entry has ${ServerLimits.commentsPerEntry} comments, the most it may have`, { guard: 'comments-per-entry' });
    }
    if (!(await this.commentRate(user.id))) throw new AppError('RATE_LIMITED', `at most ${ServerLimits.commentsPerUserPerMinute} comments per minute`);
    const comment = await this.store.threads.addComment({
      id: newId(),
      threadId: thread.id,
      entryId,
      authorId: user.id,
      body: input.body,
      createdAt: nowIso(),
    });
    this.emit(thread, room, Ev.threadCommentNew, { entryId, comment });
    return comment;
  }

  /** The comment's author only. */
  async editComment(user: AuthUser, threadId: string, entryId: string, commentId: string, input: CommentIn): Promise<ThreadComment> {
    const { thread, room } = await this.load(user.id, threadId);
    const current = await this.commentOf(thread, entryId, commentId);
    if (!canEditComment(current, user.id)) throw new AppError('FORBIDDEN', 'only the author may edit this comment');
    const comment = await this.store.threads.updateComment(thread.id, entryId, current.id, input.body, nowIso());
    if (!comment) throw new AppError('NOT_FOUND', 'comment not found');
    this.emit(thread, room, Ev.threadCommentUpdated, { entryId, comment });
    return comment;
  }

  /** The comment's author, or the thread's owner (who moderates feedback on their journey). */
  async removeComment(user: AuthUser, threadId: string, entryId: string, commentId: string): Promise<void> {
    const { thread, room } = await this.load(user.id, threadId);
    const current = await this.commentOf(thread, entryId, commentId);
    if (!canDeleteComment(current, thread, user.id)) throw new AppError('FORBIDDEN', 'only the author or the thread owner may delete this comment');
    if (!(await this.store.threads.deleteComment(thread.id, entryId, current.id))) throw new AppError('NOT_FOUND', 'comment not found');
    this.emit(thread, room, Ev.threadCommentDeleted, { entryId, commentId: current.id });
  }

  /** Public entries, newest first. The cursor is a feed position: pages never shift as entries are added. */
  async feed(_user: AuthUser, query: FeedQuery): Promise<{ items: FeedItem[]; nextCursor: string | null }> {
    const page = await this.store.threads.feed({
      ...(query.cursor !== undefined ? { before: Number(query.cursor) } : {}),
      limit: query.limit ?? Limits.feedPageDefault,
    });
    const owners = new Map<UserId, string>();
    for (const { thread } of page.items) {
      if (!owners.has(thread.ownerId)) owners.set(thread.ownerId, (await this.store.users.get(thread.ownerId))?.displayName ?? '');
    }
    return {
      items: page.items.map(({ thread, entry }) => ({ entry, thread, owner: { id: thread.ownerId, displayName: owners.get(thread.ownerId)! } })),
      nextCursor: page.next === null ? null : String(page.next),
    };
  }

  /**
   * The room's highlights for its record of achievement: breakthroughs and milestone evidence from
   * its room- and public-visible threads, oldest first. Not authorised here: the caller (the record)
   * has already checked that its user is a member of the room.
   */
  async highlights(roomId: string): Promise<ThreadHighlight[]> {
    const rows = await this.store.threads.highlights(roomId);
    return rows
      .filter(({ thread, entry }) => thread.visibility !== 'private' && isHighlight(entry))
      .map(({ thread, entry }) => ({
        threadId: thread.id,
        threadTitle: thread.title,
        entryId: entry.id,
        kind: entry.kind,
        excerpt: excerptOf(entry.body),
        ...(entry.milestoneId !== undefined ? { milestoneId: entry.milestoneId } : {}),
        ...(entry.goalId !== undefined ? { goalId: entry.goalId } : {}),
        createdAt: entry.createdAt,
      }));
  }

  /** The thread and its room; NOT_FOUND when it does not exist or the viewer may not read it. */
  private async load(viewer: UserId, threadId: string): Promise<Loaded> {
    const thread = await this.store.threads.getThread(threadId);
    if (!thread) throw new AppError('NOT_FOUND', 'thread not found');
    const room = thread.roomId !== undefined ? await this.store.rooms.get(thread.roomId) : null;
    assertCanRead(thread, viewer, room);
    return { thread, room };
  }

  private async entryOf(thread: Thread, entryId: string): Promise<ThreadEntry> {
    const entry = await this.store.threads.getEntry(thread.id, entryId);
    if (!entry) throw new AppError('NOT_FOUND', 'entry not found');
    return entry;
  }

  private async commentOf(thread: Thread, entryId: string, commentId: string): Promise<ThreadComment> {
    const comment = await this.store.threads.getComment(thread.id, entryId, commentId);
    if (!comment) throw new AppError('NOT_FOUND', 'comment not found');
    return comment;
  }

  /** Domain rules for goal and milestone links, then the roadmap's word on the milestone. */
  private async checkLinks(thread: Thread, room: Room | null, milestoneId: string | undefined, goalId: string | undefined): Promise<void> {
    assertLinksAllowed({ thread, milestoneId, goalId }, room);
    if (milestoneId === undefined) return;
    if (!this.links) {
      throw invalidField('milestoneId', 'roadmap not available: an entry cannot name a milestone on this server');
    }
    if (!(await this.links.milestoneExists(room!.id, milestoneId))) {
      throw invalidField('milestoneId', "milestoneId is not a milestone of this room's roadmap");
    }
  }

  /** Takes an entry out of a milestone's evidence; a failure is logged, not thrown (the entry change already stands). */
  private async unlink(thread: Thread, milestoneId: string, entryId: string): Promise<void> {
    if (!this.links || thread.roomId === undefined) return;
    try {
      await this.links.removeEvidence(thread.roomId, milestoneId, entryId);
    } catch (err) {
      this.log.warn({ err, roomId: thread.roomId, milestoneId, entryId }, 'could not remove milestone evidence');
    }
  }

  /** Tells the room's members who may read the thread (nobody when it is not tied to a room). */
  private emit<E extends ThreadEventName>(thread: Thread, room: Room | null, event: E, payload: Omit<ThreadPushes[E], 'roomId' | 'threadId'>): void {
    const to = audienceOf(thread, room);
    // The spread of an Omit<> is not provably the whole payload to tsc; roomId and threadId complete it.
    if (room && to.length > 0) this.broadcast.toUsers(to, event, { roomId: room.id, threadId: thread.id, ...payload } as ServerEvents[E]);
  }
}
