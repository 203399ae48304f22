import { Ev } from '../../../shared/events.js';
import { Limits } from '../../../shared/limits.js';
import type { Message, PresenceEntry, RoomId, UserId } from '../../../shared/types.js';
import { SdkError } from './errors.js';
import type { Emit } from './events.js';
import type { RestClient } from './rest.js';
import { SeenSeqs } from './seen.js';
import { Timeline } from './timeline.js';
import type { CallName, Calls, JoinResult } from './wire.js';

/** What room sync needs from the client around it. */
export interface SyncDeps {
  me: UserId;
  /** Messages per first page and per "load older". */
  pageSize: number;
  rest: RestClient;
  /** A socket call with an ack; throws DISCONNECTED when not connected. */
  call<E extends CallName>(event: E, payload: Calls[E]['in']): Promise<Calls[E]['out']>;
  isConnected(): boolean;
  emit: Emit;
  /** One of my messages is stored (seen by any path): settle its outbox entry. */
  ownMessage(message: Message): void;
  presence(roomId: RoomId, entry: PresenceEntry): void;
}

/** Per-room state. */
interface RoomState {
  /** Seqs already reported as `message`. */
  seen: SeenSeqs;
  /** Held messages; null until the room is opened. */
  timeline: Timeline | null;
  /** Joined on the socket (presence, typing); re-joined on every reconnect. */
  watched: boolean;
  /** My read marker as far as this client knows. */
  readSeq: number;
  /** Every member's read marker as far as this client knows (stored ones from room:join, then room:read pushes). */
  reads: Map<UserId, number>;
  /** A read marker to send once connected (0: none). */
  pendingRead: number;
  gapTimer: ReturnType<typeof setTimeout> | null;
  /** The running REST catch-up, so two are never in flight for one room. */
  filling: Promise<void> | null;
}

/** `since` for a room whose messages are not wanted: the join returns none (only presence and the room). */
const NOTHING_AFTER = Number.MAX_SAFE_INTEGER;
/** How long a hole in the timeline may stay before it is fetched (ms): pushes can arrive slightly out of order. */
const GAP_GRACE_MS = 400;

/**
 * Keeps rooms in step with the server: joins (and re-joins after every reconnect) asking only for
 * what is missing, takes messages from every path exactly once, fills holes, moves read markers.
 */
export class RoomSync {
  private readonly rooms = new Map<RoomId, RoomState>();

  constructor(private readonly deps: SyncDeps) {}

  private state(roomId: RoomId): RoomState {
    let st = this.rooms.get(roomId);
    if (!st) {
      st = { seen: new SeenSeqs(), timeline: null, watched: false, readSeq: 0, reads: new Map(), pendingRead: 0, gapTimer: null, filling: null };
      this.rooms.set(roomId, st);
    }
    return st;
  }

  async watch(roomId: RoomId): Promise<void> {
    const st = this.state(roomId);
    if (st.watched) return;
    st.watched = true;
    if (this.deps.isConnected()) await this.join(roomId);
  }

  async open(roomId: RoomId): Promise<void> {
    const st = this.state(roomId);
    st.timeline ??= new Timeline();
    st.watched = true;
    if (this.deps.isConnected()) await this.join(roomId);
  }

  async leave(roomId: RoomId): Promise<void> {
    const st = this.rooms.get(roomId);
    if (!st?.watched) return;
    st.watched = false;
    if (this.deps.isConnected()) await this.deps.call(Ev.roomLeave, { roomId }).catch(() => undefined);
  }

  /** After a (re)connect: catch up every watched room and send read markers made offline. */
  resume(): void {
    for (const [roomId, st] of this.rooms) {
      if (st.watched) void this.join(roomId).catch(() => undefined);
      if (st.pendingRead > 0) void this.flushRead(roomId);
    }
  }

  timeline(roomId: RoomId): readonly Message[] {
    return this.rooms.get(roomId)?.timeline?.messages ?? [];
  }

  hasOlder(roomId: RoomId): boolean {
    return this.rooms.get(roomId)?.timeline?.hasOlder ?? false;
  }

  async loadOlder(roomId: RoomId): Promise<number> {
    const tl = this.state(roomId).timeline;
    if (!tl || !tl.hasOlder) return 0;
    const page = await this.deps.rest.history(roomId, { before: tl.lowestSeq, limit: this.deps.pageSize });
    const before = tl.size;
    this.ingest(roomId, page.messages, 'history');
    return tl.size - before;
  }

