import type { Database } from 'better-sqlite3';
import type { PairTemplateRecord, TemplateStore } from '../templates.js';
import type { Migration } from './migrations.js';
import type { WriteQueue } from './write-queue.js';

export const templateMigrations: Migration[] = [
  {
    id: '011-pair-templates',
    sql: `
      CREATE TABLE pair_templates (
        id          TEXT PRIMARY KEY,
        pair_key    TEXT NOT NULL,
        name        TEXT NOT NULL,
        description TEXT NOT NULL,
        title       TEXT NOT NULL,
        milestones  TEXT NOT NULL,                 -- JSON [{title, notes}]
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX pair_templates_by_pair ON pair_templates(pair_key, created_at, id);
    `,
  },
];

interface TemplateRow {
  id: string;
  pair_key: string;
  name: string;
  description: string;
  title: string;
  milestones: string;
  created_by: string;
  created_at: string;
}

const fromRow = (r: TemplateRow): PairTemplateRecord => ({
  id: r.id,
  pairKey: r.pair_key,
  name: r.name,
  description: r.description,
  title: r.title,
  milestones: JSON.parse(r.milestones) as PairTemplateRecord['milestones'],
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export function sqliteTemplates(db: Database, writes: WriteQueue): TemplateStore {
  const insert = db.prepare('INSERT INTO pair_templates (id, pair_key, name, description, title, milestones, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const byId = db.prepare<[string], TemplateRow>('SELECT * FROM pair_templates WHERE id = ?');
  const byPair = db.prepare<[string], TemplateRow>('SELECT * FROM pair_templates WHERE pair_key = ? ORDER BY created_at, id');
  const countPair = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM pair_templates WHERE pair_key = ?');

  return {
    async create(t) {
      return writes.run(() => {
        insert.run(t.id, t.pairKey, t.name, t.description, t.title, JSON.stringify(t.milestones), t.createdBy, t.createdAt);
        return structuredClone(t);
      });
    },
    async get(id) {
      await writes.durable();
      const row = byId.get(id);
      return row ? fromRow(row) : null;
    },
    async listForPair(pairKey) {
      await writes.durable();
      return byPair.all(pairKey).map(fromRow);
    },
    async countForPair(pairKey) {
      await writes.durable();
      return countPair.get(pairKey)!.n;
    },
  };
}
