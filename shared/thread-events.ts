/**
 * Payloads of the growth-thread events (server → client, docs/THREADS.md "Live events"). Sent to
 * the members of the thread's room who may read it; every payload names the room and the thread.
 */
import { Ev } from './events.js';
import type { RoomId, Thread, ThreadComment, ThreadEntry } from './types.js';

interface About {
  roomId: RoomId;
  threadId: string;
}

/** Each `thread:*` event name and its payload. */
export interface ThreadPushes {
  [Ev.threadNew]: About & { thread: Thread };
  [Ev.threadUpdated]: About & { thread: Thread };
  /** Also sent to a member who lost read access through a visibility change. */
  [Ev.threadDeleted]: About;
  [Ev.threadEntryNew]: About & { entry: ThreadEntry };
  [Ev.threadEntryUpdated]: About & { entry: ThreadEntry };
  [Ev.threadEntryDeleted]: About & { entryId: string };
  [Ev.threadCommentNew]: About & { entryId: string; comment: ThreadComment };
  [Ev.threadCommentUpdated]: About & { entryId: string; comment: ThreadComment };
  [Ev.threadCommentDeleted]: About & { entryId: string; commentId: string };
}

export type ThreadEventName = keyof ThreadPushes;

/** The names, for code that subscribes to all of them. */
export const THREAD_EVENTS: readonly ThreadEventName[] = [
  Ev.threadNew,
  Ev.threadUpdated,
  Ev.threadDeleted,
  Ev.threadEntryNew,
  Ev.threadEntryUpdated,
  Ev.threadEntryDeleted,
  Ev.threadCommentNew,
  Ev.threadCommentUpdated,
  Ev.threadCommentDeleted,
];

/** One thread event as a tagged union (`type` is the event name), for reducers. */
export type ThreadEvent = { [K in ThreadEventName]: { type: K } & ThreadPushes[K] }[ThreadEventName];
