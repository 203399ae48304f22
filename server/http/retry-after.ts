import type { NextFunction, Request, Response } from 'express';
import { isAppError } from '../../shared/errors.js';

/**
 * Wraps a route so a RATE_LIMITED error that says when to come back (details.retryAfterSeconds)
 * also sets the Retry-After header; the body is still written by the error handler.
 */
export function withRetryAfter(fn: (req: Request, res: Response, next: NextFunction) => Promise<void>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await fn(req, res, next);
    } catch (err) {
      const seconds = isAppError(err, 'RATE_LIMITED') ? (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds : undefined;
      if (typeof seconds === 'number' && !res.headersSent) res.set('Retry-After', String(seconds));
      throw err;
    }
  };
}
