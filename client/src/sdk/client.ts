import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Ev } from '../../../shared/events.js';
import { Limits } from '../../../shared/limits.js';
import { Emoji, MessageBody } from '../../../shared/schemas/message.js';
import type { Message, PresenceEntry, Room, RoomId, UserId } from '../../../shared/types.js';
import { Emitter } from './emitter.js';
import { SdkError } from './errors.js';
import { newClientMsgId } from './ids.js';
import { memoryStorage, Outbox, type OutboxEntry, type OutboxStorage } from './outbox.js';
import { RestClient, type Session } from './rest.js';
import { SeenSeqs } from './seen.js';
import { Timeline } from './timeline.js';
import type { CallName, Calls, ClientToServer, JoinResult, Pushes, ServerToClient } from './wire.js';

/**
 * The socket's state. `reconnecting` covers every wait for the next attempt (the outbox queues);
 * `unauthorized` means the server refused the token (sign in again); `closed` follows close().
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed';

/** Everything a MenteoClient reports, by event name. */
export interface ClientEvents {
  /** The connection changed. `resumed` is true on a connect that follows an earlier one (rooms were caught up). */
  connection: { state: ConnectionState; resumed: boolean };
  /**
   * A message this client had not seen, from a push, a catch-up, an ack or the first page of a
   * room. Fires once per seq; pages loaded with loadOlder() do not fire it.
   */
  message: { message: Message };
  /** A message changed (edit, reaction). */
  'message:updated': { message: Message };
  /** A message was deleted (it stays in the timeline as a tombstone). */
  'message:deleted': { roomId: RoomId; messageId: string };
  /** The held timeline of a room changed: read `timeline(roomId)` again. */
  timeline: { roomId: RoomId };
  /** An outbox entry changed status; a `sent` entry is reported once and then leaves the outbox. */
  outbox: { entry: OutboxEntry };
  /** The latest copy of a room (status, stage, contract, lastSeq). */
  room: { room: Room };
  /** A member's read marker moved (mine too, from any of my devices). */
  read: { roomId: RoomId; userId: UserId; seq: number };
  presence: PresenceEntry & { roomId: RoomId };
  /** Who (other than me) is typing in a room now. */
  typing: { roomId: RoomId; userIds: UserId[] };
}

