import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';
import { storeContract } from './contract.js';

storeContract('sqlite', async () => {
  const temp = tempDir('menteo-store-');
  const file = join(temp.dir, 'menteo.sqlite');
  let store = openSqliteStore({ file });
  return {
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = openSqliteStore({ file });
      return store;
    },
    async dispose() {
      await store.close();
      temp.remove();
    },
  };
});
