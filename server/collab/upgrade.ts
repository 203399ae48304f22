import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS, toWire, AppError } from '../../shared/errors.js';
import { Id } from '../../shared/schemas/common.js';

/** The path prefix the collab endpoint owns; every other upgrade (Socket.IO) is left alone. */
export const COLLAB_PREFIX = '/collab/';

export const isCollabRequest = (req: IncomingMessage): boolean => (req.url ?? '').startsWith(COLLAB_PREFIX);

/** What a collab upgrade asks for: `/collab/<roomId>?token=<jwt>`. Throws INVALID_INPUT for any other shape. */
export function parseCollabTarget(req: IncomingMessage): { roomId: string; token: string | undefined } {
  const url = new URL(req.url ?? '/', 'http://collab.invalid');
  const name = url.pathname.slice(COLLAB_PREFIX.length);
  let roomId: string;
  try {
    roomId = decodeURIComponent(name);
  } catch {
    throw new AppError('INVALID_INPUT', 'the collab path is not /collab/<roomId>');
  }
  if (!Id.safeParse(roomId).success) throw new AppError('INVALID_INPUT', 'the collab path is not /collab/<roomId>');
  return { roomId, token: url.searchParams.get('token') ?? undefined };
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/**
 * The HTTP status a refused upgrade answers with. A rule on the room's state (declined, closed)
 * is a 403 here, as for any connection the room does not admit.
 */
export function refusalStatus(err: unknown): number {
  const wire = toWire(err);
  return wire.code === 'GUARD_FAILED' ? 403 : STATUS[wire.code];
}

/**
 * Answers an upgrade request with a plain HTTP error (the catalog's JSON body) and closes the
 * socket: nothing of the WebSocket protocol, let alone of the document, is ever sent.
 */
export function refuseUpgrade(socket: Duplex, status: number, err: unknown): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: toWire(err) });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
