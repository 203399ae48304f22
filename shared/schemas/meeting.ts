import { z } from 'zod';
import { Id, IsoDate } from './common.js';

/** Bounds of sessions and action items (issue 19). */
export const MeetingLimits = {
  agenda: 2000,
  notes: 20_000,
  reason: 500,
  itemTitle: 300,
  /** Sessions kept per room: weekly for ten years. */
  perRoom: 600,
  /** Action items per session. */
  itemsPerSession: 30,
  durationMin: 15,
  durationMax: 480,
} as const;

/** An ISO-8601 time with an offset or Z ("2026-12-03T15:00:00Z", "2026-12-03T16:00:00+01:00"). */
export const IsoTime = z.iso.datetime({ offset: true });

/** POST /api/rooms/:id/sessions — schedule a session (the time is stored in UTC). */
export const MeetingScheduleIn = z
  .object({
    startsAt: IsoTime,
    durationMin: z.number().int().min(MeetingLimits.durationMin).max(MeetingLimits.durationMax).optional(),
    agenda: z.string().trim().min(1).max(MeetingLimits.agenda),
  })
  .strict();
export type MeetingScheduleIn = z.infer<typeof MeetingScheduleIn>;

/**
 * PATCH /api/rooms/:id/sessions/:sid — the outcome and/or notes. `held`; `no-show` with who did
 * not come; `cancelled` with a reason (the caller is who cancelled). A scheduled session may also
 * be moved (`startsAt`) or get a new agenda.
 */
export const MeetingPatchIn = z
  .object({
    status: z.enum(['held', 'no-show', 'cancelled']).optional(),
    absent: z.array(Id).min(1).max(2).optional(),
    reason: z.string().trim().min(1).max(MeetingLimits.reason).optional(),
    notes: z.string().max(MeetingLimits.notes).optional(),
    startsAt: IsoTime.optional(),
    agenda: z.string().trim().min(1).max(MeetingLimits.agenda).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field' })
  .refine((p) => (p.status === 'no-show') === (p.absent !== undefined), { message: 'a no-show names who was absent (and only a no-show does)', path: ['absent'] })
  .refine((p) => (p.status === 'cancelled') === (p.reason !== undefined), { message: 'a cancellation gives a reason (and only a cancellation does)', path: ['reason'] });
export type MeetingPatchIn = z.infer<typeof MeetingPatchIn>;

/** POST /api/rooms/:id/sessions/:sid/items — an action item agreed in the session. */
export const ActionItemIn = z
  .object({
    title: z.string().trim().min(1).max(MeetingLimits.itemTitle),
    ownerId: Id,
    dueDate: IsoDate,
    goalId: Id.optional(),
  })
  .strict();
export type ActionItemIn = z.infer<typeof ActionItemIn>;

/** PATCH /api/rooms/:id/items/:itemId — mark done or reopen. */
export const ActionItemPatchIn = z.object({ status: z.enum(['open', 'done']) }).strict();
export type ActionItemPatchIn = z.infer<typeof ActionItemPatchIn>;

/** GET /api/rooms/:id/items?status=open */
export const ActionItemQuery = z.object({ status: z.enum(['open', 'done']).optional() }).strict();
export type ActionItemQuery = z.infer<typeof ActionItemQuery>;
