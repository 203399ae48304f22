import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, toWire } from '../../shared/errors.js';
import type { Ack } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Logger } from '../log.js';
import { ServerLimits } from '../limits.js';
import type { Limiter } from '../rate/limiter.js';
import { parse } from '../validate.js';

export interface SocketData {
  user: AuthUser;
  /** The allowance of socket events, keyed by user: shared by all their sockets on every node. */
  events: Limiter;
  /** The room this device is looking at (room:view), if any: messages there do not make notifications. */
  viewing?: string | null;
}
export type AppSocket = Socket<Record<string, (...args: unknown[]) => void>, Record<string, (...args: unknown[]) => void>, Record<string, never>, SocketData>;

/** Rough JSON size of a payload, computed only on the failure path. */
function approxBytes(raw: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(raw) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The one place that owns socket parsing, errors and acks: rate limit (per user) → parse with the shared
 * schema → run → ack. Socket.IO does not catch listener errors, so no other file calls
 * `socket.on` with an async body. A client may omit the ack (or send a non-function).
 */
export function handle<S extends z.ZodType, R extends object>(
  socket: AppSocket,
  log: Logger,
  event: string,
  schema: S,
  fn: (input: z.infer<S>, user: AuthUser) => Promise<R>,
): void {
  socket.on(event, async (raw: unknown, ack?: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack<R>) => void) : () => {};
    try {
      const allowed = await socket.data.events.consume(socket.data.user.id);
      if (!allowed.ok) throw new AppError('RATE_LIMITED', 'too many events; slow down', { retryAfterMs: allowed.retryAfterMs });
      let input: z.infer<S>;
      try {
        input = parse(schema, raw, `${event} payload`);
      } catch (err) {
        // Valid payloads are bounded by their schema, so size only matters once parsing failed.
        if (approxBytes(raw) > ServerLimits.socketPayloadBytes) {
          throw new AppError('PAYLOAD_TOO_LARGE', `${event} payload exceeds ${ServerLimits.socketPayloadBytes} bytes`);
        }
        throw err;
      }
      reply({ ok: true, ...(await fn(input, socket.data.user)) } as Ack<R>);
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err, event }, 'socket handler failed');
      reply({ ok: false, error: toWire(err) });
    }
  });
}
