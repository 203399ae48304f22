import { randomBytes } from 'node:crypto';

/** A new random id: 128 bits, url-safe base64 (22 chars). */
export const newId = (): string => randomBytes(16).toString('base64url');

/** The current time as an ISO-8601 UTC string (the one format every stored time uses). */
export const nowIso = (): string => new Date().toISOString();
