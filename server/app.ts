import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server as SocketServer } from 'socket.io';
import { AccountService } from './account/service.js';
import { CareService } from './care/service.js';
import { systemClock, type Clock } from './domain/clock.js';
import { GoalService } from './goals/service.js';
import { MeetingService } from './meetings/service.js';
import { HashPool } from './auth/hash-pool.js';
import { Passwords } from './auth/passwords.js';
import { relayRevocations } from './auth/revocation-relay.js';
import { AuthService } from './auth/service.js';
import { Tokens } from './auth/tokens.js';
import { CollabServer } from './collab/server.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { originAllowed } from './http/origins.js';
import { LifecycleService } from './lifecycle/service.js';
import { ServerLimits } from './limits.js';
import { createLogger, type Logger } from './log.js';
import { MentorService } from './mentors/service.js';
import { MessageService } from './messages/service.js';
import { createMetrics } from './metrics.js';
import { NotificationProducers } from './notifications/producers.js';
import { ReminderScheduler } from './notifications/scheduler.js';
import { NotificationService } from './notifications/service.js';
import { tapBroadcaster } from './notifications/tap.js';
import { WebhookOutbox } from './notifications/webhook.js';
import { socketBroadcaster } from './realtime/broadcast.js';
import { attachGateway } from './realtime/gateway.js';
import { PresenceAnnouncer } from './realtime/presence.js';
import { TypingRelay } from './realtime/typing.js';
import { memoryLimiters, redisLimiters, type LimiterFactory } from './rate/limiter.js';
import { defaultLoginLimits, LoginThrottle } from './auth/login-throttle.js';
import { MemoryPresence, type PresenceStore } from './scale/presence.js';
import { RedisPresence } from './scale/presence-redis.js';
import { closeRedis, pingRedis, redisClient } from './scale/redis-client.js';
import { sendSocketsToCatchUp } from './realtime/resync.js';
import { closeEndedSessions } from './realtime/session-sockets.js';
import { RoadmapService } from './roadmap/service.js';
import { roadmapInit } from './roadmap/ydoc.js';
import { RoomService } from './rooms/service.js';
import type { Bus } from './scale/bus.js';
import { LocalBus } from './scale/local-bus.js';
import { RedisBus } from './scale/redis-bus.js';
import type { Services } from './services.js';
import { openStore } from './store/open.js';
import type { Store } from './store/port.js';
import { commentAllowance } from './threads/comment-limits.js';
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
  /** How this node talks to the others (a LocalBus that reaches nobody on a single node). */
  bus: Bus;
  /** Notifications: the inbox service, its producers, the reminder scheduler and the webhook outbox (when configured). */
  notifications: { producers: NotificationProducers; scheduler: ReminderScheduler; webhook: WebhookOutbox | null };
  /** Who is online and which rooms their devices show, on every node. */
  presence: PresenceStore;
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

/** What a caller may hand in instead of building it from the config (tests join in-process nodes on one LocalHub). */
export interface MenteoParts {
  bus?: Bus;
  /**
   * The clock of the time-based rules: the notification scheduler and outbox (issue 15), request
   * expiry, check-ins, sessions, pauses, reply promises and health (issue 19); tests drive a
   * ManualClock. Messages (their createdAt, edits, deletions) are stamped by it too.
   */
  clock?: Clock;
}

