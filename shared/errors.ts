/**
 * The error catalog: every failure a client can see carries one of these stable codes.
 * HTTP routes map a code to its status; socket acks and collab close codes carry the code itself.
 */
export const STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  GUARD_FAILED: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof STATUS;
export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

/** What an error looks like on the wire (REST body `error`, socket ack `error`). */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An expected failure: thrown where the rule lives, translated once at the edge. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Unknown errors never leak their message (it may hold paths, SQL or secrets). */
export function toWire(err: unknown): WireError {
  if (err instanceof AppError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  return { code: 'INTERNAL', message: 'internal error' };
}

export const isAppError = (err: unknown, code?: ErrorCode): err is AppError =>
  err instanceof AppError && (code === undefined || err.code === code);
