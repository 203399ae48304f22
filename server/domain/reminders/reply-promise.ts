import { replyPromiseState } from '../reply-promise.js';
import { membersOf } from '../rooms.js';
import type { ReminderKind } from './kind.js';

/**
 * Reply promises (issue 19): the member who owes an answer is nudged at 1× the promise, and both
 * members are told at 2× that the room is at risk. Keys name the unanswered episode (who owes,
 * since when), so each episode nudges once; an answer ends the episode, and the next unanswered
 * message starts a new one. The nudge is timely until the at-risk notice takes over (a scheduler
 * catching up past 2× sends only that). Pauses are excluded by `replyPromiseState`.
 */
export const replyPromise: ReminderKind = {
  name: 'reply-promise',
  due({ room, messages }, now) {
    const s = replyPromiseState(room, messages, now.getTime());
    if (s.kind !== 'nudge' && s.kind !== 'at-risk') return [];
    const episode = `${room.id}:${s.member}:${s.since}`;
    if (s.kind === 'nudge') {
      return [{ kind: 'reply-nudge', key: `reply-nudge:${episode}`, roomId: room.id, userIds: [s.member], data: { roomId: room.id, since: s.since, promiseHours: s.promiseHours } }];
    }
    return [{ kind: 'reply-at-risk', key: `reply-at-risk:${episode}`, roomId: room.id, userIds: membersOf(room), data: { roomId: room.id, memberId: s.member, since: s.since, promiseHours: s.promiseHours } }];
  },
};
