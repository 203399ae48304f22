import { z } from 'zod';

/** Server-made ids (users, rooms, messages, ...): url-safe, bounded. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be an id');

/** A client-made idempotency key: the same key on a resend returns the stored result. */
export const ClientId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'must be url-safe');

/** Per-room message sequence number (1, 2, 3, ...). 0 means "before the first message". */
export const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A seq from a query string ("?after=12"). */
export const SeqParam = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Calendar date, YYYY-MM-DD. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  'must be a real date',
);
