/**
 * The slices of a room's history the time-based rules read (issue 19): enough of the latest
 * messages to see who owes an answer, everything since a moment, or the whole history.
 */
import type { Message, Room } from '../../shared/types.js';
import type { Store } from '../store/port.js';

const PAGE = 200;
/** At most this many messages are read back for one room (50 pages): bounds one request's work. */
const MAX_MESSAGES = 10_000;

/** Pages back from the latest until `enough(oldestFirst)` holds, there is no more, or MAX_MESSAGES. */
async function readBack(store: Store, roomId: string, enough: (msgs: Message[]) => boolean): Promise<Message[]> {
  let page = await store.messages.history(roomId, { latest: true, limit: PAGE });
  let msgs = page.messages;
  while (page.hasMore && msgs.length < MAX_MESSAGES && !enough(msgs)) {
    page = await store.messages.history(roomId, { before: msgs[0]!.seq, limit: PAGE });
    msgs = [...page.messages, ...msgs];
  }
  return msgs;
}

/** The latest messages, back to the last one of each member (so the open reply episode is whole). */
export const recentChat = (store: Store, room: Pick<Room, 'id' | 'mentorId' | 'menteeId'>): Promise<Message[]> =>
  readBack(store, room.id, (msgs) => {
    const authors = new Set(msgs.filter((m) => m.kind === 'text' && !m.deletedAt).map((m) => m.authorId));
    return authors.has(room.mentorId) && authors.has(room.menteeId);
  });

/** Every message created at or after `from` (ISO), plus the ones just before it in the page. */
export const chatSince = (store: Store, roomId: string, from: string): Promise<Message[]> =>
  readBack(store, roomId, (msgs) => msgs[0]!.createdAt < from);

/** The whole history (bounded by MAX_MESSAGES, the latest kept). */
export const wholeChat = (store: Store, roomId: string): Promise<Message[]> => readBack(store, roomId, () => false);
