/**
 * Root hook plugin of the integration suites' second run, on the MongoDB adapter
 * (.mocharc.mongo.json `require`s it, TEST_STORE=mongo): says which MongoDB it is, or skips the run
 * with a line saying why. A plugin rather than a spec file with top-level hooks, so that it also
 * holds in parallel mode, where every file runs in a worker with its own root suite (and each
 * worker process starts its own emulator: see mongoTarget).
 */
import type { Context } from 'mocha';
import { MONGO_SKIP_LINE, mongoTarget, type MongoTarget } from './mongo.js';

/**
 * Throughput-bound tests (thousands of updates within fixed deadlines written for SQLite's group
 * commit): the emulator runs one command at a time in Python, ~25–80 ms per transaction on these
 * shared machines, so they cannot meet their deadlines there. Skipped on the emulator only, each
 * with a line; against a real MONGODB_URL they run.
 */
const TOO_HEAVY_FOR_THE_EMULATOR = [
  // Passes on the emulator when the machine is quiet (seen once here), misses its 10 s ack deadline under load.
  '400 concurrent sends from both sides are all acked and seen by both in one identical gapless order',
  'loses nothing a client saw relayed when killed mid-burst, and the writer resyncs the rest',
  'compacts the log after 5,000 updates into an equivalent snapshot, keeping edits made meanwhile',
  '20 providers making 100 edits each converge, and the stored document equals the live one',
];

let target: MongoTarget | null = null;

export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(30_000);
    target = await mongoTarget();
    if (!target) {
      console.log(MONGO_SKIP_LINE);
      this.skip();
    }
    console.log(`\n  ${target.label}: chat, lifecycle, threads and collab integration suites with STORE=mongo\n`);
  },
  beforeEach(this: Context) {
    const title = this.currentTest?.title ?? '';
    if (target?.kind === 'emulator' && TOO_HEAVY_FOR_THE_EMULATOR.includes(title)) {
      console.log(`      [skip on the emulator: throughput-bound, runs with MONGODB_URL] ${title}`);
      this.skip();
    }
  },
};
