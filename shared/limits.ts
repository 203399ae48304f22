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
} as const;
