/** Data shapes on the wire (DESIGN §3). Times are ISO-8601 strings in UTC. */

export type UserId = string;
export type RoomId = string;

export interface Profile {
  bio: string;
  expertise: string[];
  mentoring: boolean;
  timezone: string;
}

/** A user as other users see it: never carries the email or password hash. */
export interface PublicUser {
  id: UserId;
  displayName: string;
  profile: Profile;
  createdAt: string;
}

/** The signed-in user's own view: adds the email. */
export interface SelfUser extends PublicUser {
  email: string;
}

export type RoomStatus = 'pending' | 'active' | 'declined' | 'closed';
export type Stage = 'initiation' | 'cultivation' | 'separation' | 'redefinition';
export const STAGES: readonly Stage[] = ['initiation', 'cultivation', 'separation', 'redefinition'];

export interface StageChange {
  from: Stage;
  to: Stage;
  by: UserId;
  at: string;
  note?: string;
}

export type GoalStatus = 'open' | 'achieved' | 'dropped';

export interface Goal {
  id: string;
  title: string;
  metric: string;
  target: string;
  dueDate: string;
  status: GoalStatus;
  acknowledgedBy: UserId[];
}

export interface Cadence {
  every: string;
  channel: string;
}

export interface Contract {
  goals: Goal[];
  groundRules: string[];
  cadence: Cadence;
  channels: string[];
  reviewAt: string;
  acceptedBy: UserId[];
  version: number;
  updatedAt: string;
  updatedBy: UserId;
}

export interface Room {
  id: RoomId;
  title: string;
  focus: string;
  mentorId: UserId;
  menteeId: UserId;
  /** Who asked; the other side accepts or declines. */
  requestedBy: UserId;
  status: RoomStatus;
  stage: Stage;
  stageHistory: StageChange[];
  contract: Contract | null;
  /** Every contract version ever accepted or drafted, oldest first (the record of achievement reads it). */
  contractHistory: Contract[];
  /** Highest message seq in the room (0 = none yet). */
  lastSeq: number;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version of the room document. */
  rev: number;
}

export type MessageKind = 'text' | 'system';

export interface Message {
  id: string;
  roomId: RoomId;
  seq: number;
  authorId: UserId;
  clientMsgId: string;
  kind: MessageKind;
  /** Empty once deleted (tombstone). */
  body: string;
  replyTo?: string;
  reactions: Record<string, UserId[]>;
  createdAt: string;
  editedAt?: string;
  deletedAt?: string;
}

/** A room as listed to one of its members. */
export interface RoomSummary extends Room {
  unread: number;
  lastMessage: Message | null;
}

export interface PresenceEntry {
  userId: UserId;
  status: 'online' | 'offline';
  lastSeenAt: string | null;
}

/** Every socket ack: `{ ok: true, ...result }` or `{ ok: false, error }`. */
export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: string; message: string; details?: unknown } };

export type MilestoneStatus = 'todo' | 'doing' | 'done';
export const MILESTONE_STATUSES: readonly MilestoneStatus[] = ['todo', 'doing', 'done'];

/** One roadmap milestone, as the server reads it from the room's Yjs document (DESIGN §3). */
export interface Milestone {
  id: string;
  title: string;
  status: MilestoneStatus;
  /** YYYY-MM-DD when set. */
  due?: string;
  /** The contract goal this milestone serves. */
  goalId?: string;
  /** Growth-thread entry ids that evidence this milestone. */
  evidence: string[];
  /** The collaborative notes (a Y.Text), as plain text. */
  notes: string;
}

/** The room's roadmap as JSON: GET /api/rooms/:id/roadmap. */
export interface Roadmap {
  title: string;
  milestones: Milestone[];
}

export interface RoadmapProgress {
  done: number;
  total: number;
}

/** A curated starting point for a roadmap: GET /api/templates. */
export interface RoadmapTemplate {
  id: string;
  name: string;
  description: string;
  /** The roadmap title the template sets. */
  title: string;
  milestones: Array<{ title: string; notes: string }>;
}
