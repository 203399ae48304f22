import { AppError } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';
import type { RoomCreateIn } from '../../shared/schemas/room.js';
import type { PublicUser, Room, RoomSummary, UserId } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { systemMessageKey } from '../domain/change.js';
import { answerRequest, assertMember, membersOf, unreadCount, type RequestAnswer } from '../domain/rooms.js';
import { newId } from '../ids.js';
import { DAY_MS, systemClock, type Clock } from '../domain/clock.js';
import { assertRequestOpen, isRequestExpired, REQUEST_EXPIRY_DAYS, requestExpiresAt } from '../domain/requests.js';
import { ServerLimits } from '../limits.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { RoomAccess, Store } from '../store/port.js';
import { toPublicUser } from '../users/dto.js';

/** Rooms: requests, answers, listing. Authorises, asks the domain, persists, then publishes. */
export class RoomService {
  constructor(
    private readonly store: Store,
    private readonly broadcast: Broadcaster,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A pending request's expiry as clients see it (issue 19): null for a room that is not a pending request. */
  requestState(room: Room): { expiresAt: string; expired: boolean } | null {
    const expiresAt = requestExpiresAt(room);
    return expiresAt ? { expiresAt, expired: isRequestExpired(room, this.clock()) } : null;
  }

  /** A room the user belongs to: NOT_FOUND when there is none, FORBIDDEN for a non-member. */
  async getForMember(user: AuthUser, roomId: string): Promise<Room> {
    const room = await this.store.rooms.get(roomId);
    if (!room) throw new AppError('NOT_FOUND', 'room not found');
    assertMember(room, user.id);
    return room;
  }

  /**
   * The members and status of a room the user belongs to (same errors as getForMember), read
   * without the rest of the document: for checks that run on every chat event.
   */
  async accessForMember(user: AuthUser, roomId: string): Promise<RoomAccess> {
    const room = await this.store.rooms.access(roomId);
    if (!room) throw new AppError('NOT_FOUND', 'room not found');
    assertMember(room, user.id);
    return room;
  }

  /**
   * The caller asks the other side to mentor them (mentorId) or to be their mentee (menteeId).
   * At most ServerLimits.openRequestsPerUser unanswered requests per requester (GUARD_FAILED),
   * enforced by the store inside its write, so no two requests on any nodes pass it together.
   * CONFLICT with `details.roomId` when the pair already has a pending or active room in these roles.
   */
  async request(user: AuthUser, input: RoomCreateIn): Promise<Room> {
    const mentorId = input.mentorId ?? user.id;
    const menteeId = input.menteeId ?? user.id;
    // One open room per pair and roles: a second request would split the conversation (issue 16).
    // A read, not part of the store's write: two requests racing on two nodes could both pass it.
    const now = this.clock();
    // An expired request no longer blocks a new one (issue 19).
    const same = (await this.store.rooms.listForMember(user.id)).find(
      (r) =>
        r.room.mentorId === mentorId &&
        r.room.menteeId === menteeId &&
        ((r.room.status === 'pending' && !isRequestExpired(r.room, now)) || r.room.status === 'active'),
    );
    if (same) {
      throw new AppError('CONFLICT', same.room.status === 'pending' ? 'a request between you two is already waiting for an answer' : 'you two already have an active mentorship', {
        roomId: same.room.id,
        status: same.room.status,
      });
    }
    const otherId = (input.mentorId ?? input.menteeId)!;
    if (otherId === user.id) throw new AppError('INVALID_INPUT', 'you cannot start a mentorship with yourself');
    const other = await this.store.users.get(otherId);
    if (!other) throw new AppError('NOT_FOUND', 'that user does not exist');
    const at = new Date(now).toISOString();
    const room = await this.store.rooms.create({
      id: newId(),
      title: input.title ?? input.focus,
      focus: input.focus,
      mentorId,
      menteeId,
      requestedBy: user.id,
      status: 'pending',
      stage: 'initiation',
      stageHistory: [],
      contract: null,
      contractHistory: [],
      lastSeq: 0,
      createdAt: at,
      updatedAt: at,
      rev: 1,
    }, { openRequestLimit: ServerLimits.openRequestsPerUser, openSince: new Date(now - REQUEST_EXPIRY_DAYS * DAY_MS).toISOString() });
    this.publish(room);
    return room;
  }

  /** The invited side accepts (room becomes active in Initiation) or declines. */
  async answer(user: AuthUser, roomId: string, answer: RequestAnswer): Promise<Room> {
    const room = await this.getForMember(user, roomId);
    const now = this.clock();
    // An expired request can no longer be accepted (issue 19); declining it stays possible, it tidies the list.
    if (answer === 'accept' && room.status === 'pending') assertRequestOpen(room, now);
    const at = new Date(now).toISOString();
    const next = answerRequest(room, user.id, answer, at);
    const body = answer === 'accept' ? 'The mentorship request was accepted. Stage: Initiation.' : 'The mentorship request was declined.';
    const { room: stored, message } = await this.store.rooms.update(next, room.rev, {
      authorId: user.id,
      clientMsgId: systemMessageKey(`request:${answer}`),
      body,
      createdAt: at,
    });
    if (message) this.broadcast.toUsers(membersOf(stored), Ev.messageNew, { message });
    this.publish(stored);
    return stored;
  }

  /** The caller's rooms with unread counts and last message, most recently active first. */
  async listMine(user: AuthUser): Promise<RoomSummary[]> {
    const rows = await this.store.rooms.listForMember(user.id);
    return rows.map(({ room, readSeq, lastMessage }) => {
      const request = this.requestState(room);
      return { ...room, unread: unreadCount(room.lastSeq, readSeq), lastMessage, ...(request ? { request } : {}) };
    });
  }

  /** Public profiles of the room's members, for clients that show names. */
  async members(room: Room): Promise<PublicUser[]> {
    const users = await Promise.all(membersOf(room).map((id: UserId) => this.store.users.get(id)));
    return users.filter((u) => u !== null).map(toPublicUser);
  }

  /** Tells both members' devices, and every `onChange` listener, that the room changed. */
  publish(room: Room): void {
    this.broadcast.toUsers(membersOf(room), Ev.roomUpdated, { room });
    for (const fn of this.changeListeners) fn(room);
  }

  /** Calls `fn` with every room that changed (after it was stored), e.g. to end collab connections of a closed room. */
  onChange(fn: (room: Room) => void): void {
    this.changeListeners.push(fn);
  }

  private readonly changeListeners: Array<(room: Room) => void> = [];
}
