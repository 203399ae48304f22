import type { ClientSession } from 'mongoose';
import { AppError } from '../../../shared/errors.js';
import type { Message, MessageKind } from '../../../shared/types.js';
import { applyReaction } from '../../domain/reactions.js';
import { newSortableId, nowIso } from '../../ids.js';
import type { MessageStore, NewMessage } from '../port.js';
import type { MessageDoc, Models, RoomDoc } from './models.js';
import { GroupCommit, isDuplicateKey, type Outcome, type Transactions } from './tx.js';

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
type Appended = { message: Message; created: boolean };
/** Appends to one room in one transaction: one outcome per input, in order. */
export type AppendBatch = (inputs: NewMessage[], session: ClientSession) => Promise<Array<Outcome<Appended>>>;

const pairKey = (authorId: string, clientMsgId: string) => JSON.stringify([authorId, clientMsgId]);
const kindConflict = (kind: string) => new AppError('CONFLICT', `clientMsgId is already used by a ${kind} message`);

export function mongoAppendBatch(m: Models): AppendBatch {
  return async (inputs, session) => {
    const roomId = inputs[0]!.roomId;
    // Reads first (sequential: one session), then every write; an input refused here costs no seq.
    const stored = await m.messages
      .find({ roomId, $or: inputs.map((i) => ({ authorId: i.authorId, clientMsgId: i.clientMsgId })) })
      .session(session)
      .lean<MessageDoc[]>();
    const known = new Map<string, Message>(stored.map((d) => [pairKey(d.authorId, d.clientMsgId), messageFromDoc(d)]));
    const replyTos = [...new Set(inputs.flatMap((i) => (i.replyTo === undefined ? [] : [i.replyTo])))];
    const inRoom = new Set(
      replyTos.length === 0 ? [] : (await m.messages.find({ _id: { $in: replyTos }, roomId }, { _id: 1 }).session(session).lean<Array<{ _id: string }>>()).map((d) => d._id),
    );

    const outcomes: Array<Outcome<Appended> | { pending: Message }> = [];
    const fresh: Message[] = [];
    for (const input of inputs) {
      const key = pairKey(input.authorId, input.clientMsgId);
      const found = known.get(key);
      if (found) {
        // Stored before, or earlier in this batch: a resend.
        outcomes.push(found.kind !== input.kind ? { ok: false, error: kindConflict(found.kind) } : fresh.includes(found) ? { pending: found } : { ok: true, value: { message: found, created: false } });
        continue;
      }
      if (input.replyTo !== undefined && !inRoom.has(input.replyTo)) {
        outcomes.push({ ok: false, error: new AppError('INVALID_INPUT', 'replyTo is not a message of this room') });
        continue;
      }
      const message: Message = { id: newSortableId(), roomId, seq: 0, authorId: input.authorId, clientMsgId: input.clientMsgId, kind: input.kind, body: input.body, reactions: {}, createdAt: input.createdAt };
      if (input.replyTo !== undefined) message.replyTo = input.replyTo;
      fresh.push(message);
      known.set(key, message);
      outcomes.push({ ok: true, value: { message, created: true } });
    }
    if (fresh.length > 0) {
      // The seqs: one $inc on the room document in this transaction. A concurrent append to the
      // same room (another node) write-conflicts here and is retried, so seqs stay gapless and unique.
      const room = await m.rooms.findOneAndUpdate({ _id: roomId }, { $inc: { lastSeq: fresh.length } }, { new: true, session, projection: { lastSeq: 1 } }).lean<Pick<RoomDoc, 'lastSeq'>>();
      if (!room) return inputs.map(() => ({ ok: false as const, error: new AppError('NOT_FOUND', 'room not found') }));
      const first = room.lastSeq - fresh.length + 1;
      fresh.forEach((msg, i) => (msg.seq = first + i));
      await m.messages.insertMany(
        fresh.map(({ id, reactions: _r, ...rest }) => ({ _id: id, ...rest, reactions: [] })),
        { session, ordered: true },
      );
      // Writing a message means having read the room up to it: each author's marker to their last one.
      const lastOf = new Map<string, number>();
      for (const msg of fresh) lastOf.set(msg.authorId, msg.seq);
      await m.markers.bulkWrite(
        [...lastOf].map(([userId, seq]) => ({
          updateOne: { filter: { _id: markerId(roomId, userId) }, update: { $max: { seq }, $setOnInsert: { roomId, userId } }, upsert: true },
        })),
        { session, ordered: true },
      );
    }
    return outcomes.map((o) => ('pending' in o ? { ok: true as const, value: { message: o.pending, created: false } } : o));
  };
}

/** One append inside the caller's transaction (a room change's system message). */
export function mongoAppend(batch: AppendBatch): AppendInTx {
  return async (input, session) => {
    const [outcome] = await batch([input], session);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value;
  };
}

export function mongoMessages(m: Models, tx: Transactions, appendBatch: AppendBatch): MessageStore {
  // Group commit: concurrent sends to one room share one transaction (and one majority commit).
  const appends = new GroupCommit<NewMessage, Appended>(tx, (_key, inputs, session) => appendBatch(inputs, session));

  const readOne = async (roomId: string, id: string, session?: ClientSession): Promise<Message | null> => {
    const d = await m.messages.findOne({ _id: id, roomId }).session(session ?? null).lean<MessageDoc>();
    return d ? messageFromDoc(d) : null;
  };

  return {
    async append(input) {
      try {
        return await appends.submit(`room:${input.roomId}`, input);
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
