import { ERROR_CODES, STATUS, type ErrorCode, type WireError } from '../../../shared/errors.js';

/**
 * Codes an SDK call can fail with: the server's catalog plus three that never reach a server.
 * - `NETWORK`: the request could not be made or its answer was lost (fetch failed, socket dropped).
 * - `TIMEOUT`: no answer within the SDK's deadline (the server may still have done the work).
 * - `DISCONNECTED`: the socket is not connected, so the call was not sent.
 */
export type SdkErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'DISCONNECTED';

/** Codes worth retrying unchanged: the same call may succeed later. Everything else needs a change first. */
const RETRYABLE: ReadonlySet<SdkErrorCode> = new Set<SdkErrorCode>(['NETWORK', 'TIMEOUT', 'DISCONNECTED', 'RATE_LIMITED', 'INTERNAL']);

/** Transport failures: the call may or may not have reached the server. */
const TRANSPORT: ReadonlySet<SdkErrorCode> = new Set<SdkErrorCode>(['NETWORK', 'TIMEOUT', 'DISCONNECTED']);

/** Every failure the SDK reports. Answers questions instead of carrying strings to parse. */
export class SdkError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    /** HTTP status for REST failures; undefined for socket and transport failures. */
    readonly status?: number,
    /** The server's `details` (e.g. zod issues for INVALID_INPUT). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SdkError';
  }

  /** True when repeating the same call later may succeed (network trouble, rate limit, server fault). */
  isRetryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** True when the failure is the connection's, not the server's answer: the call may have been done. */
  isTransport(): boolean {
    return TRANSPORT.has(this.code);
  }

  /** The server's error body (REST `error` or a socket ack's `error`) as an SdkError. */
  static fromWire(wire: Partial<WireError> | undefined, status?: number): SdkError {
    const code = wire?.code !== undefined && (ERROR_CODES as string[]).includes(wire.code) ? wire.code : codeForStatus(status);
    return new SdkError(code, wire?.message ?? `request failed${status === undefined ? '' : ` (${status})`}`, status, wire?.details);
  }

  /** Anything thrown (an SdkError, a socket.io timeout, a fetch TypeError) as an SdkError. */
  static from(err: unknown): SdkError {
    if (err instanceof SdkError) return err;
    const message = err instanceof Error ? err.message : String(err);
    // socket.io-client's emitWithAck rejects with these two messages (socket.js, 4.8).
    if (message === 'operation has timed out') return new SdkError('TIMEOUT', 'the server did not answer in time');
    if (message === 'socket has been disconnected') return new SdkError('DISCONNECTED', 'the connection dropped before the answer came');
    return new SdkError('NETWORK', message);
  }
}

function codeForStatus(status: number | undefined): ErrorCode {
  const match = (Object.entries(STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return match ? match[0] : 'INTERNAL';
}
