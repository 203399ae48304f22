import { z } from 'zod';
import { Id, IsoDate } from './common.js';

/**
 * Bounds of the mentorship contract (DESIGN §3). Wire-visible: a client may check them before
 * sending. Each bound keeps one contract a few KB at most.
 */
export const ContractLimits = {
  /** A contract holds 3–5 goals: fewer is not a plan, more is not a focus. */
  goalsMin: 3,
  goalsMax: 5,
  goalTitle: 200,
  goalMetric: 500,
  goalTarget: 200,
  groundRulesMax: 20,
  groundRule: 500,
  channelsMax: 10,
  channel: 100,
  /** Note on a stage change ("new challenge: …"). */
  stageNote: 1000,
  /** A measured goal's unit ("interviews", "km"). */
  measureUnit: 40,
  /** Measured values stay within ±1e9: any real metric fits, and no value is huge enough to lose precision. */
  measureMax: 1e9,
  /** Reply promise: 1 hour to 30 days. */
  replyHoursMax: 720,
} as const;

/** Mentor discovery paging. */
export const MentorLimits = {
  pageDefault: 20,
  pageMax: 50,
  queryChars: 200,
  skillChars: 40,
} as const;

const text = (max: number) => z.string().trim().min(1).max(max);

/** A measured value (a check-in, a baseline, a target): finite and bounded. */
export const MeasureValue = z.number().finite().min(-ContractLimits.measureMax).max(ContractLimits.measureMax);

/**
 * A goal's numeric metric (issue 19). `direction` defaults to the way from baseline to target;
 * given, it must agree with them (higher: target above baseline).
 */
export const GoalMeasureIn = z
  .object({
    unit: text(ContractLimits.measureUnit),
    baseline: MeasureValue,
    target: MeasureValue,
    direction: z.enum(['higher', 'lower']).optional(),
  })
  .strict()
  .refine((m) => m.target !== m.baseline, { message: 'the target must differ from the baseline', path: ['target'] })
  .refine((m) => m.direction === undefined || (m.direction === 'higher') === m.target > m.baseline, {
    message: 'direction disagrees with baseline and target',
    path: ['direction'],
  })
  .transform((m) => ({ unit: m.unit, baseline: m.baseline, target: m.target, direction: m.direction ?? (m.target > m.baseline ? 'higher' : 'lower') }) as const);
export type GoalMeasureIn = z.infer<typeof GoalMeasureIn>;

/** How soon each side answers, in whole hours. */
export const ReplyPromiseIn = z
  .object({
    mentor: z.number().int().min(1).max(ContractLimits.replyHoursMax),
    mentee: z.number().int().min(1).max(ContractLimits.replyHoursMax),
  })
  .strict();

/**
 * One goal as the client sends it. `id` names a goal of the current contract that this edit
 * keeps (it keeps its id, status and, when its wording is unchanged, its acknowledgements);
 * without `id` the goal is new and starts `open`.
 */
export const GoalIn = z
  .object({
    id: Id.optional(),
    title: text(ContractLimits.goalTitle),
    /** How progress is measured ("interviews completed"). */
    metric: text(ContractLimits.goalMetric),
    /** The value that means done ("5"). */
    target: text(ContractLimits.goalTarget),
    dueDate: IsoDate,
    /** A numeric target, where the goal has one; without it the goal is yes/no, as before. */
    measure: GoalMeasureIn.optional(),
  })
  .strict();
export type GoalIn = z.infer<typeof GoalIn>;

/** How often the pair meets: a count and a unit (d = days, w = weeks, m = months), e.g. "1w", "2w", "1m". */
export const CadenceEvery = z.string().regex(/^[1-9]\d{0,2}[dwm]$/, 'must look like 1w, 2w, 10d or 1m');

/** PUT /api/rooms/:id/contract — the whole contract; any change makes a new version. */
export const ContractIn = z
  .object({
    goals: z.array(GoalIn).min(ContractLimits.goalsMin).max(ContractLimits.goalsMax),
    groundRules: z.array(text(ContractLimits.groundRule)).min(1).max(ContractLimits.groundRulesMax),
    cadence: z.object({ every: CadenceEvery, channel: text(ContractLimits.channel) }).strict(),
    /** Where the pair talks between meetings ("Menteo chat", "email"). */
    channels: z.array(text(ContractLimits.channel)).min(1).max(ContractLimits.channelsMax),
    /** The exit plan: the date the pair reviews the mentorship. */
    reviewAt: IsoDate,
    /** Per role, in hours; absent: the default of the current stage's cadence. */
    replyWithinHours: ReplyPromiseIn.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ids = c.goals.flatMap((g) => (g.id === undefined ? [] : [g.id]));
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['goals'], message: 'goal ids must be unique' });
    const titles = c.goals.map((g) => g.title.toLowerCase());
    if (new Set(titles).size !== titles.length) ctx.addIssue({ code: 'custom', path: ['goals'], message: 'goal titles must be unique' });
  });
export type ContractIn = z.infer<typeof ContractIn>;

/**
 * POST /api/rooms/:id/contract/accept — the caller accepts the current version for themselves
 * (nobody can accept for the other side). `version`, when given, must be the current one, so
 * an acceptance never lands on terms the caller has not seen.
 */
export const ContractAcceptIn = z.object({ version: z.number().int().min(1).optional() }).strict();
export type ContractAcceptIn = z.infer<typeof ContractAcceptIn>;

export const GoalStatusIn = z.enum(['open', 'achieved', 'dropped']);

/** PATCH /api/rooms/:id/goals/:goalId — set the outcome and/or acknowledge it (in Separation). */
export const GoalPatchIn = z
  .object({ status: GoalStatusIn.optional(), acknowledge: z.literal(true).optional() })
  .strict()
  .refine((p) => p.status !== undefined || p.acknowledge !== undefined, { message: 'give status or acknowledge' });
export type GoalPatchIn = z.infer<typeof GoalPatchIn>;

export const StageIn = z.enum(['initiation', 'cultivation', 'separation', 'redefinition']);

/** POST /api/rooms/:id/stage — a cycle back to Cultivation needs a note ("new challenge: …"). */
export const StageChangeIn = z.object({ to: StageIn, note: text(ContractLimits.stageNote).optional() }).strict();
export type StageChangeIn = z.infer<typeof StageChangeIn>;

/** GET /api/rooms/:id/record?format=md */
export const RecordQuery = z.object({ format: z.enum(['json', 'md']).optional() }).strict();
export type RecordQuery = z.infer<typeof RecordQuery>;

/** An empty query-string value (`?q=`) means "not given". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((s) => (s ? s : undefined));

/**
 * GET /api/mentors?q=&skill=&limit=&cursor= — `q`: words matched (as prefixes, all of them)
 * against name, bio and tags; `skill`: one expertise tag, exact and case-insensitive; `cursor`:
 * the `nextCursor` of the previous page.
 */
export const MentorQuery = z
  .object({
    q: optionalText(MentorLimits.queryChars),
    skill: optionalText(MentorLimits.skillChars).transform((s) => s?.toLowerCase()),
    limit: z.coerce.number().int().min(1).max(MentorLimits.pageMax).optional(),
    cursor: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page').optional(),
  })
  .strict();
export type MentorQuery = z.infer<typeof MentorQuery>;
