import { z } from 'zod';
import { Id, Seq, SeqParam } from './common.js';
import { Limits } from '../limits.js';

/** POST /api/rooms: the caller requests a mentorship; exactly one of mentorId / menteeId names the other side. */
export const RoomCreateIn = z
  .object({
    mentorId: Id.optional(),
    menteeId: Id.optional(),
    title: z.string().trim().min(1).max(Limits.roomTitle).optional(),
    focus: z.string().trim().min(1).max(Limits.roomTitle),
  })
  .strict()
  .refine((v) => (v.mentorId === undefined) !== (v.menteeId === undefined), {
    message: 'give exactly one of mentorId or menteeId',
  });
export type RoomCreateIn = z.infer<typeof RoomCreateIn>;

/** room:join — subscribe to a room's presence and catch up on messages after `since`. */
export const RoomJoinIn = z
  .object({
    roomId: Id,
    since: Seq.optional(),
    limit: z.number().int().min(1).max(Limits.pageMax).optional(),
  })
  .strict();
export type RoomJoinIn = z.infer<typeof RoomJoinIn>;

export const RoomLeaveIn = z.object({ roomId: Id }).strict();
export type RoomLeaveIn = z.infer<typeof RoomLeaveIn>;

/** room:view — the room this device shows now (null: none, or the tab is in the background). */
export const RoomViewIn = z.object({ roomId: Id.nullable() }).strict();
export type RoomViewIn = z.infer<typeof RoomViewIn>;

/** room:read — the reader has seen everything up to and including `seq`. */
export const RoomReadIn = z.object({ roomId: Id, seq: Seq }).strict();
export type RoomReadIn = z.infer<typeof RoomReadIn>;

export const TypingIn = z.object({ roomId: Id, typing: z.boolean() }).strict();
export type TypingIn = z.infer<typeof TypingIn>;

/** GET /api/rooms/:id/messages?after=&before=&limit= */
export const HistoryQuery = z
  .object({
    after: SeqParam.optional(),
    before: SeqParam.optional(),
    limit: z.coerce.number().int().min(1).max(Limits.pageMax).optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof HistoryQuery>;
