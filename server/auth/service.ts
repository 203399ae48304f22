import { AppError } from '../../shared/errors.js';
import type { LoginIn, RegisterIn } from '../../shared/schemas/auth.js';
import type { SelfUser } from '../../shared/types.js';
import { newId, nowIso } from '../ids.js';
import type { Store } from '../store/port.js';
import { toSelfUser } from '../users/dto.js';
import { LoginThrottle } from './login-throttle.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { AuthUser, Tokens } from './tokens.js';

/** Register, log in, and resolve a token to a user that still exists. */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly tokens: Tokens,
    private readonly throttle: LoginThrottle,
  ) {}

  async register(input: RegisterIn): Promise<{ user: SelfUser; token: string }> {
    if (await this.store.users.getByEmail(input.email)) throw new AppError('CONFLICT', 'email is already registered');
    const user = await this.store.users.create({
      id: newId(),
      email: input.email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      profile: { bio: '', expertise: [], mentoring: false, timezone: 'UTC' },
      createdAt: nowIso(),
    });
    return { user: toSelfUser(user), token: await this.tokens.issue(user.id) };
  }

  /**
   * One answer for a wrong email and a wrong password, after the same amount of hashing. `ip` is
   * the client's address (behind a balancer, from X-Forwarded-For as TRUST_PROXY allows).
   */
  async login(input: LoginIn, ip: string): Promise<{ user: SelfUser; token: string }> {
    // Reserve before hashing: a check here and a count after the hash let concurrent guesses through.
    const allowed = await this.throttle.reserve(input.email, ip);
    if (!allowed.ok) {
      throw new AppError('RATE_LIMITED', 'too many failed logins from this client; try again later', { retryAfterMs: allowed.retryAfterMs });
    }
    const user = await this.store.users.getByEmail(input.email);
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
    if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'wrong email or password');
    await this.throttle.succeeded(input.email, ip);
    return { user: toSelfUser(user), token: await this.tokens.issue(user.id) };
  }

  /** Verifies the token and that its user still exists (a token may outlive its account). */
  async authenticate(token: unknown): Promise<AuthUser> {
    const auth = await this.tokens.verify(token);
    if (!(await this.store.users.get(auth.id))) throw new AppError('UNAUTHENTICATED', 'unknown user');
    return auth;
  }
}
