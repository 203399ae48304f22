/**
 * Who may see and change a growth thread (DESIGN §3, docs/THREADS.md). Pure: every function takes
 * the thread, the viewer (null = no sign-in) and the room the thread is tied to (null when it is
 * not tied to one, or that room is gone) and returns a decision.
 *
 * - public: anyone signed in reads and comments.
 * - room: the two members of the thread's room read and comment.
 * - private: the owner only, and never listed to anyone else.
 * - Only the owner edits the thread and writes, edits or deletes its entries.
 * - A comment is edited by its author only; it is deleted by its author or the thread's owner
 *   (the owner moderates feedback on their own journey, which strangers may write on public threads).
 * - Nothing is readable without a sign-in, the feed included ("anyone signed in may read").
 *
 * A viewer who may not read a thread is told NOT_FOUND, never FORBIDDEN, so a private or room
 * thread's existence is not revealed; FORBIDDEN is for readers who may not make a change.
 */
import { AppError } from '../../shared/errors.js';
import type { Room, Thread, ThreadComment, UserId } from '../../shared/types.js';
import { isMember } from './rooms.js';

export type Viewer = UserId | null;
/** The part of a thread the rules look at. */
export type ThreadAccess = Pick<Thread, 'ownerId' | 'roomId' | 'visibility'>;
/** The part of a room the rules look at. */
export type RoomAccess = Pick<Room, 'id' | 'mentorId' | 'menteeId'> | null;

const isOwner = (thread: ThreadAccess, viewer: Viewer): viewer is UserId => viewer !== null && viewer === thread.ownerId;

/** True when the viewer is a member of the room the thread is tied to. */
function inThreadRoom(thread: ThreadAccess, viewer: UserId, room: RoomAccess): boolean {
  return room !== null && thread.roomId === room.id && isMember(room, viewer);
}

/** May the viewer read the thread, its entries and their comments? */
export function canRead(thread: ThreadAccess, viewer: Viewer, room: RoomAccess): boolean {
  if (viewer === null) return false;
  if (isOwner(thread, viewer)) return true;
  switch (thread.visibility) {
    case 'public':
      return true;
    case 'room':
      return inThreadRoom(thread, viewer, room);
    case 'private':
      return false;
  }
}

/** Commenting is open to every reader: the owner, the mentor, and on a public thread anyone signed in. */
export const canComment = canRead;

/** May the viewer change the thread (title, visibility, delete) or write/edit/delete its entries? Owner only. */
export const canEdit = (thread: ThreadAccess, viewer: Viewer): boolean => isOwner(thread, viewer);

/** May the viewer edit this comment's body? Its author only. */
export const canEditComment = (comment: Pick<ThreadComment, 'authorId'>, viewer: Viewer): boolean =>
  viewer !== null && comment.authorId === viewer;

/** May the viewer delete this comment? Its author, or the owner of the thread it is on. */
export const canDeleteComment = (comment: Pick<ThreadComment, 'authorId'>, thread: ThreadAccess, viewer: Viewer): boolean =>
  canEditComment(comment, viewer) || isOwner(thread, viewer);

/**
 * Is the thread on the owner's profile listing (`GET /api/users/:id/threads`) as the viewer sees it?
 * The owner sees all of theirs; everyone else sees public ones only (room threads are listed in
 * the room, private ones nowhere).
 */
export const listedOnProfile = (thread: ThreadAccess, viewer: Viewer): boolean =>
  viewer !== null && (isOwner(thread, viewer) || thread.visibility === 'public');

/** Is the thread in its room's listing (`GET /api/threads?roomId=`) for the viewer? Exactly the readable ones. */
export const listedInRoom = (thread: ThreadAccess, viewer: Viewer, room: RoomAccess): boolean => canRead(thread, viewer, room);

/** Are the thread's entries in the public feed? Only while the thread is public. */
export const inFeed = (thread: Pick<Thread, 'visibility'>): boolean => thread.visibility === 'public';

/** The room's members who may read the thread: they get its live events. Nobody when it is not tied to a room. */
export function audienceOf(thread: ThreadAccess, room: RoomAccess): UserId[] {
  if (room === null || thread.roomId !== room.id) return [];
  return [room.mentorId, room.menteeId].filter((id) => canRead(thread, id, room));
}

/** Throws NOT_FOUND (not FORBIDDEN: existence stays hidden) unless the viewer may read the thread. */
export function assertCanRead(thread: ThreadAccess, viewer: Viewer, room: RoomAccess): void {
  if (!canRead(thread, viewer, room)) throw new AppError('NOT_FOUND', 'thread not found');
}

/** NOT_FOUND for a viewer who cannot read the thread, FORBIDDEN for a reader who is not the owner. */
export function assertCanEdit(thread: ThreadAccess, viewer: Viewer, room: RoomAccess): void {
  assertCanRead(thread, viewer, room);
  if (!canEdit(thread, viewer)) throw new AppError('FORBIDDEN', 'only the owner may change this thread');
}
