/** The record of achievement (GET /api/rooms/:id/record): wire shapes. Times are ISO-8601 UTC. */
import type { Contract, GoalMeasure, GoalProgress, GoalStatus, RoomId, RoomStatus, Stage, StageChange, ThreadHighlight, UserId } from './types.js';

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
  /** Measured goals only (issue 19): the metric, its series of check-ins oldest first, and the progress at the end. */
  measure?: GoalMeasure;
  checkins?: RecordCheckin[];
  progress?: GoalProgress;
}

/** One point of a measured goal's series. */
export interface RecordCheckin {
  value: number;
  at: string;
  byRole: MemberRole | null;
  note?: string;
  entryId?: string;
}

/** A reply that came later than the contract promised, or is still owed past it (issue 19). */
export interface ReplyBreach {
  member: UserId;
  role: MemberRole;
  since: string;
  answeredAt: string | null;
  /** Active (unpaused) hours waited, one decimal. */
  waitedHours: number;
  promiseHours: number;
  /** late: past 1× the promise; at-risk: past 2×. */
  level: 'late' | 'at-risk';
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
  /** Breaches of the reply promise, oldest first (issue 19). */
  replyBreaches: ReplyBreach[];
  /** How the sessions went (issue 19). */
  sessions: { held: number; noShow: number; cancelled: number; scheduled: number };
  /** Sources that failed while building this record (the rest is still complete). */
  unavailable: string[];
}
