import { createHash, randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../../shared/errors.js';
import type { LoginIn, PasswordChangeIn, RegisterIn } from '../../shared/schemas/auth.js';
import type { SelfUser } from '../../shared/types.js';
import { newId, nowIso } from '../ids.js';
import type { Store } from '../store/port.js';
import { toSelfUser } from '../users/dto.js';
import { LoginThrottle } from './login-throttle.js';
import type { Passwords } from './passwords.js';
import type { AuthSession, Tokens } from './tokens.js';

/** What register, login and refresh hand out: a short-lived access token and the refresh token that renews it. */
export interface TokenPair {
  token: string;
  refreshToken: string;
}

/** Whether a revocation was made through this node or reported by another one over the bus. */
export type RevokedOrigin = 'here' | 'elsewhere';

/** How long a session lasts without being refreshed, in ms (each refresh moves it). */
const REFRESH_TTL_MS = 30 * 24 * 3600_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Register, log in, sessions (refresh with rotation and reuse detection, sign-out, sign-out
 * everywhere, password change), and resolving a token to a live session.
 */
export class AuthService {
  private readonly revokedListeners: Array<(sessionIds: string[], origin: RevokedOrigin) => void> = [];

  constructor(
    private readonly store: Store,
    private readonly tokens: Tokens,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Called with the ids of sessions just revoked, so the edges close their sockets and collab
   * connections; `origin` tells a revocation made here from one another node reported.
   */
  onRevoked(listener: (sessionIds: string[], origin: RevokedOrigin) => void): void {
    this.revokedListeners.push(listener);
  }

  async register(input: RegisterIn): Promise<{ user: SelfUser } & TokenPair> {
    await this.passwords.assertAcceptable(input.password, input);
    if (await this.store.users.getByEmail(input.email)) throw new AppError('CONFLICT', 'email is already registered');
    const user = await this.store.users.create({
      id: newId(),
      email: input.email,
      displayName: input.displayName,
      passwordHash: await this.passwords.hash(input.password),
      profile: { bio: '', expertise: [], mentoring: false, timezone: 'UTC' },
      createdAt: nowIso(),
    });
    return { user: toSelfUser(user), ...(await this.startSession(user.id)) };
  }

  /**
   * One answer for a wrong email and a wrong password, after the same amount of hashing. `ip` is
   * the client's address (behind a balancer, from X-Forwarded-For as TRUST_PROXY allows).
   */
  async login(input: LoginIn, ip: string): Promise<{ user: SelfUser } & TokenPair> {
    // Reserve before hashing: a check here and a count after the hash let concurrent guesses through.
    const allowed = await this.throttle.reserve(input.email, ip);
    if (!allowed.ok) {
      throw new AppError('RATE_LIMITED', 'too many failed logins from this client; try again later', { retryAfterMs: allowed.retryAfterMs });
    }
    const user = await this.store.users.getByEmail(input.email);
    let ok: boolean;
    try {
      ok = await this.passwords.verify(input.password, user?.passwordHash);
    } catch (err) {
      // Refused before any hashing (the queue was full): not a failed guess, so not counted as one,
      // or a flood of logins would lock the owner's email out.
      if (isAppError(err, 'RATE_LIMITED')) await this.throttle.release(input.email, ip);
      throw err;
    }
    if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'wrong email or password');
    await this.throttle.succeeded(input.email, ip);
    return { user: toSelfUser(user), ...(await this.startSession(user.id)) };
  }

  /**
   * Trades a refresh token for a new pair. The old refresh token stops working; presenting it
   * again revokes the session (whoever else holds the chain is cut off, the owner signs in again).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const next = randomBytes(32).toString('base64url');
    const now = Date.now();
    const outcome = await this.store.sessions.rotate(sha256(refreshToken), sha256(next), new Date(now).toISOString(), new Date(now + REFRESH_TTL_MS).toISOString());
    switch (outcome.kind) {
      case 'rotated':
        return { token: await this.tokens.issue(outcome.session.userId, outcome.session.id), refreshToken: next };
      case 'reused':
        this.revoked([outcome.session.id]);
        throw new AppError('UNAUTHENTICATED', 'refresh token was already used; the session is signed out');
      case 'refused':
        throw new AppError('UNAUTHENTICATED', 'refresh token is not valid; sign in again');
    }
  }

  /** Ends the caller's session: its access and refresh tokens stop working, its sockets close. */
  async logout(auth: AuthSession): Promise<void> {
    if (await this.store.sessions.revoke(auth.sid, nowIso())) this.revoked([auth.sid]);
  }

  /** Ends every session of the caller's user, this one included. Resolves with how many ended. */
  async logoutAll(auth: AuthSession): Promise<number> {
    const ids = await this.store.sessions.revokeAllForUser(auth.id, nowIso());
    this.revoked(ids);
    return ids.length;
  }

  /** Checks the current password, stores the new one, and ends every other session of the user. */
  async changePassword(auth: AuthSession, input: PasswordChangeIn): Promise<void> {
    const user = await this.store.users.get(auth.id);
    if (!user) throw new AppError('UNAUTHENTICATED', 'unknown user');
    if (!(await this.passwords.verify(input.currentPassword, user.passwordHash))) {
      throw new AppError('INVALID_INPUT', 'currentPassword is wrong', [{ path: 'currentPassword', message: 'wrong password' }]);
    }
    await this.passwords.assertAcceptable(input.newPassword, user, 'newPassword');
    await this.store.users.setPasswordHash(user.id, await this.passwords.hash(input.newPassword));
    this.revoked(await this.store.sessions.revokeAllForUser(user.id, nowIso(), auth.sid));
  }

  /** Checks the password of the caller (account deletion asks for it); INVALID_INPUT naming `field` when wrong. */
  async confirmPassword(auth: AuthSession, password: string, field = 'password'): Promise<void> {
    const user = await this.store.users.get(auth.id);
    if (!user) throw new AppError('UNAUTHENTICATED', 'unknown user');
    if (!(await this.passwords.verify(password, user.passwordHash))) throw new AppError('INVALID_INPUT', `${field} is wrong`, [{ path: field, message: 'wrong password' }]);
  }

  /** Tells the edges that sessions ended (account deletion revokes by deleting them; other nodes report theirs). */
  revoked(sessionIds: string[], origin: RevokedOrigin = 'here'): void {
    if (sessionIds.length === 0) return;
    for (const listener of this.revokedListeners) listener(sessionIds, origin);
  }

  /** The ids among `sessionIds` whose session has ended (revoked or deleted), read from the store. */
  async ended(sessionIds: string[]): Promise<string[]> {
    const rows = await Promise.all(sessionIds.map((id) => this.store.sessions.get(id)));
    return sessionIds.filter((_id, i) => !rows[i] || rows[i]!.revokedAt !== null);
  }

  /**
   * Verifies the token and that its session is live: one indexed read of the session row (a
   * deleted account has no sessions left, so this also refuses tokens that outlived their user).
   */
  async authenticate(token: unknown): Promise<AuthSession> {
    const auth = await this.tokens.verify(token);
    const session = await this.store.sessions.get(auth.sid);
    if (!session || session.revokedAt !== null || session.userId !== auth.id) throw new AppError('UNAUTHENTICATED', 'session has ended; sign in again');
    return auth;
  }

  private async startSession(userId: string): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session = await this.store.sessions.create({
      id: newId(),
      userId,
      refreshHash: sha256(refreshToken),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + REFRESH_TTL_MS).toISOString(),
    });
    return { token: await this.tokens.issue(userId, session.id), refreshToken };
  }
}
