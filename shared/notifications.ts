/**
 * Notifications (issue 15): the persisted inbox's entries, their kinds, preferences and the
 * webhook payload, defined once for server and clients (docs/NOTIFICATIONS.md).
 *
 * Kinds are a discriminated union on `kind`; each carries what it is about (`roomId`, and
 * `threadId` for thread kinds) so a client can deep-link. Adding a kind: add its data type to
 * `NotificationData` and its name to NOTIFICATION_KINDS (the preference schema in
 * shared/schemas/notification.ts follows).
 */
import type { RoomId, Stage, UserId } from './types.js';

/** What each kind carries besides the common fields; every kind names its room. */
export interface NotificationData {
  /** New messages while you were away: one per room, `count` grows until you read the room. */
  message: { roomId: RoomId; count: number; lastSeq: number; excerpt: string };
  'request-received': { roomId: RoomId; focus: string };
  'request-accepted': { roomId: RoomId; focus: string };
  'request-declined': { roomId: RoomId; focus: string };
  'stage-changed': { roomId: RoomId; from: Stage; to: Stage };
  /** A contract version the other side wrote waits for your acceptance. */
  'contract-waiting': { roomId: RoomId; version: number };
  /** The contract you had accepted was edited: the new version waits for your acceptance. */
  'contract-changed': { roomId: RoomId; version: number };
  'comment-on-entry': { roomId: RoomId; threadId: string; entryId: string; commentId: string; excerpt: string };
  'review-in-7d': { roomId: RoomId; reviewAt: string };
  'review-in-1d': { roomId: RoomId; reviewAt: string };
  'goal-due-3d': { roomId: RoomId; goalId: string; title: string; dueDate: string };
  'goal-overdue': { roomId: RoomId; goalId: string; title: string; dueDate: string };
  'milestone-overdue': { roomId: RoomId; milestoneId: string; title: string; due: string };
  /** No message or held session for the current stage's cadence (pauses excluded). */
  'cadence-checkin': { roomId: RoomId; every: string; lastMessageAt: string };
  /** To the member who owes an answer: `since` (their oldest unanswered message) is 1× the promise old. */
  'reply-nudge': { roomId: RoomId; since: string; promiseHours: number };
  /** To both members: `memberId` has owed an answer for 2× the promise. */
  'reply-at-risk': { roomId: RoomId; memberId: UserId; since: string; promiseHours: number };
  /** To the item's owner: an open action item past its due date. */
  'action-item-overdue': { roomId: RoomId; itemId: string; sessionId: string; title: string; dueDate: string };
  /** A scheduled session starts within 24 h. */
  'session-soon': { roomId: RoomId; sessionId: string; startsAt: string; agenda: string };
  /** A pending request went unanswered for 14 days and expired. */
  'request-expired': { roomId: RoomId; focus: string; expiresAt: string };
}

export type NotificationKind = keyof NotificationData;

/** Every kind, in the order preference screens list them. */
export const NOTIFICATION_KINDS = [
  'message',
  'request-received',
  'request-accepted',
  'request-declined',
  'stage-changed',
  'contract-waiting',
  'contract-changed',
  'comment-on-entry',
  'review-in-7d',
  'review-in-1d',
  'goal-due-3d',
  'goal-overdue',
  'milestone-overdue',
  'cadence-checkin',
  'reply-nudge',
  'reply-at-risk',
  'action-item-overdue',
  'session-soon',
  'request-expired',
] as const satisfies readonly NotificationKind[];

// Compile-time check that the list names every kind of the union.
type Missing = Exclude<NotificationKind, (typeof NOTIFICATION_KINDS)[number]>;
const everyKindListed: [Missing] extends [never] ? true : Missing = true;
void everyKindListed;

interface NotificationBase {
  id: string;
  userId: UserId;
  /** Who caused it (absent for reminders); never the recipient. */
  actorId?: UserId;
  createdAt: string;
  /** Moves when a coalesced notification counts one more. */
  updatedAt: string;
  readAt: string | null;
}

/** One inbox entry, discriminated on `kind`. */
export type Notification = { [K in NotificationKind]: NotificationBase & { kind: K; data: NotificationData[K] } }[NotificationKind];

/** One kind's channels: in-app (inbox push, count, toast) and the webhook (push and e-mail gateways). */
export interface ChannelPrefs {
  inApp: boolean;
  webhook: boolean;
}

/** Quiet hours (HH:MM, 24 h) in the user's profile timezone: webhook deliveries wait until `end`. */
export interface QuietHours {
  start: string;
  end: string;
}

/** A user's preferences: per kind (kinds left out keep the default: both on), quiet hours or null. */
export interface NotificationPrefs {
  kinds: Partial<Record<NotificationKind, ChannelPrefs>>;
  quietHours: QuietHours | null;
}

export const DEFAULT_CHANNELS: ChannelPrefs = { inApp: true, webhook: true };
export const defaultPrefs = (): NotificationPrefs => ({ kinds: {}, quietHours: null });
export const channelsFor = (prefs: NotificationPrefs, kind: NotificationKind): ChannelPrefs => prefs.kinds[kind] ?? DEFAULT_CHANNELS;

/** `notification` (server → client): a new or grown inbox entry, and the user's unread count after it. */
export interface NotificationPush {
  notification: Notification;
  unread: number;
}

/** `notification:read` (server → client, every device of the user): entries read, and the count after it. */
export interface NotificationReadPush {
  /** The ids read; empty with `all: true` when everything was read. */
  ids: string[];
  all: boolean;
  unread: number;
}

/** The webhook's JSON body (docs/NOTIFICATIONS.md). */
export interface WebhookPayload {
  type: 'notification';
  /** Same as the Idempotency-Key header: a receiver drops a key it has seen. */
  id: string;
  /** ISO time the delivery was first queued. */
  createdAt: string;
  user: { id: UserId; displayName: string; timezone: string };
  notification: Notification;
}
