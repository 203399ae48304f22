import { expect } from 'chai';
import { openMongoStore } from '../../server/store/mongo/index.js';
import { MONGO_SKIP_LINE, dropDatabase, emulatorAvailable, freePort, mongoTarget, startEmulator, type MongoTarget } from '../helpers/mongo.js';
import { storeContract } from './contract.js';

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

  it('does not print the password of a URL it cannot reach', async () => {
    const port = await freePort();
    const err = await openMongoStore({ url: `mongodb://menteo:s3cret@127.0.0.1:${port}/menteo`, serverSelectionTimeoutMs: 300 }).then(() => null, (e: Error) => e);
    expect(err?.message).to.contain('menteo:***@').and.not.contain('s3cret');
  });
});
