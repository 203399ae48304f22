import type { NextFunction, Request, Response } from 'express';
import { AppError, STATUS, toWire } from '../../shared/errors.js';
import type { Logger } from '../log.js';

/** body-parser's error types, mapped onto our catalog. */
function fromBodyParser(err: unknown): AppError | null {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
  if (typeof type === 'string' && (type.startsWith('entity.') || type.includes('encoding') || type.includes('charset'))) {
    return new AppError('INVALID_INPUT', 'request body is not valid JSON');
  }
  return null;
}

/**
 * Other client errors Express and its parsers raise with a 4xx status (a malformed path escape,
 * an undecodable gzip body, …): the catalog's code for that status, never a 500 (issue 13).
 */
function fromClientError(err: unknown): AppError | null {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
  if (status === 401) return new AppError('UNAUTHENTICATED', 'unauthenticated');
  if (status === 403) return new AppError('FORBIDDEN', 'forbidden');
  if (status === 404) return new AppError('NOT_FOUND', 'not found');
  return new AppError('INVALID_INPUT', 'the request is malformed');
}

/** The one place REST errors are turned into `{ error: { code, message, details? } }`. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appErr = err instanceof AppError ? err : (fromBodyParser(err) ?? fromClientError(err));
    // Client errors are not the server's failures: no error-level line (with its stack) for them.
    if (!appErr) log.error({ err, method: req.method, path: req.path }, 'request failed');
    const wire = toWire(appErr ?? err);
    if (res.headersSent) return;
    const retryAfterMs = (appErr?.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    if (wire.code === 'RATE_LIMITED' && typeof retryAfterMs === 'number') res.set('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
    res.status(STATUS[wire.code]).json({ error: wire });
  };
}

/** Unknown /api routes answer in the catalog's shape too. */
export function apiNotFound(req: Request, _res: Response, next: NextFunction) {
  next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`));
}
