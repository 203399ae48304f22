import type { PublicUser, UserId } from '../../../shared/types.js';
import type { AppContext } from './context.js';

/**
 * Display names of people who are not in my rooms (commenters on public threads, feed authors),
 * looked up once each through GET /api/users/:id/threads and shared by every view.
 */
const known = new Map<UserId, PublicUser>();
const pending = new Map<UserId, Promise<PublicUser | null>>();

/** Remembers users a view already has (room members, feed owners). */
export function rememberUsers(users: Iterable<Pick<PublicUser, 'id' | 'displayName'> & Partial<PublicUser>>): void {
  for (const u of users) {
    if (!known.has(u.id)) known.set(u.id, { profile: { bio: '', expertise: [], mentoring: false, timezone: '' }, createdAt: '', ...u });
  }
}

/** A name I already know: mine, a room member's, or one looked up before. */
export function knownName(ctx: AppContext, userId: UserId): string | undefined {
  if (userId === ctx.session.user.id) return ctx.session.user.displayName;
  return known.get(userId)?.displayName ?? ctx.directory.user(userId)?.displayName;
}

/** Looks a user up once (null when the lookup fails); resolves at once for known users. */
export function loadUser(ctx: AppContext, userId: UserId): Promise<PublicUser | null> {
  const have = known.get(userId) ?? ctx.directory.user(userId);
  if (have) return Promise.resolve(have);
  let p = pending.get(userId);
  if (!p) {
    p = ctx.client.rest.threads.ofUser(userId).then(
      ({ user }) => {
        known.set(user.id, user);
        return user;
      },
      () => {
        pending.delete(userId); // try again next time
        return null;
      },
    );
    pending.set(userId, p);
  }
  return p;
}
