import { CheckinIn } from '../../../shared/schemas/checkin.js';
import { ActionItemIn, ActionItemPatchIn, MeetingPatchIn, MeetingScheduleIn } from '../../../shared/schemas/meeting.js';
import { PauseIn, StageCadenceIn } from '../../../shared/schemas/pause.js';
import type { ActionItem, Checkin, GoalProgress, Meeting, PublicUser, Room, RoomHealth, RoomId } from '../../../shared/types.js';
import type { RestClient } from './rest.js';
import { check } from './rest.js';

const roomPath = (roomId: RoomId) => `/rooms/${encodeURIComponent(roomId)}`;

/** Who owes an answer, as GET /api/rooms/:id/reply tells it (server/domain/reply-promise.ts). */
export type ReplyState =
  | { kind: 'none' }
  | { kind: 'paused'; until: string }
  | { kind: 'waiting' | 'nudge' | 'at-risk'; member: string; since: string; promiseHours: number; nudgeAt: string; atRiskAt: string };

/** A mentor's responsiveness (GET /api/mentors/:id). */
export interface MentorActivity {
  lastActiveAt: string | null;
  medianReplyHours: number | null;
  replies: number;
  windowDays: number;
}

/**
 * Accountability between sessions (issue 19) over REST: check-ins on measured goals, sessions
 * ("meetings") and their action items, room health, reply promises, pause and resume, the
 * cadence of the lighter stages, a mentor's responsiveness. The other member hears changes as
 * `goal:checkin`, `session:updated`, `session:item` and `room` events.
 */
export class AccountabilityApi {
  constructor(private readonly rest: RestClient) {}

  /** Records the current value of a measured goal (either member, in Cultivation). */
  async checkIn(roomId: RoomId, goalId: string, input: CheckinIn): Promise<{ checkin: Checkin; progress: GoalProgress }> {
    const body = check(CheckinIn, input, 'check-in');
    return this.rest.request('POST', `${roomPath(roomId)}/goals/${encodeURIComponent(goalId)}/checkins`, body);
  }

  /** Every check-in of the room (oldest first) and each measured goal's progress. */
  checkins(roomId: RoomId): Promise<{ checkins: Checkin[]; progress: GoalProgress[] }> {
    return this.rest.request('GET', `${roomPath(roomId)}/checkins`);
  }

  /** The sessions (by start time) and all action items. */
  sessions(roomId: RoomId): Promise<{ sessions: Meeting[]; items: ActionItem[] }> {
    return this.rest.request('GET', `${roomPath(roomId)}/sessions`);
  }

  async schedule(roomId: RoomId, input: MeetingScheduleIn): Promise<Meeting> {
    const body = check(MeetingScheduleIn, input, 'session');
    return (await this.rest.request<{ session: Meeting }>('POST', `${roomPath(roomId)}/sessions`, body)).session;
  }

  /** Held / no-show (absent) / cancelled (reason), notes, a new time or agenda. */
  async patchSession(roomId: RoomId, sessionId: string, patch: MeetingPatchIn): Promise<Meeting> {
    const body = check(MeetingPatchIn, patch, 'session change');
    return (await this.rest.request<{ session: Meeting }>('PATCH', `${roomPath(roomId)}/sessions/${encodeURIComponent(sessionId)}`, body)).session;
  }

  async addItem(roomId: RoomId, sessionId: string, input: ActionItemIn): Promise<ActionItem> {
    const body = check(ActionItemIn, input, 'action item');
    return (await this.rest.request<{ item: ActionItem }>('POST', `${roomPath(roomId)}/sessions/${encodeURIComponent(sessionId)}/items`, body)).item;
  }

  async setItemStatus(roomId: RoomId, itemId: string, status: ActionItemPatchIn['status']): Promise<ActionItem> {
    const body = check(ActionItemPatchIn, { status }, 'action item change');
    return (await this.rest.request<{ item: ActionItem }>('PATCH', `${roomPath(roomId)}/items/${encodeURIComponent(itemId)}`, body)).item;
  }

  /** The upcoming sessions as iCalendar text (save it as a .ics file). */
  sessionsIcs(roomId: RoomId): Promise<string> {
    return this.rest.requestText(`${roomPath(roomId)}/sessions.ics`, 'text/calendar');
  }

  async health(roomId: RoomId): Promise<RoomHealth> {
    return (await this.rest.request<{ health: RoomHealth }>('GET', `${roomPath(roomId)}/health`)).health;
  }

  async reply(roomId: RoomId): Promise<ReplyState> {
    return (await this.rest.request<{ reply: ReplyState }>('GET', `${roomPath(roomId)}/reply`)).reply;
  }

  /** Pauses the room until a date (at most 60 days): every timer stops. */
  async pause(roomId: RoomId, input: PauseIn): Promise<Room> {
    const body = check(PauseIn, input, 'pause');
    return (await this.rest.request<{ room: Room }>('POST', `${roomPath(roomId)}/pause`, body)).room;
  }

  async resume(roomId: RoomId): Promise<Room> {
    return (await this.rest.request<{ room: Room }>('POST', `${roomPath(roomId)}/resume`)).room;
  }

  /** The lighter cadence of Separation or Redefinition ("1m", "3m"). */
  async setCadence(roomId: RoomId, every: string): Promise<Room> {
    const body = check(StageCadenceIn, { every }, 'cadence');
    return (await this.rest.request<{ room: Room }>('PUT', `${roomPath(roomId)}/cadence`, body)).room;
  }

  mentorProfile(mentorId: string): Promise<{ mentor: PublicUser; activity: MentorActivity }> {
    return this.rest.request('GET', `/mentors/${encodeURIComponent(mentorId)}`);
  }
}
