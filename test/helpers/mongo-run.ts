/**
 * Root hooks of the integration suites' second run, on the MongoDB adapter (.mocharc.mongo.json,
 * TEST_STORE=mongo): says which MongoDB it is, or skips the whole run with a line saying why.
 *
 * No test is skipped on the emulator any more. Four throughput-bound ones (400 concurrent sends,
 * kill mid-burst, compaction after 5,000 updates, 20 providers × 100 edits) were, because the
 * bridge spent O(N) of its Python matcher per command and O(N²) to fill a collection; it now
 * pre-checks plain equalities and ranges and hashes unique keys (see bridge.py, "speed"), and they
 * run at full size (docs/STORAGE.md, "Where it is tested").
 */
import { MONGO_SKIP_LINE, mongoTarget } from './mongo.js';

before(async function () {
  this.timeout(30_000);
  const target = await mongoTarget();
  if (!target) {
    console.log(MONGO_SKIP_LINE);
    this.skip();
  }
  console.log(`\n  ${target.label}: chat, lifecycle, threads, collab and cluster suites with STORE=mongo\n`);
});
