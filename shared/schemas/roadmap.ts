import { z } from 'zod';

/**
 * POST /api/rooms/:id/roadmap/template. `append` (the default) adds the template's milestones after
 * the existing ones and sets the title only when the roadmap has none; `replace` swaps the title and
 * the whole milestone list for the template's.
 */
export const TemplateApplyIn = z
  .object({
    templateId: z.string().min(1).max(64),
    mode: z.enum(['append', 'replace']).optional(),
  })
  .strict();
export type TemplateApplyIn = z.infer<typeof TemplateApplyIn>;
