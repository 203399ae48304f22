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

/** Higher- or lower-is-better, for a measured goal. */
export type MeasureDirection = 'higher' | 'lower';

/**
 * A goal's numeric metric (issue 19): progress runs from `baseline` to `target` in `unit`s.
 * `higher`: the target is above the baseline (6 mock interviews); `lower`: below it (a 5 km run in 25 min).
 */
export interface GoalMeasure {
  unit: string;
  baseline: number;
  target: number;
  direction: MeasureDirection;
}

export interface Goal {
  id: string;
  title: string;
  metric: string;
  target: string;
  dueDate: string;
  status: GoalStatus;
  acknowledgedBy: UserId[];
  /** Present on a measured goal only; a yes/no goal has none and works as before. */
  measure?: GoalMeasure;
}

export interface Cadence {
  every: string;
  channel: string;
}

/** How soon each side promises to answer a message, in hours (issue 19). */
export interface ReplyPromise {
  mentor: number;
  mentee: number;
}

export interface Contract {
  goals: Goal[];
  groundRules: string[];
  cadence: Cadence;
  channels: string[];
  reviewAt: string;
  /** Absent: the default for the cadence of the current stage (server/domain/cadence.ts). */
  replyWithinHours?: ReplyPromise;
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
  /**
   * Every superseded contract version as it stood when replaced, oldest first (the current one
   * is `contract`). The record of achievement reads it.
   */
  contractHistory: Contract[];
  /** Highest message seq in the room (0 = none yet). */
  lastSeq: number;
  createdAt: string;
  /** When the invited side accepted the request: the start of Initiation (absent until then). */
  acceptedAt?: string;
  updatedAt: string;
  /** Optimistic-concurrency version of the room document. */
  rev: number;
  /** Every pause of the mentorship, oldest first; the last may be running (issue 19). */
  pauses?: RoomPause[];
  /** The cadence the pair chose for Separation / Redefinition (the contract's holds before). */
  stageCadence?: StageCadence;
}

/** A pause (holiday, crunch): every timer stops from `from` until `until` or until resumed (`endedAt`). */
export interface RoomPause {
  from: string;
  /** The resume date the pair set (ISO time, at most 60 days after `from`). */
  until: string;
  by: UserId;
  reason?: string;
  /** Set when someone resumed before `until`. */
  endedAt?: string;
  endedBy?: UserId;
}

/** The lighter cadence chosen after moving into Separation or Redefinition. */
export interface StageCadence {
  separation?: string;
  redefinition?: string;
}

/** One check-in on a measured goal: the current value, by either member. */
export interface Checkin {
  id: string;
  roomId: RoomId;
  goalId: string;
  authorId: UserId;
  value: number;
  note?: string;
  /** A growth-thread entry offered as evidence (an entry of a room or public thread of this room). */
  threadId?: string;
  entryId?: string;
  createdAt: string;
}

/** Where a measured goal stands after its check-ins. */
export interface GoalProgress {
  goalId: string;
  /** The latest check-in's value, or the baseline before the first. */
  current: number;
  /** 0–100, rounded down to a whole percent; 100 once the target is reached. */
  percent: number;
  reached: boolean;
  /** The target is reached while the goal is still open: a member may confirm it achieved. */
  proposeAchieved: boolean;
  checkins: number;
}

export type MeetingStatus = 'scheduled' | 'held' | 'no-show' | 'cancelled';

/** A session (a meeting the cadence promises). Called "session" on the wire; "meeting" in code, apart from sign-in sessions. */
export interface Meeting {
  id: string;
  roomId: RoomId;
  /** ISO time (UTC); clients show it in each member's timezone. */
  startsAt: string;
  durationMin: number;
  agenda: string;
  status: MeetingStatus;
  notes: string;
  /** no-show: the members who did not come. */
  absent?: UserId[];
  /** cancelled: who cancelled and why. */
  cancelledBy?: UserId;
  cancelReason?: string;
  createdBy: UserId;
  createdAt: string;
  updatedAt: string;
  rev: number;
}

