import { expect } from 'chai';
import type { ThreadVisibility } from '../../shared/types.js';
import { activeRoom, api, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Acceptance 1 of issue 5: owner, room member, signed-in stranger, no token × public, room,
 * private × read thread, list, read feed, comment, edit. Every cell is its own test.
 */
type Who = 'owner' | 'member' | 'stranger' | 'no token';
type Action = 'read thread' | 'list' | 'read feed' | 'comment' | 'edit';
const WHO: Who[] = ['owner', 'member', 'stranger', 'no token'];
const VISIBILITIES: ThreadVisibility[] = ['public', 'room', 'private'];

/** `list` is [on the owner's profile listing, in the room's listing]; 401 for no token. */
type Expected = number | boolean | [boolean, boolean];
const matrix: Record<ThreadVisibility, Record<Action, Record<Who, Expected>>> = {
  public: {
    'read thread': { owner: 200, member: 200, stranger: 200, 'no token': 401 },
    list: { owner: [true, true], member: [true, true], stranger: [true, true], 'no token': 401 },
    'read feed': { owner: true, member: true, stranger: true, 'no token': 401 },
    comment: { owner: 201, member: 201, stranger: 201, 'no token': 401 },
    edit: { owner: 200, member: 403, stranger: 403, 'no token': 401 },
  },
  room: {
    'read thread': { owner: 200, member: 200, stranger: 404, 'no token': 401 },
    list: { owner: [true, true], member: [false, true], stranger: [false, false], 'no token': 401 },
    'read feed': { owner: false, member: false, stranger: false, 'no token': 401 },
    comment: { owner: 201, member: 201, stranger: 404, 'no token': 401 },
    edit: { owner: 200, member: 403, stranger: 404, 'no token': 401 },
  },
  private: {
    'read thread': { owner: 200, member: 404, stranger: 404, 'no token': 401 },
    list: { owner: [true, true], member: [false, false], stranger: [false, false], 'no token': 401 },
    'read feed': { owner: false, member: false, stranger: false, 'no token': 401 },
    comment: { owner: 201, member: 404, stranger: 404, 'no token': 401 },
    edit: { owner: 200, member: 404, stranger: 404, 'no token': 401 },
  },
};

describe('growth thread visibility matrix', () => {
  let server: TestServer;
  let sessions: Record<Exclude<Who, 'no token'>, Session>;
  let roomId: string;
  const threads = {} as Record<ThreadVisibility, { threadId: string; entryId: string }>;
  const token = (who: Who) => (who === 'no token' ? undefined : sessions[who].token);
  const call = (who: Who, method: string, path: string, body?: unknown) =>
    api(server.url, method, path, { ...(token(who) ? { token: token(who)! } : {}), ...(body !== undefined ? { body } : {}) });
  /** The thread as its owner sees it (the ground truth after each attempt). */
  const asOwner = async (visibility: ThreadVisibility) => (await call('owner', 'GET', `/api/threads/${threads[visibility].threadId}`)).body;

  before(async () => {
    server = await startServer();
    const owner = await register(server.url, 'Mentee');
    const member = await register(server.url, 'Mentor');
    const stranger = await register(server.url, 'Stranger');
    sessions = { owner, member, stranger };
    roomId = (await activeRoom(server.url, member, owner)).id;
    for (const visibility of VISIBILITIES) {
      const t = await call('owner', 'POST', '/api/threads', { title: `${visibility} journey`, visibility, roomId });
      expect(t.status).to.equal(201);
      const e = await call('owner', 'POST', `/api/threads/${t.body.thread.id}/entries`, { kind: 'assumption', body: `${visibility}: estimates are promises` });
      expect(e.status).to.equal(201);
      threads[visibility] = { threadId: t.body.thread.id, entryId: e.body.entry.id };
    }
  });
  after(async () => server.stop());

  const check: Record<Action, (who: Who, visibility: ThreadVisibility, expected: Expected) => Promise<void>> = {
    async 'read thread'(who, visibility, expected) {
      const res = await call(who, 'GET', `/api/threads/${threads[visibility].threadId}`);
      expect(res.status).to.equal(expected);
      if (res.status === 200) expect(res.body.entries.map((e: { id: string }) => e.id)).to.include(threads[visibility].entryId);
      else expect(JSON.stringify(res.body)).to.not.include('journey'); // a refusal carries nothing of the thread
    },
    async list(who, visibility, expected) {
      const profile = await call(who, 'GET', `/api/users/${sessions.owner.user.id}/threads`);
      const inRoom = await call(who, 'GET', `/api/threads?roomId=${roomId}`);
      if (expected === 401) {
        expect([profile.status, inRoom.status]).to.deep.equal([401, 401]);
        return;
      }
      const has = (res: { body: { threads: Array<{ id: string }> } }) => res.body.threads.some((t) => t.id === threads[visibility].threadId);
      expect([profile.status, inRoom.status]).to.deep.equal([200, 200]);
      expect([has(profile), has(inRoom)]).to.deep.equal(expected);
    },
    async 'read feed'(who, visibility, expected) {
      const res = await call(who, 'GET', '/api/feed?limit=100');
      if (expected === 401) {
        expect(res.status).to.equal(401);
        return;
      }
      expect(res.status).to.equal(200);
      expect(res.body.nextCursor).to.equal(null);
      expect(res.body.items.every((i: { thread: { visibility: string } }) => i.thread.visibility === 'public')).to.equal(true);
      expect(res.body.items.some((i: { entry: { id: string } }) => i.entry.id === threads[visibility].entryId)).to.equal(expected);
    },
    async comment(who, visibility, expected) {
      const { threadId, entryId } = threads[visibility];
      const body = `feedback from ${who} on ${visibility}`;
      const res = await call(who, 'POST', `/api/threads/${threadId}/entries/${entryId}/comments`, { body });
      expect(res.status).to.equal(expected);
      const stored = (await asOwner(visibility)).entries.find((e: { id: string }) => e.id === entryId).comments.map((c: { body: string }) => c.body);
      expect(stored.includes(body)).to.equal(expected === 201);
    },
    async edit(who, visibility, expected) {
      const { threadId, entryId } = threads[visibility];
      const before = await asOwner(visibility);
      const title = `renamed by ${who}`;
      const body = `rewritten by ${who}`;
      const attempts = [
        await call(who, 'PATCH', `/api/threads/${threadId}`, { title }),
        await call(who, 'PATCH', `/api/threads/${threadId}/entries/${entryId}`, { body }),
      ];
      expect(attempts.map((r) => r.status)).to.deep.equal([expected, expected]);
      if (expected !== 200) {
        // Adding and deleting are edits too: refused the same way, and nothing changes.
        const more = [
          await call(who, 'POST', `/api/threads/${threadId}/entries`, { kind: 'note', body }),
          await call(who, 'DELETE', `/api/threads/${threadId}/entries/${entryId}`),
          await call(who, 'DELETE', `/api/threads/${threadId}`),
        ];
        expect(more.map((r) => r.status)).to.deep.equal([expected, expected, expected]);
        expect(await asOwner(visibility)).to.deep.equal(before);
        return;
      }
      const after = await asOwner(visibility);
      expect(after.thread.title).to.equal(title);
      expect(after.entries.find((e: { id: string }) => e.id === entryId).body).to.equal(body);
    },
  };

  for (const visibility of VISIBILITIES) {
    for (const action of Object.keys(matrix[visibility]) as Action[]) {
      // The owner's edit goes last in each row: it renames the thread the other cells look at.
      for (const who of action === 'edit' ? [...WHO.slice(1), WHO[0]!] : WHO) {
        const expected = matrix[visibility][action][who];
        it(`${who} × ${visibility} × ${action} → ${JSON.stringify(expected)}`, () => check[action](who, visibility, expected));
      }
    }
  }

  it('private and room threads never appear in the feed or in another user’s listing', async () => {
    const hidden = [threads.room.threadId, threads.private.threadId];
    for (const who of ['member', 'stranger'] as const) {
      const listing = await call(who, 'GET', `/api/users/${sessions.owner.user.id}/threads`);
      expect(listing.body.threads.map((t: { id: string }) => t.id)).to.not.include(threads.room.threadId);
      expect(listing.body.threads.map((t: { id: string }) => t.id)).to.not.include(threads.private.threadId);
      const feed = await call(who, 'GET', '/api/feed?limit=100');
      for (const item of feed.body.items as Array<{ thread: { id: string } }>) expect(hidden).to.not.include(item.thread.id);
    }
  });
});

describe('growth thread comments: who may change them', () => {
  let server: TestServer;
  let owner: Session;
  let mentor: Session;
  let stranger: Session;
  let base: string;

  beforeEach(async () => {
    server = await startServer();
    owner = await register(server.url, 'Mentee');
    mentor = await register(server.url, 'Mentor');
    stranger = await register(server.url, 'Stranger');
    const room = await activeRoom(server.url, mentor, owner);
    const t = await api(server.url, 'POST', '/api/threads', { token: owner.token, body: { title: 'In public', visibility: 'public', roomId: room.id } });
    const e = await api(server.url, 'POST', `/api/threads/${t.body.thread.id}/entries`, { token: owner.token, body: { kind: 'failure', body: 'Missed the launch' } });
    base = `/api/threads/${t.body.thread.id}/entries/${e.body.entry.id}/comments`;
  });
  afterEach(async () => server.stop());

  const commentBy = async (s: Session, body: string) => (await api(server.url, 'POST', base, { token: s.token, body: { body } })).body.comment.id as string;
  const commentsSeen = async () => {
    const thread = await api(server.url, 'GET', base.replace(/\/entries\/.*$/, ''), { token: owner.token });
    return thread.body.entries[0].comments.map((c: { body: string }) => c.body);
  };

  it('only the author edits a comment; the thread owner and the mentor are refused', async () => {
    const id = await commentBy(stranger, 'first take');
    for (const s of [owner, mentor]) {
      const res = await api(server.url, 'PATCH', `${base}/${id}`, { token: s.token, body: { body: 'not yours' } });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    }
    const edited = await api(server.url, 'PATCH', `${base}/${id}`, { token: stranger.token, body: { body: 'second take' } });
    expect(edited.status).to.equal(200);
    expect(edited.body.comment.editedAt).to.be.a('string');
    expect(await commentsSeen()).to.deep.equal(['second take']);
  });

  it("the thread owner may delete a stranger's comment on their thread; the mentor may not", async () => {
    const id = await commentBy(stranger, 'rude remark');
    const byMentor = await api(server.url, 'DELETE', `${base}/${id}`, { token: mentor.token });
    expect(byMentor.status).to.equal(403);
    expect(await commentsSeen()).to.deep.equal(['rude remark']);
    const byOwner = await api(server.url, 'DELETE', `${base}/${id}`, { token: owner.token });
    expect(byOwner.status).to.equal(200);
    expect(await commentsSeen()).to.deep.equal([]);
  });

  it('an author deletes their own comment; a comment id from another entry is not found', async () => {
    const id = await commentBy(mentor, 'good call');
    const wrongEntry = base.replace(/entries\/[^/]+/, 'entries/nope');
    expect((await api(server.url, 'DELETE', `${wrongEntry}/${id}`, { token: mentor.token })).status).to.equal(404);
    expect((await api(server.url, 'DELETE', `${base}/${id}`, { token: mentor.token })).status).to.equal(200);
    expect((await api(server.url, 'DELETE', `${base}/${id}`, { token: mentor.token })).status).to.equal(404);
  });
});
