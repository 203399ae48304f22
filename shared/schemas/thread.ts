import { z } from 'zod';
import { Limits } from '../limits.js';
import { ENTRY_KINDS, THREAD_VISIBILITIES, type EntryKind, type ThreadVisibility } from '../types.js';
import { Id } from './common.js';

export const ThreadVisibilityIn = z.enum(THREAD_VISIBILITIES as [ThreadVisibility, ...ThreadVisibility[]]);
export const EntryKindIn = z.enum(ENTRY_KINDS as [EntryKind, ...EntryKind[]]);

/**
 * A milestone or goal id. Milestones are made by clients inside the roadmap's Yjs doc, so their
 * ids follow the client-id alphabet (url-safe, may hold `.` and `:`), not only the server's.
 */
export const RefId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'must be an id');

/**
 * A Markdown body of 1..max characters that is not only whitespace. Unlike chat messages it is
 * stored untrimmed: leading indentation is meaningful in Markdown (code blocks).
 */
const markdown = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim().length > 0, 'must not be empty or blank');

export const EntryBody = markdown(Limits.entryBody);
export const CommentBody = markdown(Limits.commentBody);
export const ThreadTitle = z.string().trim().min(1).max(Limits.threadTitle);

/** An opaque page cursor (a decimal feed position today; clients pass back what they were given). */
export const Cursor = z.string().regex(/^\d{1,15}$/, 'must be a cursor returned by the server');

const atLeastOne = (v: object) => Object.values(v).some((x) => x !== undefined);

/** POST /api/threads. `room` visibility needs the room it is shared with. */
export const ThreadCreateIn = z
  .object({ title: ThreadTitle, visibility: ThreadVisibilityIn, roomId: Id.optional() })
  .strict()
  .refine((v) => v.visibility !== 'room' || v.roomId !== undefined, {
    message: "visibility 'room' needs a roomId",
    path: ['roomId'],
  });
export type ThreadCreateIn = z.infer<typeof ThreadCreateIn>;

/** PATCH /api/threads/:id: absent fields keep their value; the room a thread is tied to is fixed. */
export const ThreadPatchIn = z
  .object({ title: ThreadTitle.optional(), visibility: ThreadVisibilityIn.optional() })
  .strict()
  .refine(atLeastOne, { message: 'give at least one of title, visibility' });
export type ThreadPatchIn = z.infer<typeof ThreadPatchIn>;

/** POST /api/threads/:id/entries */
export const EntryIn = z
  .object({ kind: EntryKindIn, body: EntryBody, milestoneId: RefId.optional(), goalId: RefId.optional() })
  .strict();
export type EntryIn = z.infer<typeof EntryIn>;

/** PATCH /api/threads/:id/entries/:eid: absent keeps the value; `null` unlinks a milestone or goal. */
export const EntryPatchIn = z
  .object({
    kind: EntryKindIn.optional(),
    body: EntryBody.optional(),
    milestoneId: RefId.nullable().optional(),
    goalId: RefId.nullable().optional(),
  })
  .strict()
  .refine(atLeastOne, { message: 'give at least one of kind, body, milestoneId, goalId' });
export type EntryPatchIn = z.infer<typeof EntryPatchIn>;

/** POST /api/threads/:id/entries/:eid/comments and PATCH .../comments/:cid */
export const CommentIn = z.object({ body: CommentBody }).strict();
export type CommentIn = z.infer<typeof CommentIn>;

const PageLimit = z.coerce.number().int().min(1).max(Limits.feedPageMax);

/** GET /api/feed?cursor=&limit= (newest first) and GET /api/threads/:id?cursor=&limit= (oldest first). */
export const FeedQuery = z.object({ cursor: Cursor.optional(), limit: PageLimit.optional() }).strict();
export type FeedQuery = z.infer<typeof FeedQuery>;

/** GET /api/threads/:id/entries/:eid/comments?before=&limit= (older comments, newest page first). */
export const CommentPageQuery = z.object({ before: Cursor.optional(), limit: PageLimit.optional() }).strict();
export type CommentPageQuery = z.infer<typeof CommentPageQuery>;

/** GET /api/threads?roomId=: a room's threads the caller may read; without roomId, the caller's own. */
export const ThreadListQuery = z.object({ roomId: Id.optional() }).strict();
export type ThreadListQuery = z.infer<typeof ThreadListQuery>;
