import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Profile } from '../../../shared/types.js';
import type { UserRecord, UserStore } from '../port.js';
import { sqliteMentorSearch } from './mentor-search.js';
import type { WriteQueue } from './write-queue.js';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  profile: string;
  created_at: string;
}

export const userFromRow = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  profile: JSON.parse(r.profile) as Profile,
  createdAt: r.created_at,
});

export function sqliteUsers(db: Database, writes: WriteQueue): UserStore {
  const insert = db.prepare(
    `INSERT INTO users (id, email, display_name, password_hash, profile, mentoring, created_at)
     VALUES (@id, @email, @displayName, @passwordHash, @profile, @mentoring, @createdAt)`,
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const setProfile = db.prepare(
    'UPDATE users SET display_name = ?, profile = ?, mentoring = ? WHERE id = ?',
  );
  const setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const eraseRow = db.prepare('UPDATE users SET email = ?, display_name = ?, password_hash = ?, profile = ?, mentoring = 0 WHERE id = ?');
  const search = sqliteMentorSearch(db, userFromRow);

  return {
    async create(user) {
      const email = user.email.toLowerCase();
      return writes.run(() => {
        if (byEmail.get(email)) throw new AppError('CONFLICT', 'email is already registered');
        insert.run({ ...user, email, profile: JSON.stringify(user.profile), mentoring: user.profile.mentoring ? 1 : 0 });
        search.indexUser(user);
        return { ...user, email };
      });
    },
    async get(id) {
      await writes.durable();
      const row = byId.get(id);
      return row ? userFromRow(row) : null;
    },
    async getByEmail(email) {
      await writes.durable();
      const row = byEmail.get(email.toLowerCase());
      return row ? userFromRow(row) : null;
    },
    async erase(id, p) {
      return writes.run(() => {
        if (eraseRow.run(p.email.toLowerCase(), p.displayName, p.passwordHash, JSON.stringify(p.profile), id).changes === 0) return false;
        search.indexUser(userFromRow(byId.get(id)!));
        return true;
      });
    },
    async setPasswordHash(id, passwordHash) {
      return writes.run(() => setHash.run(passwordHash, id).changes > 0);
    },
    async updateProfile(id, displayName, profile) {
      return writes.run(() => {
        const changed = setProfile.run(displayName, JSON.stringify(profile), profile.mentoring ? 1 : 0, id).changes;
        if (changed === 0) return null;
        const stored = userFromRow(byId.get(id)!);
        search.indexUser(stored);
        return stored;
      });
    },
    async searchMentors(query) {
      await writes.durable();
      return search.search(query);
    },
  };
}
