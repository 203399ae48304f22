import { MentorLimits, type MentorQuery } from '../../shared/schemas/contract.js';
import type { PublicUser } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import { AppError } from '../../shared/errors.js';
import { roomsCompletedAsMentor } from '../domain/rooms.js';
import type { Store } from '../store/port.js';
import { toPublicUser } from '../users/dto.js';

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

  /**
   * A person's public profile (GET /api/users/:id): public fields and how many rooms they mentored
   * to completion (domain/rooms.ts roomsCompletedAsMentor). Any signed-in user; NOT_FOUND for no one.
   */
  async profile(_user: AuthUser, personId: string): Promise<{ user: PublicUser; roomsCompleted: number }> {
    const person = await this.store.users.get(personId);
    if (!person) throw new AppError('NOT_FOUND', 'user not found');
    const rooms = await this.store.rooms.listForMember(person.id);
    return { user: toPublicUser(person), roomsCompleted: roomsCompletedAsMentor(rooms.map((r) => r.room), person.id) };
  }

  /**
   * The expertise tags in use by mentors, most used first (ties by name), for a skill picker
   * (issue 16). Reads mentor pages up to SKILL_SCAN_MAX mentors: enough for a picker, bounded work.
   */
  async skills(_user: AuthUser): Promise<Array<{ tag: string; mentors: number }>> {
    const counts = new Map<string, number>();
    let cursor: string | null = null;
    let scanned = 0;
    do {
      const page: { mentors: PublicUser[]; nextCursor: string | null } = await this.store.users.searchMentors({ limit: MentorLimits.pageMax, ...(cursor !== null && { cursor }) });
      for (const m of page.mentors) for (const tag of new Set(m.profile.expertise.map((t) => t.toLowerCase()))) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      scanned += page.mentors.length;
      cursor = page.nextCursor;
    } while (cursor !== null && scanned < SKILL_SCAN_MAX);
    return [...counts].map(([tag, mentors]) => ({ tag, mentors })).sort((a, b) => b.mentors - a.mentors || a.tag.localeCompare(b.tag));
  }
}

/** How many mentor profiles the skill list reads at most (ten full pages). */
const SKILL_SCAN_MAX = MentorLimits.pageMax * 10;
