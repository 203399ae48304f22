import { AppError } from '../../../shared/errors.js';
import type { Profile } from '../../../shared/types.js';
import { toPublicUser } from '../../users/dto.js';
import type { UserRecord, UserStore } from '../port.js';
import { decodeCursor, encodeCursor, foldedSearchWords, indexWords, normalTag } from '../search.js';
import type { Models, UserDoc } from './models.js';
import { DURABLE, isDuplicateKey, nextCounter, type Transactions } from './tx.js';

const userFromDoc = (d: UserDoc): UserRecord => ({
  id: d._id,
  email: d.email,
  displayName: d.displayName,
  passwordHash: d.passwordHash,
  profile: d.profile as Profile,
  createdAt: d.createdAt,
});

/** The search copies of a profile, computed with the same helpers as SQLite's index (server/store/search.ts). */
const searchFields = (displayName: string, profile: Profile) => {
  const tags = [...new Set(profile.expertise.map(normalTag))];
  return { mentoring: profile.mentoring, tags, words: indexWords(displayName, profile.bio, tags) };
};

/** Regex metacharacters escaped: a query word is matched literally, as a prefix. */
const prefix = (word: string): RegExp => new RegExp(`^${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

export function mongoUsers(m: Models, tx: Transactions): UserStore {
  const conflict = () => new AppError('CONFLICT', 'email is already registered');
  return {
    async create(user) {
      const email = user.email.toLowerCase();
      try {
        return await tx.run('users', async (session) => {
          if (await m.users.exists({ email }).session(session)) throw conflict();
          const signup = await nextCounter(m, 'users', session);
          await m.users.create([{ _id: user.id, email, displayName: user.displayName, passwordHash: user.passwordHash, profile: user.profile, createdAt: user.createdAt, signup, ...searchFields(user.displayName, user.profile) }], { session });
          return { ...user, email };
        });
      } catch (err) {
        // Another node took the email between our check and our insert: the unique index says so.
        if (isDuplicateKey(err)) throw conflict();
        throw err;
      }
    },

    async get(id) {
      const d = await m.users.findById(id).lean<UserDoc>();
      return d ? userFromDoc(d) : null;
    },

    async getByEmail(email) {
      const d = await m.users.findOne({ email: email.toLowerCase() }).lean<UserDoc>();
      return d ? userFromDoc(d) : null;
    },

    async erase(id, p) {
      const d = await m.users.findOneAndUpdate(
        { _id: id },
        { $set: { email: p.email.toLowerCase(), displayName: p.displayName, passwordHash: p.passwordHash, profile: p.profile, ...searchFields(p.displayName, p.profile) } },
        { new: true, writeConcern: DURABLE },
      );
      return d !== null;
    },

    async setPasswordHash(id, passwordHash) {
      const r = await m.users.updateOne({ _id: id }, { $set: { passwordHash } }, { writeConcern: DURABLE });
      return r.matchedCount > 0;
    },

    async updateProfile(id, displayName, profile) {
      const d = await m.users
        .findOneAndUpdate({ _id: id }, { $set: { displayName, profile, ...searchFields(displayName, profile) } }, { new: true })
        .lean<UserDoc>();
      return d ? userFromDoc(d) : null;
    },

    async searchMentors(query) {
      const after = query.cursor === undefined ? 0 : (decodeCursor(query.cursor, ['number'])[0] as number);
      // Every word must prefix-match a folded word of the name, bio or a tag: one condition each.
      const words = foldedSearchWords(query.q);
      const filter: Record<string, unknown> = { mentoring: true, signup: { $gt: after } };
      if (words.length > 0) filter.$and = words.map((w) => ({ words: prefix(w) }));
      if (query.skill !== undefined) filter.tags = normalTag(query.skill);
      const docs = await m.users.find(filter).sort({ signup: 1 }).limit(query.limit + 1).lean<UserDoc[]>();
      const page = docs.slice(0, query.limit);
      const last = page.at(-1);
      return {
        mentors: page.map((d) => toPublicUser(userFromDoc(d))),
        nextCursor: docs.length > query.limit && last ? encodeCursor([last.signup]) : null,
      };
    },
  };
}
