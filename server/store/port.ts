/**
 * The Store port: everything Menteo persists, in domain terms. Adapters (sqlite/, mongo/) hide
 * their driver behind it; one contract suite (test/store/contract.ts) runs against each, and
 * domain rules they share live in server/domain/ (reactions, feed visibility).
 *
 * Every write resolves only after it is durable (committed to disk; on MongoDB write concern
 * `{ w: 'majority', j: true }`), so a caller may ack a client as soon as the promise resolves.
 *
 * Ordering promises (what callers may rely on; each adapter keeps them, docs/STORAGE.md says how):
 * - Message `seq`: per room, 1, 2, 3 … gapless and unique, allocated in the transaction that
 *   inserts the message (SQLite: the serialised write; MongoDB: `$inc` on the room's counter,
 *   which makes concurrent appends to one room write-conflict and retry, so they commit in seq order).
 * - Feed positions (thread entries): unique, never reused, increasing in commit order across the
 *   whole store, so paging by position never skips an entry committed before the page was read.
 *   Not dense: gaps are allowed (deleted entries).
 * - Doc update ids: per document, unique, never reused, increasing in commit order; a compaction
 *   serialises with appends to the same document. Ids of different documents are not comparable.
 * - Timestamps (createdAt, updatedAt) come from the writing node's clock: ordering by them is
 *   best effort only; positions, seqs and ids are the orders to page by.
 */
import type { Message, MessageKind, Profile, PublicUser, Room, RoomId, UserId } from '../../shared/types.js';
import type { CheckinStore } from './checkins.js';
import type { MeetingStore } from './meetings.js';
import type { NotificationStore, OutboxStore, ReminderStore } from './notifications.js';
import type { SessionStore } from './sessions.js';
import type { TemplateStore } from './templates.js';
import type { ThreadStore } from './threads.js';

export type { CheckinStore } from './checkins.js';
export type { MeetingStore } from './meetings.js';
export type { NotificationStore, OutboxStore, ReminderStore } from './notifications.js';
export type { SessionStore } from './sessions.js';
export type { PairTemplateRecord, TemplateStore } from './templates.js';
export type { ThreadStore } from './threads.js';

/** A user row as the server sees it (with the password hash, which never leaves the server). */
export interface UserRecord {
  id: UserId;
  email: string;
  displayName: string;
  passwordHash: string;
  profile: Profile;
  createdAt: string;
}

export interface UserStore {
  /** Throws AppError CONFLICT when the email (case-insensitive) is taken. */
  create(user: UserRecord): Promise<UserRecord>;
  get(id: UserId): Promise<UserRecord | null>;
  getByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Account deletion: overwrites the personal fields (email, name, password hash, profile) with
   * `placeholder`, keeping the id so rooms and messages still point at a user. False when there is none.
   */
  erase(id: UserId, placeholder: Pick<UserRecord, 'email' | 'displayName' | 'passwordHash' | 'profile'>): Promise<boolean>;
  /** Replaces the password hash; false when there is no such user. */
  setPasswordHash(id: UserId, passwordHash: string): Promise<boolean>;
  /** Replaces displayName and profile; returns the stored user, or null when there is none. */
  updateProfile(id: UserId, displayName: string, profile: Profile): Promise<UserRecord | null>;
  /**
   * Users with mentoring on, in sign-up order (stable: a rename or a new sign-up never moves a
   * listed user), public fields only. See MentorSearch for the filters; `nextCursor` is null on
   * the last page.
   */
  searchMentors(query: MentorSearch): Promise<{ mentors: PublicUser[]; nextCursor: string | null }>;
}

/** Mentor discovery filters (GET /api/mentors). Helpers shared by adapters: server/store/search.ts. */
export interface MentorSearch {
  /** Free text: every word (searchWords) must prefix-match a word of the name, bio or a tag, case-insensitively. */
  q?: string;
  /** One expertise tag, matched exactly and case-insensitively. */
  skill?: string;
  /** Page size, 1 or more. */
  limit: number;
  /** The nextCursor of the previous page (INVALID_INPUT when malformed). */
  cursor?: string;
}

/** A room plus what one member has not read yet. */
export interface RoomForMember {
  room: Room;
  readSeq: number;
  lastMessage: Message | null;
}

