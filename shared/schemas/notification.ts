/** Bodies and queries of the notification routes (shared/notifications.ts has the shapes). */
import { z } from 'zod';
import { NOTIFICATION_KINDS } from '../notifications.js';
import { Id } from './common.js';

/** GET /api/notifications?limit=&cursor=&unread= */
export const NotificationQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().min(1).max(200).optional(),
    unread: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type NotificationQuery = z.infer<typeof NotificationQuery>;

/** POST /api/notifications/read: one entry by id, or every entry. */
export const NotificationReadIn = z.union([z.object({ id: Id }).strict(), z.object({ all: z.literal(true) }).strict()]);
export type NotificationReadIn = z.infer<typeof NotificationReadIn>;

/** One kind's channels: in-app (inbox push, count, toast) and the webhook (push and e-mail gateways). */
export const ChannelPrefsIn = z.object({ inApp: z.boolean(), webhook: z.boolean() }).strict();

/** Local time of day, HH:MM (24 h). */
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/** Quiet hours in the user's profile timezone: webhook deliveries wait until `end`. */
export const QuietHoursIn = z.object({ start: TimeOfDay, end: TimeOfDay }).strict().refine((q) => q.start !== q.end, 'start and end must differ');

/** PUT /api/notifications/prefs: the whole preferences document. */
export const NotificationPrefsIn = z
  .object({
    kinds: z.partialRecord(z.enum(NOTIFICATION_KINDS), ChannelPrefsIn),
    quietHours: QuietHoursIn.nullable(),
  })
  .strict();

