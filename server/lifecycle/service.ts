import { isAppError } from '../../shared/errors.js';
import { Ev } from '../../shared/events.js';
import type { AchievementRecord } from '../../shared/record.js';
import type { ContractAcceptIn, ContractIn, GoalPatchIn, StageChangeIn } from '../../shared/schemas/contract.js';
import type { PauseIn, StageCadenceIn } from '../../shared/schemas/pause.js';
import type { Room } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { systemMessageKey, type LifecycleChange } from '../domain/change.js';
import { acceptContract, editContract, patchGoal } from '../domain/contract.js';
import { nextSteps } from '../domain/next-steps.js';
import { buildRecord, renderRecordMarkdown } from '../domain/record.js';
import { membersOf } from '../domain/rooms.js';
import { changeStage } from '../domain/stages.js';
import { pauseRoom, resumeRoom } from '../domain/pause.js';
import { cadencePrompt, setStageCadence } from '../domain/stage-cadence.js';
import { newId, nowIso } from '../ids.js';
import type { Logger } from '../log.js';
import type { Broadcaster } from '../realtime/broadcast.js';
import type { RoomService } from '../rooms/service.js';
import type { Store } from '../store/port.js';
import { noRecordSources, type RecordSources } from './sources.js';

export interface LifecycleOptions {
  /** Roadmap progress and growth-thread highlights for the record; nothing until wired. */
  sources?: RecordSources;
  log?: Logger;
  /** Clock and id source (tests pin them); default: the wall clock and random ids. */
  now?: () => string;
  newId?: () => string;
}

/**
 * How many times a change is re-decided on a fresh read when another write to the same room
 * won the compare-and-set (another node, or another service such as RoomService). Each retry
 * re-checks every guard, so a lost race never bypasses one.
 */
const MAX_ATTEMPTS = 10;

/**
 * The mentorship lifecycle: contract, goals, stages, guidance and the record of achievement.
 * Every change is decided by the pure domain, stored with its timeline message in one
 * transaction (compare-and-set on the room's rev), then published to both members' devices as
 * `message:new` and `room:updated`.
 */
export class LifecycleService {
  private readonly sources: RecordSources;
  private readonly now: () => string;
  private readonly newId: () => string;
  /** Tail of each room's queue of lifecycle changes on this node (entries removed when idle). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly broadcast: Broadcaster,
    private readonly opts: LifecycleOptions = {},
  ) {
    this.sources = opts.sources ?? noRecordSources;
    this.now = opts.now ?? nowIso;
    this.newId = opts.newId ?? newId;
  }

  /** Drafts or edits the contract (PUT semantics: the body is the whole contract). */
  putContract(user: AuthUser, roomId: string, input: ContractIn): Promise<Room> {
    return this.apply(user, roomId, (room, at) => editContract(room, user.id, input, at, this.newId));
  }

  /** The caller accepts the current contract version for themselves. */
  acceptContract(user: AuthUser, roomId: string, input: ContractAcceptIn): Promise<Room> {
    return this.apply(user, roomId, (room, at) => acceptContract(room, user.id, at, input.version));
  }

  /** Sets a goal's outcome and/or acknowledges it. */
  patchGoal(user: AuthUser, roomId: string, goalId: string, patch: GoalPatchIn): Promise<Room> {
    return this.apply(user, roomId, (room, at) => patchGoal(room, user.id, goalId, patch, at));
  }

  /** Moves the mentorship to another stage if the guards allow it. */
  changeStage(user: AuthUser, roomId: string, input: StageChangeIn): Promise<Room> {
    return this.apply(user, roomId, (room, at) => {
      const change = changeStage(room, input.to, user.id, at, input.note);
      // Moving into Separation or Redefinition asks the pair for the lighter cadence (issue 19).
      return { ...change, message: { ...change.message, body: change.message.body + cadencePrompt(change.room) } };
    });
  }

  /** Pauses the room (at most 60 days): every timer stops until the resume date. */
  pause(user: AuthUser, roomId: string, input: PauseIn): Promise<Room> {
    return this.apply(user, roomId, (room, at) => pauseRoom(room, user.id, input, Date.parse(at)));
  }

