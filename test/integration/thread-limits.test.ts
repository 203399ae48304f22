/**
 * Issue 13: a stranger posted 800 × 4,000-character comments on someone's public entry in 2.7 s,
 * after which the entry's thread page weighed 3.3 MB. Comments are capped per entry and per user
 * per minute, and a thread read is paged by bytes.
 */
import { expect } from 'chai';
import { ServerLimits } from '../../server/limits.js';
import { Limits } from '../../shared/limits.js';
import { api, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('limits on what strangers may write on threads (issue 13)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let owner: Session;
  before(async () => {
    server = await startServer();
    owner = await register(server.url, 'Owner');
  });
  after(() => server.stop());

  const publicEntry = async () => {
    const thread = (await api(server.url, 'POST', '/api/threads', { token: owner.token, body: { title: 'Open', visibility: 'public' } })).body.thread;
    const entry = (await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: owner.token, body: { kind: 'note', body: 'hi' } })).body.entry;
    return { thread, entry };
  };
  const comment = (token: string, threadId: string, entryId: string, body = 'c'.repeat(4000)) =>
    api(server.url, 'POST', `/api/threads/${threadId}/entries/${entryId}/comments`, { token, body: { body } });

  it(`refuses a user's comments past ${ServerLimits.commentsPerUserPerMinute} a minute with 429, storing none of them`, async () => {
    const stranger = await register(server.url, 'Stranger');
    const { thread, entry } = await publicEntry();
    const statuses: number[] = [];
    for (let i = 0; i < ServerLimits.commentsPerUserPerMinute + 5; i++) statuses.push((await comment(stranger.token, thread.id, entry.id)).status);
    expect(statuses.filter((s) => s === 201)).to.have.length(ServerLimits.commentsPerUserPerMinute);
    expect(statuses.slice(ServerLimits.commentsPerUserPerMinute)).to.deep.equal([429, 429, 429, 429, 429]);
    const read = await api(server.url, 'GET', `/api/threads/${thread.id}`, { token: owner.token });
    expect(read.body.entries[0].commentCount).to.equal(ServerLimits.commentsPerUserPerMinute);
    // Another user is not affected.
    expect((await comment(owner.token, thread.id, entry.id, 'thanks')).status).to.equal(201);
  });

  it(`refuses comments past ${ServerLimits.commentsPerEntry} on one entry (GUARD_FAILED comments-per-entry)`, async () => {
    const { thread, entry } = await publicEntry();
    // Written to the store directly up to the cap: through REST the per-user rate would take 25 minutes.
    for (let i = 0; i < ServerLimits.commentsPerEntry; i++) {
      await server.store.threads.addComment({ id: `c${i}`, threadId: thread.id, entryId: entry.id, authorId: owner.user.id, body: 'x', createdAt: new Date().toISOString() });
    }
    const res = await comment((await register(server.url, 'Late')).token, thread.id, entry.id, 'one more');
    expect(res.status).to.equal(409);
    expect(res.body.error).to.deep.include({ code: 'GUARD_FAILED', details: { guard: 'comments-per-entry' } });
  });

  it(`pages a thread read by bytes (about ${ServerLimits.threadPageBytes / 1024} KB), and the cursor reads every entry exactly once`, async () => {
    const thread = (await api(server.url, 'POST', '/api/threads', { token: owner.token, body: { title: 'Long', visibility: 'public' } })).body.thread;
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: owner.token, body: { kind: 'note', body: `${i} `.padEnd(19_000, 'x') } });
      ids.push(res.body.entry.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const res = await fetch(`${server.url}/api/threads/${thread.id}?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${owner.token}` } });
      const text = await res.text();
      expect(Buffer.byteLength(text)).to.be.below(ServerLimits.threadPageBytes + 25_000); // the budget plus one entry's slack
      const body = JSON.parse(text) as { entries: Array<{ id: string }>; nextCursor: string | null; hasMore: boolean };
      expect(body.entries.length).to.be.greaterThan(0);
      seen.push(...body.entries.map((e) => e.id));
      cursor = body.nextCursor;
      if (!body.hasMore) break;
    }
    expect(seen).to.deep.equal(ids);
  });

  it(`inlines the latest ${Limits.commentsInline} of an entry's 60 comments with the count; the comments route pages the other 40 exactly once, in order`, async () => {
    const { thread, entry } = await publicEntry();
    const ids: string[] = [];
    // Through the store: the per-user rate would make 60 REST comments take minutes.
    for (let i = 0; i < 60; i++) {
      const c = await server.store.threads.addComment({ id: `p${i}`, threadId: thread.id, entryId: entry.id, authorId: owner.user.id, body: `comment ${i}`, createdAt: new Date().toISOString() });
      ids.push(c.id);
    }
    const read = (await api(server.url, 'GET', `/api/threads/${thread.id}`, { token: owner.token })).body.entries[0];
    expect(read.commentCount).to.equal(60);
    expect(read.comments.map((c: { id: string }) => c.id)).to.deep.equal(ids.slice(40));
    const older: string[] = [];
    let cursor: string | null = read.commentsCursor;
    for (let pages = 0; cursor !== null && pages < 20; pages++) {
      const res = await api(server.url, 'GET', `/api/threads/${thread.id}/entries/${entry.id}/comments?before=${cursor}&limit=15`, { token: owner.token });
      expect(res.status).to.equal(200);
      expect(res.body.comments.length).to.be.within(1, 15);
      older.unshift(...res.body.comments.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    }
    expect(older).to.deep.equal(ids.slice(0, 40));
    // Bad query input is refused with a code, not a crash.
    const bad = await api(server.url, 'GET', `/api/threads/${thread.id}/entries/${entry.id}/comments?before=abc&limit=0`, { token: owner.token });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('INVALID_INPUT');
    const missing = await api(server.url, 'GET', `/api/threads/${thread.id}/entries/nope/comments`, { token: owner.token });
    expect(missing.body.error.code).to.equal('NOT_FOUND');
  });

  it("gives a stranger NOT_FOUND for a private thread's comments, as the thread read does", async () => {
    const thread = (await api(server.url, 'POST', '/api/threads', { token: owner.token, body: { title: 'Mine', visibility: 'private' } })).body.thread;
    const entry = (await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: owner.token, body: { kind: 'note', body: 'secret' } })).body.entry;
    expect((await comment(owner.token, thread.id, entry.id, 'note to self')).status).to.equal(201);
    const stranger = await register(server.url, 'Nosy');
    const read = await api(server.url, 'GET', `/api/threads/${thread.id}`, { token: stranger.token });
    const res = await api(server.url, 'GET', `/api/threads/${thread.id}/entries/${entry.id}/comments`, { token: stranger.token });
    expect(res.status).to.equal(read.status);
    expect(res.body.error.code).to.equal('NOT_FOUND');
    expect(res.body).to.not.have.property('comments');
    const mine = await api(server.url, 'GET', `/api/threads/${thread.id}/entries/${entry.id}/comments`, { token: owner.token });
    expect(mine.body).to.deep.include({ nextCursor: null });
    expect(mine.body.comments.map((c: { body: string }) => c.body)).to.deep.equal(['note to self']);
  });
});
