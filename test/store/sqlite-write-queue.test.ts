import Database from 'better-sqlite3';
import { expect } from 'chai';
import { join } from 'node:path';
import { WriteQueue } from '../../server/store/sqlite/write-queue.js';
import { tempDir } from '../helpers/server.js';

/** A promise the test settles by hand: stands in for the WAL fsync so its timing can be controlled. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('sqlite write queue (group commit, fsync off the event loop)', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let syncs: Array<ReturnType<typeof deferred>>;
  let queue: WriteQueue;
  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid;
  const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

  beforeEach(() => {
    dir = tempDir('menteo-wq-');
    db = new Database(join(dir.dir, 'q.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL UNIQUE)');
    syncs = [];
    queue = new WriteQueue(db, {
      sync: () => {
        const d = deferred();
        syncs.push(d);
        return d.promise;
      },
    });
  });

  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('settles a write only after the sync that follows its commit returned', async () => {
    let settled = false;
    const write = queue.run(insert(1)).then(() => (settled = true));
    await tick();
    await tick();
    expect(count(), 'committed').to.equal(1);
    expect(syncs).to.have.length(1);
    expect(settled, 'acked before its fsync').to.equal(false);
    syncs[0]!.resolve();
    await write;
    expect(settled).to.equal(true);
  });

  it('makes reads wait for the fsync of what they would see (durable() holds until it returns)', async () => {
    void queue.run(insert(1));
    await tick();
    await tick();
    let readable = false;
    const read = queue.durable().then(() => (readable = true));
    await tick();
    expect(readable, 'a read may not see a row a power loss could take back').to.equal(false);
    syncs[0]!.resolve();
    await read;
    expect(readable).to.equal(true);
  });

  it('commits writes queued during an fsync together in the next batch, one batch in flight at a time', async () => {
    const first = queue.run(insert(1));
    await tick();
    await tick();
    const later = [queue.run(insert(2)), queue.run(insert(3)), queue.run(insert(4))];
    await tick();
    await tick();
    expect(syncs, 'no second commit while the first fsync runs').to.have.length(1);
    expect(count()).to.equal(1);
    syncs[0]!.resolve();
    await first;
    await tick();
    await tick();
    expect(syncs).to.have.length(2);
    expect(count()).to.equal(4);
    syncs[1]!.resolve();
    expect(await Promise.all(later)).to.deep.equal([2, 3, 4]);
    expect(queue.stats).to.deep.equal({ batches: 2, writes: 4, lockWaits: 0 });
  });

  it('rolls back only the failing write of a batch', async () => {
    const results = [queue.run(insert(1)), queue.run(insert(1)), queue.run(insert(2))].map((p) => p.then(() => 'ok', (e: Error) => e.message));
    await tick();
    await tick();
    syncs[0]!.resolve();
    expect(await Promise.all(results)).to.deep.equal(['ok', 'UNIQUE constraint failed: t.v', 'ok']);
    expect(count()).to.equal(2);
  });

  it('refuses every write after a failed fsync, since what the disk holds is unknown', async () => {
    const write = queue.run(insert(1));
    await tick();
    await tick();
    syncs[0]!.reject(new Error('EIO'));
    const err = await write.then(() => null, (e: Error) => e);
    expect(err?.message).to.match(/could not sync/);
    expect((err?.cause as Error).message).to.equal('EIO');
    expect(queue.failed).to.equal(err);
    const next = await queue.run(insert(2)).then(() => null, (e: Error) => e);
    expect(next).to.equal(err);
  });

  it('drain() waits for the fsync of the last batch', async () => {
    void queue.run(insert(1));
    let drained = false;
    const drain = queue.drain().then(() => (drained = true));
    await tick();
    await tick();
    expect(drained).to.equal(false);
    syncs[0]!.resolve();
    await drain;
    expect(drained).to.equal(true);
  });
});

describe('sqlite write queue: minimum interval between batches', () => {
  it('groups writes that arrive within minIntervalMs of the last batch start into one batch', async () => {
    const dir = tempDir('menteo-wq-');
    const db = new Database(join(dir.dir, 'q.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
      const queue = new WriteQueue(db, { sync: () => Promise.resolve(), minIntervalMs: 50 });
      const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
      await queue.run(insert(0)); // the first batch starts at once
      const started = performance.now();
      const spread: Array<Promise<unknown>> = [];
      for (let i = 1; i <= 5; i++) {
        spread.push(queue.run(insert(i)));
        await new Promise((r) => setTimeout(r, 5));
      }
      await Promise.all(spread);
      expect(queue.stats.batches, 'five writes 5 ms apart share the next batch').to.equal(2);
      expect(performance.now() - started).to.be.lessThan(200);
    } finally {
      db.close();
      dir.remove();
    }
  });
});

describe('sqlite write queue: another process holding the write lock (two nodes on one file, issue 17)', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Database.Database;
  let other: Database.Database;
  let waits: number[];
  const lockedQueue = (lockTimeoutMs: number) => {
    waits = [];
    db.pragma('busy_timeout = 5000'); // what the store runs with: SQLite's handler would sleep up to this long
    return new WriteQueue(db, { sync: () => Promise.resolve(), lockTimeoutMs, onLockWait: (s) => waits.push(s) });
  };
  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid;
  const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  beforeEach(() => {
    dir = tempDir('menteo-wq-lock-');
    db = new Database(join(dir.dir, 'q.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL UNIQUE)');
    other = new Database(join(dir.dir, 'q.sqlite'));
    other.exec('BEGIN IMMEDIATE'); // the other node's write transaction
  });
  afterEach(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    db.close();
    dir.remove();
  });

  it('waits for the lock on a timer, so the event loop keeps running, then commits and counts the wait', async () => {
    const q = lockedQueue(5000);
    let settled = false;
    const write = q.run(insert(1)).finally(() => (settled = true));
    // Timers fire only if the BEGIN is not sleeping in SQLite's busy handler on this thread: with
    // that handler the loop would be stuck until busy_timeout, and the write would be refused first.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const ticker = setInterval(() => {
        if (++ticks < 5) return;
        clearInterval(ticker);
        resolve();
      }, 1);
    });
    expect(settled, 'the write settled before the event loop turned five times').to.equal(false);
    expect(count(), 'nothing committed while the other holds the lock').to.equal(0);
    other.exec('COMMIT');
    expect(await write).to.equal(1);
    expect(count()).to.equal(1);
    expect(q.stats.lockWaits).to.equal(1);
    expect(waits).to.have.length(1);
    expect(waits[0]!).to.be.greaterThan(0);
  });

  it('writes queued while waiting for the lock join the batch that finally gets it', async () => {
    const q = lockedQueue(5000);
    const first = q.run(insert(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = q.run(insert(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    other.exec('COMMIT');
    expect(await Promise.all([first, second])).to.deep.equal([1, 2]);
    expect(q.stats.batches).to.equal(1);
  });

  it('rejects the batch with SQLITE_BUSY once the lock timeout has passed, stores nothing, and serves the next write', async () => {
    const q = lockedQueue(40);
    const err = await q.run(insert(1)).then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(err?.code).to.equal('SQLITE_BUSY');
    expect(count()).to.equal(0);
    other.exec('COMMIT');
    expect(await q.run(insert(2))).to.equal(1);
    expect(count()).to.equal(1);
  });
});
