/** Server-side limits, each with the reason it exists. Wire-visible limits live in shared/limits.ts. */
export const ServerLimits = {
  /** REST JSON body: the largest legitimate body (a contract) is a few KB; 1 MB leaves headroom. */
  restBodyBytes: 1024 * 1024,
  /** A socket event whose payload is larger than this is refused as PAYLOAD_TOO_LARGE. */
  socketPayloadBytes: 64 * 1024,
  /** Comments on one thread entry: feedback, not a chat; bounds what a stranger can pile on a public entry (issue 13). */
  commentsPerEntry: 500,
  /** Comments one user may post per minute (burst of the same size, refilling evenly). */
  commentsPerUserPerMinute: 20,
  /**
   * A thread read (GET /api/threads/:id) stops adding entries once its JSON passes this many bytes
   * (at least one entry is always sent); the cursor continues from there. 800 long comments made one
   * entry page weigh 3.3 MB (issue 13).
   */
  threadPageBytes: 256 * 1024,
  /**
   * Socket.IO frame limit. Above it the transport drops the connection without an ack, so it sits
   * well above socketPayloadBytes: payloads in between get a clear PAYLOAD_TOO_LARGE instead.
   */
  socketFrameBytes: 4 * 1024 * 1024,
  /** Messages returned by one room:join catch-up; the ack's hasMore says to ask again. */
  joinPage: 200,
  /**
   * Socket events per user (over all their sockets, on every node): `socketEventBurst` per window
   * of burst/rate seconds, i.e. 200 per 4 s, 50/s on average. One user with 8 sockets gets one
   * allowance, not 8. The same allowance applies, separately, to POST /api/rooms/:id/messages, so
   * REST is no way around it.
   */
  socketEventsPerSecond: 50,
  socketEventBurst: 200,
  /**
   * Open (pending) room requests one user may have sent at once. Anyone can request anyone, so
   * without a cap one account could fill every user's inbox; a real mentee waits on a handful.
   * Over it: GUARD_FAILED (guard `open-requests`) until a request is answered.
   */
  openRequestsPerUser: 20,
  /** How long shutdown waits for sockets and writes before giving up, in ms. */
  shutdownGraceMs: 10_000,
  /**
   * Largest roadmap document (its encoded state), in bytes. A roadmap of a hundred milestones with
   * long notes is well under 1 MB; the cap keeps one room from growing the server's memory without
   * bound. An update that would pass it is refused (close 4413).
   */
  collabMaxDocBytes: 4 * 1024 * 1024,
  /**
   * Largest collab WebSocket frame. A client's first sync step 2 can carry its whole document, so
   * this sits just above collabMaxDocBytes; larger frames are cut by ws before we read them.
   */
  collabFrameBytes: 5 * 1024 * 1024,
  /** Frames a client may send while its document is still loading; more means it is not waiting for sync. */
  collabPendingFrames: 1000,
  /**
   * Bytes of frames a connection may have held while its document loads. One whole-document sync
   * step 2 (up to collabFrameBytes) plus small updates fit; past it the connection is closed (4413)
   * instead of the server holding up to 1000 × 5 MiB for it.
   */
  collabPendingBytes: 8 * 1024 * 1024,
  /**
   * A connection whose unsent frames pass this many bytes is not reading: it is closed (1011) and
   * resyncs when it reconnects, instead of the server buffering for it without bound.
   */
  collabSendBufferBytes: 16 * 1024 * 1024,
  /**
   * Awareness client ids one connection may own. A browser tab announces one; a few more cover a
   * client that restarted its awareness without reconnecting. Entries for further ids are dropped,
   * so one member cannot make the server hold and relay states without bound.
   */
  collabAwarenessClientsPerConnection: 4,
  /**
   * Largest awareness state (its JSON), in bytes. A cursor, a selection and a user's name and colour
   * take a few hundred bytes; larger states are dropped rather than held and relayed to everyone.
   */
  collabAwarenessStateBytes: 8 * 1024,
  /** Compact a document's update log once it holds this many bytes (besides the update-count threshold). */
  collabCompactAfterBytes: 1024 * 1024,
  /** The upgrade's authentication and membership check must finish within this, in ms (else 503). */
  collabUpgradeMs: 5_000,
  /** Ping interval; a connection that has not answered the previous ping is terminated. */
  collabHeartbeatMs: 30_000,
} as const;
