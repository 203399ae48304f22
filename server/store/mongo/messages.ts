import type { ClientSession } from 'mongoose';
import { AppError } from '../../../shared/errors.js';
import type { Message, MessageKind } from '../../../shared/types.js';
import { applyReaction } from '../../domain/reactions.js';
import { newId, nowIso } from '../../ids.js';
import type { MessageStore, NewMessage } from '../port.js';
import type { MessageDoc, Models, RoomDoc } from './models.js';
import { isDuplicateKey, type Transactions } from './tx.js';

export const markerId = (roomId: string, userId: string): string => JSON.stringify([roomId, userId]);

export function messageFromDoc(d: MessageDoc): Message {
  const m: Message = {
    id: d._id,
    roomId: d.roomId,
    seq: d.seq,
    authorId: d.authorId,
    clientMsgId: d.clientMsgId,
    kind: d.kind as MessageKind,
    body: d.body,
    reactions: Object.fromEntries((d.reactions ?? []).map((r) => [r.e, r.u])),
    createdAt: d.createdAt,
  };
  if (d.replyTo !== undefined && d.replyTo !== null) m.replyTo = d.replyTo;
  if (d.editedAt !== undefined && d.editedAt !== null) m.editedAt = d.editedAt;
  if (d.deletedAt !== undefined && d.deletedAt !== null) m.deletedAt = d.deletedAt;
  return m;
}

/** The append, inside the caller's transaction (rooms reuse it for system messages). */
export type AppendInTx = (m: NewMessage, session: ClientSession) => Promise<{ message: Message; created: boolean }>;

export function mongoAppend(m: Models): AppendInTx {
  return async (input, session) => {
    const found = await m.messages.findOne({ roomId: input.roomId, authorId: input.authorId, clientMsgId: input.clientMsgId }).session(session).lean<MessageDoc>();
    if (found) {
      if (found.kind !== input.kind) throw new AppError('CONFLICT', `clientMsgId is already used by a ${found.kind} message`);
      return { message: messageFromDoc(found), created: false };
    }
    if (input.replyTo !== undefined && !(await m.messages.exists({ _id: input.replyTo, roomId: input.roomId }).session(session))) {
      throw new AppError('INVALID_INPUT', 'replyTo is not a message of this room');
    }
    // The seq: $inc on the room document in this transaction. A concurrent append to the same
    // room (another node) write-conflicts here and is retried, so seqs are gapless and unique.
    const room = await m.rooms.findOneAndUpdate({ _id: input.roomId }, { $inc: { lastSeq: 1 } }, { new: true, session, projection: { lastSeq: 1 } }).lean<Pick<RoomDoc, 'lastSeq'>>();
    if (!room) throw new AppError('NOT_FOUND', 'room not found');
    const message: Message = {
      id: newId(),
      roomId: input.roomId,
      seq: room.lastSeq,
      authorId: input.authorId,
      clientMsgId: input.clientMsgId,
      kind: input.kind,
      body: input.body,
      reactions: {},
      createdAt: nowIso(),
    };
    if (input.replyTo !== undefined) message.replyTo = input.replyTo;
    const { id, reactions: _r, ...rest } = message;
    await m.messages.create([{ _id: id, ...rest, reactions: [] }], { session });
    // Writing a message means having read the room up to it.
    await m.markers.updateOne(
      { _id: markerId(input.roomId, input.authorId) },
      { $max: { seq: message.seq }, $setOnInsert: { roomId: input.roomId, userId: input.authorId } },
      { upsert: true, session },
    );
    return { message, created: true };
  };
}

export function mongoMessages(m: Models, tx: Transactions, appendInTx: AppendInTx): MessageStore {
  const readOne = async (roomId: string, id: string, session?: ClientSession): Promise<Message | null> => {
    const d = await m.messages.findOne({ _id: id, roomId }).session(session ?? null).lean<MessageDoc>();
    return d ? messageFromDoc(d) : null;
  };

  return {
    async append(input) {
      try {
        return await tx.run(`room:${input.roomId}`, (session) => appendInTx(input, session));
      } catch (err) {
        // A resend that raced its original on another node: the unique index kept one; return it.
        if (!isDuplicateKey(err)) throw err;
        const d = await m.messages.findOne({ roomId: input.roomId, authorId: input.authorId, clientMsgId: input.clientMsgId }).lean<MessageDoc>();
        if (!d) throw err;
        if (d.kind !== input.kind) throw new AppError('CONFLICT', `clientMsgId is already used by a ${d.kind} message`);
        return { message: messageFromDoc(d), created: false };
      }
    },

    get: (roomId, id) => readOne(roomId, id),

    async history(roomId, page) {
      // One extra document tells whether the page has a successor, without a count.
      if ('after' in page) {
        const docs = await m.messages
          .find({ roomId, seq: { $gt: page.after, $lt: page.before ?? Number.MAX_SAFE_INTEGER } })
          .sort({ seq: 1 })
          .limit(page.limit + 1)
          .lean<MessageDoc[]>();
        return { messages: docs.slice(0, page.limit).map(messageFromDoc), hasMore: docs.length > page.limit };
      }
      const before = 'before' in page ? page.before : Number.MAX_SAFE_INTEGER;
      const docs = await m.messages.find({ roomId, seq: { $lt: before } }).sort({ seq: -1 }).limit(page.limit + 1).lean<MessageDoc[]>();
      return { messages: docs.slice(0, page.limit).reverse().map(messageFromDoc), hasMore: docs.length > page.limit };
    },

    async edit(roomId, id, body, at) {
      // Conditional on "not deleted" in the same single-document write: a delete that landed
      // after the service's read wins.
      const d = await m.messages.findOneAndUpdate({ _id: id, roomId, deletedAt: { $exists: false } }, { $set: { body, editedAt: at } }, { new: true }).lean<MessageDoc>();
      if (d) return messageFromDoc(d);
      if (await readOne(roomId, id)) throw new AppError('CONFLICT', 'the message was deleted');
      return null;
    },

    async remove(roomId, id, at) {
      await m.messages.updateOne({ _id: id, roomId, deletedAt: { $exists: false } }, { $set: { body: '', reactions: [], deletedAt: at } });
      return readOne(roomId, id);
    },

    react: (roomId, id, userId, emoji, on, maxEmoji) =>
      tx.run(`message:${id}`, async (session) => {
        const current = await readOne(roomId, id, session);
        if (!current) return null;
        if (current.deletedAt) throw new AppError('CONFLICT', 'the message was deleted');
        const reactions = applyReaction(current.reactions, userId, emoji, on, maxEmoji);
        await m.messages.updateOne({ _id: id }, { $set: { reactions: Object.entries(reactions).map(([e, u]) => ({ e, u })) } }, { session });
        return { ...current, reactions };
      }),

    async markRead(roomId, userId, seq) {
      const room = await m.rooms.findById(roomId, { lastSeq: 1 }).lean<Pick<RoomDoc, 'lastSeq'>>();
      if (!room) throw new AppError('NOT_FOUND', 'room not found');
      // lastSeq only grows, so capping by a value read just before is never past the room's end.
      const d = await m.markers
        .findOneAndUpdate({ _id: markerId(roomId, userId) }, { $max: { seq: Math.min(seq, room.lastSeq) }, $setOnInsert: { roomId, userId } }, { upsert: true, new: true })
        .lean<{ seq: number }>();
      return d!.seq;
    },

    async readMarker(roomId, userId) {
      const d = await m.markers.findById(markerId(roomId, userId)).lean<{ seq: number }>();
      return d?.seq ?? 0;
    },
  };
}
