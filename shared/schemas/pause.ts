import { z } from 'zod';
import { CadenceEvery } from './contract.js';
import { IsoDate } from './common.js';

/** A pause lasts at most this long: longer is a break-up, not a holiday (issue 19). */
export const PauseLimits = { maxDays: 60, reason: 500 } as const;

/** POST /api/rooms/:id/pause — stop every timer until `until` (a date, the room resumes at its start, UTC). */
export const PauseIn = z
  .object({
    until: IsoDate,
    reason: z.string().trim().min(1).max(PauseLimits.reason).optional(),
  })
  .strict();
export type PauseIn = z.infer<typeof PauseIn>;

/** PUT /api/rooms/:id/cadence — the lighter cadence for the current stage (Separation or Redefinition). */
export const StageCadenceIn = z.object({ every: CadenceEvery }).strict();
export type StageCadenceIn = z.infer<typeof StageCadenceIn>;
