import { MentorLimits, type MentorQuery } from '../../shared/schemas/contract.js';
import type { PublicUser } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Store } from '../store/port.js';

/** Mentor discovery: profiles with mentoring on, by words and by expertise tag, paged. */
export class MentorService {
  constructor(private readonly store: Store) {}

  /**
   * One page of mentors, oldest account first; pass `nextCursor` back as `cursor` for the next.
   * Any signed-in user may search; only public profile fields are returned.
   */
  async search(_user: AuthUser, query: MentorQuery): Promise<{ mentors: PublicUser[]; nextCursor: string | null }> {
    return this.store.users.searchMentors({
      limit: query.limit ?? MentorLimits.pageDefault,
      ...(query.q !== undefined && { q: query.q }),
      ...(query.skill !== undefined && { skill: query.skill }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  }
}
