import { AppError } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';
import { CheckinLimits, type CheckinIn } from '../../shared/schemas/checkin.js';
import type { Checkin, GoalProgress } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { systemMessageKey } from '../domain/change.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { assertCanCheckIn, contractProgress, describeProgress, goalProgress } from '../domain/measure.js';
import { membersOf } from '../domain/rooms.js';
import { audienceOf } from '../domain/visibility.js';
import { newId } from '../ids.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { RoomService } from '../rooms/service.js';
import type { Store } from '../store/port.js';

/**
 * Check-ins on measured goals (issue 19): either member records the current value (with a note
 * and a growth-thread entry as evidence); progress is recomputed from the stored series and
 * pushed to both members as `goal:checkin`. The check-in that first reaches the target posts a
 * timeline message proposing the goal as achieved; a member confirms with PATCH /goals/:goalId.
 */
export class GoalService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly broadcast: Broadcaster,
    private readonly clock: Clock = systemClock,
  ) {}

  async checkIn(user: AuthUser, roomId: string, goalId: string, input: CheckinIn): Promise<{ checkin: Checkin; progress: GoalProgress }> {
    const room = await this.rooms.getForMember(user, roomId);
    const goal = assertCanCheckIn(room, user.id, goalId);
    if ((await this.store.checkins.countForGoal(roomId, goalId)) >= CheckinLimits.perGoal) {
      throw new AppError('GUARD_FAILED', `a goal keeps at most ${CheckinLimits.perGoal} check-ins`, { guard: 'checkin-limit', limit: CheckinLimits.perGoal });
    }
    if (input.evidence) {
      // Evidence both members can open: an entry of a thread of this room that both may read.
      const thread = await this.store.threads.getThread(input.evidence.threadId);
      const entry = thread ? await this.store.threads.getEntry(thread.id, input.evidence.entryId) : null;
      if (!thread || !entry || thread.roomId !== roomId || audienceOf(thread, room).length !== 2) {
        throw new AppError('INVALID_INPUT', "evidence names an entry of one of this room's threads that both members can read", [{ path: 'evidence', message: 'not found in this room' }]);
      }
    }
    const before = goalProgress(goal, await this.store.checkins.listForRoom(roomId));
    const checkin: Checkin = {
      id: newId(),
      roomId,
      goalId,
      authorId: user.id,
      value: input.value,
      ...(input.note ? { note: input.note } : {}),
      ...(input.evidence ? { threadId: input.evidence.threadId, entryId: input.evidence.entryId } : {}),
      createdAt: new Date(this.clock()).toISOString(),
    };
    await this.store.checkins.add(checkin);
    const progress = goalProgress(goal, await this.store.checkins.listForRoom(roomId));
    const members = membersOf(room);
    this.broadcast.toUsers(members, Ev.goalCheckin, { roomId, checkin, progress });
    if (progress.proposeAchieved && !before.reached) {
      const { message, created } = await this.store.messages.append({
        roomId,
        authorId: user.id,
        clientMsgId: systemMessageKey(`goal:${goalId}:reached:${checkin.id}`),
        kind: 'system',
        body: `Goal '${goal.title}' reached its target: ${describeProgress(goal.measure, progress)}. Either of you can confirm it achieved.`,
        createdAt: checkin.createdAt,
      });
      if (created) this.broadcast.toUsers(members, Ev.messageNew, { message });
    }
    return { checkin, progress };
  }

  /** Every check-in of the room and the progress of each measured goal. */
  async list(user: AuthUser, roomId: string): Promise<{ checkins: Checkin[]; progress: GoalProgress[] }> {
    const room = await this.rooms.getForMember(user, roomId);
    const checkins = await this.store.checkins.listForRoom(roomId);
    return { checkins, progress: contractProgress(room, checkins) };
  }
}
