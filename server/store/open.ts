import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Store } from './port.js';
import { openSqliteStore } from './sqlite/index.js';

/** Opens the configured adapter. */
export async function openStore(config: Config): Promise<Store> {
  switch (config.store) {
    case 'sqlite':
      return openSqliteStore({ file: join(config.dataDir, 'menteo.sqlite') });
    case 'mongo':
      throw new Error('STORE=mongo is not available yet: the mongoose adapter has not been built (use STORE=sqlite)');
  }
}
