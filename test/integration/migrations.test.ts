import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { knownMigrations, openSqliteStore } from '../../server/store/sqlite/index.js';
import { StoreTooNewError } from '../../server/store/sqlite/migration-status.js';
import { runCli } from '../helpers/cli.js';
import { spawnServer, tempDir } from '../helpers/server.js';

describe('schema migrations of the sqlite store (issue 18)', function () {
  this.timeout(60_000);
  let data: ReturnType<typeof tempDir>;
  const file = () => join(data.dir, 'menteo.sqlite');
  /** What a newer Menteo leaves behind: a migration this build has never heard of. */
  const fromTheFuture = (id: string) => {
    const db = new Database(file());
    db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(id, new Date().toISOString());
    db.close();
  };
  beforeEach(async () => {
    data = tempDir();
    await openSqliteStore({ file: file() }).close();
  });
  afterEach(() => data.remove());

  it('migrate --status lists every named migration the store has, in order', async () => {
    const run = await runCli(['migrate', '--status'], { DATA_DIR: data.dir });
    expect(run.code, run.stderr).to.equal(0);
    const { migrations, newer } = run.json<{ migrations: { id: string; appliedAt: string | null; known: boolean }[]; newer: boolean }>();
    expect(migrations.map((m) => m.id)).to.deep.equal(knownMigrations().map((m) => m.id));
    expect(migrations.every((m) => m.known && typeof m.appliedAt === 'string')).to.equal(true);
    expect(newer).to.equal(false);
    expect(run.stderr).to.match(/applied\s+001-core/);
  });

  it('migrate --status shows a pending migration of a store written by an older build', async () => {
    const db = new Database(file());
    const last = knownMigrations().at(-1)!.id;
    db.prepare('DELETE FROM schema_migrations WHERE id = ?').run(last);
    db.close();
    const run = await runCli(['migrate', '--status'], { DATA_DIR: data.dir });
    expect(run.json().migrations.find((m: { id: string }) => m.id === last)).to.deep.include({ appliedAt: null, known: true });
    expect(run.stderr).to.contain(`pending  ${last}`);
  });

  it('the store refuses to open a file with a migration this build does not know, and changes nothing', () => {
    fromTheFuture('999-from-the-future');
    const ids = () => {
      const db = new Database(file(), { readonly: true });
      const rows = db.prepare('SELECT id FROM schema_migrations ORDER BY id').all();
      db.close();
      return rows;
    };
    const before = ids();
    expect(() => openSqliteStore({ file: file() })).to.throw(StoreTooNewError, /999-from-the-future.*newer version/);
    expect(ids()).to.deep.equal(before);
  });

  it('the server refuses to start on a store written by a newer version, with a one-line reason', async () => {
    fromTheFuture('999-from-the-future');
    const status = await runCli(['migrate', '--status'], { DATA_DIR: data.dir });
    expect(status.json().newer).to.equal(true);
    expect(status.stderr).to.contain('UNKNOWN  999-from-the-future');

    const attempt = spawnServer(data.dir);
    const err = await attempt.then(
      () => null,
      (e: Error) => e,
    );
    expect(err, 'the server started').to.be.instanceOf(Error);
    expect(err!.message).to.contain('exited with 1');
    expect(err!.message).to.match(/refuses to start: the store has migrations this version of Menteo does not know \(999-from-the-future\)/);
    expect(err!.message).not.to.contain('    at ');
  });
});
