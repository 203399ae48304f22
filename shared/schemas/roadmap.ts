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

/**
 * POST /api/rooms/:id/roadmap/save-template: the room's roadmap as it is now (title, milestone
 * titles and notes) becomes a template of the pair's own, offered in their rooms next to the
 * curated ones (issue 16).
 */
export const TemplateSaveIn = z
  .object({
    name: z.string().trim().min(1).max(80),
    description: z.string().trim().max(200).optional(),
  })
  .strict();
export type TemplateSaveIn = z.infer<typeof TemplateSaveIn>;
