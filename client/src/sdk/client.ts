import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Ev } from '../../../shared/events.js';
import { Limits } from '../../../shared/limits.js';
import { THREAD_EVENTS, type ThreadEvent } from '../../../shared/thread-events.js';
import { Emoji, MessageBody } from '../../../shared/schemas/message.js';
import type { Message, PresenceEntry, RoomId, UserId } from '../../../shared/types.js';
import { Emitter } from './emitter.js';
import { SdkError } from './errors.js';
import type { ClientEvents, ConnectionState } from './events.js';
import { newClientMsgId } from './ids.js';
import { LiveState } from './live.js';
import { memoryStorage, Outbox, type OutboxEntry, type OutboxStorage } from './outbox.js';
import { RestClient, type Session, type SharedTokens } from './rest.js';
import { RoomSync } from './sync.js';
import type { CallName, Calls, ClientToServer, ServerToClient } from './wire.js';

export type { ClientEvents, ConnectionState } from './events.js';

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
  /** Coordinates token refreshes with other clients of the same session (browser tabs). */
  sharedTokens?: SharedTokens;
  /** Passed to socket.io-client (reconnection delays, transports). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** Retries for server-side failures (RATE_LIMITED, INTERNAL) before an entry is marked failed. Transport failures retry forever. */
const MAX_SERVER_ATTEMPTS = 5;

/**
 * A signed-in Menteo client over REST + Socket.IO: the connection, the outbox, and (through
 * RoomSync and LiveState) room timelines, catch-up, read markers, presence and typing. No DOM:
 * runs in browsers and Node.
 *
 * Sending: `send()` puts the message in the outbox with a fresh clientMsgId and returns at once;
 * the outbox sends oldest first whenever connected and keeps the clientMsgId on every retry.
 */
