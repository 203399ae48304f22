import type { PresenceEntry, RoomId, UserId } from '../../../shared/types.js';
import type { Emit } from './events.js';
import type { Pushes } from './wire.js';

/** Re-announce "typing" this often while the user keeps typing (ms); others expire it after TYPING_TTL_MS. */
const TYPING_REPEAT_MS = 2500;
const TYPING_TTL_MS = 6000;

/**
 * Presence and typing as heard on the socket: ephemeral, never stored. Typists expire on their
 * own if their "stopped" event is lost; my own "typing" is throttled.
 */
export class LiveState {
  private readonly presenceByUser = new Map<UserId, PresenceEntry>();
  private readonly typists = new Map<RoomId, Map<UserId, ReturnType<typeof setTimeout>>>();
  private readonly typingSentAt = new Map<RoomId, number>();

  constructor(
    private readonly me: UserId,
    private readonly emit: Emit,
  ) {}

  applyPresence(roomId: RoomId, entry: PresenceEntry): void {
    this.presenceByUser.set(entry.userId, entry);
    this.emit('presence', { roomId, ...entry });
  }

  presence(userId: UserId): PresenceEntry | undefined {
    return this.presenceByUser.get(userId);
  }

  applyTyping(p: Pushes['typing']): void {
    if (p.userId === this.me) return; // my other device
    let room = this.typists.get(p.roomId);
    if (!room) this.typists.set(p.roomId, (room = new Map()));
    const existing = room.get(p.userId);
    if (existing) clearTimeout(existing);
    if (p.typing) room.set(p.userId, setTimeout(() => this.applyTyping({ ...p, typing: false }), TYPING_TTL_MS));
    else room.delete(p.userId);
    this.emit('typing', { roomId: p.roomId, userIds: [...room.keys()] });
  }

  typingIn(roomId: RoomId): UserId[] {
    return [...(this.typists.get(roomId)?.keys() ?? [])];
  }

  /** "Stopped typing" cannot arrive while disconnected: forget every typist. */
  forgetTyping(): void {
    for (const [roomId, room] of this.typists) {
      if (room.size === 0) continue;
      for (const t of room.values()) clearTimeout(t);
      room.clear();
      this.emit('typing', { roomId, userIds: [] });
    }
  }

  /** Whether my own typing change is worth sending: "typing" at most every 2.5 s, "stopped" once. */
  shouldSendTyping(roomId: RoomId, typing: boolean, now = Date.now()): boolean {
    const last = this.typingSentAt.get(roomId) ?? 0;
    if (typing ? now - last < TYPING_REPEAT_MS : last === 0) return false;
    this.typingSentAt.set(roomId, typing ? now : 0);
    return true;
  }

  close(): void {
    for (const room of this.typists.values()) for (const t of room.values()) clearTimeout(t);
    this.typists.clear();
  }
}
