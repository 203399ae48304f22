/**
 * Root hook plugin of the integration suites' second run, on the MongoDB adapter
 * (.mocharc.mongo.json `require`s it, TEST_STORE=mongo): says which MongoDB it is, or skips the run
 * with a line saying why. A plugin rather than a spec file with top-level hooks, so that it also
 * holds in parallel mode, where every file runs in a worker with its own root suite (and each
 * worker process starts its own emulator: see mongoTarget).
 *
 * No test is skipped on the emulator any more. Four throughput-bound ones (400 concurrent sends,
 * kill mid-burst, compaction after 5,000 updates, 20 providers × 100 edits) were, because the
 * bridge spent O(N) of its Python matcher per command and O(N²) to fill a collection; it now
 * pre-checks plain equalities and ranges and hashes unique keys (see bridge.py, "speed"), and they
 * run at full size (docs/STORAGE.md, "Where it is tested").
 */
import type { Context } from 'mocha';
import { MONGO_SKIP_LINE, mongoTarget, type MongoTarget } from './mongo.js';

let target: MongoTarget | null = null;

export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(30_000);
    target = await mongoTarget();
    if (!target) {
      console.log(MONGO_SKIP_LINE);
      this.skip();
    }
    console.log(`\n  ${target.label}: chat, lifecycle, threads, collab and cluster suites with STORE=mongo\n`);
  },
};
