import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../shared/errors.js';
import type { Limiter } from '../rate/limiter.js';

/** The client's address: req.ip honours TRUST_PROXY (X-Forwarded-For behind a balancer). */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Refuses a client IP over its allowance with 429 RATE_LIMITED (Retry-After from the error handler). */
export function perIp(limiter: Limiter, what: string) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const allowed = await limiter.consume(clientIp(req));
    if (allowed.ok) next();
    else next(new AppError('RATE_LIMITED', `too many ${what} requests from this address; try again later`, { retryAfterMs: allowed.retryAfterMs }));
  };
}
