import type { AchievementRecord } from '../../../shared/record.js';
import { ContractAcceptIn, ContractIn, GoalPatchIn, StageChangeIn } from '../../../shared/schemas/contract.js';
import type { Room, RoomId } from '../../../shared/types.js';
import type { RestClient } from './rest.js';
import { check } from './rest.js';

const roomPath = (roomId: RoomId) => `/rooms/${encodeURIComponent(roomId)}`;

/**
 * The mentorship lifecycle over REST (docs/LIFECYCLE.md): the contract, goal outcomes, stage
 * changes and the record of achievement. Each change answers the updated room; the other member
 * hears it as `room:updated` plus a system message in the chat. A stage rule that refuses is an
 * SdkError with code `GUARD_FAILED`, a message that says why and `details.guard`.
 */
export class LifecycleApi {
  constructor(private readonly rest: RestClient) {}

  /** Drafts or edits the whole contract (3–5 goals). Any change makes a new version and clears acceptances. */
  async putContract(roomId: RoomId, contract: ContractIn): Promise<Room> {
    const body = check(ContractIn, contract, 'contract');
    return (await this.rest.request<{ room: Room }>('PUT', `${roomPath(roomId)}/contract`, body)).room;
  }

  /**
   * Accepts the current contract for myself. Give the `version` I read, so an acceptance never
   * lands on terms I have not seen (a newer version answers CONFLICT with `details.version`).
   */
  async acceptContract(roomId: RoomId, input: ContractAcceptIn = {}): Promise<Room> {
    const body = check(ContractAcceptIn, input, 'acceptance');
    return (await this.rest.request<{ room: Room }>('POST', `${roomPath(roomId)}/contract/accept`, body)).room;
  }

  /** Sets a goal's outcome (`status`) and/or acknowledges it (`acknowledge: true`, in Separation). */
  async patchGoal(roomId: RoomId, goalId: string, patch: GoalPatchIn): Promise<Room> {
    const body = check(GoalPatchIn, patch, 'goal change');
    return (await this.rest.request<{ room: Room }>('PATCH', `${roomPath(roomId)}/goals/${encodeURIComponent(goalId)}`, body)).room;
  }

  /** Moves the mentorship to another stage; a cycle back to Cultivation needs a `note`. */
  async changeStage(roomId: RoomId, change: StageChangeIn): Promise<Room> {
    const body = check(StageChangeIn, change, 'stage change');
    return (await this.rest.request<{ room: Room }>('POST', `${roomPath(roomId)}/stage`, body)).room;
  }

  /** The record of achievement as data. */
  async record(roomId: RoomId): Promise<AchievementRecord> {
    return (await this.rest.request<{ record: AchievementRecord }>('GET', `${roomPath(roomId)}/record`)).record;
  }

  /** The record of achievement as Markdown (what a download saves). */
  recordMarkdown(roomId: RoomId): Promise<string> {
    return this.rest.requestText(`${roomPath(roomId)}/record?format=md`, 'text/markdown');
  }
}
