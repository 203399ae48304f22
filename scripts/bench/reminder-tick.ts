/**
 * How long one reminder tick takes over the chat bench's 1,000-room seed, and the longest the
 * event loop went without running a 1 ms timer meanwhile (what every socket waits through).
 * Needs the seed: run `npm run bench:chat` once first (it caches .bench-out/chat-seed-1000).
 *
 *   npx tsx scripts/bench/reminder-tick.ts [--seed .bench-out/chat-seed-1000] [--ticks 4]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMenteo } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { copySeed } from './chat/setup.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '.bench-out/chat-seed-1000' }, ticks: { type: 'string', default: '4' } } });
const seedData = join(values.seed!, 'data');
if (!existsSync(seedData)) throw new Error(`no seed at ${seedData}: run npm run bench:chat once first`);
const data = copySeed({ dataDir: seedData });
// The tick is driven from here, not from its own interval.
const app = await startMenteo(loadConfig({ ...process.env, DATA_DIR: data.dir, PORT: '0', NOTIFY_TICK_MS: '86400000', LOG_LEVEL: 'error' }));
try {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log('| tick | took ms | longest gap between 1 ms timers, ms |');
  console.log('|---:|---:|---:|');
  for (let i = 1; i <= Number(values.ticks); i++) {
    let longest = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    await app.notifications.scheduler.tick();
    const took = performance.now() - started;
    clearInterval(probe);
    longest = Math.max(longest, performance.now() - last);
    console.log(`| ${i} | ${took.toFixed(0)} | ${longest.toFixed(1)} |`);
  }
} finally {
  await app.close();
  data.remove();
}
