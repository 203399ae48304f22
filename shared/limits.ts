/** Limits that are part of the wire contract: clients may validate against them before sending. */
export const Limits = {
  /** Message body, in characters (DESIGN §3). */
  messageBody: 8000,
  /** Display name, in characters. */
  displayName: 80,
  /** Room title and focus, in characters. */
  roomTitle: 200,
  /** Password bounds: long enough to matter, short enough that hashing stays cheap. */
  passwordMin: 8,
  passwordMax: 1024,
  /** Page size for message history. */
  pageDefault: 50,
  pageMax: 200,
  /** Distinct reaction emoji per message, and the length of one emoji string. */
  reactionsPerMessage: 32,
  emojiChars: 16,
  /** Growth thread title, in characters. */
  threadTitle: 200,
  /**
   * Growth thread entry body (Markdown), in characters: a long write-up fits, a pasted log does
   * not. 20,000 UTF-16 units are at most 60 KB of UTF-8 (120 KB JSON-escaped), far under the
   * 1 MB REST body limit, so an over-long body gets INVALID_INPUT naming the field, not a bare 413.
   */
  entryBody: 20_000,
  /** Comment on a thread entry (Markdown), in characters: feedback, not a second entry. */
  commentBody: 4000,
  /** Page size of the public feed and of a thread's entries. */
  feedPageDefault: 20,
  feedPageMax: 100,
  /**
   * Comments inlined per entry in a thread read (the latest ones): with 4,000-character comments
   * this keeps an entry near 80 KB instead of 2 MB; older ones page through the comments route.
   */
  commentsInline: 20,
} as const;
