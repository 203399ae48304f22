import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { AccountService } from './account/service.js';
import { HashPool } from './auth/hash-pool.js';
import { Passwords } from './auth/passwords.js';
import { AuthService } from './auth/service.js';
import { Tokens } from './auth/tokens.js';
import { CollabServer } from './collab/server.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { LifecycleService } from './lifecycle/service.js';
import { ServerLimits } from './limits.js';
import { createLogger, type Logger } from './log.js';
import { MentorService } from './mentors/service.js';
import { MessageService } from './messages/service.js';
import { createMetrics } from './metrics.js';
import { socketBroadcaster } from './realtime/broadcast.js';
import { attachGateway } from './realtime/gateway.js';
import { closeEndedSessions } from './realtime/session-sockets.js';
import { PresenceTracker } from './realtime/presence.js';
import { RoadmapService } from './roadmap/service.js';
import { roadmapInit } from './roadmap/ydoc.js';
import { RoomService } from './rooms/service.js';
import type { Services } from './services.js';
import { openStore } from './store/open.js';
import type { Store } from './store/port.js';
import { ThreadService } from './threads/service.js';
import { UserService } from './users/service.js';

export interface Menteo {
  /** http://host:port the server listens on. */
  url: string;
  port: number;
  http: HttpServer;
  store: Store;
  services: Services;
  /** The collab endpoint and its documents in memory. */
  collab: CollabServer;
  log: Logger;
  /** Graceful stop: refuse new work, close sockets, flush writes, close the store. Idempotent. */
  close(): Promise<void>;
}

/** Where `vite build` puts the web app, from either the source tree (tsx) or dist/ (node). */
function webRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url)); // <root>/server or <root>/dist/server
  const repoRoot = basename(dirname(here)) === 'dist' ? join(here, '..', '..') : join(here, '..');
  return join(repoRoot, 'dist', 'client');
}

/** Builds and starts one Menteo node: REST, Socket.IO and the web app on one HTTP server. */
export async function startMenteo(config: Config, log: Logger = createLogger(config.logLevel)): Promise<Menteo> {
  const metrics = createMetrics();
  const store = await openStore(config, metrics);
  const http = createServer();
  const io = new SocketServer(http, {
    maxHttpBufferSize: ServerLimits.socketFrameBytes,
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    // Engine.io ends upgrades it does not own after this long unless a response was written;
    // collab upgrades answer within collabUpgradeMs (auth and membership are checked first).
    destroyUpgradeTimeout: ServerLimits.collabUpgradeMs + 1_000,
  });
  const broadcast = socketBroadcaster(io);
  const tokens = new Tokens(config.jwtSecret, config.accessTokenTtlSeconds);
  const rooms = new RoomService(store, broadcast);
  const hashPool = new HashPool(config.authHash);
  const auth = new AuthService(store, tokens, new Passwords(hashPool));
  const collab = new CollabServer({
    store,
    auth,
    log,
    registry: metrics.registry,
    idleUnloadMs: config.collab.idleUnloadMs,
    compactAfterUpdates: config.collab.compactAfterUpdates,
    init: roadmapInit,
  });
  const roadmap = new RoadmapService(store, rooms, collab.docs);
  // Entries linked to a milestone become evidence in the live roadmap doc.
  const threads = new ThreadService(store, broadcast, log, roadmap);
  const services: Services = {
    auth,
    account: new AccountService(store, auth),
    users: new UserService(store),
    rooms,
    messages: new MessageService(store, rooms, broadcast, {
      onStored: (_m, created) => (created ? metrics.messagesStored.inc() : metrics.messagesResent.inc()),
    }),
    threads,
    lifecycle: new LifecycleService(store, rooms, broadcast, {
      log,
      sources: { roadmapProgress: (roomId) => roadmap.progress(roomId), threadHighlights: (roomId) => threads.highlights(roomId) },
    }),
    mentors: new MentorService(store),
    roadmap,
  };
  let draining = false;
  const app = createHttpApp({
    services,
    log,
    registry: metrics.registry,
    metricsToken: config.metricsToken,
    readiness: [{ name: 'store', check: () => store.ping() }],
    isDraining: () => draining,
    webRoot: webRoot(),
  });
  http.on('request', app);
  attachGateway(io, services, new PresenceTracker(), log);
  closeEndedSessions(io, auth);
  collab.attach(http);
  io.engine.on('connection', () => metrics.sockets.inc());
  io.engine.on('connection', (conn: { once(e: string, f: () => void): void }) => conn.once('close', () => metrics.sockets.dec()));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.host && config.host !== '0.0.0.0' ? config.host : 'localhost'}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Collab first: io.close() waits for every connection of the HTTP server, collab's included.
      // It finishes in-flight updates (stored before relay) and closes its connections.
      await collab.close();
      // io.close() disconnects every socket; in-flight handlers still finish their writes.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, ServerLimits.shutdownGraceMs))]);
      await hashPool.close();
      await store.close();
    })());

  return { url, port, http, store, services, collab, log, close };
}
