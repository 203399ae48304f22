import type { Redis } from 'ioredis';
import type { PresenceEntry, RoomId, UserId } from '../../shared/types.js';
import type { Logger } from '../log.js';
import type { NodeId } from './bus.js';
import { announceIn, LocalCounts, viewKey, type PresenceStore } from './presence.js';
import { pingRedis } from './redis-client.js';

const NODES = 'menteo:presence:nodes'; // sorted set: node id → last heartbeat (ms since epoch)
const nodeKey = (nodeId: NodeId) => `menteo:presence:node:${nodeId}`; // hash: user id → sockets on that node
const viewsKey = (nodeId: NodeId) => `menteo:presence:views:${nodeId}`; // hash: viewKey(room, user) → sockets showing it
const SEEN = 'menteo:presence:seen'; // hash: user id → lastSeenAt (ISO)
const ONLINE = 'menteo:presence:online'; // set: users last announced online

/**
 * Presence across nodes in Redis. Each node keeps a hash of its users' socket counts (and one of
 * which rooms their sockets show, for the notification producers) and
 * heartbeats its entry in a sorted set every ttl/3; a user is online while any node whose
 * heartbeat is younger than the TTL counts a socket of theirs. Every node sweeps: a node whose
 * heartbeat is older than the TTL is dead; the first sweeper to remove it (ZREM answers 1 to
 * exactly one caller) deletes its hash and asks the gateway to re-check its users, who go offline
 * unless they reconnected elsewhere — within TTL + ttl/3 of the node's death.
 *
 * Redis down: this node's own counts (kept in memory, the truth about its sockets) answer
 * instead, and when Redis is back the node writes them again and re-checks its users, so an
 * emptied or restarted Redis heals by itself. Node clocks are assumed within a second or two of
 * each other (the TTL is many seconds).
 */
