/**
 * The MongoDB collections, their mongoose schemas and the indexes created at start (not lazily:
 * `autoIndex` is off, index.ts calls createIndexes before serving). Every document keys on the
 * domain id (`_id` is a string), so no ObjectId crosses the port.
 */
import mongoose, { type Connection } from 'mongoose';

const { Schema } = mongoose;
const opts = { versionKey: false, minimize: false, strict: true } as const;

/** Allocators: `seq` grows by `$inc` inside the transaction that uses it (users, feed, comments, threads, doc:<name>). */
export interface CounterDoc { _id: string; seq: number; touchedAt?: string }
const counter = new Schema<CounterDoc>({ _id: String, seq: { type: Number, required: true }, touchedAt: String }, opts);

export interface UserDoc {
  _id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  profile: { bio: string; expertise: string[]; mentoring: boolean; timezone: string };
  createdAt: string;
  /** Copies for search: sign-up order (the cursor), mentoring, folded words, lower-cased tags. */
  signup: number;
  mentoring: boolean;
  words: string[];
  tags: string[];
}
const user = new Schema<UserDoc>(
  {
    _id: String,
    email: { type: String, required: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    profile: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: String, required: true },
    signup: { type: Number, required: true },
    mentoring: { type: Boolean, required: true },
    words: [String],
    tags: [String],
  },
  opts,
);
user.index({ email: 1 }, { unique: true }); // stored lower-cased: case-insensitive uniqueness
user.index({ signup: 1 }, { unique: true });
user.index({ mentoring: 1, signup: 1 });
user.index({ tags: 1, signup: 1 });
user.index({ words: 1, signup: 1 });

