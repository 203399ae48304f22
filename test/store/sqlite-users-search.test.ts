import { expect } from 'chai';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { coreMigrations, migrate } from '../../server/store/sqlite/migrations.js';
import { tempDir } from '../helpers/server.js';

describe('store: sqlite: mentor search index', () => {
  it('the 004-lifecycle migration indexes users that existed before it', async () => {
    const temp = tempDir('menteo-search-');
    const file = join(temp.dir, 'menteo.sqlite');
    const old = new Database(file);
    migrate(old, coreMigrations);
    const insert = old.prepare(
      `INSERT INTO users (id, email, display_name, password_hash, profile, mentoring, created_at) VALUES (?, ?, ?, 'h', ?, ?, ?)`,
    );
    insert.run('u1', 'a@x.test', 'Ada', JSON.stringify({ bio: 'Engineering leadership', expertise: ['Hiring'], mentoring: true, timezone: 'UTC' }), 1, '2025-01-01T00:00:00.000Z');
    insert.run('u2', 'b@x.test', 'Bo', JSON.stringify({ bio: 'Engineering', expertise: ['hiring'], mentoring: false, timezone: 'UTC' }), 0, '2025-01-02T00:00:00.000Z');
    old.close();

    const store = openSqliteStore({ file });
    try {
      expect((await store.users.searchMentors({ q: 'leader', limit: 5 })).mentors.map((m) => m.id)).to.deep.equal(['u1']);
      expect((await store.users.searchMentors({ skill: 'hiring', limit: 5 })).mentors.map((m) => m.id)).to.deep.equal(['u1']);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
