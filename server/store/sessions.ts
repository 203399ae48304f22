import type { UserId } from '../../shared/types.js';

/**
 * One sign-in (a device): the access tokens it issues carry its id (`sid`), and one refresh token
 * at a time renews them. Only the sha256 of a refresh token is stored.
 */
export interface SessionRecord {
  id: string;
  userId: UserId;
  createdAt: string;
  /** When the current refresh token stops working (each rotation moves it). */
  expiresAt: string;
  /** Set once the session is revoked (sign-out, reuse detected, password changed); never cleared. */
  revokedAt: string | null;
}

export interface NewSession {
  id: string;
  userId: UserId;
  /** sha256 (hex) of the first refresh token. */
  refreshHash: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * What presenting a refresh token did: `rotated` (it was the session's current one: `nextHash`
 * replaced it), `reused` (it was an earlier one of a session, which is now revoked: someone else
 * holds the chain), `refused` (unknown, expired, or its session is already revoked).
 */
export type RotateOutcome = { kind: 'rotated'; session: SessionRecord } | { kind: 'reused'; session: SessionRecord } | { kind: 'refused' };

/** Sessions and their refresh tokens (the `sessions` sub-port of Store). */
export interface SessionStore {
  create(session: NewSession): Promise<SessionRecord>;
  /** One indexed read: every authenticated request and handshake asks it. */
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Atomically checks and replaces a refresh token (by its hash). A reused earlier token revokes
   * its session in the same transaction, so a thief and the owner cannot both keep refreshing.
   * `at` decides expiry; `expiresAt` is the rotated session's new expiry.
   */
  rotate(presentedHash: string, nextHash: string, at: string, expiresAt: string): Promise<RotateOutcome>;
  /** Revokes one session; true when it was live. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Revokes every live session of the user except `exceptId`; resolves with the ids revoked. */
  revokeAllForUser(userId: UserId, at: string, exceptId?: string): Promise<string[]>;
  /** Removes every session of the user and its token hashes (account deletion). */
  deleteAllForUser(userId: UserId): Promise<void>;
}
