/**
 * WAL checkpoints on a worker thread (issue 17): the store's own connection never checkpoints
 * inside a COMMIT; the worker copies committed pages into the database file, and rewinds a WAL
 * that grew past its bound even while writes keep coming.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nowIso } from '../../server/ids.js';
import type { CheckpointResult } from '../../server/store/sqlite/checkpointer.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { eventually } from '../helpers/clients.js';
import { tempDir } from '../helpers/server.js';
import { sampleRoom } from './contract/fixtures.js';

describe('sqlite store: WAL checkpoints off the event loop', function () {
  this.timeout(30_000);
  const temp = tempDir('menteo-checkpoint-');
  let store: SqliteStore;
  let file: string;
  let runs: CheckpointResult[];
  let n = 0;
  after(() => temp.remove());
  afterEach(async () => store?.close());

  const open = (extra: Partial<Parameters<typeof openSqliteStore>[0]> = {}) => {
    file = join(temp.dir, `menteo-${++n}.sqlite`);
    runs = [];
    store = openSqliteStore({ file, checkpointIntervalMs: 50, onCheckpoint: (r) => runs.push(r), ...extra });
  };
  /** Another connection's read transaction, its snapshot in the WAL, held until closed. */
  const readerOnWal = () => {
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM messages').get();
    return reader;
  };
  const send = async (roomId: string, count: number, body = 'x'.repeat(400)) => {
    for (let i = 0; i < count; i++) await store.messages.append({ roomId, authorId: 'mentor-1', clientMsgId: `c-${n}-${i}-${Math.random()}`, kind: 'text', body, createdAt: nowIso() });
  };
  it("the store's COMMITs never checkpoint (the WAL grows past SQLite's 1,000-page autocheckpoint); the worker's checkpoint copies every frame", async () => {
    open({ checkpointIntervalMs: 60_000 }); // no timed checkpoint during the test
    const room = await store.rooms.create(sampleRoom({ mentorId: 'mentor-1', menteeId: 'mentee-1' }));
    await send(room.id, 400, 'x'.repeat(3000));
    // With SQLite's autocheckpoint a single writer would have rewound the WAL at ~4 MiB.
    expect(statSync(`${file}-wal`).size).to.be.greaterThan(4.5 * 1024 * 1024);
    expect(runs).to.deep.equal([]);
    await store.checkpoint();
    expect(runs).to.have.length(1);
    expect(runs[0]).to.include({ ran: true, restart: false });
    expect(runs[0]!.walFrames).to.be.greaterThan(1000);
    expect(runs[0]!.checkpointed).to.equal(runs[0]!.walFrames);
  });

  it('checkpoints by itself every interval once something was written, and not while nothing is', async () => {
    open();
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).to.deep.equal([]); // nothing written: no worker started
    const room = await store.rooms.create(sampleRoom({ mentorId: 'mentor-1', menteeId: 'mentee-1' }));
    await send(room.id, 50);
    await eventually(() => expect(runs.filter((r) => r.ran && r.checkpointed > 0)).to.have.length.greaterThan(0));
  });

  it('a WAL past its bound is rewound by a RESTART checkpoint while writes keep coming', async () => {
    open({ walRestartBytes: 256 * 1024 });
    const room = await store.rooms.create(sampleRoom({ mentorId: 'mentor-1', menteeId: 'mentee-1' }));
    // Keep writing for a while: a PASSIVE checkpoint alone would leave the WAL growing.
    const until = Date.now() + 1500;
    while (Date.now() < until) await send(room.id, 20, 'y'.repeat(2000));
    await eventually(() => expect(runs.some((r) => r.restart && r.ran)).to.equal(true));
    const sizeAfterRestart = statSync(`${file}-wal`).size;
    await send(room.id, 200, 'z'.repeat(2000));
    // Writing on after the rewind reuses the file from its start instead of appending.
    expect(statSync(`${file}-wal`).size).to.be.at.most(Math.max(sizeAfterRestart, 4 * 1024 * 1024));
    expect((await store.messages.history(room.id, { latest: true, limit: 1 })).messages[0]!.seq).to.be.greaterThan(200);
  });

  it('after a RESTART the checkpoints are PASSIVE again until the WAL refills past its bound (the file keeps its size, its content does not)', async () => {
    open({ walRestartBytes: 256 * 1024, checkpointIntervalMs: 60_000 }); // checkpoints only when the test asks
    const room = await store.rooms.create(sampleRoom({ mentorId: 'mentor-1', menteeId: 'mentee-1' }));
    await send(room.id, 100, 'y'.repeat(2000));
    await store.checkpoint(); // PASSIVE: learns the WAL holds more than the bound
    await store.checkpoint(); // so this one is a RESTART
    expect(runs.map((r) => [r.restart, r.ran])).to.deep.equal([[false, true], [true, true]]);
    // Before any writer came the WAL still reports its old frames (the next writer starts it
    // over, not the checkpoint): they must not count as content again.
    await store.checkpoint();
    // A little more than the WAL's first frame, far below the bound, checkpointed each time.
    for (let i = 0; i < 4; i++) {
      await send(room.id, 2, 'z'.repeat(200));
      await store.checkpoint();
    }
    expect(statSync(`${file}-wal`).size).to.be.greaterThan(256 * 1024); // the file did not shrink
    const after = runs.slice(2);
    expect(after).to.have.length(5);
    expect(after.every((r) => r.ran && !r.restart), JSON.stringify(after)).to.equal(true);
    expect(after.at(-1)!.walFrames).to.be.lessThan(64); // the writers started the WAL over
  });

  it("a RESTART that finds a reader still on the WAL lets go of the write lock and tries again later, instead of holding it until the reader ends", async () => {
    open({ walRestartBytes: 1024 * 1024, checkpointIntervalMs: 60_000 }); // 100 messages write 3–4 MiB: past the bound, below 4×
    const room = await store.rooms.create(sampleRoom({ mentorId: 'mentor-1', menteeId: 'mentee-1' }));
    await send(room.id, 100, 'y'.repeat(2000));
    // Another process's reader, its snapshot in the WAL, open for the whole RESTART.
    const reader = readerOnWal();
    try {
      await store.checkpoint(); // PASSIVE: learns the WAL is past its bound
      await store.checkpoint(); // RESTART: every frame copied, but the reader keeps the WAL
      const [passive, restart] = runs;
      expect(passive).to.include({ restart: false, ran: true });
      expect(passive!.walFrames * 4120).to.be.within(1024 * 1024, 4 * 1024 * 1024); // a frame: 4 KiB page + 24
      expect(restart).to.include({ restart: true, ran: false });
      expect(restart!.attempts, JSON.stringify(runs)).to.be.greaterThan(1);
      expect(restart!.checkpointed).to.equal(restart!.walFrames);
      // The store's writers were free between the attempts: a write lands while the reader stays.
      await send(room.id, 1);
    } finally {
      reader.close();
    }
    await store.checkpoint(); // the reader is gone: this RESTART rewinds the WAL
    expect(runs[2]).to.include({ restart: true, ran: true });
  });

  it('a WAL past 4× its bound gets a RESTART that waits for the readers (they never let it rewind otherwise)', async () => {
    open({ walRestartBytes: 64 * 1024, checkpointIntervalMs: 60_000 });
    const room = await store.rooms.create(sampleRoom({ mentorId: 'mentor-1', menteeId: 'mentee-1' }));
    await send(room.id, 100, 'y'.repeat(2000));
    const reader = readerOnWal();
    await store.checkpoint();
    // The reader ends while the worker's RESTART waits on it (the worker is another thread).
    const ends = setTimeout(() => reader.close(), 300);
    await store.checkpoint();
    clearTimeout(ends);
    if (reader.open) reader.close();
    expect(runs[1]).to.include({ restart: true, ran: true, attempts: 1 });
    expect(runs[1]!.seconds).to.be.greaterThan(0.2);
  });

  it('close() finishes in a process with nothing else on its event loop, after the worker ran (a script, a CLI)', async () => {
    // The worker is unref'd; close() used to wait for its exit unref'd too, and such a process
    // exited (code 13, unsettled top-level await) before the store had closed.
    const script = join(temp.dir, 'close-after-checkpoint.mts');
    writeFileSync(
      script,
      `import { openSqliteStore } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'server', 'store', 'sqlite', 'index.ts'))};
const store = openSqliteStore({ file: ${JSON.stringify(join(temp.dir, 'script.sqlite'))} });
await store.checkpoint();
await store.close();
console.log('closed');
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 20_000 });
    expect(stdout.trim()).to.equal('closed');
  });
});