/** A system message written atomically with a room change (a stage transition, say). */
export interface SystemMessageIn {
  authorId: UserId;
  body: string;
  /** When it happened, from the service's clock (ISO). */
  createdAt: string;
  /** Idempotency key, unique per (room, author). */
  clientMsgId: string;
}

/** What deciding who may act in a room needs: its members and status, without the rest of the document. */
export type RoomAccess = Pick<Room, 'id' | 'mentorId' | 'menteeId' | 'status'>;

/** Options of RoomStore.create. */
export interface RoomCreateOptions {
  /**
   * Refuse the insert with GUARD_FAILED (details `{ guard: 'open-requests', limit }`) when the
   * requester (`room.requestedBy`) already has this many pending requests. Counted and inserted
   * in one transaction, so concurrent creates on any number of nodes cannot pass it together.
   */
  openRequestLimit?: number;
  /**
   * With openRequestLimit: count only pending requests created at or after this time (ISO). A
   * request waits 14 days and then expires (issue 19), so older ones no longer hold a place.
   */
  openSince?: string;
}

export interface RoomStore {
  create(room: Room, options?: RoomCreateOptions): Promise<Room>;
  get(id: RoomId): Promise<Room | null>;
  /**
   * The room's members and status only: the per-event membership check (every message:send)
   * uses it instead of get(), which reads and parses the whole room document.
   */
  access(id: RoomId): Promise<RoomAccess | null>;
  /** Rooms where the user is mentor or mentee, most recently active first. */
  listForMember(userId: UserId): Promise<RoomForMember[]>;
  /**
   * Writes `next` if the stored room still has revision `expectedRev` (compare-and-set), bumping
   * `rev`; optionally appends a system message in the same transaction. Throws AppError CONFLICT
   * when the room changed meanwhile, NOT_FOUND when it is gone. `lastSeq` is never written here.
   */
  update(next: Room, expectedRev: number, systemMessage?: SystemMessageIn): Promise<{ room: Room; message: Message | null }>;
  /** Active rooms in id order, `limit` at a time after `afterId` (the reminder scheduler's scan). */
  listActive(afterId: RoomId | null, limit: number): Promise<Room[]>;
  /**
   * Pending rooms created in [createdFrom, createdUntil) (ISO), in id order, `limit` at a time
   * after `afterId`: the scheduler's pass over requests that expired recently.
   */
  listPending(createdFrom: string, createdUntil: string, afterId: RoomId | null, limit: number): Promise<Room[]>;
}

export interface NewMessage {
  roomId: RoomId;
  authorId: UserId;
  clientMsgId: string;
  kind: MessageKind;
  body: string;
  replyTo?: string;
  /** When it was sent, from the service's clock (ISO): reply promises and reminders time from it. */
  createdAt: string;
}

/**
 * Which page of a room's history to read; results are always in ascending seq. `after` reads
 * forward from a seq (optionally bounded by `before`); `before` reads the page just older than a seq.
 */
export type HistoryPage =
  | { after: number; before?: number; limit: number }
  | { before: number; limit: number }
  | { latest: true; limit: number };

export interface MessageStore {
  /**
   * Idempotent on (roomId, authorId, clientMsgId): a resend returns the stored message with
   * `created: false`. Otherwise allocates the room's next seq inside the write transaction, so
   * seqs are gapless and unique across processes and restarts. Throws NOT_FOUND for an unknown
   * room, INVALID_INPUT when replyTo is not a message of the room. A new message also moves its
   * author's read marker to its seq.
   */
  append(m: NewMessage): Promise<{ message: Message; created: boolean }>;
  get(roomId: RoomId, messageId: string): Promise<Message | null>;
  /** Up to `limit` messages plus whether more lie beyond the page in its direction. */
  history(roomId: RoomId, page: HistoryPage): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Replaces the body and sets editedAt. Returns null when there is no such message; CONFLICT when it is deleted. */
  edit(roomId: RoomId, messageId: string, body: string, at: string): Promise<Message | null>;
  /** Tombstones the message: body cleared, reactions cleared, deletedAt set. Idempotent. */
  remove(roomId: RoomId, messageId: string, at: string): Promise<Message | null>;
  /** Adds or removes one user's reaction; at most `maxEmoji` distinct emoji per message. CONFLICT when deleted. */
  react(roomId: RoomId, messageId: string, userId: UserId, emoji: string, on: boolean, maxEmoji: number): Promise<Message | null>;
  /** Moves a read marker forward (never back, never past the room's last seq); returns the stored seq. */
  markRead(roomId: RoomId, userId: UserId, seq: number): Promise<number>;
  readMarker(roomId: RoomId, userId: UserId): Promise<number>;
}

