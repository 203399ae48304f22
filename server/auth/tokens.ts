import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../shared/errors.js';

/** Who a request or socket acts as. */
export interface AuthUser {
  id: string;
}

/** An authenticated caller with the session its access token belongs to. */
export interface AuthSession extends AuthUser {
  /** The session id (`sid` claim): revoking it ends every token it issued. */
  sid: string;
  /** When the access token expires, in seconds since the epoch (`exp`): sockets opened with it close then. */
  exp: number;
}

const ISSUER = 'menteo';

/** Short-lived HS256 access tokens: subject = user id, `sid` = session id. */
export class Tokens {
  constructor(
    private readonly secret: Uint8Array,
    /** Lifetime of an access token, in seconds. */
    readonly ttlSeconds = 15 * 60,
  ) {}

  issue(userId: string, sid: string): Promise<string> {
    return new SignJWT({ sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .sign(this.secret);
  }

  /** Throws AppError UNAUTHENTICATED for a missing, malformed, expired or forged token, or one without a session. */
  async verify(token: unknown): Promise<AuthSession> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new AppError('UNAUTHENTICATED', 'a valid token is required');
    }
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AppError('UNAUTHENTICATED', 'token has no subject');
      // Tokens from before sessions (30 days, no sid) cannot be revoked: refused, the user signs in again.
      if (typeof payload.sid !== 'string' || payload.sid.length === 0) throw new AppError('UNAUTHENTICATED', 'token has no session; sign in again');
      if (typeof payload.exp !== 'number') throw new AppError('UNAUTHENTICATED', 'token has no expiry');
      return { id: payload.sub, sid: payload.sid, exp: payload.exp };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const expired = err instanceof errors.JWTExpired;
      throw new AppError('UNAUTHENTICATED', expired ? 'token expired' : 'invalid token');
    }
  }
}
