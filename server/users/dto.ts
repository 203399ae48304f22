import type { PublicUser, SelfUser } from '../../shared/types.js';
import type { UserRecord } from '../store/port.js';

/** What other users may see: no email, no password hash. */
export const toPublicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  displayName: u.displayName,
  profile: u.profile,
  createdAt: u.createdAt,
});

/** What the user sees of themselves. */
export const toSelfUser = (u: UserRecord): SelfUser => ({ ...toPublicUser(u), email: u.email });
