import type { PresenceEntry, RoomId, UserId } from '../../shared/types.js';

/**
 * The presence port: who has a socket open, on this node or any other. Async, because in
 * cluster mode the answer lives in Redis (presence-redis.ts); in memory on one node (below).
 *
 * What was last announced to the other members is kept here too (`announce`), so that of several
 * nodes noticing the same change exactly one announces it, and a user who is back before an
 * announcement was due causes none.
 */
export interface PresenceStore {
  /** Counts one more socket of the user on this node. */
  connected(userId: UserId): Promise<void>;
  /** One socket fewer on this node; `at` (ISO) becomes lastSeenAt when none is left anywhere. */
  disconnected(userId: UserId, at: string): Promise<void>;
  /** The user's status across every live node. */
  entry(userId: UserId): Promise<PresenceEntry>;
  /**
   * One socket of the user moves its view (room:view, room:leave, disconnect) from room `from` to
   * room `to` (null: none). Counted per node like sockets, so a dead node's views expire with it.
   */
  viewing(userId: UserId, from: RoomId | null, to: RoomId | null): Promise<void>;
  /** Which of `userIds` show room `roomId` on a device, on any live node. */
  viewers(roomId: RoomId, userIds: readonly UserId[]): Promise<Set<UserId>>;
  /** Records `status` as announced; true only for the caller that changed it (that caller announces). */
  announce(userId: UserId, status: PresenceEntry['status']): Promise<boolean>;
  /**
   * Users whose status may have changed without a socket event here: the users of a node that
   * stopped heartbeating, or this node's users after Redis came back. The listener re-checks them.
   */
  onRecheck(listener: (userIds: UserId[]) => void): void;
  /** Resolves when the backing store answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The key of one (room, user) view count; also the field name in Redis. */
export const viewKey = (roomId: RoomId, userId: UserId): string => `${roomId}\n${userId}`;

/**
 * Counts of one node's sockets per user, lastSeenAt once a user's last socket went away, and
 * how many of the user's sockets show each room (viewKey → count).
 */
export class LocalCounts {
  private readonly sockets = new Map<UserId, number>();
  private readonly lastSeen = new Map<UserId, string>();
  private readonly views = new Map<string, number>();

  /** The user's new socket count on this node. */
  add(userId: UserId): number {
    const n = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, n);
    return n;
  }

  /** The user's new socket count on this node (never below 0). */
  remove(userId: UserId, at: string): number {
    const n = Math.max(0, (this.sockets.get(userId) ?? 1) - 1);
    if (n > 0) this.sockets.set(userId, n);
    else {
      this.sockets.delete(userId);
      this.lastSeen.set(userId, at);
    }
    return n;
  }

  count(userId: UserId): number {
    return this.sockets.get(userId) ?? 0;
  }

  users(): [UserId, number][] {
    return [...this.sockets];
  }

  /** Moves one socket's view; answers the new counts of the keys it changed (0: gone). */
  moveView(userId: UserId, from: RoomId | null, to: RoomId | null): [string, number][] {
    if (from === to) return [];
    const changed: [string, number][] = [];
    if (from !== null) {
      const key = viewKey(from, userId);
      const n = Math.max(0, (this.views.get(key) ?? 1) - 1);
      if (n > 0) this.views.set(key, n);
      else this.views.delete(key);
      changed.push([key, n]);
    }
    if (to !== null) {
      const key = viewKey(to, userId);
      const n = (this.views.get(key) ?? 0) + 1;
      this.views.set(key, n);
      changed.push([key, n]);
    }
    return changed;
  }

  isViewing(roomId: RoomId, userId: UserId): boolean {
    return this.views.has(viewKey(roomId, userId));
  }

  allViews(): [string, number][] {
    return [...this.views];
  }

  entry(userId: UserId): PresenceEntry {
    const online = this.sockets.has(userId);
    return { userId, status: online ? 'online' : 'offline', lastSeenAt: online ? null : (this.lastSeen.get(userId) ?? null) };
  }
}

/** Presence on a single node: everything is in this process. */
export class MemoryPresence implements PresenceStore {
  private readonly counts = new LocalCounts();
  /** Users last announced online; absent means offline (or never announced). */
  private readonly online = new Set<UserId>();

  async connected(userId: UserId): Promise<void> {
    this.counts.add(userId);
  }

  async disconnected(userId: UserId, at: string): Promise<void> {
    this.counts.remove(userId, at);
  }

  async entry(userId: UserId): Promise<PresenceEntry> {
    return this.counts.entry(userId);
  }

  async viewing(userId: UserId, from: RoomId | null, to: RoomId | null): Promise<void> {
    this.counts.moveView(userId, from, to);
  }

  async viewers(roomId: RoomId, userIds: readonly UserId[]): Promise<Set<UserId>> {
    return new Set(userIds.filter((u) => this.counts.isViewing(roomId, u)));
  }

  async announce(userId: UserId, status: PresenceEntry['status']): Promise<boolean> {
    return announceIn(this.online, userId, status);
  }

  onRecheck(): void {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

/** `announce` on a set of users announced online. */
export function announceIn(online: Set<UserId>, userId: UserId, status: PresenceEntry['status']): boolean {
  if (status === 'online') {
    if (online.has(userId)) return false;
    online.add(userId);
    return true;
  }
  return online.delete(userId);
}
