import { AppError } from '../../shared/errors.js';
import type { RoomHealth } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { DAY_MS, HOUR_MS, systemClock, type Clock } from '../domain/clock.js';
import { roomHealth } from '../domain/health.js';
import { lastHeld } from '../domain/meetings.js';
import { median, replyBreaches, replyPromiseState, replyTimes, type ReplyBreach, type ReplyPromiseState } from '../domain/reply-promise.js';
import type { RoomService } from '../rooms/service.js';
import type { Store } from '../store/port.js';
import { toPublicUser } from '../users/dto.js';
import type { PublicUser, Room } from '../../shared/types.js';
import { chatSince, recentChat, wholeChat } from './chat-window.js';

/** What a mentor profile shows about responsiveness (issue 19). */
export interface MentorActivity {
  /** The mentor's latest message in any of their rooms (ISO), or null. */
  lastActiveAt: string | null;
  /** Median hours the mentor took to answer a mentee over the last 90 days (one decimal), or null without replies. */
  medianReplyHours: number | null;
  /** How many answers that median is over. */
  replies: number;
  windowDays: number;
}

const ACTIVITY_DAYS = 90;

/**
 * Room care (issue 19): health, the reply-promise state and its breaches, and mentors'
 * responsiveness, read from the store and decided by the pure domain with this service's clock.
 * Nothing here writes: every state is computed from what is stored at `clock()`, so every node
 * agrees and issue 15's scheduler can ask the same functions when a reminder is due.
 */
export class CareService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly clock: Clock = systemClock,
  ) {}

  async health(user: AuthUser, roomId: string): Promise<RoomHealth> {
    return this.healthOf(await this.rooms.getForMember(user, roomId));
  }

  /** Health of a room the caller has already been authorised for (the room list). */
  async healthOf(room: Room): Promise<RoomHealth> {
    const now = this.clock();
    const [chat, meetings, items] = await Promise.all([recentChat(this.store, room), this.store.meetings.list(room.id), this.store.meetings.listItems(room.id)]);
    const lastMessageAt = chat.filter((m) => m.kind === 'text' && !m.deletedAt).at(-1)?.createdAt ?? null;
    return roomHealth({ room, lastMessageAt, lastHeldAt: lastHeld(meetings)?.startsAt ?? null, reply: replyPromiseState(room, chat, now), items }, now);
  }

  async replyState(user: AuthUser, roomId: string): Promise<ReplyPromiseState> {
    const room = await this.rooms.getForMember(user, roomId);
    return replyPromiseState(room, await recentChat(this.store, room), this.clock());
  }

  /** Every breach of the reply promise in the room's history (for the record). */
  async breaches(room: Room): Promise<ReplyBreach[]> {
    return replyBreaches(room, await wholeChat(this.store, room.id), this.clock());
  }

  /** A mentor's public profile with last activity and median reply time over 90 days. */
  async mentorProfile(_user: AuthUser, mentorId: string): Promise<{ mentor: PublicUser; activity: MentorActivity }> {
    const record = await this.store.users.get(mentorId);
    if (!record || !record.profile.mentoring) throw new AppError('NOT_FOUND', 'no such mentor');
    const now = this.clock();
    const from = now - ACTIVITY_DAYS * DAY_MS;
    const fromIso = new Date(from).toISOString();
    const rows = await this.store.rooms.listForMember(mentorId);
    let lastActiveAt: string | null = null;
    const times: number[] = [];
    for (const { room } of rows) {
      if (room.mentorId !== mentorId || room.lastSeq === 0) continue;
      const chat = await chatSince(this.store, room.id, fromIso);
      for (const m of chat) if (m.authorId === mentorId && m.kind === 'text' && (lastActiveAt === null || m.createdAt > lastActiveAt)) lastActiveAt = m.createdAt;
      times.push(...replyTimes(room, chat, mentorId, from, now));
    }
    const mid = median(times);
    return {
      mentor: toPublicUser(record),
      activity: { lastActiveAt, medianReplyHours: mid === null ? null : Math.round((mid / HOUR_MS) * 10) / 10, replies: times.length, windowDays: ACTIVITY_DAYS },
    };
  }
}
