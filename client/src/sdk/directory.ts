import type { Message, PublicUser, Room, RoomHealth, RoomId, RoomSummary, UserId } from '../../../shared/types.js';
import type { MenteoClient } from './client.js';
import { Emitter } from './emitter.js';

/** One of my rooms as a list shows it. */
export interface DirectoryEntry {
  room: Room;
  /** The other member; null until their profile is loaded. */
  counterpart: PublicUser | null;
  /** My role in the room. */
  role: 'mentor' | 'mentee';
  unread: number;
  lastMessage: Message | null;
  /** My read marker: unread = room.lastSeq − readSeq. */
  readSeq: number;
  /** The room's health as the room list last read it (active rooms; issue 19). */
  health?: RoomHealth;
  /** A pending request's expiry (issue 19). */
  request?: { expiresAt: string; expired: boolean };
}

// ── pure updates (no I/O), exported for tests and other clients ──────────────

export function entryFromSummary(s: RoomSummary, me: UserId, counterpart: PublicUser | null): DirectoryEntry {
  const { unread, lastMessage, health, request, ...room } = s;
  return {
    room,
    counterpart,
    role: room.mentorId === me ? 'mentor' : 'mentee',
    unread,
    lastMessage,
    readSeq: room.lastSeq - unread,
    ...(health ? { health } : {}),
    ...(request ? { request } : {}),
  };
}

/** A message seen for the first time: it may be the last one, and it is unread unless I wrote it. */
export function withMessage(e: DirectoryEntry, m: Message, me: UserId): DirectoryEntry {
  const lastSeq = Math.max(e.room.lastSeq, m.seq);
  const readSeq = m.authorId === me ? Math.max(e.readSeq, m.seq) : e.readSeq;
  const lastMessage = !e.lastMessage || m.seq >= e.lastMessage.seq ? m : e.lastMessage;
  return { ...e, room: { ...e.room, lastSeq }, lastMessage, readSeq, unread: Math.max(0, lastSeq - readSeq) };
}

/** A read marker moved; only mine changes my unread count. */
export function withRead(e: DirectoryEntry, userId: UserId, seq: number, me: UserId): DirectoryEntry {
  if (userId !== me || seq <= e.readSeq) return e;
  return { ...e, readSeq: seq, unread: Math.max(0, e.room.lastSeq - seq) };
}

/** A newer copy of the room (status, stage, lastSeq). An older `rev` is ignored. */
export function withRoom(e: DirectoryEntry, room: Room): DirectoryEntry {
  if (room.rev < e.room.rev) return e;
  const lastSeq = Math.max(room.lastSeq, e.room.lastSeq);
  return { ...e, room: { ...room, lastSeq }, unread: Math.max(0, lastSeq - e.readSeq) };
}

/** The last message changed (edited, deleted, reacted). */
export function withChangedMessage(e: DirectoryEntry, m: Message): DirectoryEntry {
  return e.lastMessage?.id === m.id ? { ...e, lastMessage: m } : e;
}

/** Most recent activity first: the last message's time, else the room's. */
const activity = (e: DirectoryEntry): string => e.lastMessage?.createdAt ?? e.room.updatedAt;

/**
 * My rooms, kept current from the client's events: unread counts, last message, new requests,
 * status changes. The other member's profile is looked up once per user (GET /api/rooms/:id).
 */
export class RoomDirectory {
  private readonly entries = new Map<RoomId, DirectoryEntry>();
  private readonly users = new Map<UserId, PublicUser>();
  private readonly emitter = new Emitter<{ change: void }>();
  private readonly offs: Array<() => void>;
  private refreshing: Promise<void> | null = null;
  private loadedOnce = false;

  constructor(private readonly client: MenteoClient) {
    const me = client.me;
    const update = (roomId: RoomId, fn: (e: DirectoryEntry) => DirectoryEntry) => {
      const e = this.entries.get(roomId);
      if (!e) {
        // A room this list has not seen (created elsewhere): load the list again.
        if (this.loadedOnce) void this.refresh().catch(() => undefined);
        return;
      }
      const next = fn(e);
      if (next !== e) {
        this.entries.set(roomId, next);
        this.emitter.emit('change', undefined);
      }
    };
    this.offs = [
      client.on('message', ({ message }) => update(message.roomId, (e) => withMessage(e, message, me))),
      client.on('message:updated', ({ message }) => update(message.roomId, (e) => withChangedMessage(e, message))),
      client.on('message:deleted', ({ roomId, messageId }) =>
        update(roomId, (e) =>
          e.lastMessage?.id === messageId ? { ...e, lastMessage: { ...e.lastMessage, body: '', deletedAt: new Date().toISOString() } } : e,
        ),
      ),
      client.on('read', ({ roomId, userId, seq }) => update(roomId, (e) => withRead(e, userId, seq, me))),
      client.on('room', ({ room }) => update(room.id, (e) => withRoom(e, room))),
      client.on('connection', ({ state, resumed }) => {
        // Anything may have happened while offline: the server's list is the truth.
        if (state === 'connected' && resumed) void this.refresh().catch(() => undefined);
      }),
    ];
  }

  on(event: 'change', fn: () => void): () => void {
    return this.emitter.on(event, fn);
  }

  /** True once the first refresh() has succeeded. */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** Entries, most recent activity first. */
  list(): DirectoryEntry[] {
    return [...this.entries.values()].sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0));
  }

  get(roomId: RoomId): DirectoryEntry | undefined {
    return this.entries.get(roomId);
  }

  /** A user's public profile, when this directory has loaded it. */
  user(userId: UserId): PublicUser | undefined {
    return this.users.get(userId);
  }

  /** Loads the list from the server (GET /api/rooms), then any missing member profiles. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const me = this.client.me;
        const summaries = await this.client.rest.rooms();
        this.entries.clear();
        for (const s of summaries) this.entries.set(s.id, entryFromSummary(s, me, this.users.get(counterpartId(s, me)) ?? null));
        this.loadedOnce = true;
        this.emitter.emit('change', undefined);
        await this.loadCounterparts();
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Adds a room I just created or answered, without waiting for its push. */
  upsert(room: Room): void {
    const e = this.entries.get(room.id);
    const me = this.client.me;
    this.entries.set(
      room.id,
      e ? withRoom(e, room) : entryFromSummary({ ...room, unread: 0, lastMessage: null }, me, this.users.get(counterpartId(room, me)) ?? null),
    );
    this.emitter.emit('change', undefined);
    if (!this.entries.get(room.id)?.counterpart) void this.loadCounterparts().catch(() => undefined);
  }

  private async loadCounterparts(): Promise<void> {
    const me = this.client.me;
    const missing = [...this.entries.values()].filter((e) => !e.counterpart);
    await Promise.all(
      missing.map(async (e) => {
        const otherId = counterpartId(e.room, me);
        let user = this.users.get(otherId);
        if (!user) {
          const { members } = await this.client.rest.room(e.room.id);
          for (const m of members) this.users.set(m.id, m);
          user = this.users.get(otherId);
        }
        const current = this.entries.get(e.room.id);
        if (current && user) this.entries.set(e.room.id, { ...current, counterpart: user });
      }),
    );
    if (missing.length > 0) this.emitter.emit('change', undefined);
  }

  /** Stops following the client's events. */
  dispose(): void {
    for (const off of this.offs) off();
    this.emitter.clear();
  }
}

const counterpartId = (room: Pick<Room, 'mentorId' | 'menteeId'>, me: UserId): UserId => (room.mentorId === me ? room.menteeId : room.mentorId);
