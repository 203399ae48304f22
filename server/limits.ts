/** Server-side limits, each with the reason it exists. Wire-visible limits live in shared/limits.ts. */
export const ServerLimits = {
  /** REST JSON body: the largest legitimate body (a contract) is a few KB; 1 MB leaves headroom. */
  restBodyBytes: 1024 * 1024,
  /** A socket event whose payload is larger than this is refused as PAYLOAD_TOO_LARGE. */
  socketPayloadBytes: 64 * 1024,
  /**
   * Socket.IO frame limit. Above it the transport drops the connection without an ack, so it sits
   * well above socketPayloadBytes: payloads in between get a clear PAYLOAD_TOO_LARGE instead.
   */
  socketFrameBytes: 4 * 1024 * 1024,
  /** Messages returned by one room:join catch-up; the ack's hasMore says to ask again. */
  joinPage: 200,
  /** Socket events per second per connection (token bucket), and the burst allowed above it. */
  socketEventsPerSecond: 50,
  socketEventBurst: 200,
  /** How long shutdown waits for sockets and writes before giving up, in ms. */
  shutdownGraceMs: 10_000,
} as const;
