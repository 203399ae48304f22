import type { PresenceEntry, UserId } from '../../shared/types.js';

/**
 * Who is online on this node: a user is online while at least one of their sockets is
 * connected; `lastSeenAt` is when their last socket went away.
 */
export class PresenceTracker {
  private readonly sockets = new Map<UserId, number>();
  private readonly lastSeen = new Map<UserId, string>();

  /** Counts a new socket; true when the user just came online. */
  connected(userId: UserId): boolean {
    const n = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, n);
    return n === 1;
  }

  /** Counts a closed socket; true when the user just went offline. */
  disconnected(userId: UserId, at: string): boolean {
    const n = (this.sockets.get(userId) ?? 1) - 1;
    if (n > 0) {
      this.sockets.set(userId, n);
      return false;
    }
    this.sockets.delete(userId);
    this.lastSeen.set(userId, at);
    return true;
  }

  entry(userId: UserId): PresenceEntry {
    return {
      userId,
      status: this.sockets.has(userId) ? 'online' : 'offline',
      lastSeenAt: this.sockets.has(userId) ? null : (this.lastSeen.get(userId) ?? null),
    };
  }
}
