import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';
import { docStoreContract } from './docs-contract.js';

docStoreContract('sqlite', async () => {
  const temp = tempDir('menteo-docs-');
  const file = join(temp.dir, 'menteo.sqlite');
  let store = openSqliteStore({ file });
  return {
    get store() {
      return store;
    },
    close: () => store.close(),
    async reopen() {
      store = openSqliteStore({ file });
      return store;
    },
    async dispose() {
      await store.close();
      temp.remove();
    },
  };
});
