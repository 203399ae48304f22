/**
 * Which notifications a room's state calls for (issue 15), pure: the notification service runs
 * this on every stored room change and stores each intent once by its key, so running it again
 * on the same state (another node, a replayed event) adds nothing.
 */
import type { NotificationData, NotificationKind } from '../../shared/notifications.js';
import type { Room, UserId } from '../../shared/types.js';
import { counterpartOf, invitedSide, membersOf } from './rooms.js';

/** One notification to store for one recipient; `key` makes it idempotent. */
export type Intent = {
  [K in NotificationKind]: { userId: UserId; kind: K; key: string; actorId: UserId | null; data: NotificationData[K] };
}[NotificationKind];

/** The request, stage and contract notifications the room's current state implies. */
export function roomIntents(room: Room): Intent[] {
  const out: Intent[] = [];
  const roomId = room.id;
  const requester = room.requestedBy;
  switch (room.status) {
    case 'pending':
      out.push({ userId: invitedSide(room), kind: 'request-received', key: `request:${roomId}`, actorId: requester, data: { roomId, focus: room.focus } });
      break;
    case 'active':
      out.push({ userId: requester, kind: 'request-accepted', key: `request-answer:${roomId}`, actorId: counterpartOf(room, requester), data: { roomId, focus: room.focus } });
      break;
    case 'declined':
      out.push({ userId: requester, kind: 'request-declined', key: `request-answer:${roomId}`, actorId: counterpartOf(room, requester), data: { roomId, focus: room.focus } });
      break;
    case 'closed':
      break;
  }
  const last = room.stageHistory.at(-1);
  if (last) {
    // Keyed by the history's length: each transition once, cycling back included.
    out.push({ userId: counterpartOf(room, last.by), kind: 'stage-changed', key: `stage:${roomId}:${room.stageHistory.length}`, actorId: last.by, data: { roomId, from: last.from, to: last.to } });
  }
  const contract = room.contract;
  if (contract && room.status === 'active') {
    const previous = room.contractHistory.at(-1);
    for (const userId of membersOf(room)) {
      if (userId === contract.updatedBy || contract.acceptedBy.includes(userId)) continue;
      const hadAccepted = previous?.acceptedBy.includes(userId) ?? false;
      out.push({
        userId,
        kind: hadAccepted ? 'contract-changed' : 'contract-waiting',
        key: `contract:${roomId}:v${contract.version}`,
        actorId: contract.updatedBy,
        data: { roomId, version: contract.version },
      });
    }
  }
  return out;
}

/** The key of a room's coalesced message notification (one unread per room and recipient). */
export const messageKey = (roomId: string): string => `message:${roomId}`;

/** A short plain-text excerpt for a notification (whitespace collapsed, at most `max` characters). */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
