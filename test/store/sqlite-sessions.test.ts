import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';
import { sessionStoreContract } from './sessions-contract.js';

sessionStoreContract('sqlite', async () => {
  const temp = tempDir('menteo-sessions-store-');
  const store = openSqliteStore({ file: join(temp.dir, 'menteo.sqlite') });
  return {
    store,
    close: async () => {
      await store.close();
      temp.remove();
    },
  };
});
