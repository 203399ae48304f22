import { Ev } from '../../shared/events.js';
import type { PresenceEntry, RoomId, UserId } from '../../shared/types.js';
import { counterpartOf, sharesPresence } from '../domain/rooms.js';
import { nowIso } from '../ids.js';
import type { Logger } from '../log.js';
import type { RoomService } from '../rooms/service.js';
import type { PresenceStore } from '../scale/presence.js';
import type { Broadcaster } from './broadcast.js';

/**
 * Announces presence to the other member of each of a user's active rooms, from the counts in
 * the PresenceStore (this node's, or the cluster's in Redis).
 *
 * A user's last socket closing is announced only after `graceMs`, and only if they are still
 * offline then: a page reload (or a reconnect to another node) causes no offline/online flap.
 * Every change goes through `store.announce`, so of the nodes that notice it exactly one tells
 * the counterpart, and an unchanged status is never announced twice.
 */
export class PresenceAnnouncer {
  private readonly pending = new Map<UserId, NodeJS.Timeout>();
  /** Per user, the tail of their presence work: a disconnect and the reconnect after it apply in order. */
  private readonly chains = new Map<UserId, Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: PresenceStore,
    private readonly broadcast: Broadcaster,
    private readonly rooms: Pick<RoomService, 'listMine'>,
    private readonly graceMs: number,
    private readonly log: Logger,
  ) {
    store.onRecheck((userIds) => {
      for (const userId of userIds) this.serial(userId, () => this.recheck(userId));
    });
  }

  /** A socket of the user connected to this node. */
  connected(userId: UserId): void {
    if (this.closed) return;
    this.serial(userId, async () => {
      clearTimeout(this.pending.get(userId));
      this.pending.delete(userId);
      await this.store.connected(userId);
      await this.recheck(userId);
    });
  }

  /** A socket of the user closed: offline is announced after the grace period if nothing came back. */
  disconnected(userId: UserId): void {
    if (this.closed) return;
    this.serial(userId, async () => {
      await this.store.disconnected(userId, nowIso());
      clearTimeout(this.pending.get(userId));
      const timer = setTimeout(() => {
        this.pending.delete(userId);
        this.serial(userId, () => this.recheck(userId));
      }, this.graceMs);
      timer.unref();
      this.pending.set(userId, timer);
    });
  }

  /** The user's status for a room:join answer. */
  entry(userId: UserId): Promise<PresenceEntry> {
    return this.store.entry(userId);
  }

  /**
   * One socket's view moves (room:view, room:leave, disconnect). Not queued behind the user's
   * presence work: the store takes the new counts synchronously, in event order.
   */
  viewing(userId: UserId, from: RoomId | null, to: RoomId | null): Promise<void> {
    return this.store.viewing(userId, from, to);
  }

  /** Which of `userIds` show the room on some device, on any node (the notification producers ask). */
  viewers(roomId: RoomId, userIds: readonly UserId[]): Promise<Set<UserId>> {
    return this.store.viewers(roomId, userIds);
  }

  /** Stops announcing (shutdown): the node's users are re-checked by the other nodes, or reconnect. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...this.chains.values()]);
    await this.store.close();
  }

  /** Announces the user's current status if it differs from the one announced last. */
  private async recheck(userId: UserId): Promise<void> {
    if (this.closed) return;
    const entry = await this.store.entry(userId);
    if (entry.status === 'offline' && this.pending.has(userId)) return; // still in its grace period
    if (!(await this.store.announce(userId, entry.status))) return;
    for (const room of await this.rooms.listMine({ id: userId })) {
      if (sharesPresence(room)) this.broadcast.toUsers([counterpartOf(room, userId)], Ev.presence, { roomId: room.id, ...entry });
    }
  }

  private serial(userId: UserId, fn: () => Promise<void>): void {
    const next = (this.chains.get(userId) ?? Promise.resolve()).then(fn).catch((err: unknown) => this.log.warn({ err, userId }, 'presence update failed'));
    this.chains.set(userId, next);
    void next.then(() => {
      if (this.chains.get(userId) === next) this.chains.delete(userId);
    });
  }
}
