import { expect } from 'chai';
import { Limits } from '../../shared/limits.js';
import { api, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface FeedPage {
  items: Array<{ entry: { id: string; body: string }; thread: { id: string; visibility: string }; owner: { id: string; displayName: string } }>;
  nextCursor: string | null;
}

describe('the public feed', () => {
  let server: TestServer;
  let ada: Session;
  let bo: Session;
  const createThread = async (s: Session, visibility: 'public' | 'private') =>
    (await api(server.url, 'POST', '/api/threads', { token: s.token, body: { title: `${visibility} by ${s.user.displayName}`, visibility } })).body.thread.id as string;
  const addEntry = async (s: Session, threadId: string, body: string) => {
    const res = await api(server.url, 'POST', `/api/threads/${threadId}/entries`, { token: s.token, body: { kind: 'progress', body } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.entry.id as string;
  };
  const page = async (s: Session, cursor: string | null, limit: number) =>
    (await api<FeedPage>(server.url, 'GET', `/api/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token: s.token })).body;
  const wholeFeed = async (s: Session, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const p: FeedPage = await page(s, cursor, limit);
      ids.push(...p.items.map((i) => i.entry.id));
      cursor = p.nextCursor;
    } while (cursor);
    return ids;
  };

  beforeEach(async () => {
    server = await startServer();
    ada = await register(server.url, 'Ada');
    bo = await register(server.url, 'Bo');
  });
  afterEach(async () => server.stop());

  it('pages every public entry exactly once, newest first, while new entries keep being added', async () => {
    const threads = [await createThread(ada, 'public'), await createThread(bo, 'public')];
    const hidden = await createThread(ada, 'private');
    const owners = [ada, bo];
    const seeded: string[] = []; // creation order
    for (let i = 0; i < 60; i++) {
      seeded.push(await addEntry(owners[i % 2]!, threads[i % 2]!, `seeded ${i}`));
      if (i % 3 === 0) await addEntry(ada, hidden, `private ${i}`);
    }

    // A writer keeps adding public and private entries until the reader is done; each public
    // write wakes the reader, which only asks for its next page after at least one more landed.
    const added: string[] = [];
    let stop = false;
    let wake: () => void = () => {};
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        added.push(await addEntry(owners[i % 2]!, threads[i % 2]!, `added ${i}`));
        await addEntry(ada, hidden, `private added ${i}`);
        wake();
      }
    })();
    const landed = () => new Promise<void>((resolve) => (wake = resolve));

    const pages: FeedPage[] = [];
    let cursor: string | null = null;
    let addedBeforeFirstPage = -1;
    do {
      if (pages.length > 0) await landed();
      const before = added.length;
      const p: FeedPage = await page(bo, cursor, 7);
      if (pages.length === 0) addedBeforeFirstPage = before;
      pages.push(p);
      cursor = p.nextCursor;
    } while (cursor);
    stop = true;
    await writer;

    const seen = pages.flatMap((p) => p.items.map((i) => i.entry.id));
    expect(pages.length).to.be.greaterThan(8);
    expect(added.length, 'entries were added while paging').to.be.at.least(pages.length - 1);
    expect(new Set(seen).size, 'no entry twice').to.equal(seen.length);
    expect(pages.flatMap((p) => p.items).every((i) => i.thread.visibility === 'public' && i.thread.id !== hidden)).to.equal(true);
    // Every entry that existed when paging began, exactly once, newest first; entries added during
    // paging land above the first page (some may make it into the first page, none later).
    const fromSeed = seen.filter((id) => seeded.includes(id));
    expect(fromSeed).to.deep.equal([...seeded].reverse());
    const early = seen.slice(0, seen.length - seeded.length);
    expect(seen.slice(early.length)).to.deep.equal([...seeded].reverse());
    expect(early.length).to.be.at.most(7);
    expect(early).to.deep.equal(added.slice(0, early.length).reverse());
    expect(early.length).to.be.at.least(Math.min(addedBeforeFirstPage, 7));

    // Once the writer stopped, a fresh read has everything public, exactly once, newest first.
    expect(await wholeFeed(ada, 13)).to.deep.equal([...seeded, ...added].reverse());
  });

  it('names each entry’s thread and owner', async () => {
    const t = await createThread(ada, 'public');
    const id = await addEntry(ada, t, 'Shipped the first **release**');
    const first = await page(bo, null, 5);
    expect(first.items).to.have.length(1);
    expect(first.items[0]!.entry).to.include({ id, body: 'Shipped the first **release**' });
    expect(first.items[0]!.owner).to.deep.equal({ id: ada.user.id, displayName: 'Ada' });
    expect(first.items[0]!.thread.id).to.equal(t);
  });

  it('drops deleted entries and entries of a thread that stops being public, and brings them back when it is public again', async () => {
    const stays = await createThread(ada, 'public');
    const toggles = await createThread(bo, 'public');
    const kept = await addEntry(ada, stays, 'kept');
    const removed = await addEntry(ada, stays, 'removed');
    const toggled = await addEntry(bo, toggles, 'toggled');
    expect((await api(server.url, 'DELETE', `/api/threads/${stays}/entries/${removed}`, { token: ada.token })).status).to.equal(200);
    expect((await api(server.url, 'PATCH', `/api/threads/${toggles}`, { token: bo.token, body: { visibility: 'private' } })).status).to.equal(200);
    expect(await wholeFeed(ada, 10)).to.deep.equal([kept]);
    await api(server.url, 'PATCH', `/api/threads/${toggles}`, { token: bo.token, body: { visibility: 'public' } });
    expect(await wholeFeed(ada, 10)).to.deep.equal([toggled, kept]);
    expect((await api(server.url, 'DELETE', `/api/threads/${toggles}`, { token: bo.token })).status).to.equal(200);
    expect(await wholeFeed(ada, 10)).to.deep.equal([kept]);
  });

  it('refuses a cursor it did not hand out and a page size out of bounds', async () => {
    for (const query of ['cursor=abc', 'cursor=-1', `limit=${Limits.feedPageMax + 1}`, 'limit=0', 'sort=oldest']) {
      const res = await api(server.url, 'GET', `/api/feed?${query}`, { token: ada.token });
      expect(res.status, query).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
    }
  });
});