/** A collaborative document as stored: the last compaction's snapshot plus the updates after it. */
export interface StoredDoc {
  /** Merged state of every update up to `snapshotUpTo` (a Yjs v1 update), or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Id of the last log entry the snapshot covers (0 when there is no snapshot). */
  snapshotUpTo: number;
  /** Log entries not yet compacted, in append (id) order. */
  updates: Array<{ id: number; update: Uint8Array }>;
}

/** Size of one document's storage, for the compaction threshold, metrics and tests. */
export interface DocStats {
  /** Log entries not yet compacted. */
  updates: number;
  /** Total bytes of those entries. */
  updateBytes: number;
  /** Bytes of the snapshot (0 when there is none). */
  snapshotBytes: number;
  snapshotUpTo: number;
}

/**
 * Yjs documents (DESIGN §3 Roadmap) as an append-only update log per document plus one snapshot.
 * Bytes are opaque here: the store neither parses nor merges updates.
 */
export interface DocStore {
  /** Snapshot and log tail, read consistently (a compaction never shows half-done). Empty for an unknown name. */
  load(name: string): Promise<StoredDoc>;
  /**
   * Appends one update; resolves with its id after the commit. Ids are never reused and increase
   * in commit order: once an id is visible, every entry with a lower id is committed too, so
   * `since(name, id)` after it replays without gaps (ids are global, so one document's ids skip).
   */
  append(name: string, update: Uint8Array): Promise<number>;
  /**
   * What was stored after entry `afterId` (a node catching up, DESIGN §7): the log entries with a
   * higher id, in id order, read consistently. When a compaction absorbed entries above `afterId`,
   * the snapshot comes along (and only entries above its snapshotUpTo); otherwise `snapshot` is null.
   */
  since(name: string, afterId: number): Promise<StoredDoc>;
  /**
   * In one transaction: stores `snapshot` as the document's snapshot and deletes its log entries
   * with id ≤ `upToId`; entries appended later survive. A snapshot that covers less than the stored
   * one (`upToId` ≤ its snapshotUpTo) changes nothing and reports `compacted: false`.
   *
   * Given a function, the snapshot is built inside that same transaction from what is stored: the
   * current snapshot and the log entries with id ≤ `upToId` (another process's entries included),
   * so the compaction never deletes an entry it did not merge.
   */
  compact(name: string, snapshot: Uint8Array | ((stored: StoredDoc) => Uint8Array), upToId: number): Promise<{ compacted: boolean; removed: number }>;
  stats(name: string): Promise<DocStats>;
  /** Deletes one log entry (an update that was stored but turned out not to apply). */
  remove(name: string, id: number): Promise<void>;
}

export interface Store {
  /** The adapter's name, for logs and test labels only: services never branch on it. */
  readonly kind: string;
  readonly users: UserStore;
  readonly rooms: RoomStore;
  readonly messages: MessageStore;
  /** Growth threads, their entries and comments, and the public feed (store/threads.ts). */
  readonly threads: ThreadStore;
  /** Collaborative documents (the roadmap of each room). */
  readonly docs: DocStore;
  /** Sign-in sessions and their rotating refresh tokens (store/sessions.ts). */
  readonly sessions: SessionStore;
  /** Notification inbox and preferences, reminder rows, webhook outbox (store/notifications.ts). */
  readonly notifications: NotificationStore;
  readonly reminders: ReminderStore;
  readonly outbox: OutboxStore;
  /** Check-ins on measured goals (store/checkins.ts). */
  readonly checkins: CheckinStore;
  /** Mentorship sessions (meetings) and their action items (store/meetings.ts). */
  readonly meetings: MeetingStore;
  /** Roadmap templates pairs saved from their own roadmaps (store/templates.ts). */
  readonly templates: TemplateStore;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  /** Waits for pending writes to commit, then releases the database. */
  close(): Promise<void>;
}