export interface ClientOptions {
  session: Session;
  /** Server origin; '' (the default) means the page's own origin. */
  baseUrl?: string;
  /** Where unsent messages survive a restart; in memory by default. */
  storage?: OutboxStorage;
  /** Messages loaded when a room is first opened, and per "load older". Default 50. */
  pageSize?: number;
  /** How long to wait for an ack before treating the call as lost, in ms. Default 10 000. */
  ackTimeoutMs?: number;
  /** Passed to socket.io-client (reconnection delays, transports). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** Per-room state the client keeps. */
interface RoomState {
  /** Seqs already reported as `message`. */
  seen: SeenSeqs;
  /** Held messages; null until the room is opened. */
  timeline: Timeline | null;
  /** Joined on the socket (presence, typing); re-joined on every reconnect. */
  watched: boolean;
  /** My read marker as far as this client knows. */
  readSeq: number;
  /** A read marker to send once connected. */
  pendingRead: number;
  /** When I last told the room I am typing (ms), 0 when I said I stopped. */
  typingSentAt: number;
  /** Others typing now, each with the timer that expires them if the "stopped" event is lost. */
  typing: Map<UserId, ReturnType<typeof setTimeout>>;
  gapTimer: ReturnType<typeof setTimeout> | null;
  /** The running catch-up, so two are never in flight for one room. */
  filling: Promise<void> | null;
}

/** `since` for a room whose messages are not wanted: the join returns none (only presence and the room). */
const NOTHING_AFTER = Number.MAX_SAFE_INTEGER;
/** Re-announce "typing" this often while the user keeps typing (ms); others expire it after TYPING_TTL_MS. */
const TYPING_REPEAT_MS = 2500;
const TYPING_TTL_MS = 6000;
/** How long a hole in the timeline may stay before it is fetched (ms): pushes can arrive slightly out of order. */
const GAP_GRACE_MS = 400;
/** Retries for server-side failures (RATE_LIMITED, INTERNAL) before an entry is marked failed. Transport failures retry forever. */
const MAX_SERVER_ATTEMPTS = 5;

/**
 * A signed-in Menteo client over REST + Socket.IO. Holds the timelines of opened rooms, the
 * outbox, presence and typing; catches up after every reconnect. No DOM: runs in browsers and Node.
 *
 * Sending: `send()` puts the message in the outbox with a fresh clientMsgId and returns at once;
 * the outbox sends oldest first whenever connected and keeps the clientMsgId on every retry.
 */
export class MenteoClient {
  readonly rest: RestClient;
  readonly me: UserId;
  private readonly emitter = new Emitter<ClientEvents>();
  private readonly outbox: Outbox;
  private readonly rooms = new Map<RoomId, RoomState>();
  private readonly presenceByUser = new Map<UserId, PresenceEntry>();
  private readonly pageSize: number;
  private readonly ackTimeoutMs: number;
  private socket: Socket<ServerToClient, ClientToServer> | null = null;
  private connState: ConnectionState = 'idle';
  private everConnected = false;
  private pumping = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: ClientOptions) {
    this.me = opts.session.user.id;
    this.rest = new RestClient({ baseUrl: opts.baseUrl ?? '', token: opts.session.token });
    this.pageSize = opts.pageSize ?? 50;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.outbox = new Outbox(opts.storage ?? memoryStorage(), (entry) => this.emitter.emit('outbox', { entry }));
  }

  on<K extends keyof ClientEvents>(event: K, fn: (payload: ClientEvents[K]) => void): () => void {
    return this.emitter.on(event, fn);
  }

  /** Resolves with the first `event` payload that satisfies `match`. */
  once<K extends keyof ClientEvents>(event: K, match?: (payload: ClientEvents[K]) => boolean): Promise<ClientEvents[K]> {
    return this.emitter.once(event, match);
  }

  get state(): ConnectionState {
    return this.connState;
  }

  // ── connection ────────────────────────────────────────────────────────────

  /** Opens the socket (idempotent). Reconnects by itself until close(). */
  connect(): void {
    if (this.connState === 'closed') throw new SdkError('DISCONNECTED', 'this client was closed');
    if (!this.socket) this.socket = this.createSocket();
    if (!this.socket.connected && !this.socket.active) {
      this.setState('connecting');
      this.socket.connect();
    }
  }