export class RedisPresence implements PresenceStore {
  private readonly counts = new LocalCounts();
  /** Fallback for `announce` while Redis is down. */
  private readonly announcedHere = new Set<UserId>();
  private readonly listeners = new Set<(userIds: UserId[]) => void>();
  private readonly timer: NodeJS.Timeout;
  private wasReady = false;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly nodeId: NodeId,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.beat(), Math.max(250, Math.floor(ttlMs / 3)));
    this.timer.unref();
    const onReady = () => {
      if (this.wasReady) void this.rewrite();
      this.wasReady = true;
      void this.beat();
    };
    if (redis.status === 'ready') onReady();
    redis.on('ready', onReady);
  }

  async connected(userId: UserId): Promise<void> {
    await this.write(userId, this.counts.add(userId));
  }

  async disconnected(userId: UserId, at: string): Promise<void> {
    const n = this.counts.remove(userId, at);
    await this.write(userId, n, at);
  }

  async entry(userId: UserId): Promise<PresenceEntry> {
    try {
      const live = await this.redis.zrangebyscore(NODES, Date.now() - this.ttlMs, '+inf');
      const pipeline = this.redis.pipeline();
      for (const node of live) pipeline.hget(nodeKey(node), userId);
      pipeline.hget(SEEN, userId);
      const replies = (await pipeline.exec()) ?? [];
      const seen = replies.pop()?.[1] as string | null | undefined;
      // This node's own count is the truth even if its last heartbeat has not landed yet.
      const sockets = this.counts.count(userId) + replies.reduce((sum, [, v], i) => (live[i] === this.nodeId ? sum : sum + Number(v ?? 0)), 0);
      return sockets > 0 ? { userId, status: 'online', lastSeenAt: null } : { userId, status: 'offline', lastSeenAt: seen ?? null };
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'presence read failed; answering from this node');
      return this.counts.entry(userId);
    }
  }

  async viewing(userId: UserId, from: RoomId | null, to: RoomId | null): Promise<void> {
    // The new counts are taken now, in event order; ioredis keeps the writes in that order.
    const changed = this.counts.moveView(userId, from, to);
    if (changed.length === 0 || this.closed) return;
    try {
      const multi = this.redis.multi();
      for (const [key, n] of changed) {
        if (n > 0) multi.hset(viewsKey(this.nodeId), key, n);
        else multi.hdel(viewsKey(this.nodeId), key);
      }
      await multi.exec();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'view write failed; rewritten when redis is back');
    }
  }

  /**
   * This node's counts answer first (no round trip for a viewer here, the common case on one
   * node or with sticky rooms); the others' hashes are read for the rest, live nodes only.
   */
  async viewers(roomId: RoomId, userIds: readonly UserId[]): Promise<Set<UserId>> {
    const found = new Set(userIds.filter((u) => this.counts.isViewing(roomId, u)));
    const rest = userIds.filter((u) => !found.has(u));
    if (rest.length === 0) return found;
    try {
      const live = (await this.redis.zrangebyscore(NODES, Date.now() - this.ttlMs, '+inf')).filter((n) => n !== this.nodeId);
      if (live.length === 0) return found;
      const pipeline = this.redis.pipeline();
      for (const node of live) pipeline.hmget(viewsKey(node), ...rest.map((u) => viewKey(roomId, u)));
      for (const [, counts] of (await pipeline.exec()) ?? []) {
        (counts as (string | null)[] | null)?.forEach((n, i) => Number(n ?? 0) > 0 && found.add(rest[i]!));
      }
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'view read failed; answering from this node');
    }
    return found;
  }

  async announce(userId: UserId, status: PresenceEntry['status']): Promise<boolean> {
    try {
      const changed = status === 'online' ? await this.redis.sadd(ONLINE, userId) : await this.redis.srem(ONLINE, userId);
      announceIn(this.announcedHere, userId, status);
      return changed === 1;
    } catch {
      return announceIn(this.announcedHere, userId, status);
    }
  }

  onRecheck(listener: (userIds: UserId[]) => void): void {
    this.listeners.add(listener);
  }

  ping(): Promise<void> {
    return pingRedis(this.redis);
  }

  /**
   * Stops heartbeating and marks this node's entry as expired, so the next sweep by any other
   * node re-checks its users (they reconnect elsewhere, or go offline) without waiting a TTL.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.redis.zadd(NODES, 0, this.nodeId).catch(() => {});
  }

  private async write(userId: UserId, sockets: number, lastSeenAt?: string): Promise<void> {
    if (this.closed) return;
    try {
      const multi = this.redis.multi().zadd(NODES, Date.now(), this.nodeId);
      if (sockets > 0) multi.hset(nodeKey(this.nodeId), userId, sockets);
      else multi.hdel(nodeKey(this.nodeId), userId);
      if (lastSeenAt) multi.hset(SEEN, userId, lastSeenAt);
      await multi.exec();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'presence write failed; rewritten when redis is back');
    }
  }

  /** After a reconnect: this node's counts again (Redis may have restarted empty), then a re-check of its users. */
  private async rewrite(): Promise<void> {
    const users = this.counts.users();
    try {
      const multi = this.redis.multi().del(nodeKey(this.nodeId), viewsKey(this.nodeId)).zadd(NODES, Date.now(), this.nodeId);
      for (const [userId, n] of users) multi.hset(nodeKey(this.nodeId), userId, n);
      for (const [key, n] of this.counts.allViews()) multi.hset(viewsKey(this.nodeId), key, n);
      await multi.exec();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'presence rewrite failed');
      return;
    }
    if (users.length > 0) this.emit(users.map(([userId]) => userId));
  }

  /** Heartbeat, then sweep the nodes that stopped heartbeating. */
  private async beat(): Promise<void> {
    if (this.closed) return;
    try {
      await this.redis.zadd(NODES, Date.now(), this.nodeId);
      const dead = await this.redis.zrangebyscore(NODES, '-inf', Date.now() - this.ttlMs, 'WITHSCORES');
      for (let i = 0; i < dead.length; i += 2) await this.reap(dead[i]!, Number(dead[i + 1]));
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'presence heartbeat failed');
    }
  }

  private async reap(node: NodeId, lastBeat: number): Promise<void> {
    if (node === this.nodeId || (await this.redis.zrem(NODES, node)) !== 1) return; // another node claimed it
    const users = Object.keys(await this.redis.hgetall(nodeKey(node)));
    await this.redis.del(nodeKey(node), viewsKey(node));
    if (users.length === 0) return;
    // A dead node's users were last seen at its last heartbeat (or now, after a graceful close).
    const at = new Date(lastBeat > 0 ? lastBeat : Date.now()).toISOString();
    await this.redis.hset(SEEN, Object.fromEntries(users.map((u) => [u, at])));
    this.log.info({ node, users: users.length }, 'presence: a node stopped heartbeating; re-checking its users');
    this.emit(users);
  }

  private emit(userIds: UserId[]): void {
    for (const listener of this.listeners) listener(userIds);
  }
}
