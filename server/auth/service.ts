import { AppError } from '../../shared/errors.js';
import type { LoginIn, RegisterIn } from '../../shared/schemas/auth.js';
import type { SelfUser } from '../../shared/types.js';
import { newId, nowIso } from '../ids.js';
import type { Store } from '../store/port.js';
import { toSelfUser } from '../users/dto.js';
import { LoginThrottle } from './login-throttle.js';
import type { Passwords } from './passwords.js';
import type { AuthUser, Tokens } from './tokens.js';

/** Register, log in, and resolve a token to a user that still exists. */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly tokens: Tokens,
    private readonly passwords: Passwords,
    private readonly throttle = new LoginThrottle(),
  ) {}

  async register(input: RegisterIn): Promise<{ user: SelfUser; token: string }> {
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
    return { user: toSelfUser(user), token: await this.tokens.issue(user.id) };
  }

  /** One answer for a wrong email and a wrong password, after the same amount of hashing. */
  async login(input: LoginIn): Promise<{ user: SelfUser; token: string }> {
    // Reserve before hashing: a check here and a count after the hash let concurrent guesses through.
    if (!this.throttle.reserve(input.email)) throw new AppError('RATE_LIMITED', 'too many failed logins for this email; try again later');
    const user = await this.store.users.getByEmail(input.email);
    const ok = await this.passwords.verify(input.password, user?.passwordHash);
    if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'wrong email or password');
    this.throttle.succeeded(input.email);
    return { user: toSelfUser(user), token: await this.tokens.issue(user.id) };
  }

  /** Verifies the token and that its user still exists (a token may outlive its account). */
  async authenticate(token: unknown): Promise<AuthUser> {
    const auth = await this.tokens.verify(token);
    if (!(await this.store.users.get(auth.id))) throw new AppError('UNAUTHENTICATED', 'unknown user');
    return auth;
  }
}
