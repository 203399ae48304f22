import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../shared/errors.js';
import type { AuthSession } from '../auth/tokens.js';
import type { Services } from '../services.js';

/**
 * A route body: returns the JSON to send (it may set another status on `res`, or send a non-JSON
 * body itself and return undefined). Thrown AppErrors become error bodies in errors.ts.
 */
type Handler = (req: Request, user: AuthSession, res: Response) => Promise<unknown>;

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' ? token : undefined;
}

/** Wraps an authenticated route: 401 without a valid Bearer token, then `fn`'s result as JSON. */
export function authed(services: Services, fn: Handler, status = 200) {
  return async (req: Request, res: Response, _next: NextFunction) => {
    const token = bearer(req);
    if (!token) throw new AppError('UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
    const user = await services.auth.authenticate(token);
    res.status(status);
    const body = await fn(req, user, res);
    if (!res.headersSent) res.json(body);
  };
}

/** A path parameter (Express 5 types it as string | string[]). */
export const param = (req: Request, name: string): string => {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
};