export interface RoomDoc {
  _id: string;
  mentorId: string;
  menteeId: string;
  status: string;
  /** The seq allocator: `$inc` in the append transaction. */
  lastSeq: number;
  rev: number;
  createdAt: string;
  updatedAt: string;
  /** The rest of the Room (title, stage, contract, …), as the domain shapes it. */
  data: Record<string, unknown>;
}
const room = new Schema<RoomDoc>(
  {
    _id: String,
    mentorId: { type: String, required: true },
    menteeId: { type: String, required: true },
    status: { type: String, required: true },
    lastSeq: { type: Number, required: true, min: 0 },
    rev: { type: Number, required: true },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  opts,
);
room.index({ mentorId: 1 });
room.index({ menteeId: 1 });

/** Reactions as an array: an emoji is a value, never a field name (`$`, `.` or `__proto__` would be unsafe keys). */
export interface ReactionDoc { e: string; u: string[] }
export interface MessageDoc {
  _id: string;
  roomId: string;
  seq: number;
  authorId: string;
  clientMsgId: string;
  kind: string;
  body: string;
  replyTo?: string;
  reactions: ReactionDoc[];
  createdAt: string;
  editedAt?: string;
  deletedAt?: string;
}
const message = new Schema<MessageDoc>(
  {
    _id: String,
    roomId: { type: String, required: true },
    seq: { type: Number, required: true, min: 1 },
    authorId: { type: String, required: true },
    clientMsgId: { type: String, required: true },
    kind: { type: String, required: true, enum: ['text', 'system'] },
    body: { type: String, default: '' },
    replyTo: String,
    reactions: { type: [{ _id: false, e: String, u: [String] }], default: [] },
    createdAt: { type: String, required: true },
    editedAt: String,
    deletedAt: String,
  },
  opts,
);
message.index({ roomId: 1, seq: 1 }, { unique: true });
message.index({ roomId: 1, authorId: 1, clientMsgId: 1 }, { unique: true });

/** `_id` is the (room, user) pair. */
export interface MarkerDoc { _id: string; roomId: string; userId: string; seq: number }
const marker = new Schema<MarkerDoc>({ _id: String, roomId: String, userId: String, seq: Number }, opts);

export interface DocUpdateDoc { doc: string; id: number; data: Buffer; bytes: number; createdAt: string }
const docUpdate = new Schema<DocUpdateDoc>(
  { doc: { type: String, required: true }, id: { type: Number, required: true }, data: { type: Buffer, required: true }, bytes: Number, createdAt: String },
  opts,
);
docUpdate.index({ doc: 1, id: 1 }, { unique: true });

export interface DocSnapshotDoc { _id: string; data: Buffer; upToId: number; bytes: number; updatedAt: string }
const docSnapshot = new Schema<DocSnapshotDoc>({ _id: String, data: Buffer, upToId: Number, bytes: Number, updatedAt: String }, opts);

export interface ThreadDoc {
  _id: string;
  ownerId: string;
  roomId?: string;
  title: string;
  visibility: string;
  createdAt: string;
  updatedAt: string;
  entryCount: number;
  /** Creation order, the tie-break of the lists (SQLite's rowid). */
  order: number;
}
const thread = new Schema<ThreadDoc>(
  {
    _id: String,
    ownerId: { type: String, required: true },
    roomId: String,
    title: { type: String, required: true },
    visibility: { type: String, required: true, enum: ['public', 'room', 'private'] },
    createdAt: String,
    updatedAt: String,
    entryCount: { type: Number, default: 0 },
    order: Number,
  },
  opts,
);
thread.index({ ownerId: 1, updatedAt: -1, order: -1 });
thread.index({ roomId: 1, updatedAt: -1, order: -1 });

export interface EntryDoc {
  _id: string;
  /** Feed position: from the `feed` counter, in the insert's transaction. */
  position: number;
  threadId: string;
  kind: string;
  body: string;
  milestoneId?: string;
  goalId?: string;
  createdAt: string;
  editedAt?: string;
  commentCount: number;
  /** Copies of the thread's visibility and room (kept in its transactions) so the feed is one indexed query. */
  visibility: string;
  roomId?: string;
}
const entry = new Schema<EntryDoc>(
  {
    _id: String,
    position: { type: Number, required: true },
    threadId: { type: String, required: true },
    kind: { type: String, required: true },
    body: { type: String, required: true },
    milestoneId: String,
    goalId: String,
    createdAt: String,
    editedAt: String,
    commentCount: { type: Number, default: 0 },
    visibility: { type: String, required: true },
    roomId: String,
  },
  opts,
);
entry.index({ position: 1 }, { unique: true });
entry.index({ threadId: 1, position: 1 });
entry.index({ visibility: 1, position: -1 });
entry.index({ roomId: 1, position: 1 });

export interface CommentDoc { _id: string; threadId: string; entryId: string; authorId: string; body: string; createdAt: string; editedAt?: string; position: number }
const comment = new Schema<CommentDoc>(
  { _id: String, threadId: String, entryId: { type: String, required: true }, authorId: String, body: { type: String, required: true }, createdAt: String, editedAt: String, position: Number },
  opts,
);
comment.index({ entryId: 1, position: 1 });
comment.index({ threadId: 1 });
comment.index({ authorId: 1, position: 1 }); // a user's own comments, for the account export

/** One sign-in; `refreshHash` is the sha256 of its current refresh token (server/store/sessions.ts). */
export interface SessionDoc { _id: string; userId: string; refreshHash: string; createdAt: string; expiresAt: string; revokedAt: string | null }
const sessionSchema = new Schema<SessionDoc>(
  { _id: String, userId: { type: String, required: true }, refreshHash: { type: String, required: true }, createdAt: String, expiresAt: String, revokedAt: { type: String, default: null } },
  opts,
);
sessionSchema.index({ userId: 1 });

/** Every refresh token a session was given (by hash), current and rotated: a rotated one presented again is reuse. */
export interface SessionTokenDoc { _id: string; sessionId: string }
const sessionToken = new Schema<SessionTokenDoc>({ _id: String, sessionId: { type: String, required: true } }, opts);
sessionToken.index({ sessionId: 1 });

/** An inbox entry (server/store/notifications.ts); `key` is unique per user. */
export interface NotificationDoc { _id: string; userId: string; kind: string; key: string; actorId: string | null; data: Record<string, unknown>; count: number; seq: number; createdAt: string; updatedAt: string; readAt: string | null }
const notification = new Schema<NotificationDoc>(
  { _id: String, userId: { type: String, required: true }, kind: String, key: { type: String, required: true }, actorId: { type: String, default: null }, data: { type: Schema.Types.Mixed, required: true }, count: Number, seq: Number, createdAt: String, updatedAt: String, readAt: { type: String, default: null } },
  opts,
);
notification.index({ userId: 1, key: 1 }, { unique: true });
notification.index({ userId: 1, updatedAt: -1, _id: -1 });
notification.index({ userId: 1, readAt: 1 });

export interface NotificationPrefsDoc { _id: string; prefs: Record<string, unknown> }
const notificationPrefs = new Schema<NotificationPrefsDoc>({ _id: String, prefs: { type: Schema.Types.Mixed, required: true } }, opts);

/** A due reminder claimed with a lease; `key` is unique. */
export interface ReminderDoc { _id: string; key: string; kind: string; roomId: string; userIds: string[]; data: Record<string, unknown>; dueAt: string; state: string; claimedBy: string | null; leaseUntil: string | null; attempts: number; finishedAt: string | null }
const reminder = new Schema<ReminderDoc>(
  { _id: String, key: { type: String, required: true }, kind: String, roomId: String, userIds: [String], data: { type: Schema.Types.Mixed, required: true }, dueAt: String, state: String, claimedBy: { type: String, default: null }, leaseUntil: { type: String, default: null }, attempts: Number, finishedAt: { type: String, default: null } },
  opts,
);
reminder.index({ key: 1 }, { unique: true });
reminder.index({ state: 1, dueAt: 1 });
reminder.index({ roomId: 1 });

/** One webhook delivery; `_id` is the idempotency key. */
export interface OutboxDoc { _id: string; userId: string; body: string; createdAt: string; state: string; attempts: number; nextAttemptAt: string; claimedBy: string | null; leaseUntil: string | null; lastError: string | null; deliveredAt: string | null }
const outbox = new Schema<OutboxDoc>(
  { _id: String, userId: String, body: { type: String, required: true }, createdAt: String, state: String, attempts: Number, nextAttemptAt: String, claimedBy: { type: String, default: null }, leaseUntil: { type: String, default: null }, lastError: { type: String, default: null }, deliveredAt: { type: String, default: null } },
  opts,
);
outbox.index({ state: 1, nextAttemptAt: 1 });
/** A check-in on a measured goal (issue 19). */
export interface CheckinDoc { _id: string; roomId: string; goalId: string; authorId: string; value: number; note?: string; threadId?: string; entryId?: string; createdAt: string }
const checkin = new Schema<CheckinDoc>(
  {
    _id: String,
    roomId: { type: String, required: true },
    goalId: { type: String, required: true },
    authorId: { type: String, required: true },
    value: { type: Number, required: true },
    note: String,
    threadId: String,
    entryId: String,
    createdAt: { type: String, required: true },
  },
  opts,
);
checkin.index({ roomId: 1, createdAt: 1, _id: 1 });
checkin.index({ roomId: 1, goalId: 1 });

/** A session (meeting) with its keys beside the whole document, as in SQLite (issue 19). */
export interface MeetingDoc { _id: string; roomId: string; startsAt: string; rev: number; data: Record<string, unknown> }
const meeting = new Schema<MeetingDoc>(
  { _id: String, roomId: { type: String, required: true }, startsAt: { type: String, required: true }, rev: { type: Number, required: true }, data: { type: Schema.Types.Mixed, required: true } },
  opts,
);
meeting.index({ roomId: 1, startsAt: 1, _id: 1 });

export interface ActionItemDoc { _id: string; roomId: string; sessionId: string; status: string; createdAt: string; data: Record<string, unknown> }
const actionItem = new Schema<ActionItemDoc>(
  {
    _id: String,
    roomId: { type: String, required: true },
    sessionId: { type: String, required: true },
    status: { type: String, required: true },
    createdAt: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  opts,
);
actionItem.index({ roomId: 1, createdAt: 1, _id: 1 });
actionItem.index({ roomId: 1, sessionId: 1 });
/** A roadmap template a pair saved (server/store/templates.ts). */
export interface PairTemplateDoc { _id: string; pairKey: string; name: string; description: string; title: string; milestones: Array<{ title: string; notes: string }>; createdBy: string; createdAt: string }
const pairTemplate = new Schema<PairTemplateDoc>(
  {
    _id: String,
    pairKey: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    title: { type: String, required: true },
    milestones: { type: [{ _id: false, title: String, notes: String }], default: [] },
    createdBy: String,
    createdAt: String,
  },
  opts,
);
pairTemplate.index({ pairKey: 1, createdAt: 1, _id: 1 });

export function models(conn: Connection) {
  return {
    counters: conn.model<CounterDoc>('Counter', counter, 'counters'),
    users: conn.model<UserDoc>('User', user, 'users'),
    rooms: conn.model<RoomDoc>('Room', room, 'rooms'),
    messages: conn.model<MessageDoc>('Message', message, 'messages'),
    markers: conn.model<MarkerDoc>('ReadMarker', marker, 'read_markers'),
    docUpdates: conn.model<DocUpdateDoc>('DocUpdate', docUpdate, 'doc_updates'),
    docSnapshots: conn.model<DocSnapshotDoc>('DocSnapshot', docSnapshot, 'doc_snapshots'),
    threads: conn.model<ThreadDoc>('Thread', thread, 'threads'),
    entries: conn.model<EntryDoc>('ThreadEntry', entry, 'thread_entries'),
    comments: conn.model<CommentDoc>('ThreadComment', comment, 'thread_comments'),
    sessions: conn.model<SessionDoc>('Session', sessionSchema, 'sessions'),
    sessionTokens: conn.model<SessionTokenDoc>('SessionToken', sessionToken, 'session_tokens'),
    notifications: conn.model<NotificationDoc>('Notification', notification, 'notifications'),
    notificationPrefs: conn.model<NotificationPrefsDoc>('NotificationPrefs', notificationPrefs, 'notification_prefs'),
    reminders: conn.model<ReminderDoc>('Reminder', reminder, 'reminders'),
    outbox: conn.model<OutboxDoc>('WebhookOutbox', outbox, 'webhook_outbox'),
    checkins: conn.model<CheckinDoc>('GoalCheckin', checkin, 'goal_checkins'),
    meetings: conn.model<MeetingDoc>('Meeting', meeting, 'meetings'),
    actionItems: conn.model<ActionItemDoc>('ActionItem', actionItem, 'action_items'),
    pairTemplates: conn.model<PairTemplateDoc>('PairTemplate', pairTemplate, 'pair_templates'),
  };
}
export type Models = ReturnType<typeof models>;
