import { Ev } from '../../shared/events.js';
import type { UserId } from '../../shared/types.js';
import type { Broadcaster } from './broadcast.js';

/**
 * Relays typing indicators to the others who have the room open, and ends one by itself: a
 * `typing: true` not followed by `typing: false` within `expireMs` (the client vanished
 * mid-word) is followed by a `typing: false` from the server. Per node: the node that relayed the
 * `true` owns its expiry.
 */
export class TypingRelay {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly broadcast: Broadcaster,
    private readonly expireMs: number,
  ) {}

  /** Relays to the room's sockets except `fromSocket` (the sender's own). */
  relay(roomId: string, userId: UserId, typing: boolean, fromSocket: string): void {
    const key = `${roomId}\n${userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.broadcast.toRoom(roomId, Ev.typing, { roomId, userId, typing }, fromSocket);
    if (!typing) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.broadcast.toRoom(roomId, Ev.typing, { roomId, userId, typing: false }, fromSocket);
    }, this.expireMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
