import { AppError } from '../../shared/errors.js';
import type { ProfilePatchIn } from '../../shared/schemas/auth.js';
import type { SelfUser } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Store } from '../store/port.js';
import { toSelfUser } from './dto.js';

/** The signed-in user's own account and profile. */
export class UserService {
  constructor(private readonly store: Store) {}

  async me(user: AuthUser): Promise<SelfUser> {
    const found = await this.store.users.get(user.id);
    if (!found) throw new AppError('UNAUTHENTICATED', 'unknown user');
    return toSelfUser(found);
  }

  async updateProfile(user: AuthUser, patch: ProfilePatchIn): Promise<SelfUser> {
    const current = await this.store.users.get(user.id);
    if (!current) throw new AppError('UNAUTHENTICATED', 'unknown user');
    const { displayName, ...profilePatch } = patch;
    const profile = { ...current.profile, ...profilePatch };
    if (profilePatch.expertise) profile.expertise = [...new Set(profilePatch.expertise.map((t) => t.toLowerCase()))];
    const stored = await this.store.users.updateProfile(user.id, displayName ?? current.displayName, profile);
    return toSelfUser(stored!);
  }
}