export class MenteoClient {
  readonly rest: RestClient;
  readonly me: UserId;
  private readonly emitter = new Emitter<ClientEvents>();
  private readonly outbox: Outbox;
  private readonly sync: RoomSync;
  private readonly live: LiveState;
  private readonly ackTimeoutMs: number;
  private socket: Socket<ServerToClient, ClientToServer> | null = null;
  private connState: ConnectionState = 'idle';
  private everConnected = false;
  private pumping = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: ClientOptions) {
    this.me = opts.session.user.id;
    this.rest = new RestClient({ baseUrl: opts.baseUrl ?? '', token: opts.session.token, ...(opts.session.refreshToken && { refreshToken: opts.session.refreshToken }), ...(opts.sharedTokens && { sharedTokens: opts.sharedTokens }) });
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    const emit = this.emitter.emit.bind(this.emitter);
    this.outbox = new Outbox(opts.storage ?? memoryStorage(), (entry) => emit('outbox', { entry }));
    this.live = new LiveState(this.me, emit);
    this.sync = new RoomSync({
      me: this.me,
      pageSize: opts.pageSize ?? 50,
      rest: this.rest,
      call: (event, payload) => this.call(event, payload),
      isConnected: () => this.connState === 'connected',
      emit,
      ownMessage: (m) => {
        const entry = this.outbox.get(m.clientMsgId);
        if (entry && entry.roomId === m.roomId) this.outbox.sent(m.clientMsgId, m);
      },
      presence: (roomId, entry) => this.live.applyPresence(roomId, entry),
    });
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

  /** Signs out on the server (this session's tokens stop working), then close(). */
  async logout(): Promise<void> {
    try {
      await this.rest.logout();
    } finally {
      this.close();
    }
  }

  /** Signs out every session of this user (every device), then close(). Resolves with how many sessions ended. */
  async logoutAll(): Promise<number> {
    try {
      return await this.rest.logoutAll();
    } finally {
      this.close();
    }
  }

  /**
   * The server refused or dropped the socket for its token (expired, or the session revoked):
   * refresh once and reconnect with the new token, or report `unauthorized` when the session ended.
   */
  private async renew(): Promise<void> {
    let renewed = false;
    try {
      renewed = await this.rest.refresh();
    } catch {
      // Offline: try the socket again later; the refresh is retried on the next refusal.
      if (this.connState !== 'closed') this.retryLater();
      return;
    }
    if (this.connState === 'closed') return;
    if (!renewed) {
      this.setState('unauthorized');
      return;
    }
    this.socket?.connect();
  }

  /** Closes the socket for good and drops listeners. Unsent entries stay in storage. */
  close(): void {
    this.setState('closed');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.sync.close();
    this.live.close();
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.emitter.clear();
  }

  private createSocket(): Socket<ServerToClient, ClientToServer> {
    const options: Partial<ManagerOptions & SocketOptions> = {
      // Read on every (re)connect, so a refreshed token is the one sent.
      auth: (cb: (data: object) => void) => cb({ token: this.rest.currentToken }),
      autoConnect: false,
      // WebSocket only: no long-polling, so a cluster needs no sticky sessions.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      ...this.opts.socket,
    };
    const socket: Socket<ServerToClient, ClientToServer> = this.opts.baseUrl ? io(this.opts.baseUrl, options) : io(options);

    socket.on('connect', () => {
      const resumed = this.everConnected;
      this.everConnected = true;
      this.setState('connected', resumed);
      this.sync.resume();
      if (this.viewing !== null) void this.call(Ev.roomView, { roomId: this.viewing }).catch(() => undefined);
      void this.pump();
    });
    socket.on('disconnect', (reason) => {
      if (this.connState === 'closed') return;
      this.setState('reconnecting');
      this.live.forgetTyping();
      // The server ends a socket whose token expired or whose session was revoked: renew, then reconnect.
      if (reason === 'io server disconnect') {
        void this.renew();
        return;
      }
      // The server (a draining node, for instance) closed the session: socket.io will not retry on its own.
      if (!socket.active) this.retryLater();
    });
    socket.on('connect_error', (err) => {
      if (this.connState === 'closed') return;
      if (err.message === 'UNAUTHENTICATED') {
        if (this.rest.currentRefreshToken === undefined) this.setState('unauthorized');
        else void this.renew();
        return;
      }
      this.setState('reconnecting');
      if (!socket.active) this.retryLater();
    });

    socket.on(Ev.messageNew, ({ message }) => this.sync.ingest(message.roomId, [message]));
    socket.on(Ev.messageUpdated, ({ message }) => this.sync.applyUpdate(message));
    socket.on(Ev.messageDeleted, ({ roomId, messageId }) => this.sync.applyDelete(roomId, messageId, new Date().toISOString()));
    socket.on(Ev.roomRead, (p) => this.sync.applyRead(p));
    socket.on(Ev.roomUpdated, ({ room }) => this.emitter.emit('room', { room }));
    socket.on(Ev.presence, ({ roomId, ...entry }) => this.live.applyPresence(roomId, entry));
    socket.on(Ev.typing, (p) => this.live.applyTyping(p));
    socket.on(Ev.notification, (p) => this.emitter.emit('notification', p));
    socket.on(Ev.notificationRead, (p) => this.emitter.emit('notification:read', p));
    socket.on(Ev.goalCheckin, (p) => this.emitter.emit('goal:checkin', p));
    socket.on(Ev.sessionUpdated, (p) => this.emitter.emit('session:updated', p));
    socket.on(Ev.actionItemUpdated, (p) => this.emitter.emit('session:item', p));
    for (const name of THREAD_EVENTS) {
      // One loop for the nine thread pushes: each is reported under its own name and as `thread`.
      const relay = (payload: object) => {
        this.emitter.emit(name, payload as never);
        this.emitter.emit('thread', { type: name, ...payload } as ThreadEvent);
      };
      (socket as unknown as { on(ev: string, fn: (p: object) => void): void }).on(name, relay);
    }
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

  // ── rooms ─────────────────────────────────────────────────────────────────

  /**
   * Tells the server which room this device shows (null: none, or the page is in the background):
   * messages there make no notification for me. Sent again after every reconnect.
   */
  async view(roomId: RoomId | null): Promise<void> {
    this.viewing = roomId;
    if (this.connState === 'connected') await this.call(Ev.roomView, { roomId });
  }

  private viewing: RoomId | null = null;

  /**
   * Subscribes to a room's presence and typing without loading its messages (a rooms list does
   * this). Re-joined after every reconnect.
   */
  watch(roomId: RoomId): Promise<void> {
    return this.sync.watch(roomId);
  }

  /**
   * Opens a room: watches it and holds its timeline, starting with the latest page. When offline
   * it resolves at once and the timeline fills on connect. Re-opening keeps what is held and
   * catches up from there.
   */
  open(roomId: RoomId): Promise<void> {
    return this.sync.open(roomId);
  }

  /** Stops watching (the timeline stays cached for a quick re-open). */
  leave(roomId: RoomId): Promise<void> {
    return this.sync.leave(roomId);
  }

  /** Held messages of an opened room, ascending seq. */
  timeline(roomId: RoomId): readonly Message[] {
    return this.sync.timeline(roomId);
  }

  /** True when older messages exist than the ones held (load them with loadOlder). */
  hasOlder(roomId: RoomId): boolean {
    return this.sync.hasOlder(roomId);
  }

  /** Loads one page before the oldest held message (REST). Resolves with how many were added. */
  loadOlder(roomId: RoomId): Promise<number> {
    return this.sync.loadOlder(roomId);
  }

  /**
   * A user's presence as of the last join or presence push. Undefined when unknown, and while
   * this client is not connected (it cannot hear changes then).
   */
  presence(userId: UserId): PresenceEntry | undefined {
    return this.connState === 'connected' ? this.live.presence(userId) : undefined;
  }

  /** Others typing in the room now. */
  typingIn(roomId: RoomId): UserId[] {
    return this.live.typingIn(roomId);
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
            echo: false, // the ack carries the message: no second copy to this socket
          });
          this.sync.ingest(message.roomId, [message]);
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
    this.sync.applyUpdate(message);
    return message;
  }

  /** Deletes my message (online only); it stays as a tombstone so seqs stay gapless. */
  async remove(roomId: RoomId, messageId: string): Promise<void> {
    await this.call(Ev.messageDelete, { roomId, messageId });
    this.sync.applyDelete(roomId, messageId, new Date().toISOString());
  }

  /** Adds (`on`) or removes my reaction (online only). */
  async react(roomId: RoomId, messageId: string, emoji: string, on: boolean): Promise<Message> {
    if (!Emoji.safeParse(emoji).success) throw new SdkError('INVALID_INPUT', 'a reaction is one emoji');
    const { message } = await this.call(Ev.messageReact, { roomId, messageId, emoji, on });
    this.sync.applyUpdate(message);
    return message;
  }

  /** A member's read marker in a room as this client knows it: stored ones from room:join, then live room:read (0 when unknown). */
  readMarker(roomId: RoomId, userId: UserId): number {
    return this.sync.readMarker(roomId, userId);
  }

  /** Moves my read marker to `seq` (never backwards). Reported locally at once; sent now when connected, else on the next connect. */
  markRead(roomId: RoomId, seq: number): void {
    this.sync.markRead(roomId, seq);
  }

  /**
   * Tells the room whether I am typing. Call it on every keystroke: "typing" goes out at most
   * every 2.5 s, "stopped" once. Best effort: nothing is queued while offline.
   */
  setTyping(roomId: RoomId, typing: boolean): void {
    if (!this.live.shouldSendTyping(roomId, typing)) return;
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
