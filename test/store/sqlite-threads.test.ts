import { expect } from 'chai';
import { join } from 'node:path';
import { newId, nowIso } from '../../server/ids.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';

describe('thread store: sqlite file', () => {
  it('keeps threads, entries and comments across a reopen, and the migration runs once', async () => {
    const temp = tempDir('menteo-threads-reopen-');
    const file = join(temp.dir, 'menteo.sqlite');
    try {
      let store = openSqliteStore({ file });
      const thread = await store.threads.createThread({ id: newId(), ownerId: 'u', title: 't', visibility: 'public', createdAt: nowIso() });
      const entry = await store.threads.addEntry({ id: newId(), threadId: thread.id, kind: 'progress', body: 'kept', createdAt: nowIso() });
      await store.threads.addComment({ id: newId(), threadId: thread.id, entryId: entry.id, authorId: 'm', body: 'c', createdAt: nowIso() });
      await store.close();
      store = openSqliteStore({ file });
      const page = await store.threads.entries(thread.id, { after: 0, limit: 10 });
      expect(page.items.map((e) => [e.body, e.comments.length])).to.deep.equal([['kept', 1]]);
      // A new entry after the reopen still sorts after the old one in the feed (positions are never reused).
      const later = await store.threads.addEntry({ id: newId(), threadId: thread.id, kind: 'note', body: 'later', createdAt: nowIso() });
      expect((await store.threads.feed({ limit: 10 })).items.map((i) => i.entry.id)).to.deep.equal([later.id, entry.id]);
      await store.close();
    } finally {
      temp.remove();
    }
  });

  it('never reuses the position of a deleted newest entry, so a reader resuming after it still gets the next one', async () => {
    const temp = tempDir('menteo-threads-autoinc-');
    const store = openSqliteStore({ file: join(temp.dir, 'menteo.sqlite') });
    try {
      const thread = await store.threads.createThread({ id: newId(), ownerId: 'u', title: 't', visibility: 'public', createdAt: nowIso() });
      const add = (body: string) => store.threads.addEntry({ id: newId(), threadId: thread.id, kind: 'note', body, createdAt: nowIso() });
      await add('a');
      const b = await add('b');
      const read = await store.threads.entries(thread.id, { after: 0, limit: 10 }); // the reader has seen up to "b"
      await store.threads.deleteEntry(thread.id, b.id);
      await add('c'); // with plain rowids "c" would take b's position, at the reader's cursor, and never be seen
      const since = await store.threads.entries(thread.id, { after: read.last!, limit: 10 });
      expect(since.items.map((e) => e.body)).to.deep.equal(['c']);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
