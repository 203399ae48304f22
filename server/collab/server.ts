import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors.js';
import { CollabClose } from '../../shared/events.js';
import type { AuthService } from '../auth/service.js';
import type { AuthSession } from '../auth/tokens.js';
import { assertCanEditRoadmap } from '../domain/roadmap.js';
import { ServerLimits } from '../limits.js';
import type { Logger } from '../log.js';
import type { Bus } from '../scale/bus.js';
import type { Store } from '../store/port.js';
import { originAllowed } from '../http/origins.js';
import { Connection } from './connection.js';
import type { DocInit } from './live-doc.js';
import { createCollabMetrics, type CollabMetrics } from './metrics.js';
import { DocRegistry } from './registry.js';
import { SessionConnections } from './session-expiry.js';
import { isCollabRequest, parseCollabTarget, refusalStatus, refuseUpgrade } from './upgrade.js';

export interface CollabOptions {
  store: Store;
  auth: AuthService;
  log: Logger;
  registry: Registry;
  /** Unload a document this long after its last holder left, in ms. */
  idleUnloadMs: number;
  /** Compact a document's log once it holds this many updates. */
  compactAfterUpdates: number;
  /** Prepares a document before its first client syncs (the roadmap's root structure). */
  init?: DocInit;
  /** Other nodes' updates and awareness of the documents this node holds (absent: a node alone). */
  bus?: Bus;
  /** Browser origins besides our own that may connect (ALLOWED_ORIGINS); a foreign one gets 403. */
  allowedOrigins?: readonly string[];
}

/**
 * The collab endpoint: `ws://HOST/collab/<roomId>?token=…` speaking the y-websocket protocol, on the
 * same HTTP server as Express and Socket.IO. Authentication and membership are settled while the
 * upgrade request waits, so a refused client gets an HTTP error and not one WebSocket byte.
 */
export class CollabServer {
  readonly docs: DocRegistry;
  private readonly metrics: CollabMetrics;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: ServerLimits.collabFrameBytes, perMessageDeflate: false });
  private readonly connections = new Set<Connection>();
  private readonly sessions = new SessionConnections();
  private readonly heartbeat: NodeJS.Timeout;
  private draining = false;

  constructor(private readonly opts: CollabOptions) {
    this.metrics = createCollabMetrics(opts.registry);
    this.docs = new DocRegistry({
      store: opts.store.docs,
      log: opts.log,
      metrics: this.metrics,
      idleUnloadMs: opts.idleUnloadMs,
      compactAfterUpdates: opts.compactAfterUpdates,
      compactAfterBytes: ServerLimits.collabCompactAfterBytes,
      maxDocBytes: ServerLimits.collabMaxDocBytes,
      init: opts.init,
      bus: opts.bus,
    });
    // A peer that vanished without a close (laptop lid, dead NAT) is found by the missing pong.
    this.heartbeat = setInterval(() => {
      for (const conn of this.connections) conn.checkAlive();
    }, ServerLimits.collabHeartbeatMs);
    this.heartbeat.unref();
    opts.auth.onRevoked((sids) => this.sessions.closeSessions(sids));
    // A revocation published by another node while the bus was down never arrived: ask the store.
    opts.bus?.onResync(() => void this.closeEndedSessions());
  }

  private async closeEndedSessions(): Promise<void> {
    try {
      this.sessions.closeSessions(await this.opts.auth.ended(this.sessions.openSessions()));
    } catch (err) {
      this.opts.log.warn({ err }, 'could not re-check collab sessions after a bus outage');
    }
  }

  /** Listens for upgrades on `http`; requests outside /collab/ are left to their owners (Socket.IO). */
  attach(http: HttpServer): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (isCollabRequest(req)) void this.upgrade(req, socket, head);
    });
  }

  /**
   * Closes every connection to `roomId`'s document with 4403: the room no longer admits editors
   * (declined or closed). Its providers stop retrying; a new connection is refused (403).
   */
  closeRoom(roomId: string, reason: string): void {
    for (const conn of this.connections) if (conn.roomId === roomId) conn.close(CollabClose.FORBIDDEN, reason);
  }

  /** Shutdown: refuse new upgrades, finish in-flight writes, close every connection (1001). */
  async close(): Promise<void> {
    this.draining = true;
    clearInterval(this.heartbeat);
    await this.docs.close();
    // Closing each document sent 1001 to its connections; give the handshakes a moment, then cut.
    const deadline = Date.now() + CLOSE_HANDSHAKE_MS;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const conn of this.connections) conn.terminate();
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (err) => this.opts.log.debug({ err }, 'collab upgrade socket error'));
    let target: Admitted;
    try {
      target = await withDeadline(this.admit(req), ServerLimits.collabUpgradeMs);
    } catch (err) {
      const status = this.draining || err instanceof DeadlineError ? 503 : refusalStatus(err);
      if (status >= 500 && !this.draining) this.opts.log.error({ err }, 'collab upgrade failed');
      this.metrics.refusals.inc({ status: String(status) });
      refuseUpgrade(socket, status, err instanceof AppError ? err : new AppError('INTERNAL', this.draining ? 'the server is shutting down' : 'try again later'));
      return;
    }
    if (socket.destroyed || this.draining) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws, target));
  }

  /** Who may open which document: a member of a pending or active room (403 otherwise). */
  private async admit(req: IncomingMessage): Promise<Admitted> {
    if (this.draining) throw new AppError('INTERNAL', 'the server is shutting down');
    if (!originAllowed(req.headers.origin, req.headers.host, this.opts.allowedOrigins ?? [])) throw new AppError('FORBIDDEN', 'this origin may not connect');
    const { roomId, token } = parseCollabTarget(req);
    const user = await this.opts.auth.authenticate(token);
    const room = await this.opts.store.rooms.get(roomId);
    if (!room) throw new AppError('NOT_FOUND', 'room not found');
    assertCanEditRoadmap(room, user.id);
    return { roomId, userId: user.id, session: user };
  }

  private connect(ws: WebSocket, admitted: Admitted): void {
    const { session, ...who } = admitted;
    let doc;
    try {
      doc = this.docs.acquire(who.roomId);
    } catch {
      ws.close(1001, 'server shutting down');
      return;
    }
    const conn = new Connection(ws, doc, who, this.opts.log);
    this.connections.add(conn);
    const untrack = this.sessions.add(session, conn);
    this.metrics.connections.inc();
    ws.once('close', () => {
      untrack();
      this.connections.delete(conn);
      this.metrics.connections.dec();
      doc.detach(conn);
      this.docs.release(doc);
    });
    doc.attach(conn);
  }
}

/** Who an admitted upgrade is: the room, the user, and the session whose end closes the connection. */
interface Admitted {
  roomId: string;
  userId: string;
  session: AuthSession;
}

/** How long shutdown waits for clients to answer the close frame, in ms. */
const CLOSE_HANDSHAKE_MS = 1_000;

class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** `work`, or a DeadlineError once `ms` passed (the work itself is not cancelled). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`not done within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
