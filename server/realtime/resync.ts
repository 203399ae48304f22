import type { Server } from 'socket.io';
import type { Logger } from '../log.js';

/** How many sockets a node sends back to catch up per second after an outage, and the longest spread. */
export const RESYNC_SOCKETS_PER_S = 500;
export const RESYNC_MAX_SPREAD_MS = 10_000;

/**
 * When each of `count` sockets is closed, in ms from now: uniformly random over a window that
 * grows with the count (RESYNC_SOCKETS_PER_S), so thousands of clients do not refresh, reconnect
 * and catch up in the same instant after Redis returns. A handful close at once.
 */
export function resyncDelays(count: number, random: () => number = Math.random): number[] {
  const spreadMs = Math.min(RESYNC_MAX_SPREAD_MS, (count / RESYNC_SOCKETS_PER_S) * 1000);
  return Array.from({ length: count }, () => Math.floor(random() * spreadMs));
}

/**
 * Closes this node's Socket.IO sessions, spread over time, so every client reconnects and catches
 * up with room:join {since} on what other nodes pushed while the bus was down. Pushes are hints,
 * the store is the truth. (A socket that closed meanwhile is closed again harmlessly.)
 */
export function sendSocketsToCatchUp(io: Server, log: Logger): void {
  const sockets = [...io.of('/').sockets.values()];
  log.info({ sockets: sockets.length }, "redis is back: closing this node's sessions so clients catch up");
  const delays = resyncDelays(sockets.length);
  sockets.forEach((socket, i) => setTimeout(() => socket.disconnect(true), delays[i]).unref());
}