  /** Closes the socket for good and drops listeners. Unsent entries stay in storage. */
  close(): void {
    this.setState('closed');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const st of this.rooms.values()) {
      if (st.gapTimer) clearTimeout(st.gapTimer);
      for (const t of st.typing.values()) clearTimeout(t);
    }
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.emitter.clear();
  }

  private createSocket(): Socket<ServerToClient, ClientToServer> {
    const options: Partial<ManagerOptions & SocketOptions> = {
      auth: { token: this.opts.session.token },
      autoConnect: false,
      // WebSocket only: no long-polling, so a cluster needs no sticky sessions.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      ...this.opts.socket,
    };
    const socket: Socket<ServerToClient, ClientToServer> = this.opts.baseUrl ? io(this.opts.baseUrl, options) : io(options);

    socket.on('connect', () => this.onConnected());
    socket.on('disconnect', () => {
      if (this.connState === 'closed') return;
      this.setState('reconnecting');
      this.forgetTyping();
      // The server (a draining node, for instance) closed the session: socket.io will not retry on its own.
      if (!socket.active) this.retryLater();
    });
    socket.on('connect_error', (err) => {
      if (this.connState === 'closed') return;
      if (err.message === 'UNAUTHENTICATED') {
        this.setState('unauthorized');
        return;
      }
      this.setState('reconnecting');
      if (!socket.active) this.retryLater();
    });

    socket.on(Ev.messageNew, ({ message }) => this.ingest(message.roomId, [message]));
    socket.on(Ev.messageUpdated, ({ message }) => this.applyUpdate(message));
    socket.on(Ev.messageDeleted, ({ roomId, messageId }) => this.applyDelete(roomId, messageId, new Date().toISOString()));
    socket.on(Ev.roomRead, (p) => this.applyRead(p));
    socket.on(Ev.roomUpdated, ({ room }) => this.emitter.emit('room', { room }));
    socket.on(Ev.presence, (p) => this.applyPresence(p));
    socket.on(Ev.typing, (p) => this.applyTyping(p));
    return socket;
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.connState !== 'closed' && this.socket && !this.socket.connected) this.socket.connect();
    }, 1000);
  }

  private setState(state: ConnectionState, resumed = false): void {
    if (this.connState === 'closed' || (this.connState === state && !resumed)) return;
    this.connState = state;
    this.emitter.emit('connection', { state, resumed });
  }

  /** On every connect: catch up each watched room, send read markers and the outbox. */
  private onConnected(): void {
    const resumed = this.everConnected;
    this.everConnected = true;
    this.setState('connected', resumed);
    for (const [roomId, st] of this.rooms) {
      if (st.watched) void this.join(roomId).catch(() => undefined);
      if (st.pendingRead > 0) void this.flushRead(roomId);
    }
    void this.pump();
  }

  // ── rooms ─────────────────────────────────────────────────────────────────

  private roomState(roomId: RoomId): RoomState {
    let st = this.rooms.get(roomId);
    if (!st) {
      st = { seen: new SeenSeqs(), timeline: null, watched: false, readSeq: 0, pendingRead: 0, typingSentAt: 0, typing: new Map(), gapTimer: null, filling: null };
      this.rooms.set(roomId, st);
    }
    return st;
  }

  /**
   * Subscribes to a room's presence and typing without loading its messages (a rooms list does
   * this). Re-joined after every reconnect.
   */
  async watch(roomId: RoomId): Promise<void> {
    const st = this.roomState(roomId);
    if (st.watched) return;
    st.watched = true;
    if (this.socket?.connected) await this.join(roomId);
  }

  /**
   * Opens a room: watches it and holds its timeline, starting with the latest page. When offline
   * it resolves at once and the timeline fills on connect. Re-opening keeps what is held and
   * catches up from there.
   */
  async open(roomId: RoomId): Promise<void> {
    const st = this.roomState(roomId);
    st.timeline ??= new Timeline();
    st.watched = true;
    if (this.socket?.connected) await this.join(roomId);
  }

  /** Stops watching (the timeline stays cached for a quick re-open). */
  async leave(roomId: RoomId): Promise<void> {
    const st = this.rooms.get(roomId);
    if (!st?.watched) return;
    st.watched = false;
    if (this.socket?.connected) await this.call(Ev.roomLeave, { roomId }).catch(() => undefined);
  }

  /** Held messages of an opened room, ascending seq. */
  timeline(roomId: RoomId): readonly Message[] {
    return this.rooms.get(roomId)?.timeline?.messages ?? [];
  }

  /** True when older messages exist than the ones held (load them with loadOlder). */
  hasOlder(roomId: RoomId): boolean {
    return this.rooms.get(roomId)?.timeline?.hasOlder ?? false;
  }

  /** Loads one page before the oldest held message (REST). Resolves with how many were added. */
  async loadOlder(roomId: RoomId): Promise<number> {
    const tl = this.roomState(roomId).timeline;
    if (!tl || !tl.hasOlder) return 0;
    const page = await this.rest.history(roomId, { before: tl.lowestSeq, limit: this.pageSize });
    const before = tl.size;
    this.ingest(roomId, page.messages, 'history');
    return tl.size - before;
  }

  /**
   * room:join, asking for what this client lacks: nothing (watched only), the latest page (empty
   * timeline) or everything after the contiguous held seq (catch-up). Seqs already held are dropped.
   */
  private async join(roomId: RoomId): Promise<JoinResult> {
    const st = this.roomState(roomId);
    const tl = st.timeline;
    const catchUp = tl !== null && tl.size > 0;
    const payload = tl === null ? { roomId, since: NOTHING_AFTER, limit: 1 } : catchUp ? { roomId, since: tl.contiguousSeq } : { roomId, limit: this.pageSize };
    let res: JoinResult;
    try {
      res = await this.call(Ev.roomJoin, payload);
    } catch (err) {
      // Not a member, or no such room: stop re-joining it on every reconnect.
      if (!SdkError.from(err).isRetryable()) st.watched = false;
      throw err;
    }
    this.emitter.emit('room', { room: res.room });
    for (const p of res.presence) this.applyPresence({ roomId, ...p });
    this.ingest(roomId, res.messages);
    // A catch-up larger than one page: fetch the rest.
    if (catchUp && res.hasMore) await this.fillAfter(roomId);
    return res;
  }

  /** Fetches every message after the contiguous held seq (REST pages), until none is missing. */
  private fillAfter(roomId: RoomId): Promise<void> {
    const st = this.roomState(roomId);
    st.filling ??= (async () => {
      try {
        for (;;) {
          const tl = st.timeline;
          if (!tl) return;
          const page = await this.rest.history(roomId, { after: tl.contiguousSeq, limit: Limits.pageMax });
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
   * `message` once; held seqs are dropped; an own message settles its outbox entry.
   */
  private ingest(roomId: RoomId, messages: readonly Message[], source: 'live' | 'history' = 'live'): void {
    const st = this.roomState(roomId);
    let changed = false;
    const sorted = [...messages].sort((a, b) => a.seq - b.seq);
    if (source === 'history' && sorted.length > 0) st.seen.raiseFloorTo(sorted.at(-1)!.seq);
    for (const m of sorted) {
      if (st.timeline && st.timeline.add(m) !== 'duplicate') changed = true;
      if (source === 'live' && st.seen.add(m.seq)) this.emitter.emit('message', { message: m });
      if (m.authorId === this.me) {
        // The server moves the author's read marker when it stores their message.
        st.readSeq = Math.max(st.readSeq, m.seq);
        const entry = this.outbox.get(m.clientMsgId);
        if (entry && entry.roomId === roomId) this.outbox.sent(m.clientMsgId, m);
      }
    }
    if (changed) this.emitter.emit('timeline', { roomId });
    if (st.timeline?.hasGap) this.scheduleGapFill(roomId);
  }

  /** A hole that outlives the grace period is fetched (a push was lost, or arrived out of order and never came). */
  private scheduleGapFill(roomId: RoomId): void {
    const st = this.roomState(roomId);
    if (st.gapTimer) return;
    st.gapTimer = setTimeout(() => {
      st.gapTimer = null;
      if (st.timeline?.hasGap && this.connState === 'connected') void this.fillAfter(roomId).catch(() => undefined);
    }, GAP_GRACE_MS);
  }

  private applyUpdate(message: Message): void {
    const tl = this.rooms.get(message.roomId)?.timeline;
    if (tl?.update(message)) this.emitter.emit('timeline', { roomId: message.roomId });
    this.emitter.emit('message:updated', { message });
  }

  private applyDelete(roomId: RoomId, messageId: string, at: string): void {
    const tl = this.rooms.get(roomId)?.timeline;
    if (tl?.markDeleted(messageId, at)) this.emitter.emit('timeline', { roomId });
    this.emitter.emit('message:deleted', { roomId, messageId });
  }

  private applyRead(p: Pushes['room:read']): void {
    if (p.userId === this.me) {
      const st = this.roomState(p.roomId);
      st.readSeq = Math.max(st.readSeq, p.seq);
    }
    this.emitter.emit('read', p);
  }

  private applyPresence(p: PresenceEntry & { roomId: RoomId }): void {
    const { roomId, ...entry } = p;
    this.presenceByUser.set(entry.userId, entry);
    this.emitter.emit('presence', { roomId, ...entry });
  }

  private applyTyping(p: Pushes['typing']): void {
    if (p.userId === this.me) return; // my other device
    const st = this.roomState(p.roomId);
    const existing = st.typing.get(p.userId);
    if (existing) clearTimeout(existing);
    if (p.typing) {
      st.typing.set(p.userId, setTimeout(() => this.applyTyping({ ...p, typing: false }), TYPING_TTL_MS));
    } else {
      st.typing.delete(p.userId);
    }
    this.emitter.emit('typing', { roomId: p.roomId, userIds: [...st.typing.keys()] });
  }

  /** "Stopped typing" events cannot arrive while disconnected: forget who was typing. */
  private forgetTyping(): void {
    for (const [roomId, st] of this.rooms) {
      if (st.typing.size === 0) continue;
      for (const t of st.typing.values()) clearTimeout(t);
      st.typing.clear();
      this.emitter.emit('typing', { roomId, userIds: [] });
    }
  }

  /**
   * A user's presence as of the last join or presence push. Undefined when unknown, and while
   * this client is not connected (it cannot hear changes then).
   */
  presence(userId: UserId): PresenceEntry | undefined {
    return this.connState === 'connected' ? this.presenceByUser.get(userId) : undefined;
  }

  /** Others typing in the room now. */
  typingIn(roomId: RoomId): UserId[] {
    return [...(this.rooms.get(roomId)?.typing.keys() ?? [])];
  }

  // ── sending ───────────────────────────────────────────────────────────────

  /**
   * Queues a message and returns its outbox entry at once (status `queued`). It is sent when the
   * socket is connected; watch `outbox` events for `sending`, `sent` or `failed`.
   * Throws INVALID_INPUT for an empty or too long body.
   */
  send(roomId: RoomId, body: string, opts: { replyTo?: string } = {}): OutboxEntry {
    const parsed = MessageBody.safeParse(body);
    if (!parsed.success) throw new SdkError('INVALID_INPUT', `a message is 1 to ${Limits.messageBody} characters`);
    const entry = this.outbox.add({
      clientMsgId: newClientMsgId(),
      roomId,
      body: parsed.data,
      ...(opts.replyTo !== undefined && { replyTo: opts.replyTo }),
      createdAt: new Date().toISOString(),
    });
    void this.pump();
    return entry;
  }

  /** Unsent messages (queued, sending, failed), oldest first; one room's when given. */
  pending(roomId?: RoomId): OutboxEntry[] {
    return this.outbox.list(roomId);
  }

  /** Sends a failed entry again, with the same clientMsgId. */
  retry(clientMsgId: string): void {
    if (this.outbox.requeue(clientMsgId)) void this.pump();
  }

  /** Gives up on an unsent entry. */
  discard(clientMsgId: string): boolean {
    return this.outbox.discard(clientMsgId);
  }

  /** Sends queued entries one at a time, oldest first, while connected (so a room's order is the send order). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.connState === 'connected') {
        const next = this.outbox.nextQueued();
        if (!next) return;
        this.outbox.sending(next.clientMsgId);
        try {
          const { message } = await this.call(Ev.messageSend, {
            roomId: next.roomId,
            clientMsgId: next.clientMsgId,
            body: next.body,
            ...(next.replyTo !== undefined && { replyTo: next.replyTo }),
          });
          this.ingest(message.roomId, [message]);
          this.outbox.sent(next.clientMsgId, message);
        } catch (raw) {
          const err = SdkError.from(raw);
          const attempts = this.outbox.get(next.clientMsgId)?.attempts ?? 0;
          if (err.isTransport()) {
            // The server may have stored it: the resend (same clientMsgId) returns the stored message.
            this.outbox.requeue(next.clientMsgId);
          } else if (err.isRetryable() && attempts < MAX_SERVER_ATTEMPTS) {
            this.outbox.requeue(next.clientMsgId);
            await sleep(Math.min(250 * 2 ** attempts, 5000));
          } else {
            this.outbox.fail(next.clientMsgId, err);
          }
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Edits my message (online only). */
  async edit(roomId: RoomId, messageId: string, body: string): Promise<Message> {
    const parsed = MessageBody.safeParse(body);
    if (!parsed.success) throw new SdkError('INVALID_INPUT', `a message is 1 to ${Limits.messageBody} characters`);
    const { message } = await this.call(Ev.messageEdit, { roomId, messageId, body: parsed.data });
    this.applyUpdate(message);
    return message;
  }

  /** Deletes my message (online only); it stays as a tombstone so seqs stay gapless. */
  async remove(roomId: RoomId, messageId: string): Promise<void> {
    await this.call(Ev.messageDelete, { roomId, messageId });
    this.applyDelete(roomId, messageId, new Date().toISOString());
  }

  /** Adds (`on`) or removes my reaction (online only). */
  async react(roomId: RoomId, messageId: string, emoji: string, on: boolean): Promise<Message> {
    if (!Emoji.safeParse(emoji).success) throw new SdkError('INVALID_INPUT', 'a reaction is one emoji');
    const { message } = await this.call(Ev.messageReact, { roomId, messageId, emoji, on });
    this.applyUpdate(message);
    return message;
  }

  /**
   * Moves my read marker to `seq` (never backwards). Reported locally at once; sent now when
   * connected, else on the next connect.
   */
  markRead(roomId: RoomId, seq: number): void {
    const st = this.roomState(roomId);
    if (seq <= st.readSeq) return;
    st.readSeq = seq;
    st.pendingRead = seq;
    this.emitter.emit('read', { roomId, userId: this.me, seq });
    if (this.connState === 'connected') void this.flushRead(roomId);
  }

  private async flushRead(roomId: RoomId): Promise<void> {
    const st = this.roomState(roomId);
    const seq = st.pendingRead;
    if (seq === 0) return;
    st.pendingRead = 0;
    try {
      await this.call(Ev.roomRead, { roomId, seq });
    } catch (err) {
      if (SdkError.from(err).isTransport()) st.pendingRead = Math.max(st.pendingRead, seq);
    }
  }

  /**
   * Tells the room whether I am typing. Call it on every keystroke: "typing" goes out at most
   * every 2.5 s, "stopped" once. Best effort: nothing is queued while offline.
   */
  setTyping(roomId: RoomId, typing: boolean): void {
    const st = this.roomState(roomId);
    const now = Date.now();
    if (typing ? now - st.typingSentAt < TYPING_REPEAT_MS : st.typingSentAt === 0) return;
    st.typingSentAt = typing ? now : 0;
    if (this.connState === 'connected') void this.call(Ev.typing, { roomId, typing }).catch(() => undefined);
  }

  /**
   * One client→server call with an ack. Never buffered: when the socket is not connected it
   * fails with DISCONNECTED at once (socket.io-client would otherwise replay it on reconnect, a
   * second copy beside the outbox's own resend).
   */
  private async call<E extends CallName>(event: E, payload: Calls[E]['in']): Promise<Calls[E]['out']> {
    const socket = this.socket;
    if (!socket?.connected) throw new SdkError('DISCONNECTED', 'not connected');
    let reply: { ok: boolean; error?: Parameters<typeof SdkError.fromWire>[0] } & Calls[E]['out'];
    try {
      const emitter = socket.timeout(this.ackTimeoutMs) as unknown as { emitWithAck(ev: string, p: unknown): Promise<typeof reply> };
      reply = await emitter.emitWithAck(event, payload);
    } catch (err) {
      throw SdkError.from(err);
    }
    if (!reply.ok) throw SdkError.fromWire(reply.error);
    return reply;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
