/**
 * The notification sub-ports of Store (issue 15): the per-user inbox and preferences, the
 * scheduler's reminder rows, and the webhook outbox. Kinds and payloads are opaque here (`kind`
 * and `data` are stored as given); the rules live in server/notifications/ and server/domain/.
 *
 * Claims (reminders, outbox) are compare-and-set in the store: a row is held by one node until
 * its lease ends, so any number of processes sharing the store deliver each row once, and a
 * crashed holder's rows are taken over when the lease expires.
 */
import { AppError } from '../../shared/errors.js';
import type { NotificationPrefs } from '../../shared/notifications.js';
import type { UserId } from '../../shared/types.js';

/** An inbox entry as stored. `count`/`seq` are the coalescing counters (1/0 for one-off kinds). */
export interface NotificationRecord {
  id: string;
  userId: UserId;
  kind: string;
  /**
   * Dedupe key, unique per user: a one-off kind is stored once per key ever; a coalesced kind has
   * at most one unread entry per key (reading it frees the key for the next one).
   */
  key: string;
  actorId: UserId | null;
  data: Record<string, unknown>;
  count: number;
  /** The highest source position counted (a message seq): a replayed source never counts twice. */
  seq: number;
  createdAt: string;
  updatedAt: string;
  readAt: string | null;
}

export type NewNotification = Omit<NotificationRecord, 'count' | 'seq' | 'updatedAt'>;

export interface NotificationPage {
  notifications: NotificationRecord[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

export interface NotificationStore {
  /** Stores `n` unless the user already has an entry with its key; `created` says which. */
  addOnce(n: NewNotification): Promise<{ notification: NotificationRecord; created: boolean }>;
  /**
   * Coalescing: the user's unread entry with `n.key` counts one more source item when `seq` is
   * above its `seq` (its data replaced by `n.data`), or a new entry is stored when there is no
   * unread one. `changed` is false for a replayed source (seq not above the stored one).
   */
  bump(n: NewNotification, seq: number): Promise<{ notification: NotificationRecord; changed: boolean }>;
  /** Newest first (by updatedAt, then id); `cursor` from the previous page. INVALID_INPUT for a bad cursor. */
  list(userId: UserId, page: { limit: number; cursor?: string; unreadOnly?: boolean }): Promise<NotificationPage>;
  unreadCount(userId: UserId): Promise<number>;
  /** Marks the listed entries of the user read (others' ids are ignored); resolves with the ids that were unread. */
  markRead(userId: UserId, ids: readonly string[], at: string): Promise<string[]>;
  /** Marks every unread entry of the user read; resolves with their ids. */
  markAllRead(userId: UserId, at: string): Promise<string[]>;
  /** Marks read the user's unread entry with `key` when its seq ≤ `upToSeq` (reading a room clears its message entry). */
  markReadByKey(userId: UserId, key: string, upToSeq: number, at: string): Promise<string[]>;
  /** The user's preferences (defaults when never set). */
  prefs(userId: UserId): Promise<NotificationPrefs>;
  setPrefs(userId: UserId, prefs: NotificationPrefs): Promise<void>;
  /** Removes the user's entries and preferences (account deletion). */
  deleteAllForUser(userId: UserId): Promise<void>;
}

export type ClaimState = 'pending' | 'claimed' | 'done' | 'skipped';

/** A due reminder, as the scheduler stored it. */
export interface ReminderRecord {
  id: string;
  /** Unique: the same reminder computed by two nodes (or twice after a restart) is one row. */
  key: string;
  kind: string;
  roomId: string;
  userIds: UserId[];
  data: Record<string, unknown>;
  dueAt: string;
  state: ClaimState;
  claimedBy: string | null;
  leaseUntil: string | null;
  attempts: number;
  finishedAt: string | null;
}

export type NewReminder = Pick<ReminderRecord, 'id' | 'key' | 'kind' | 'roomId' | 'userIds' | 'data' | 'dueAt'>;

export interface ReminderStore {
  /** Stores each reminder whose key is new; resolves with how many were. */
  enqueue(reminders: readonly NewReminder[]): Promise<number>;
  /**
   * Claims up to `limit` reminders due at `now` that nobody holds (pending, or claimed with a lease
   * ended before `now`) for `nodeId` until `leaseUntil`, atomically across processes.
   */
  claim(nodeId: string, now: string, leaseUntil: string, limit: number): Promise<ReminderRecord[]>;
  /** Ends a claim as done or skipped (no longer due); false when `nodeId` no longer holds it. */
  finish(id: string, nodeId: string, outcome: 'done' | 'skipped', at: string): Promise<boolean>;
  /** The reminders of a room (operations and tests). */
  forRoom(roomId: string): Promise<ReminderRecord[]>;
}

export type OutboxState = 'pending' | 'delivered' | 'dead';

/** One webhook delivery: the exact bytes to POST, retried until a 2xx. */
export interface OutboxRecord {
  /** The idempotency key (also the payload's id). */
  id: string;
  userId: UserId;
  /** The raw JSON body, stored so every retry sends (and signs) the same bytes. */
  body: string;
  createdAt: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  claimedBy: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export type NewOutboxEntry = Pick<OutboxRecord, 'id' | 'userId' | 'body' | 'createdAt' | 'nextAttemptAt'>;

export interface OutboxStore {
  /** Stores the entry unless its id exists; true when it was new. */
  enqueue(entry: NewOutboxEntry): Promise<boolean>;
  /** Claims up to `limit` pending entries with nextAttemptAt ≤ `now` that nobody holds, until `leaseUntil`. */
  claim(nodeId: string, now: string, leaseUntil: string, limit: number): Promise<OutboxRecord[]>;
  /** Ends an attempt held by `nodeId`: delivered, retried at `nextAttemptAt`, or dead; false when the claim was lost. */
  settle(id: string, nodeId: string, outcome: { kind: 'delivered'; at: string } | { kind: 'retry'; nextAttemptAt: string; error: string } | { kind: 'dead'; at: string; error: string }): Promise<boolean>;
  get(id: string): Promise<OutboxRecord | null>;
}

/** Inbox page cursors (both adapters): the last entry's (updatedAt, id), opaque to clients. */
export const encodeCursor = (updatedAt: string, id: string): string => Buffer.from(`${updatedAt}|${id}`).toString('base64url');
export function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  const [updatedAt, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!updatedAt || !id || extra !== undefined) throw new AppError('INVALID_INPUT', 'malformed cursor');
  return { updatedAt, id };
}

/** The key a coalesced entry takes once read, so the next burst starts a new one. */
export const retiredKey = (key: string, id: string): string => `${key}#${id}`;

