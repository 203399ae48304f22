/**
 * The one store contract: every Store port method, run against every adapter with the same tests
 * (test/store/sqlite.test.ts; test/store/mongo.test.ts on the emulator or a real MONGODB_URL).
 * `open` gives a fresh, empty store each test; the suite disposes of it afterwards.
 * Sections live in test/store/contract/ (one file per part of the port).
 */
import type { OpenedStore } from './contract/fixtures.js';
import { accountabilityContract } from './contract/accountability.js';
import { coreContract } from './contract/core.js';
import { docsContract } from './contract/docs.js';
import { notificationsContract } from './contract/notifications.js';
import { searchContract } from './contract/search.js';
import { sessionsContract } from './contract/sessions.js';
import { templatesContract } from './contract/templates.js';
import { threadsContract } from './contract/threads.js';
import type { ContractContext } from './contract/fixtures.js';

export type { OpenedStore } from './contract/fixtures.js';
export { sampleRoom, sampleUser } from './contract/fixtures.js';

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${name}`, () => {
    const ctx = {} as ContractContext;
    beforeEach(async () => {
      ctx.opened = await open();
      ctx.store = ctx.opened.store;
    });
    afterEach(() => ctx.opened.dispose());

    coreContract(ctx);
    searchContract(ctx);
    docsContract(ctx);
    threadsContract(ctx);
    sessionsContract(ctx);
    notificationsContract(ctx);
    accountabilityContract(ctx);
    templatesContract(ctx);
  });
}