/** Something agreed in a session: owned by one member, due on a date, optionally serving a goal. */
export interface ActionItem {
  id: string;
  roomId: RoomId;
  sessionId: string;
  title: string;
  ownerId: UserId;
  /** YYYY-MM-DD: overdue from the day after. */
  dueDate: string;
  goalId?: string;
  status: 'open' | 'done';
  doneAt?: string;
  createdAt: string;
}

export type HealthLevel = 'on-track' | 'needs-check-in' | 'at-risk';

/** GET /api/rooms/:id/health: the level and, in words, why. */
export interface RoomHealth {
  level: HealthLevel;
  reasons: string[];
  /** The cadence of the current stage ("1w"). */
  cadence: string | null;
  /** Set while the room is paused: when it resumes. */
  pausedUntil: string | null;
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
  /** Pending requests only: when the request expires (14 days after it was made) and whether it has (issue 19). */
  request?: { expiresAt: string; expired: boolean };
  /** The room's health (issue 19); absent for rooms that are not active. */
  health?: RoomHealth;
}

export interface PresenceEntry {
  userId: UserId;
  status: 'online' | 'offline';
  lastSeenAt: string | null;
}

export type ThreadVisibility = 'public' | 'room' | 'private';
export const THREAD_VISIBILITIES: readonly ThreadVisibility[] = ['public', 'room', 'private'];

export type EntryKind = 'assumption' | 'failure' | 'breakthrough' | 'progress' | 'note';
export const ENTRY_KINDS: readonly EntryKind[] = ['assumption', 'failure', 'breakthrough', 'progress', 'note'];

/**
 * A growth thread (DESIGN §3): one user's journey, optionally tied to one of their rooms.
 * public: anyone signed in reads; room: the members of roomId; private: the owner only.
 */
export interface Thread {
  id: string;
  ownerId: UserId;
  roomId?: RoomId;
  title: string;
  visibility: ThreadVisibility;
  entryCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Feedback on an entry: from the mentor, or anyone who may read a public thread. Markdown. */
export interface ThreadComment {
  id: string;
  entryId: string;
  authorId: UserId;
  body: string;
  createdAt: string;
  editedAt?: string;
}

/** One step of the journey, written by the thread's owner. `body` is Markdown (clients render it escaped). */
export interface ThreadEntry {
  id: string;
  threadId: string;
  kind: EntryKind;
  body: string;
  /** The roadmap milestone this entry is evidence for (it is in that milestone's `evidence`). */
  milestoneId?: string;
  /** The contract goal this entry is about. */
  goalId?: string;
  createdAt: string;
  editedAt?: string;
  /** The latest `Limits.commentsInline` comments, oldest first (older ones: the entry's comments route). */
  comments: ThreadComment[];
  /** How many comments the entry has in all. */
  commentCount: number;
  /** Present when older comments exist: pass as `before` to GET /api/threads/:id/entries/:eid/comments. */
  commentsCursor?: string;
}

/** An entry as the feed shows it: the comments counted, not inlined. */
export type EntrySummary = Omit<ThreadEntry, 'comments' | 'commentsCursor'>;

/** One page of `GET /api/threads/:id/entries/:eid/comments`: oldest first; nextCursor pages further back. */
export interface CommentPage {
  comments: ThreadComment[];
  nextCursor: string | null;
}

/** One item of `GET /api/feed`. */
export interface FeedItem {
  entry: EntrySummary;
  thread: Thread;
  owner: { id: UserId; displayName: string };
}

/** A thread highlight for the record of achievement: a breakthrough, or an entry linked as evidence. */
export interface ThreadHighlight {
  threadId: string;
  threadTitle: string;
  entryId: string;
  kind: EntryKind;
  /** The start of the body, whitespace collapsed, at most ~280 characters. */
  excerpt: string;
  milestoneId?: string;
  goalId?: string;
  createdAt: string;
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

/** A template a pair saved from their own roadmap (GET /api/rooms/:id/templates `own`). */
export interface PairTemplate extends RoadmapTemplate {
  createdBy: UserId;
  createdAt: string;
}
