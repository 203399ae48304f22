import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { WriteQueue } from '../../server/store/sqlite/write-queue.js';
import { tempDir } from '../helpers/server.js';

describe('WriteQueue (group commit)', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Database.Database;
  beforeEach(() => {
    dir = tempDir('menteo-wq-');
    db = new Database(join(dir.dir, 'q.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v INTEGER UNIQUE)');
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });
  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
  const values = () => db.prepare('SELECT v FROM t ORDER BY v').all().map((r) => (r as { v: number }).v);

  it('commits writes queued in one turn together, in one transaction', async () => {
    const q = new WriteQueue(db);
    await Promise.all([1, 2, 3, 4].map((v) => q.run(insert(v))));
    expect(values()).to.deep.equal([1, 2, 3, 4]);
    expect(q.stats).to.deep.equal({ batches: 1, writes: 4, lockWaits: 0 });
  });

  it('rolls back only the failing write of a batch', async () => {
    const q = new WriteQueue(db);
    const results = await Promise.allSettled([q.run(insert(1)), q.run(insert(1)), q.run(insert(2))]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(values()).to.deep.equal([1, 2]);
  });

  it('undoes every statement of a failed write, not just the last', async () => {
    const q = new WriteQueue(db);
    const failing = q.run(() => {
      insert(7)();
      throw new Error('rule broken after a write');
    });
    await Promise.allSettled([failing, q.run(insert(8))]);
    expect(values()).to.deep.equal([8]);
  });

  it('resolves drain() once everything queued has committed', async () => {
    const q = new WriteQueue(db);
    void q.run(insert(5));
    await q.drain();
    expect(values()).to.deep.equal([5]);
  });
});
