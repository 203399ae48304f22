/**
 * The Store port: everything Menteo persists, in domain terms. Adapters (sqlite/, mongo/) hide
 * their driver behind it; one contract suite (test/store/contract.ts) runs against each.
 *
 * Every write resolves only after it is durable (committed to disk), so a caller may ack a
 * client as soon as the promise resolves.
 */
import type { Message, MessageKind, Profile, Room, RoomId, UserId } from '../../shared/types.js';

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
  /** Replaces displayName and profile; returns the stored user, or null when there is none. */
  updateProfile(id: UserId, displayName: string, profile: Profile): Promise<UserRecord | null>;
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
  /** Idempotency key, unique per (room, author). */
  clientMsgId: string;
}

/** What deciding who may act in a room needs: its members and status, without the rest of the document. */
export type RoomAccess = Pick<Room, 'id' | 'mentorId' | 'menteeId' | 'status'>;

export interface RoomStore {
  create(room: Room): Promise<Room>;
  get(id: RoomId): Promise<Room | null>;
  /**
   * The room's members and status only: the per-event membership check (every message:send)
   * uses it instead of get(), which reads and parses the whole room document. Optional: without
   * it, services fall back to get().
   */
  access?(id: RoomId): Promise<RoomAccess | null>;
  /** Rooms where the user is mentor or mentee, most recently active first. */
  listForMember(userId: UserId): Promise<RoomForMember[]>;
  /**
   * Writes `next` if the stored room still has revision `expectedRev` (compare-and-set), bumping
   * `rev`; optionally appends a system message in the same transaction. Throws AppError CONFLICT
   * when the room changed meanwhile, NOT_FOUND when it is gone. `lastSeq` is never written here.
   */
  update(next: Room, expectedRev: number, systemMessage?: SystemMessageIn): Promise<{ room: Room; message: Message | null }>;
}

export interface NewMessage {
  roomId: RoomId;
  authorId: UserId;
  clientMsgId: string;
  kind: MessageKind;
  body: string;
  replyTo?: string;
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
  /** Replaces the body and sets editedAt. Returns null when there is no such message. */
  edit(roomId: RoomId, messageId: string, body: string, at: string): Promise<Message | null>;
  /** Tombstones the message: body cleared, reactions cleared, deletedAt set. Idempotent. */
  remove(roomId: RoomId, messageId: string, at: string): Promise<Message | null>;
  /** Adds or removes one user's reaction; at most `maxEmoji` distinct emoji per message. */
  react(roomId: RoomId, messageId: string, userId: UserId, emoji: string, on: boolean, maxEmoji: number): Promise<Message | null>;
  /** Moves a read marker forward (never back, never past the room's last seq); returns the stored seq. */
  markRead(roomId: RoomId, userId: UserId, seq: number): Promise<number>;
  readMarker(roomId: RoomId, userId: UserId): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly users: UserStore;
  readonly rooms: RoomStore;
  readonly messages: MessageStore;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  /** Waits for pending writes to commit, then releases the database. */
  close(): Promise<void>;
}
