/**
 * Root hooks of the integration suites' second run, on the MongoDB adapter (.mocharc.mongo.json,
 * TEST_STORE=mongo): says which MongoDB it is, or skips the whole run with a line saying why.
 */
import { MONGO_SKIP_LINE, mongoTarget } from './mongo.js';

before(async function () {
  this.timeout(30_000);
  const target = await mongoTarget();
  if (!target) {
    console.log(MONGO_SKIP_LINE);
    this.skip();
  }
  console.log(`\n  ${target.label}: chat, lifecycle, threads and collab integration suites with STORE=mongo\n`);
});
