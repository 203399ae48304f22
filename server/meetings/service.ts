import { AppError, isAppError } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';
import { MeetingLimits, type ActionItemIn, type ActionItemPatchIn, type ActionItemQuery, type MeetingPatchIn, type MeetingScheduleIn } from '../../shared/schemas/meeting.js';
import type { ActionItem, Meeting, Room } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { newActionItem, patchMeeting, scheduleMeeting, setItemStatus, upcomingMeetings } from '../domain/meetings.js';
import { membersOf } from '../domain/rooms.js';
import { newId } from '../ids.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { RoomService } from '../rooms/service.js';
import type { Store } from '../store/port.js';
import { sessionsCalendar } from './ics.js';

/** Fresh reads a session patch gets when concurrent writes keep winning (two members, a few writes at most). */
const PATCH_ATTEMPTS = 5;

/**
 * Sessions (the meetings the cadence promises) and their action items (issue 19): membership and
 * rules from the pure domain, persisted through the Store, pushed to both members as
 * `session:updated` / `session:item`.
 */
export class MeetingService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly broadcast: Broadcaster,
    private readonly clock: Clock = systemClock,
  ) {}

  async schedule(user: AuthUser, roomId: string, input: MeetingScheduleIn): Promise<Meeting> {
    const room = await this.rooms.getForMember(user, roomId);
    const meeting = scheduleMeeting(room, user.id, input, this.clock(), newId());
    if ((await this.store.meetings.count(roomId)) >= MeetingLimits.perRoom) {
      throw new AppError('GUARD_FAILED', `a room keeps at most ${MeetingLimits.perRoom} sessions`, { guard: 'session-limit', limit: MeetingLimits.perRoom });
    }
    return this.published(room, await this.store.meetings.create(meeting));
  }

  /**
   * A patch names fields, not a revision the client saw: when the other member's write wins the
   * compare-and-set, it is decided again on a fresh read (every guard re-checked), not refused.
   */
  async patch(user: AuthUser, roomId: string, sessionId: string, input: MeetingPatchIn): Promise<Meeting> {
    for (let attempt = 1; ; attempt++) {
      const room = await this.rooms.getForMember(user, roomId);
      const meeting = await this.meeting(roomId, sessionId);
      const next = patchMeeting(room, meeting, user.id, input, this.clock());
      try {
        return this.published(room, await this.store.meetings.update(next, meeting.rev));
      } catch (err) {
        if (!isAppError(err, 'CONFLICT') || attempt >= PATCH_ATTEMPTS) throw err;
      }
    }
  }

  async addItem(user: AuthUser, roomId: string, sessionId: string, input: ActionItemIn): Promise<ActionItem> {
    const room = await this.rooms.getForMember(user, roomId);
    const meeting = await this.meeting(roomId, sessionId);
    const item = newActionItem(room, meeting, user.id, input, this.clock(), newId());
    if ((await this.store.meetings.countItems(roomId, sessionId)) >= MeetingLimits.itemsPerSession) {
      throw new AppError('GUARD_FAILED', `a session has at most ${MeetingLimits.itemsPerSession} action items`, { guard: 'item-limit', limit: MeetingLimits.itemsPerSession });
    }
    return this.publishedItem(room, await this.store.meetings.addItem(item));
  }

  async patchItem(user: AuthUser, roomId: string, itemId: string, input: ActionItemPatchIn): Promise<ActionItem> {
    const room = await this.rooms.getForMember(user, roomId);
    const item = await this.store.meetings.getItem(roomId, itemId);
    if (!item) throw new AppError('NOT_FOUND', 'action item not found');
    const next = setItemStatus(room, item, user.id, input.status, this.clock());
    if (next === item) return item;
    return this.publishedItem(room, await this.store.meetings.updateItem(next));
  }

  /** The room's sessions (by start time) and action items (oldest first). */
  async list(user: AuthUser, roomId: string): Promise<{ sessions: Meeting[]; items: ActionItem[] }> {
    await this.rooms.getForMember(user, roomId);
    const [sessions, items] = await Promise.all([this.store.meetings.list(roomId), this.store.meetings.listItems(roomId)]);
    return { sessions, items };
  }

  async items(user: AuthUser, roomId: string, query: ActionItemQuery): Promise<ActionItem[]> {
    await this.rooms.getForMember(user, roomId);
    const items = await this.store.meetings.listItems(roomId);
    return query.status ? items.filter((i) => i.status === query.status) : items;
  }

  /** The upcoming sessions as an iCalendar file. */
  async ics(user: AuthUser, roomId: string): Promise<string> {
    const room = await this.rooms.getForMember(user, roomId);
    const now = this.clock();
    return sessionsCalendar(room, upcomingMeetings(await this.store.meetings.list(roomId), now), now);
  }

  private async meeting(roomId: string, sessionId: string): Promise<Meeting> {
    const meeting = await this.store.meetings.get(roomId, sessionId);
    if (!meeting) throw new AppError('NOT_FOUND', 'session not found');
    return meeting;
  }

  private published(room: Room, session: Meeting): Meeting {
    this.broadcast.toUsers(membersOf(room), Ev.sessionUpdated, { roomId: room.id, session });
    return session;
  }

  private publishedItem(room: Room, item: ActionItem): ActionItem {
    this.broadcast.toUsers(membersOf(room), Ev.actionItemUpdated, { roomId: room.id, item });
    return item;
  }
}
