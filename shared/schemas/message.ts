import { z } from 'zod';
import { ClientId, Id } from './common.js';
import { Limits } from '../limits.js';

/** A message body: trimmed, 1–8000 characters. */
export const MessageBody = z.string().trim().min(1).max(Limits.messageBody);

/**
 * One emoji (or short :shortcode:), no whitespace. Names of Object.prototype members
 * (`__proto__`, `constructor`, `toString`, ...) are refused: emoji are keys of the reactions map.
 */
export const Emoji = z
  .string()
  .min(1)
  .max(Limits.emojiChars)
  .regex(/^\S+$/u, 'must be one emoji')
  .refine((s) => !Object.hasOwn(Object.prototype, s), 'must be one emoji');

/**
 * message:send (socket) — the REST body is the same without roomId and echo. `echo: false`: the
 * sending socket takes the message from its ack and is not sent `message:new` for it (every other
 * device of both members still is); absent or true, every device is, the sending one included.
 */
export const MessageSendIn = z
  .object({ roomId: Id, clientMsgId: ClientId, body: MessageBody, replyTo: Id.optional(), echo: z.boolean().optional() })
  .strict();
export type MessageSendIn = z.infer<typeof MessageSendIn>;

/** POST /api/rooms/:id/messages */
export const MessagePostIn = MessageSendIn.omit({ roomId: true, echo: true });
export type MessagePostIn = z.infer<typeof MessagePostIn>;

export const MessageEditIn = z.object({ roomId: Id, messageId: Id, body: MessageBody }).strict();
export type MessageEditIn = z.infer<typeof MessageEditIn>;

export const MessageDeleteIn = z.object({ roomId: Id, messageId: Id }).strict();
export type MessageDeleteIn = z.infer<typeof MessageDeleteIn>;

export const MessageReactIn = z.object({ roomId: Id, messageId: Id, emoji: Emoji, on: z.boolean() }).strict();
export type MessageReactIn = z.infer<typeof MessageReactIn>;
