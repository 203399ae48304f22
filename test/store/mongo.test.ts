import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openMongoStore } from '../../server/store/mongo/index.js';
import { nowIso } from '../../server/ids.js';
import { MONGO_SKIP_LINE, dropDatabase, emulatorAvailable, freePort, mongoTarget, startEmulator, type MongoTarget } from '../helpers/mongo.js';
import type { NewMessage } from '../../server/store/port.js';
import { tempDir } from '../helpers/server.js';
import { sampleRoom, storeContract } from './contract.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const target: MongoTarget | null = await mongoTarget();
if (!target) {
  describe('store contract: mongo', () => {
    it('is skipped: no MongoDB to run against', function () {
      console.log(MONGO_SKIP_LINE);
      this.skip();
    });
  });
} else {
  // The suite's title is the label: every emulator run says it is not MongoDB.
  describe(target.label, () => {
    storeContract(`mongo (${target.kind})`, async () => {
      const url = target.url();
      let store = await openMongoStore({ url });
      return {
        get store() {
          return store;
        },
        async reopen() {
          await store.close();
          store = await openMongoStore({ url });
          return store;
        },
        async dispose() {
          await store.close();
          await dropDatabase(url);
        },
      };
    });
  });
}

describe('mongo store: start-up checks', function () {
  before(function () {
    if (!emulatorAvailable()) {
      console.log(MONGO_SKIP_LINE);
      this.skip();
    }
  });

  it('refuses an unreachable URL with a message that names it', async () => {
    const port = await freePort(); // nobody listens there
    const err = await openMongoStore({ url: `mongodb://127.0.0.1:${port}/menteo`, serverSelectionTimeoutMs: 500 }).then(() => null, (e: Error) => e);
    expect(err?.name).to.equal('ConfigError');
    expect(err?.message).to.match(new RegExp(`cannot reach MongoDB at mongodb://127\\.0\\.0\\.1:${port}/menteo`));
    expect(err?.message).to.match(/replica set/);
  });

  it('refuses a standalone server (no replica set), saying what to run instead', async () => {
    const standalone = await startEmulator({ standalone: true });
    try {
      const err = await openMongoStore({ url: standalone.url }).then(() => null, (e: Error) => e);
      expect(err?.name).to.equal('ConfigError');
      expect(err?.message).to.match(/standalone server, not a replica set member/);
      expect(err?.message).to.match(/rs\.initiate\(\)/);
    } finally {
      await standalone.stop();
    }
  });

  it('the server process with STORE=mongo on a standalone server exits 1 with one line naming the problem', async function () {
    this.timeout(120_000); // a server process starting under tsx on a loaded machine
    const data = tempDir('menteo-mongo-proc-');
    const standalone = await startEmulator({ standalone: true });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'main.ts')], {
        cwd: repoRoot,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.dir, STORE: 'mongo', MONGODB_URL: standalone.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).to.equal(1);
      expect(stderr).to.match(/^Menteo failed to start: MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/menteo is a standalone server, not a replica set member/);
      expect(stderr.trim().split('\n'), 'one line, no stack trace').to.have.length(1);
    } finally {
      await standalone.stop();
      data.remove();
    }
  });

  it('a schema violation inside the append transaction writes nothing: no seq used, no marker moved', async () => {
    const emulator = await startEmulator();
    const store = await openMongoStore({ url: emulator.url });
    try {
      const room = await store.rooms.create(sampleRoom());
      await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'mentor-1', clientMsgId: 'ok', kind: 'text', body: 'fine' });
      // A kind outside the schema's enum passes every check before the insert, then fails validation.
      const bad = { roomId: room.id, authorId: 'mentee-1', clientMsgId: 'bad', kind: 'bogus', body: 'x' } as unknown as NewMessage;
      const err = await store.messages.append(bad).then(() => null, (e: Error) => e);
      expect(err?.name).to.equal('ValidationError');
      expect((await store.rooms.get(room.id))?.lastSeq).to.equal(1);
      expect(await store.messages.readMarker(room.id, 'mentee-1')).to.equal(0);
      expect((await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'mentee-1', clientMsgId: 'next', kind: 'text', body: 'y' })).message.seq).to.equal(2);
    } finally {
      await store.close();
      await emulator.stop();
    }
  });

  it('does not print the password of a URL it cannot reach', async () => {
    const port = await freePort();
    const err = await openMongoStore({ url: `mongodb://menteo:s3cret@127.0.0.1:${port}/menteo`, serverSelectionTimeoutMs: 300 }).then(() => null, (e: Error) => e);
    expect(err?.message).to.contain('menteo:***@').and.not.contain('s3cret');
  });
});