  /** Ends the running pause. */
  resume(user: AuthUser, roomId: string): Promise<Room> {
    return this.apply(user, roomId, (room, at) => resumeRoom(room, user.id, Date.parse(at)));
  }

  /** Sets the cadence of the current stage (Separation or Redefinition). */
  setStageCadence(user: AuthUser, roomId: string, input: StageCadenceIn): Promise<Room> {
    return this.apply(user, roomId, (room, at) => setStageCadence(room, user.id, input.every, at));
  }

  /** What the room's current stage still needs (GET /api/rooms/:id adds it as `nextSteps`). */
  nextSteps(room: Room): string[] {
    return nextSteps(room, this.now());
  }

  /** The record of achievement of a room the user belongs to. */
  async record(user: AuthUser, roomId: string): Promise<AchievementRecord> {
    const room = await this.rooms.getForMember(user, roomId);
    const [mentor, mentee] = await Promise.all([this.store.users.get(room.mentorId), this.store.users.get(room.menteeId)]);
    const unavailable: string[] = [];
    // A failing source leaves its part out and says so; the contract and stages are still told.
    const guarded = async <T>(name: string, read: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await read();
      } catch (err) {
        this.opts.log?.warn({ err, roomId: room.id, source: name }, 'record source failed');
        unavailable.push(name);
        return fallback;
      }
    };
    const breaches = this.sources.replyBreaches;
    const [roadmap, highlights, checkins, replyBreaches, sessions] = await Promise.all([
      guarded('roadmap', () => this.sources.roadmapProgress(room.id), null),
      guarded('highlights', () => this.sources.threadHighlights(room.id), []),
      guarded('checkins', () => this.store.checkins.listForRoom(room.id), []),
      guarded('reply-breaches', () => (breaches ? breaches(room) : Promise.resolve([])), []),
      guarded('sessions', () => this.store.meetings.list(room.id), []),
    ]);
    return buildRecord({
      room,
      names: { mentor: mentor?.displayName ?? 'Former user', mentee: mentee?.displayName ?? 'Former user' },
      now: this.now(),
      roadmap,
      highlights,
      unavailable,
      checkins,
      replyBreaches,
      sessions,
    });
  }

  /** The record as Markdown. */
  async recordMarkdown(user: AuthUser, roomId: string): Promise<string> {
    return renderRecordMarkdown(await this.record(user, roomId));
  }

  /**
   * Read → decide → compare-and-set with the timeline message → publish. A null decision (the
   * request changes nothing) returns the room as it is, with no write and no message.
   */
  private apply(user: AuthUser, roomId: string, decide: (room: Room, at: string) => LifecycleChange | null): Promise<Room> {
    return this.oneAtATime(roomId, () => this.applyNow(user, roomId, decide));
  }

  private async applyNow(user: AuthUser, roomId: string, decide: (room: Room, at: string) => LifecycleChange | null): Promise<Room> {
    for (let attempt = 1; ; attempt++) {
      const room = await this.rooms.getForMember(user, roomId);
      const at = this.now();
      const change = decide(room, at);
      if (!change) return room;
      try {
        const { room: stored, message } = await this.store.rooms.update(change.room, room.rev, {
          authorId: user.id,
          clientMsgId: systemMessageKey(change.message.key),
          body: change.message.body,
          createdAt: at,
        });
        if (message) this.broadcast.toUsers(membersOf(stored), Ev.messageNew, { message });
        this.rooms.publish(stored);
        return stored;
      } catch (err) {
        if (!isAppError(err, 'CONFLICT') || attempt >= MAX_ATTEMPTS) throw err;
        // A short random pause, so two nodes that collided do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Runs one room's changes on this node one after another. Without it, n simultaneous changes
   * to one room would all read the same rev and n-1 would lose the compare-and-set, so the last
   * would need n attempts; queued, they only retry against writers on other nodes.
   */
  private async oneAtATime<T>(roomId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(roomId) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before.then(() => mine);
    this.queues.set(roomId, tail);
    try {
      await before;
      return await fn();
    } finally {
      done();
      if (this.queues.get(roomId) === tail) this.queues.delete(roomId);
    }
  }
}
