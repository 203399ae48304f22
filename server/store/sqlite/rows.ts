import type { Message, MessageKind, Room } from '../../../shared/types.js';

export interface MessageRow {
  id: string;
  room_id: string;
  seq: number;
  author_id: string;
  client_msg_id: string;
  kind: string;
  body: string;
  reply_to: string | null;
  reactions: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export function messageFromRow(r: MessageRow): Message {
  const m: Message = {
    id: r.id,
    roomId: r.room_id,
    seq: r.seq,
    authorId: r.author_id,
    clientMsgId: r.client_msg_id,
    kind: r.kind as MessageKind,
    body: r.body,
    reactions: JSON.parse(r.reactions) as Record<string, string[]>,
    createdAt: r.created_at,
  };
  if (r.reply_to !== null) m.replyTo = r.reply_to;
  if (r.edited_at !== null) m.editedAt = r.edited_at;
  if (r.deleted_at !== null) m.deletedAt = r.deleted_at;
  return m;
}

export interface RoomRow {
  id: string;
  mentor_id: string;
  mentee_id: string;
  status: string;
  last_seq: number;
  rev: number;
  data: string;
  created_at: string;
  updated_at: string;
}

/** The JSON part of a room row: everything without a column of its own. */
export type RoomData = Omit<Room, 'id' | 'mentorId' | 'menteeId' | 'status' | 'lastSeq' | 'rev' | 'createdAt' | 'updatedAt'>;

export function roomFromRow(r: RoomRow): Room {
  const data = JSON.parse(r.data) as RoomData;
  return {
    ...data,
    id: r.id,
    mentorId: r.mentor_id,
    menteeId: r.mentee_id,
    status: r.status as Room['status'],
    lastSeq: r.last_seq,
    rev: r.rev,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function roomData(room: Room): string {
  const { id: _id, mentorId: _mentor, menteeId: _mentee, status: _status, lastSeq: _seq, rev: _rev, createdAt: _c, updatedAt: _u, ...data } = room;
  return JSON.stringify(data satisfies RoomData);
}
