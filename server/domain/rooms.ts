/**
 * Pure rules about rooms and who may do what in them. No I/O: every function takes the room
 * and the acting user and returns a decision or throws an AppError naming the rule.
 */
import { AppError } from '../../shared/errors.js';
import type { Room, UserId } from '../../shared/types.js';

export type Role = 'mentor' | 'mentee';

export function roleOf(room: Pick<Room, 'mentorId' | 'menteeId'>, userId: UserId): Role | null {
  if (room.mentorId === userId) return 'mentor';
  if (room.menteeId === userId) return 'mentee';
  return null;
}

export const isMember = (room: Pick<Room, 'mentorId' | 'menteeId'>, userId: UserId): boolean => roleOf(room, userId) !== null;

/** The room's two members. */
export const membersOf = (room: Pick<Room, 'mentorId' | 'menteeId'>): [UserId, UserId] => [room.mentorId, room.menteeId];

/** The other member of the room, seen from a member. */
export const counterpartOf = (room: Pick<Room, 'mentorId' | 'menteeId'>, userId: UserId): UserId =>
  room.mentorId === userId ? room.menteeId : room.mentorId;

/**
 * Whether the members of `room` see each other's presence: only in an active mentorship. Anyone
 * can open a request to anyone, so a pending or declined request must not tell the requester when
 * the target is online; the invited side does not see the requester's either (a request is not
 * yet a relationship, and the rule stays symmetric).
 */
export const sharesPresence = (room: Pick<Room, 'status'>): boolean => room.status === 'active';

/** Throws FORBIDDEN unless the user is the room's mentor or mentee. */
export function assertMember(room: Pick<Room, 'mentorId' | 'menteeId'>, userId: UserId): Role {
  const role = roleOf(room, userId);
  if (!role) throw new AppError('FORBIDDEN', 'you are not a member of this room');
  return role;
}

/** Messages may be posted while the request is pending (to introduce oneself) and while active. */
export function assertCanPost(room: Pick<Room, 'mentorId' | 'menteeId' | 'status'>, userId: UserId): void {
  assertMember(room, userId);
  if (room.status !== 'pending' && room.status !== 'active') {
    throw new AppError('GUARD_FAILED', `the room is ${room.status}; messages are closed`, { guard: 'room-open' });
  }
}

/** The side that did not make the request: the only one who may accept or decline it. */
export const invitedSide = (room: Room): UserId => counterpartOf(room, room.requestedBy);

export type RequestAnswer = 'accept' | 'decline';

/**
 * The room after the invited side answers its request. Accepting opens the relationship in
 * Initiation (DESIGN §3). Throws FORBIDDEN for the requester or a stranger, GUARD_FAILED when the
 * request was already answered.
 */
export function answerRequest(room: Room, userId: UserId, answer: RequestAnswer, at: string): Room {
  assertMember(room, userId);
  if (userId !== invitedSide(room)) throw new AppError('FORBIDDEN', 'only the invited side may answer this request');
  if (room.status !== 'pending') {
    throw new AppError('GUARD_FAILED', `the request was already answered (room is ${room.status})`, { guard: 'room-pending' });
  }
  return answer === 'accept'
    ? { ...room, status: 'active', stage: 'initiation', acceptedAt: at, updatedAt: at }
    : { ...room, status: 'declined', updatedAt: at };
}

/** Which message ids one member may change: only their own text messages. */
export function assertCanModifyMessage(authorId: UserId, kind: string, userId: UserId): void {
  if (authorId !== userId) throw new AppError('FORBIDDEN', 'only the author may change this message');
  if (kind !== 'text') throw new AppError('FORBIDDEN', 'system messages cannot be changed');
}

/** Unread count for a member: messages after their read marker (sending moves the marker). */
export const unreadCount = (lastSeq: number, readSeq: number): number => Math.max(0, lastSeq - readSeq);

/**
 * "Rooms completed" on a mentor's public profile (issue 16): rooms this user mentored that reached
 * Separation at least once (every goal achieved or dropped: the goals were seen through), whether
 * they went on to Redefinition, cycled back for a new challenge, or were closed afterwards.
 */
export function roomsCompletedAsMentor(rooms: readonly Pick<Room, 'mentorId' | 'stageHistory'>[], userId: UserId): number {
  return rooms.filter((r) => r.mentorId === userId && r.stageHistory.some((c) => c.to === 'separation' || c.to === 'redefinition')).length;
}
