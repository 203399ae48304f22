import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { Store } from './port.js';
import { openMongoStore } from './mongo/index.js';
import { openSqliteStore } from './sqlite/index.js';

/** Opens the configured adapter (reporting to `metrics` when given). */
export async function openStore(config: Config, metrics?: Metrics): Promise<Store> {
  switch (config.store) {
    case 'sqlite':
      return openSqliteStore({
        file: join(config.dataDir, 'menteo.sqlite'),
        onSync: (s) => metrics?.storeSync.observe(s),
        onLockWait: (s) => metrics?.storeLockWait.observe(s),
        onCheckpoint: (r) => r.ran && metrics?.storeCheckpoint.observe({ mode: r.restart ? 'restart' : 'passive' }, r.seconds),
      });
    case 'mongo':
      return openMongoStore({ url: config.mongodbUrl! }); // loadConfig refuses STORE=mongo without MONGODB_URL
  }
}
