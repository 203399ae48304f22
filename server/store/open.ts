import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { Store } from './port.js';
import { openSqliteStore } from './sqlite/index.js';

/** Opens the configured adapter (reporting to `metrics` when given). */
export async function openStore(config: Config, metrics?: Metrics): Promise<Store> {
  switch (config.store) {
    case 'sqlite':
      return openSqliteStore({ file: join(config.dataDir, 'menteo.sqlite'), onSync: (s) => metrics?.storeSync.observe(s) });
    case 'mongo':
      throw new Error('STORE=mongo is not available yet: the mongoose adapter has not been built (use STORE=sqlite)');
  }
}
