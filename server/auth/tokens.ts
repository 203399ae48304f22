import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../shared/errors.js';

/** Who a request or socket acts as. */
export interface AuthUser {
  id: string;
}

const ISSUER = 'menteo';
const TTL = '30d';

export class Tokens {
  constructor(private readonly secret: Uint8Array) {}

  /** HS256 token for a user; the subject is the user id. */
  issue(userId: string): Promise<string> {
    return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuer(ISSUER).setIssuedAt().setExpirationTime(TTL).sign(this.secret);
  }

  /** Throws AppError UNAUTHENTICATED for a missing, malformed, expired or forged token. */
  async verify(token: unknown): Promise<AuthUser> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new AppError('UNAUTHENTICATED', 'a valid token is required');
    }
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AppError('UNAUTHENTICATED', 'token has no subject');
      return { id: payload.sub };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const expired = err instanceof errors.JWTExpired;
      throw new AppError('UNAUTHENTICATED', expired ? 'token expired' : 'invalid token');
    }
  }
}
