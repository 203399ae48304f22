import { z } from 'zod';
import { Id } from './common.js';
import { MeasureValue } from './contract.js';

/** Bounds of check-ins (issue 19). */
export const CheckinLimits = {
  note: 1000,
  /** Check-ins kept per goal: a weekly check-in for ten years fits; the series stays small enough to chart and send whole. */
  perGoal: 500,
} as const;

/** POST /api/rooms/:id/goals/:goalId/checkins — either member records the current value. */
export const CheckinIn = z
  .object({
    value: MeasureValue,
    note: z.string().trim().min(1).max(CheckinLimits.note).optional(),
    /** A growth-thread entry as evidence: an entry of one of this room's threads that both members may read. */
    evidence: z.object({ threadId: Id, entryId: Id }).strict().optional(),
  })
  .strict();
export type CheckinIn = z.infer<typeof CheckinIn>;
