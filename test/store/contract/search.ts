/** UserStore.searchMentors: part of the one store contract (test/store/contract.ts). */
import { expect } from 'chai';
import { AppError } from '../../../shared/errors.js';
import type { Profile } from '../../../shared/types.js';
import type { Store, UserRecord } from '../../../server/store/port.js';
import type { ContractContext } from './fixtures.js';

export function searchContract(ctx: ContractContext): void {
  describe('mentor search', () => {
    let store: Store;
    let n = 0;

    beforeEach(() => {
      store = ctx.store;
    });

    /** A user whose createdAt grows with each call, so the page order is known. */
    async function user(displayName: string, profile: Partial<Profile> = {}): Promise<UserRecord> {
      n += 1;
      return store.users.create({
        id: `u${String(n).padStart(4, '0')}`,
        email: `u${n}@example.test`,
        displayName,
        passwordHash: 'scrypt$not-a-real-hash',
        profile: { bio: '', expertise: [], mentoring: true, timezone: 'UTC', ...profile },
        createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
      });
    }
    const names = async (query: Parameters<Store['users']['searchMentors']>[0]) =>
      (await store.users.searchMentors(query)).mentors.map((m) => m.displayName);

    it('lists only users with mentoring on, and follows the switch both ways', async () => {
      const ada = await user('Ada', { mentoring: true });
      await user('Bo', { mentoring: false });
      expect(await names({ limit: 10 })).to.deep.equal(['Ada']);
      await store.users.updateProfile(ada.id, 'Ada', { ...ada.profile, mentoring: false });
      expect(await names({ limit: 10 })).to.deep.equal([]);
      await store.users.updateProfile(ada.id, 'Ada', { ...ada.profile, mentoring: true });
      expect(await names({ limit: 10 })).to.deep.equal(['Ada']);
    });

    it('a skill matches one expertise tag exactly, in any case', async () => {
      await user('Ada', { expertise: ['typescript', 'hiring'] });
      await user('Bo', { expertise: ['TypeScript'] });
      await user('Cy', { expertise: ['typescript-tooling'] });
      await user('Di', { expertise: ['typescript'], mentoring: false });
      expect(await names({ skill: 'TypeScript', limit: 10 })).to.deep.equal(['Ada', 'Bo']);
      expect(await names({ skill: 'type', limit: 10 })).to.deep.equal([]);
      expect(await names({ skill: 'hiring', limit: 10 })).to.deep.equal(['Ada']);
    });

    it('q finds words in the name, the bio or the tags, case-insensitively and by prefix; all words must match', async () => {
      await user('Ada Lovelace', { bio: 'I coached Engineering Managers for ten years.' });
      await user('Bo', { bio: 'Product strategy', expertise: ['leadership'] });
      await user('Cy', { bio: 'Quiet mentor', expertise: ['Rust'] });
      await user('Di', { bio: 'engineering leadership', mentoring: false });
      expect(await names({ q: 'lovelace', limit: 10 })).to.deep.equal(['Ada Lovelace']);
      expect(await names({ q: 'ENGINEERING', limit: 10 })).to.deep.equal(['Ada Lovelace']);
      expect(await names({ q: 'lead', limit: 10 })).to.deep.equal(['Bo']);
      expect(await names({ q: 'rust', limit: 10 })).to.deep.equal(['Cy']);
      expect(await names({ q: 'product leadership', limit: 10 })).to.deep.equal(['Bo']);
      expect(await names({ q: 'product rust', limit: 10 })).to.deep.equal([]);
    });

    it('q and skill together must both match', async () => {
      await user('Ada', { bio: 'backend', expertise: ['go'] });
      await user('Bo', { bio: 'backend', expertise: ['rust'] });
      expect(await names({ q: 'backend', skill: 'rust', limit: 10 })).to.deep.equal(['Bo']);
    });

    it('a changed bio or name is what q matches next', async () => {
      const ada = await user('Ada', { bio: 'kubernetes' });
      await store.users.updateProfile(ada.id, 'Ada Byron', { ...ada.profile, bio: 'terraform' });
      expect(await names({ q: 'kubernetes', limit: 10 })).to.deep.equal([]);
      expect(await names({ q: 'terraform byron', limit: 10 })).to.deep.equal(['Ada Byron']);
    });

    it('search syntax in q is taken as plain words, never as an error', async () => {
      await user('Ada', { bio: 'near or not' });
      for (const q of ['"', '*', 'NEAR(', 'a OR', '-x', '^', '))', "'; DROP TABLE users; --"]) {
        const result = await store.users.searchMentors({ q, limit: 10 });
        expect(result.mentors).to.be.an('array');
      }
      expect(await names({ q: 'near OR', limit: 10 })).to.deep.equal(['Ada']);
    });

    it('pages with a stable cursor: every mentor once, in account order, despite renames and new sign-ups', async () => {
      for (let i = 0; i < 25; i++) await user(`Mentor ${i}`, { bio: 'mentor', expertise: ['x'] });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.users.searchMentors({ skill: 'x', limit: 10, ...(cursor && { cursor }) });
        seen.push(...page.mentors.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
        if (pages === 1) {
          // Mid-paging: a listed mentor renames and a new one signs up.
          const first = (await store.users.get(page.mentors[0]!.id))!;
          await store.users.updateProfile(first.id, 'Zed', first.profile);
          await user('Late', { expertise: ['x'] });
        }
      } while (cursor);
      expect(pages).to.equal(3);
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen).to.have.length(26);
      expect(seen).to.deep.equal([...seen].sort());
    });

    it('the last page has no nextCursor; a forged cursor is INVALID_INPUT', async () => {
      await user('Ada');
      expect((await store.users.searchMentors({ limit: 1 })).nextCursor).to.equal(null);
      try {
        await store.users.searchMentors({ limit: 1, cursor: 'bm90LWEtY3Vyc29y' });
        expect.fail('a forged cursor was accepted');
      } catch (err) {
        expect(err).to.be.instanceOf(AppError);
        expect((err as AppError).code).to.equal('INVALID_INPUT');
      }
    });

    it('matches words regardless of diacritics, in the query and in the profile', async () => {
      await user('Zoë Ngọc', { bio: 'Café owner', expertise: ['Économie'] });
      for (const q of ['zoe', 'ZOË', 'ngoc', 'cafe', 'econ', 'Ngọ']) {
        expect(await names({ q, limit: 5 }), q).to.deep.equal(['Zoë Ngọc']);
      }
      expect(await names({ skill: 'ÉCONOMIE', limit: 5 })).to.deep.equal(['Zoë Ngọc']);
    });

    it('returns public fields only: never the email or the password hash', async () => {
      await user('Ada', { bio: 'hello' });
      const [mentor] = (await store.users.searchMentors({ limit: 1 })).mentors;
      expect(mentor).to.have.all.keys('id', 'displayName', 'profile', 'createdAt');
      expect(JSON.stringify(mentor)).to.not.contain('@example.test').and.not.contain('scrypt');
    });
  });
}
