import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations.js';

/** One migration as a store records it: known to this build or not, applied or not. */
export interface MigrationState {
  id: string;
  /** When it was applied (ISO-8601); null while pending. */
  appliedAt: string | null;
  /** false for a migration this build does not know: the store was written by a newer version. */
  known: boolean;
}

/** The store was migrated by a newer Menteo: running this one on it could corrupt what it does not understand. */
export class StoreTooNewError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `the store has migrations this version of Menteo does not know (${unknown.join(', ')}): it was written by a newer version. ` +
        'Run that version (or newer), or restore a backup taken before the upgrade; `npm run migrate -- --status` lists them.',
    );
    this.name = 'StoreTooNewError';
  }
}

/** Every migration this build knows (in order) and every one the store records, known or not. */
export function migrationStatus(db: Database, known: readonly Migration[]): MigrationState[] {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied = new Map<string, string>(
    table ? (db.prepare('SELECT id, applied_at FROM schema_migrations ORDER BY applied_at, id').all() as { id: string; applied_at: string }[]).map((r) => [r.id, r.applied_at]) : [],
  );
  const knownIds = new Set(known.map((m) => m.id));
  return [
    ...known.map((m) => ({ id: m.id, appliedAt: applied.get(m.id) ?? null, known: true })),
    ...[...applied].filter(([id]) => !knownIds.has(id)).map(([id, appliedAt]) => ({ id, appliedAt, known: false })),
  ];
}

/** Throws StoreTooNewError before anything is migrated when the store records a migration this build lacks. */
export function assertNotNewer(db: Database, known: readonly Migration[]): void {
  const unknown = migrationStatus(db, known).filter((m) => !m.known).map((m) => m.id);
  if (unknown.length > 0) throw new StoreTooNewError(unknown);
}
