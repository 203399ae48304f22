/** Socket.IO event names: the one list both server and clients use. */
export const Ev = {
  // client → server (each takes an ack callback)
  roomJoin: 'room:join',
  roomLeave: 'room:leave',
  roomRead: 'room:read',
  roomView: 'room:view',
  messageSend: 'message:send',
  messageEdit: 'message:edit',
  messageDelete: 'message:delete',
  messageReact: 'message:react',
  typing: 'typing',
  // server → client
  messageNew: 'message:new',
  messageUpdated: 'message:updated',
  messageDeleted: 'message:deleted',
  presence: 'presence',
  roomUpdated: 'room:updated',
  // notifications (server → client, every device of the recipient; shared/notifications.ts)
  notification: 'notification',
  notificationRead: 'notification:read',
  // issue 19: check-ins, sessions and action items (server → client, both members)
  goalCheckin: 'goal:checkin',
  sessionUpdated: 'session:updated',
  actionItemUpdated: 'session:item',
  // growth threads (server → client), sent to the room's members who may read the thread;
  // every payload carries roomId and threadId (docs/THREADS.md)
  threadNew: 'thread:new',
  threadUpdated: 'thread:updated',
  threadDeleted: 'thread:deleted',
  threadEntryNew: 'thread:entry:new',
  threadEntryUpdated: 'thread:entry:updated',
  threadEntryDeleted: 'thread:entry:deleted',
  threadCommentNew: 'thread:comment:new',
  threadCommentUpdated: 'thread:comment:updated',
  threadCommentDeleted: 'thread:comment:deleted',
} as const;

export type EventName = (typeof Ev)[keyof typeof Ev];

/** Close codes the collab endpoint uses after an upgrade (4400–4499 stop the provider's retry loop). */
export const CollabClose = {
  /** A frame that is not the y-websocket protocol (or an update that does not decode). */
  INVALID_INPUT: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  PAYLOAD_TOO_LARGE: 4413,
  INTERNAL: 1011,
  /** The server is shutting down: the provider reconnects (to this node once it is back, or another). */
  GOING_AWAY: 1001,
} as const;
