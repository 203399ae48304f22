import { expect } from 'chai';
import { asyncOutboxStorage, type AsyncKeyValue } from '../../client/src/sdk/index.js';
import { Outbox } from '../../client/src/sdk/outbox.js';

/** An AsyncStorage-like store whose writes resolve only when the test lets them. */
function slowStore(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const pending: (() => void)[] = [];
  const writes: string[] = [];
  const kv: AsyncKeyValue = {
    getItem: async (key) => data.get(key) ?? null,
    setItem: (key, value) =>
      new Promise((resolve) =>
        pending.push(() => {
          data.set(key, value);
          writes.push(value);
          resolve();
        }),
      ),
  };
  const tick = () => new Promise((r) => setImmediate(r));
  /** Lets every write through, including those queued behind the ones released. */
  const releaseAll = async () => {
    for (await tick(); pending.length > 0; await tick()) pending.shift()!();
  };
  return { kv, data, writes, releaseAll };
}

const draft = (clientMsgId: string) => ({ clientMsgId, roomId: 'r1', body: `body ${clientMsgId}`, createdAt: '2026-01-01T00:00:00.000Z' });

describe('sdk asyncOutboxStorage (React Native AsyncStorage-style)', () => {
  it('brings back the unsent entries saved by an earlier run', async () => {
    const store = slowStore();
    const first = new Outbox(await asyncOutboxStorage(store.kv, 'outbox:u1'), () => undefined);
    first.add(draft('a'));
    first.add(draft('b'));
    await store.releaseAll();

    const again = new Outbox(await asyncOutboxStorage(store.kv, 'outbox:u1'), () => undefined);
    expect(again.list().map((e) => [e.clientMsgId, e.status])).to.deep.equal([
      ['a', 'queued'],
      ['b', 'queued'],
    ]);
  });

  it('writes in order and collapses a burst of saves into the latest', async () => {
    const store = slowStore();
    const storage = await asyncOutboxStorage(store.kv, 'k');
    storage.save(['one']);
    await new Promise((r) => setImmediate(r)); // 'one' is being written now
    storage.save(['two']);
    storage.save(['three']);
    expect(storage.load()).to.deep.equal(['three']);
    await store.releaseAll();
    await storage.flushed();
    expect(store.writes).to.deep.equal(['["one"]', '["three"]']);
    expect(store.data.get('k')).to.equal('["three"]');
  });

  it('starts empty on unreadable content and reports it', async () => {
    const errors: unknown[] = [];
    const storage = await asyncOutboxStorage(slowStore({ k: '{not json' }).kv, 'k', (e) => errors.push(e));
    expect(storage.load()).to.deep.equal([]);
    expect(errors).to.have.length(1);
  });
});