  /**
   * room:join, asking for what this client lacks: nothing (watched only), the latest page (empty
   * timeline) or everything after the contiguous held seq (catch-up). Seqs already held are dropped.
   */
  private async join(roomId: RoomId): Promise<JoinResult> {
    const st = this.state(roomId);
    const tl = st.timeline;
    const catchUp = tl !== null && tl.size > 0;
    const payload = tl === null ? { roomId, since: NOTHING_AFTER, limit: 1 } : catchUp ? { roomId, since: tl.contiguousSeq } : { roomId, limit: this.deps.pageSize };
    let res: JoinResult;
    try {
      res = await this.deps.call(Ev.roomJoin, payload);
    } catch (err) {
      // Not a member, or no such room: stop re-joining it on every reconnect.
      if (!SdkError.from(err).isRetryable()) st.watched = false;
      throw err;
    }
    this.deps.emit('room', { room: res.room });
    for (const p of res.presence) this.deps.presence(roomId, p);
    this.ingest(roomId, res.messages);
    // Stored markers: "Seen" holds after a reload, not only from live pushes (issue 16).
    for (const r of res.reads ?? []) this.applyRead({ roomId, userId: r.userId, seq: r.seq });
    // A catch-up larger than one page: fetch the rest.
    if (catchUp && res.hasMore) await this.fillAfter(roomId);
    return res;
  }

  /** Fetches every message after the contiguous held seq (REST pages), until none is missing. */
  private fillAfter(roomId: RoomId): Promise<void> {
    const st = this.state(roomId);
    st.filling ??= (async () => {
      try {
        for (;;) {
          const tl = st.timeline;
          if (!tl) return;
          const page = await this.deps.rest.history(roomId, { after: tl.contiguousSeq, limit: Limits.pageMax });
          this.ingest(roomId, page.messages);
          if (!page.hasMore || page.messages.length === 0) return;
        }
      } finally {
        st.filling = null;
      }
    })();
    return st.filling;
  }

  /**
   * Takes messages from any path (push, join page, history, ack). Each seq is reported as
   * `message` once (`history` pages: never); held seqs are dropped; my own settle the outbox.
   */
  ingest(roomId: RoomId, messages: readonly Message[], source: 'live' | 'history' = 'live'): void {
    const st = this.state(roomId);
    let changed = false;
    const sorted = [...messages].sort((a, b) => a.seq - b.seq);
    if (source === 'history' && sorted.length > 0) st.seen.raiseFloorTo(sorted.at(-1)!.seq);
    for (const m of sorted) {
      if (st.timeline && st.timeline.add(m) !== 'duplicate') changed = true;
      if (source === 'live' && st.seen.add(m.seq)) this.deps.emit('message', { message: m });
      if (m.authorId === this.deps.me) {
        // The server moves the author's read marker when it stores their message.
        st.readSeq = Math.max(st.readSeq, m.seq);
        this.deps.ownMessage(m);
      }
    }
    if (changed) this.deps.emit('timeline', { roomId });
    if (st.timeline?.hasGap) this.scheduleGapFill(roomId);
  }

  /** A hole that outlives the grace period is fetched (a push was lost, or arrived out of order and never came). */
  private scheduleGapFill(roomId: RoomId): void {
    const st = this.state(roomId);
    if (st.gapTimer) return;
    st.gapTimer = setTimeout(() => {
      st.gapTimer = null;
      if (st.timeline?.hasGap && this.deps.isConnected()) void this.fillAfter(roomId).catch(() => undefined);
    }, GAP_GRACE_MS);
  }

  applyUpdate(message: Message): void {
    if (this.rooms.get(message.roomId)?.timeline?.update(message)) this.deps.emit('timeline', { roomId: message.roomId });
    this.deps.emit('message:updated', { message });
  }

  applyDelete(roomId: RoomId, messageId: string, at: string): void {
    if (this.rooms.get(roomId)?.timeline?.markDeleted(messageId, at)) this.deps.emit('timeline', { roomId });
    this.deps.emit('message:deleted', { roomId, messageId });
  }

  applyRead(p: { roomId: RoomId; userId: UserId; seq: number }): void {
    const st = this.state(p.roomId);
    if (p.userId === this.deps.me) st.readSeq = Math.max(st.readSeq, p.seq);
    if (p.seq <= (st.reads.get(p.userId) ?? 0)) return;
    st.reads.set(p.userId, p.seq);
    this.deps.emit('read', p);
  }

  /** A member's read marker in a room as far as this client knows (0 when unknown). */
  readMarker(roomId: RoomId, userId: UserId): number {
    return this.rooms.get(roomId)?.reads.get(userId) ?? 0;
  }

  /** Moves my read marker forward: reported at once, sent now or on the next connect. */
  markRead(roomId: RoomId, seq: number): void {
    const st = this.state(roomId);
    if (seq <= st.readSeq) return;
    st.readSeq = seq;
    st.reads.set(this.deps.me, Math.max(st.reads.get(this.deps.me) ?? 0, seq));
    st.pendingRead = seq;
    this.deps.emit('read', { roomId, userId: this.deps.me, seq });
    if (this.deps.isConnected()) void this.flushRead(roomId);
  }

  private async flushRead(roomId: RoomId): Promise<void> {
    const st = this.state(roomId);
    const seq = st.pendingRead;
    if (seq === 0) return;
    st.pendingRead = 0;
    try {
      await this.deps.call(Ev.roomRead, { roomId, seq });
    } catch (err) {
      if (SdkError.from(err).isTransport()) st.pendingRead = Math.max(st.pendingRead, seq);
    }
  }

  close(): void {
    for (const st of this.rooms.values()) if (st.gapTimer) clearTimeout(st.gapTimer);
  }
}
