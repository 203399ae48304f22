/**
 * Operator commands for the embedded store (docs/OPERATIONS.md), on DATA_DIR (default ./data):
 *   npm run backup -- <file>        online, consistent copy while the server runs
 *   npm run restore -- <file>       into an empty DATA_DIR
 *   npm run migrate -- --status     which schema migrations the store has
 *   npm run migrate                 apply the pending ones (the server also does at start)
 * Prints one JSON line on success; a failure prints its reason and exits 1.
 */
import { openSqliteStore } from '../store/sqlite/index.js';
import { backupSqlite, restoreSqlite, storeFile, storeMigrations } from './sqlite-backup.js';

const dataDir = process.env.DATA_DIR ?? './data';
const [command, ...args] = process.argv.slice(2);
const fileArg = (what: string) => {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error(`usage: npm run ${what} -- <file>`);
  return file;
};

async function run(): Promise<unknown> {
  if ((process.env.STORE ?? 'sqlite') !== 'sqlite') throw new Error('these commands are for the sqlite store; for STORE=mongo use mongodump / mongorestore (docs/OPERATIONS.md)');
  switch (command) {
    case 'backup':
      return backupSqlite(dataDir, fileArg('backup'));
    case 'restore':
      return restoreSqlite(fileArg('restore'), dataDir);
    case 'migrate': {
      if (args.includes('--status')) {
        const migrations = storeMigrations(dataDir);
        for (const m of migrations) console.error(`${m.known ? (m.appliedAt ? 'applied' : 'pending') : 'UNKNOWN'}  ${m.id}${m.appliedAt ? `  ${m.appliedAt}` : ''}`);
        return { store: storeFile(dataDir), migrations, newer: migrations.some((m) => !m.known) };
      }
      const store = openSqliteStore({ file: storeFile(dataDir) });
      await store.close();
      return { store: storeFile(dataDir), migrations: storeMigrations(dataDir) };
    }
    default:
      throw new Error('usage: cli.ts backup <file> | restore <file> | migrate [--status]');
  }
}

run().then(
  (result) => console.log(JSON.stringify(result)),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
