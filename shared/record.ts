/** The record of achievement (GET /api/rooms/:id/record): wire shapes. Times are ISO-8601 UTC. */
import type { Contract, GoalStatus, RoomId, RoomStatus, Stage, StageChange, ThreadHighlight, UserId } from './types.js';

export type { ThreadHighlight } from './types.js';

export type MemberRole = 'mentor' | 'mentee';

export interface RecordMember {
  id: UserId;
  role: MemberRole;
  displayName: string;
}

/** A goal and its outcome: the stored goal with who acknowledged it, by id and by role. */
export interface RecordGoal {
  id: string;
  title: string;
  metric: string;
  target: string;
  dueDate: string;
  outcome: GoalStatus;
  acknowledgedBy: UserId[];
  acknowledgedByRoles: MemberRole[];
}

/** A goal that an edit removed from the contract: as it stood in the last version that held it. */
export interface RecordEarlierGoal extends RecordGoal {
  lastVersion: number;
}

/** One stay in a stage. The current stay has `endedAt: null` and lasts until `generatedAt`. */
export interface StagePeriod {
  stage: Stage;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
}

export interface RecordStageChange extends StageChange {
  byRole: MemberRole | null;
  /** Back to Cultivation from Separation or Redefinition (a new challenge). */
  cycleBack: boolean;
}

export interface AchievementRecord {
  roomId: RoomId;
  title: string;
  focus: string;
  status: RoomStatus;
  stage: Stage;
  mentor: RecordMember;
  mentee: RecordMember;
  requestedAt: string;
  /** When the request was accepted (Initiation began); null while pending or after a decline. */
  startedAt: string | null;
  generatedAt: string;
  /** The current contract, and every version oldest first (the current one last). */
  contract: Contract | null;
  contractVersions: Contract[];
  /** The current contract's goals with their outcomes. */
  goals: RecordGoal[];
  /** Goals of earlier versions that the current contract no longer holds. */
  earlierGoals: RecordEarlierGoal[];
  stages: {
    history: RecordStageChange[];
    periods: StagePeriod[];
    /** Total time in each stage over all its periods, in ms. */
    timeInStageMs: Record<Stage, number>;
    cycleBacks: number;
  };
  /** Roadmap milestones done / total; null when the room has no roadmap (or it is not wired). */
  roadmap: { done: number; total: number } | null;
  highlights: ThreadHighlight[];
  /** Sources that failed while building this record (the rest is still complete). */
  unavailable: string[];
}
