import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';
import { storeContract } from './contract.js';

const dirs: Array<() => void> = [];
after(() => dirs.forEach((remove) => remove()));

storeContract('sqlite', async () => {
  const { dir, remove } = tempDir('menteo-store-');
  dirs.push(remove);
  return openSqliteStore({ file: join(dir, 'menteo.sqlite') });
});
