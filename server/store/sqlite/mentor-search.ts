import type { Database, Statement } from 'better-sqlite3';
import type { PublicUser } from '../../../shared/types.js';
import type { MentorSearch, UserRecord } from '../port.js';
import { decodeCursor, encodeCursor, normalTag, searchWords } from '../search.js';
import type { Migration } from './migrations.js';
import type { UserRow } from './users.js';
import { toPublicUser } from '../../users/dto.js';

/**
 * The search index for mentor discovery:
 * - `mentor_text`: FTS5 over display name, bio and tags (unicode61 folds case and diacritics).
 *   Its rowid is `search_docs.doc`, an INTEGER PRIMARY KEY: the users table's implicit rowid
 *   could be renumbered by VACUUM, so it is not used as the link.
 * - `user_tags`: one row per (tag, user) for exact, indexed skill matches.
 * - `users_mentors`: mentors in page order, so a query walks only mentors, already sorted.
 * The adapter keeps them current in the same transaction as each user write (indexUser); the
 * migration fills them for users that existed before it.
 */
export const lifecycleMigrations: Migration[] = [
  {
    id: '004-lifecycle',
    sql: `
      CREATE TABLE search_docs (
        doc     INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL UNIQUE
      );
      CREATE VIRTUAL TABLE mentor_text USING fts5(display_name, bio, tags, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TABLE user_tags (
        tag     TEXT NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (tag, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX user_tags_by_user ON user_tags(user_id);
      CREATE INDEX users_mentors ON users(mentoring, created_at, id);

      INSERT INTO search_docs (user_id) SELECT id FROM users ORDER BY created_at, id;
      INSERT INTO mentor_text (rowid, display_name, bio, tags)
        SELECT d.doc, u.display_name, coalesce(json_extract(u.profile, '$.bio'), ''),
               coalesce((SELECT group_concat(value, ' ') FROM json_each(u.profile, '$.expertise')), '')
        FROM users u JOIN search_docs d ON d.user_id = u.id;
      INSERT OR IGNORE INTO user_tags (tag, user_id)
        SELECT lower(trim(j.value)), u.id FROM users u, json_each(u.profile, '$.expertise') j;
    `,
  },
];

/** The index-maintenance and search statements, prepared once per database. */
export function sqliteMentorSearch(db: Database, userFromRow: (row: UserRow) => UserRecord) {
  const docOf = db.prepare<[string], { doc: number }>('SELECT doc FROM search_docs WHERE user_id = ?');
  const newDoc = db.prepare('INSERT INTO search_docs (user_id) VALUES (?)');
  const dropText = db.prepare('DELETE FROM mentor_text WHERE rowid = ?');
  const putText = db.prepare('INSERT INTO mentor_text (rowid, display_name, bio, tags) VALUES (?, ?, ?, ?)');
  const dropTags = db.prepare('DELETE FROM user_tags WHERE user_id = ?');
  const putTag = db.prepare('INSERT OR IGNORE INTO user_tags (tag, user_id) VALUES (?, ?)');
  const queries = new Map<string, Statement<Record<string, unknown>, UserRow>>();

  /** One prepared statement per combination of filters, so each has a plan fit for it. */
  function queryFor(text: boolean, skill: boolean, after: boolean): Statement<Record<string, unknown>, UserRow> {
    const key = `${+text}${+skill}${+after}`;
    let stmt = queries.get(key);
    if (!stmt) {
      const where = ['u.mentoring = 1'];
      if (skill) where.push('u.id IN (SELECT user_id FROM user_tags WHERE tag = @skill)');
      if (text) where.push('u.id IN (SELECT d.user_id FROM mentor_text JOIN search_docs d ON d.doc = mentor_text.rowid WHERE mentor_text MATCH @match)');
      if (after) where.push('(u.created_at, u.id) > (@afterCreatedAt, @afterId)');
      stmt = db.prepare<Record<string, unknown>, UserRow>(
        `SELECT u.* FROM users u WHERE ${where.join(' AND ')} ORDER BY u.created_at, u.id LIMIT @limit`,
      );
      queries.set(key, stmt);
    }
    return stmt;
  }

  return {
    /** Re-indexes one user; call inside the write transaction that stores the user. */
    indexUser(user: UserRecord): void {
      const found = docOf.get(user.id);
      const doc = found ? found.doc : Number(newDoc.run(user.id).lastInsertRowid);
      if (found) dropText.run(doc);
      const tags = [...new Set(user.profile.expertise.map(normalTag))];
      putText.run(doc, user.displayName, user.profile.bio, tags.join(' '));
      dropTags.run(user.id);
      for (const tag of tags) putTag.run(tag, user.id);
    },

    /** UserStore.searchMentors. */
    async search(query: MentorSearch): Promise<{ mentors: PublicUser[]; nextCursor: string | null }> {
      const words = searchWords(query.q);
      const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
      const skill = query.skill === undefined ? '' : normalTag(query.skill);
      const params: Record<string, unknown> = { limit: query.limit + 1 };
      // Each word is quoted (no FTS syntax gets through) and prefix-matched; words are ANDed.
      if (words.length) params.match = words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
      if (skill) params.skill = skill;
      if (after) Object.assign(params, { afterCreatedAt: after.createdAt, afterId: after.id });
      const rows = queryFor(words.length > 0, skill !== '', after !== null).all(params);
      const page = rows.slice(0, query.limit).map(userFromRow);
      const last = page[page.length - 1];
      return {
        mentors: page.map(toPublicUser),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      };
    },
  };
}