/** Builds and starts one Menteo node: REST, Socket.IO and the web app on one HTTP server. */
export async function startMenteo(config: Config, log: Logger = createLogger(config.logLevel), parts: MenteoParts = {}): Promise<Menteo> {
  const metrics = createMetrics();
  const store = await openStore(config, metrics);
  const bus = parts.bus ?? (config.redisUrl ? new RedisBus(config.redisUrl, log, config.nodeId) : new LocalBus(config.nodeId));
  const cluster = config.redisUrl ? clusterParts(config.redisUrl, bus.nodeId, log) : null;
  const http = createServer();
  const io = new SocketServer(http, {
    maxHttpBufferSize: ServerLimits.socketFrameBytes,
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    // Engine.io ends upgrades it does not own after this long unless a response was written;
    // collab upgrades answer within collabUpgradeMs (auth and membership are checked first).
    destroyUpgradeTimeout: ServerLimits.collabUpgradeMs + 1_000,
    // With Redis every emit also reaches the sockets of the other nodes; without it, this node's.
    ...(cluster ? { adapter: createAdapter(cluster.ioPub, cluster.ioSub, { key: 'menteo:io' }) } : {}),
    // A browser page of a foreign origin may not open a socket (403); clients without Origin may.
    allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, req.headers.host, config.allowedOrigins)),
  });
  const limiters: LimiterFactory = cluster ? redisLimiters(cluster.commands) : memoryLimiters;
  const presenceStore: PresenceStore = cluster
    ? new RedisPresence(cluster.commands, bus.nodeId, config.presence.ttlMs, log)
    : new MemoryPresence();
  const socketPushes = socketBroadcaster(io);
  const clock = parts.clock ?? systemClock;
  const notifications = new NotificationService(store, socketPushes, clock);
  // Who shows a room right now (room:view): answered by the presence store, on every node.
  const producers = new NotificationProducers(store, notifications, (roomId, userIds) => presenceStore.viewers(roomId, userIds), log);
  // The services' pushes feed the notification producers (issue 15): no service calls them.
  const broadcast = tapBroadcaster(socketPushes, producers.onPush);
  const tokens = new Tokens(config.jwtSecret, config.accessTokenTtlSeconds);
  const rooms = new RoomService(store, broadcast, clock);
  const care = new CareService(store, rooms, clock);
  const hashPool = new HashPool(config.authHash);
  const auth = new AuthService(store, tokens, new Passwords(hashPool), new LoginThrottle(limiters, defaultLoginLimits));
  const collab = new CollabServer({
    store,
    auth,
    log,
    registry: metrics.registry,
    idleUnloadMs: config.collab.idleUnloadMs,
    compactAfterUpdates: config.collab.compactAfterUpdates,
    init: roadmapInit,
    bus,
    allowedOrigins: config.allowedOrigins,
  });
  // A declined or closed room admits no editors: its open collab connections end (4403).
  rooms.onChange((room) => {
    if (room.status === 'declined' || room.status === 'closed') collab.closeRoom(room.id, `the room is ${room.status}`);
  });
  const roadmap = new RoadmapService(store, rooms, collab.docs);
  // Entries linked to a milestone become evidence in the live roadmap doc.
  const threads = new ThreadService(store, broadcast, log, roadmap, commentAllowance(limiters));
  const services: Services = {
    auth,
    account: new AccountService(store, auth),
    users: new UserService(store),
    rooms,
    messages: new MessageService(store, rooms, broadcast, {
      onStored: (_m, created) => (created ? metrics.messagesStored.inc() : metrics.messagesResent.inc()),
    }, clock),
    threads,
    lifecycle: new LifecycleService(store, rooms, broadcast, {
      log,
      now: () => new Date(clock()).toISOString(),
      sources: {
        roadmapProgress: (roomId) => roadmap.progress(roomId),
        threadHighlights: (roomId) => threads.highlights(roomId),
        replyBreaches: (room) => care.breaches(room),
      },
    }),
    mentors: new MentorService(store),
    roadmap,
    notifications,
    goals: new GoalService(store, rooms, broadcast, clock),
    meetings: new MeetingService(store, rooms, broadcast, clock),
    care,
  };
  const webhook = config.notify.webhook
    ? new WebhookOutbox(store, { ...config.notify.webhook, leaseMs: config.notify.leaseMs, timeoutMs: 10_000 }, clock, bus.nodeId, async (userId) => (await presenceStore.entry(userId)).status === 'online', log)
    : null;
  if (webhook) notifications.attachSink(webhook);
  const scheduler = new ReminderScheduler(store, notifications, clock, bus.nodeId, {
    tickMs: config.notify.tickMs,
    leaseMs: config.notify.leaseMs,
    holdClaimMs: config.notify.holdClaimMs,
    milestones: (roomId) => roadmap.milestones(roomId),
  }, log);
  let draining = false;
  const app = createHttpApp({
    services,
    log,
    registry: metrics.registry,
    metricsToken: config.metricsToken,
    readiness: [
      { name: 'store', check: () => store.ping() },
      // Redis down: the node still serves its own clients, so it stays ready and reports degraded.
      ...(cluster ? [{ name: 'redis', onFailure: 'degraded' as const, check: () => pingRedis(cluster.commands) }] : []),
    ],
    isDraining: () => draining,
    webRoot: webRoot(),
    trustProxy: config.trustProxy,
    limits: {
      authPerIp: limiters({ name: 'auth-ip', points: config.authRatePerMinute, durationSec: 60 }),
      sendsPerUser: limiters({ name: 'rest-sends', ...userEventAllowance }),
    },
    allowedOrigins: config.allowedOrigins,
  });
  http.on('request', app);
  if (cluster) {
    // After an outage the other nodes' pushes of that time are lost: every client reconnects and
    // catches up (the SDK and the web app retry a server-side disconnect).
    let subWasReady = false;
    cluster.ioSub.on('ready', () => {
      if (subWasReady && !draining) sendSocketsToCatchUp(io, log);
      subWasReady = true;
    });
  }
  const presence = new PresenceAnnouncer(presenceStore, broadcast, rooms, config.presence.graceMs, log);
  const typing = new TypingRelay(broadcast, config.typingExpireMs);
  attachGateway(io, services, { presence, typing, events: limiters({ name: 'socket-events', ...userEventAllowance }), log });
  closeEndedSessions(io, auth);
  relayRevocations(auth, bus);
  collab.attach(http);
  io.engine.on('connection', () => metrics.sockets.inc());
  io.engine.on('connection', (conn: { once(e: string, f: () => void): void }) => conn.once('close', () => metrics.sockets.dec()));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  // A driven clock (tests) ticks only when told; the wall clock ticks on its own.
  if (!parts.clock) scheduler.start();
  webhook?.start();
  const url = `http://${config.host && config.host !== '0.0.0.0' ? config.host : 'localhost'}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Collab first: io.close() waits for every connection of the HTTP server, collab's included.
      // It finishes in-flight updates (stored before relay) and closes its connections.
      await collab.close();
      // Presence stops first: this node's sockets closing now is a shutdown, not users leaving
      // (they reconnect to another node, or the others' sweep re-checks them).
      await presence.close();
      typing.close();
      // io.close() disconnects every socket; in-flight handlers still finish their writes.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, ServerLimits.shutdownGraceMs))]);
      await scheduler.close();
      await webhook?.close();
      await producers.idle();
      await bus.close();
      if (cluster) await Promise.all([cluster.ioPub, cluster.ioSub, cluster.commands].map(closeRedis));
      await hashPool.close();
      await store.close();
    })());

  return { url, port, http, store, services, collab, bus, notifications: { producers, scheduler, webhook }, presence: presenceStore, log, close };
}

/**
 * A user's allowance of socket events, and separately of REST sends, across all their sockets
 * and nodes: the burst per window of burst/rate seconds (200 per 4 s = 50/s on average).
 */
const userEventAllowance = {
  points: ServerLimits.socketEventBurst,
  durationSec: ServerLimits.socketEventBurst / ServerLimits.socketEventsPerSecond,
};

/** The Redis connections of cluster mode: Socket.IO adapter pub and sub, and one for commands (presence, limits). */
function clusterParts(url: string, nodeId: string, log: Logger): { ioPub: Redis; ioSub: Redis; commands: Redis } {
  const ioPub = redisClient(url, `menteo-io-pub-${nodeId}`, log);
  // @socket.io/redis-adapter 8.3 calls pubClient.publish() without handling its rejection; with
  // Redis down (no offline queue) that would be an unhandled rejection. The emit still reached
  // this node's sockets; the other nodes' clients catch up with room:join {since}.
  const publish = ioPub.publish.bind(ioPub) as (channel: string, message: string | Buffer) => Promise<number>;
  ioPub.publish = ((channel: string, message: string | Buffer) =>
    publish(channel, message).catch((err: Error) => {
      log.debug({ err: err.message }, 'socket.io adapter publish failed');
      return 0;
    })) as typeof ioPub.publish;
  // The subscriber queues its SUBSCRIBE until connected (and ioredis re-subscribes after a reconnect).
  const ioSub = redisClient(url, `menteo-io-sub-${nodeId}`, log, { enableOfflineQueue: true, maxRetriesPerRequest: null });
  const commands = redisClient(url, `menteo-cmd-${nodeId}`, log);
  return { ioPub, ioSub, commands };
}
