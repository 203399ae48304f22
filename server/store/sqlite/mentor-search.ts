import type { Database } from 'better-sqlite3';
import type { PublicUser } from '../../../shared/types.js';
import type { MentorSearch, UserRecord } from '../port.js';
import { decodeCursor, encodeCursor, normalTag, searchWords } from '../search.js';
import type { Migration } from './migrations.js';
import type { UserRow } from './users.js';
import { toPublicUser } from '../../users/dto.js';

/**
 * The search index for mentor discovery:
 * - `search_docs`: one row per user; `doc` (an INTEGER PRIMARY KEY, so VACUUM never renumbers
 *   it, unlike the users table's implicit rowid) is the sign-up order, which is the page order
 *   and the cursor. It carries a copy of `mentoring` so filters run before touching `users`.
 * - `mentor_text`: FTS5 over display name, bio and tags (unicode61 folds case and diacritics);
 *   its rowid is the doc, so a text query walks matches already in page order and stops at the
 *   page's end instead of collecting every match first.
 * - `user_tags`: (tag, doc) for exact skill matches, also walked in page order.
 * The adapter keeps them current in the same transaction as each user write (indexUser); the
 * migration fills them for users that existed before it.
 */
export const lifecycleMigrations: Migration[] = [
  {
    id: '004-lifecycle',
    sql: `
      CREATE TABLE search_docs (
        doc       INTEGER PRIMARY KEY,
        user_id   TEXT NOT NULL UNIQUE,
        mentoring INTEGER NOT NULL
      );
      CREATE INDEX search_docs_mentors ON search_docs(mentoring, doc);
      CREATE VIRTUAL TABLE mentor_text USING fts5(display_name, bio, tags, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TABLE user_tags (
        tag TEXT NOT NULL,
        doc INTEGER NOT NULL,
        PRIMARY KEY (tag, doc)
      ) WITHOUT ROWID;
      CREATE INDEX user_tags_by_doc ON user_tags(doc);

      INSERT INTO search_docs (user_id, mentoring) SELECT id, mentoring FROM users ORDER BY created_at, id;
      INSERT INTO mentor_text (rowid, display_name, bio, tags)
        SELECT d.doc, u.display_name, coalesce(json_extract(u.profile, '$.bio'), ''),
               coalesce((SELECT group_concat(value, ' ') FROM json_each(u.profile, '$.expertise')), '')
        FROM users u JOIN search_docs d ON d.user_id = u.id;
      INSERT OR IGNORE INTO user_tags (tag, doc)
        SELECT lower(trim(j.value)), d.doc FROM users u JOIN search_docs d ON d.user_id = u.id, json_each(u.profile, '$.expertise') j;
    `,
  },
];

type Row = UserRow & { doc: number };

/** The index-maintenance and search statements, prepared once per database. */
export function sqliteMentorSearch(db: Database, userFromRow: (row: UserRow) => UserRecord) {
  const docOf = db.prepare<[string], { doc: number }>('SELECT doc FROM search_docs WHERE user_id = ?');
  const newDoc = db.prepare('INSERT INTO search_docs (user_id, mentoring) VALUES (?, ?)');
  const setMentoring = db.prepare('UPDATE search_docs SET mentoring = ? WHERE doc = ?');
  const dropText = db.prepare('DELETE FROM mentor_text WHERE rowid = ?');
  const putText = db.prepare('INSERT INTO mentor_text (rowid, display_name, bio, tags) VALUES (?, ?, ?, ?)');
  const dropTags = db.prepare('DELETE FROM user_tags WHERE doc = ?');
  const putTag = db.prepare('INSERT OR IGNORE INTO user_tags (tag, doc) VALUES (?, ?)');
  const cols = 'u.*, d.doc AS doc';
  // CROSS JOIN pins the FTS table as the outer loop: it yields matches in rowid (page) order, so
  // the LIMIT stops the walk early. Left to itself the planner may loop over every mentor and
  // probe the FTS index once each, then sort.
  const byText = db.prepare<Record<string, unknown>, Row>(
    `SELECT ${cols} FROM mentor_text CROSS JOIN search_docs d ON d.doc = mentor_text.rowid CROSS JOIN users u ON u.id = d.user_id
     WHERE mentor_text MATCH @match AND mentor_text.rowid > @after AND d.mentoring = 1
     ORDER BY mentor_text.rowid LIMIT @limit`,
  );
  const byTextAndSkill = db.prepare<Record<string, unknown>, Row>(
    `SELECT ${cols} FROM mentor_text CROSS JOIN search_docs d ON d.doc = mentor_text.rowid CROSS JOIN users u ON u.id = d.user_id
     WHERE mentor_text MATCH @match AND mentor_text.rowid > @after AND d.mentoring = 1
       AND EXISTS (SELECT 1 FROM user_tags t WHERE t.tag = @skill AND t.doc = d.doc)
     ORDER BY mentor_text.rowid LIMIT @limit`,
  );
  const bySkill = db.prepare<Record<string, unknown>, Row>(
    `SELECT ${cols} FROM user_tags t JOIN search_docs d ON d.doc = t.doc JOIN users u ON u.id = d.user_id
     WHERE t.tag = @skill AND t.doc > @after AND d.mentoring = 1
     ORDER BY t.doc LIMIT @limit`,
  );
  const all = db.prepare<Record<string, unknown>, Row>(
    `SELECT ${cols} FROM search_docs d JOIN users u ON u.id = d.user_id
     WHERE d.mentoring = 1 AND d.doc > @after
     ORDER BY d.doc LIMIT @limit`,
  );

  return {
    /** Re-indexes one user; call inside the write transaction that stores the user. */
    indexUser(user: UserRecord): void {
      const mentoring = user.profile.mentoring ? 1 : 0;
      const found = docOf.get(user.id);
      const doc = found ? found.doc : Number(newDoc.run(user.id, mentoring).lastInsertRowid);
      if (found) {
        setMentoring.run(mentoring, doc);
        dropText.run(doc);
      }
      const tags = [...new Set(user.profile.expertise.map(normalTag))];
      putText.run(doc, user.displayName, user.profile.bio, tags.join(' '));
      dropTags.run(doc);
      for (const tag of tags) putTag.run(tag, doc);
    },

    /** UserStore.searchMentors: pages in sign-up order; the cursor is the last row's doc. */
    async search(query: MentorSearch): Promise<{ mentors: PublicUser[]; nextCursor: string | null }> {
      const words = searchWords(query.q);
      const after = query.cursor === undefined ? 0 : (decodeCursor(query.cursor, ['number'])[0] as number);
      const skill = query.skill === undefined ? '' : normalTag(query.skill);
      // Each word is quoted (no FTS syntax gets through) and prefix-matched; words are ANDed.
      const match = words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
      const params = { after, limit: query.limit + 1, ...(match && { match }), ...(skill && { skill }) };
      const stmt = match ? (skill ? byTextAndSkill : byText) : skill ? bySkill : all;
      const rows = stmt.all(params);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        mentors: page.map((row) => toPublicUser(userFromRow(row))),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.doc]) : null,
      };
    },
  };
}
