import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, eventually, newClientId, register, TEST_PASSWORD, type Session } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('account export and deletion (issue 13)', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  let privateThread: string;
  let roomThread: string;
  const sockets: Socket[] = [];
  before(async () => (server = await startServer()));
  after(async () => server.stop());
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));

  beforeEach(async () => {
    mentor = await register(server.url, 'Maya Mentor');
    mentee = await register(server.url, 'Theo Mentee');
    roomId = (await activeRoom(server.url, mentor, mentee)).id;
    const post = (s: Session, body: string) => api(server.url, 'POST', `/api/rooms/${roomId}/messages`, { token: s.token, body: { clientMsgId: newClientId(), body } });
    expect((await post(mentee, 'from the mentee')).status).to.equal(201);
    expect((await post(mentor, 'from the mentor')).status).to.equal(201);
    const thread = (visibility: string) =>
      api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: `${visibility} notes`, visibility, ...(visibility === 'room' && { roomId }) } });
    privateThread = (await thread('private')).body.thread.id;
    roomThread = (await thread('room')).body.thread.id;
    const entry = await api(server.url, 'POST', `/api/threads/${roomThread}/entries`, { token: mentee.token, body: { kind: 'progress', body: 'shipped it' } });
    expect(entry.status).to.equal(201);
    const comment = await api(server.url, 'POST', `/api/threads/${roomThread}/entries/${entry.body.entry.id}/comments`, { token: mentor.token, body: { body: 'well done' } });
    expect(comment.status).to.equal(201);
  });

  it('GET /api/me/export is a JSON download of the profile, rooms, own messages, threads, entries and comments', async () => {
    const res = await fetch(`${server.url}/api/me/export`, { headers: { authorization: `Bearer ${mentee.token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="?menteo-export\.json"?$/);
    const data = (await res.json()) as any;
    expect(data.user).to.include({ id: mentee.user.id, email: mentee.user.email });
    expect(data.user).not.to.have.property('passwordHash');
    expect(data.rooms.map((r: { id: string }) => r.id)).to.deep.equal([roomId]);
    expect(data.messages.map((m: { body: string }) => m.body)).to.deep.equal(['from the mentee']);
    expect(data.threads.map((t: { id: string }) => t.id)).to.have.members([privateThread, roomThread]);
    const withEntry = data.threads.find((t: { id: string }) => t.id === roomThread);
    expect(withEntry.entries.map((e: { body: string; comments: Array<{ body: string }> }) => [e.body, e.comments.map((c) => c.body)])).to.deep.equal([['shipped it', ['well done']]]);
    expect((await api(server.url, 'GET', '/api/me/export')).status).to.equal(401);
  });

  it('GET /api/me/export carries the check-ins, sessions, action items and inbox of issues 15 and 19', async () => {
    const life = new Lifecycle(server.url, roomId);
    const body = contractBody(3);
    Object.assign(body.goals[0]!, { title: 'Mock interviews', metric: 'mock interviews done', target: '6', measure: { unit: 'interviews', baseline: 0, target: 6 } });
    const goalId = Lifecycle.ok(await life.putContract(mentee, body)).contract.goals[0].id;
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    const room = (path: string, s: Session, payload: unknown) => api(server.url, 'POST', `/api/rooms/${roomId}${path}`, { token: s.token, body: payload });
    expect((await room(`/goals/${goalId}/checkins`, mentee, { value: 2, note: 'two done' })).status).to.equal(201);
    expect((await room(`/goals/${goalId}/checkins`, mentor, { value: 3 })).status).to.equal(201);
    const session = (await room('/sessions', mentor, { startsAt: new Date(Date.now() + 86_400_000).toISOString(), agenda: 'Salary talk' })).body.session;
    const item = await room(`/sessions/${session.id}/items`, mentor, { title: 'Research the band', ownerId: mentee.user.id, dueDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) });
    expect(item.status).to.equal(201);
    // The mentor's message while the mentee shows no room lands in her inbox.
    await eventually(async () => {
      const inbox = await api(server.url, 'GET', '/api/notifications', { token: mentee.token });
      expect(inbox.body.notifications.map((n: { kind: string }) => n.kind)).to.include('message');
    });

    const data = (await api(server.url, 'GET', '/api/me/export', { token: mentee.token })).body;
    expect(data.checkins.map((c: { value: number; authorId: string }) => [c.value, c.authorId])).to.deep.equal([[2, mentee.user.id]]);
    expect(data.sessions.map((m: { id: string; agenda: string }) => [m.id, m.agenda])).to.deep.equal([[session.id, 'Salary talk']]);
    expect(data.actionItems.map((i: { title: string; ownerId: string }) => [i.title, i.ownerId])).to.deep.equal([['Research the band', mentee.user.id]]);
    expect(data.notifications.map((n: { kind: string; userId: string }) => [n.kind, n.userId])).to.deep.include(['message', mentee.user.id]);
    expect(data.notificationPrefs).to.have.property('kinds');
    const mentorData = (await api(server.url, 'GET', '/api/me/export', { token: mentor.token })).body;
    expect(mentorData.checkins.map((c: { value: number }) => c.value)).to.deep.equal([3]);
    expect(mentorData.notifications.every((n: { userId: string }) => n.userId === mentor.user.id)).to.equal(true);
  });

  it("GET /api/me/export lists the comments the user wrote on someone else's public entry", async () => {
    const thread = await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'in public', visibility: 'public' } });
    const threadId = thread.body.thread.id;
    const entry = await api(server.url, 'POST', `/api/threads/${threadId}/entries`, { token: mentee.token, body: { kind: 'note', body: 'for everyone' } });
    const entryId = entry.body.entry.id;
    const outsider = await register(server.url, 'Olga Outsider');
    const comment = await api(server.url, 'POST', `/api/threads/${threadId}/entries/${entryId}/comments`, { token: outsider.token, body: { body: 'nice one' } });
    expect(comment.status, JSON.stringify(comment.body)).to.equal(201);
    const res = await api(server.url, 'GET', '/api/me/export', { token: outsider.token });
    expect(res.status).to.equal(200);
    expect(res.body.threads).to.deep.equal([]);
    expect(res.body.comments).to.have.length(1);
    expect(res.body.comments[0]).to.include({ threadId, entryId, body: 'nice one', authorId: outsider.user.id });
    expect(res.body.comments[0].createdAt).to.be.a('string');
    // The mentor's comment on the mentee's room entry is the mentor's, not the mentee's.
    const mentorExport = await api(server.url, 'GET', '/api/me/export', { token: mentor.token });
    expect(mentorExport.body.comments.map((c: { body: string; threadId: string }) => [c.threadId, c.body])).to.deep.equal([[roomThread, 'well done']]);
    expect((await api(server.url, 'GET', '/api/me/export', { token: mentee.token })).body.comments).to.deep.equal([]);
  });

  it('DELETE /api/me refuses a wrong or missing password and changes nothing', async () => {
    for (const body of [{ password: 'not my password' }, {}, { password: TEST_PASSWORD, extra: 1 }]) {
      const res = await api(server.url, 'DELETE', '/api/me', { token: mentee.token, body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
    }
    expect((await api(server.url, 'GET', '/api/me', { token: mentee.token })).body.user.email).to.equal(mentee.user.email);
  });

  it('DELETE /api/me removes personal data, sessions and private threads; the room and the other side history stay, from "Deleted user"', async () => {
    const socket = await connect(server.url, mentee.token);
    sockets.push(socket);
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const res = await api(server.url, 'DELETE', '/api/me', { token: mentee.token, body: { password: TEST_PASSWORD } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await gone).to.equal('io server disconnect');

    expect((await api(server.url, 'GET', '/api/me', { token: mentee.token })).status).to.equal(401);
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: mentee.refreshToken } })).status).to.equal(401);
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { email: mentee.user.email, password: TEST_PASSWORD } })).status).to.equal(401);

    const room = await api(server.url, 'GET', `/api/rooms/${roomId}`, { token: mentor.token });
    expect(room.status).to.equal(200);
    const former = room.body.members.find((m: { id: string }) => m.id === mentee.user.id);
    expect(former.displayName).to.equal('Deleted user');
    expect(former.profile.bio).to.equal('');
    expect(JSON.stringify(room.body)).not.to.include(mentee.user.email);
    const history = await api(server.url, 'GET', `/api/rooms/${roomId}/messages`, { token: mentor.token });
    const theirs = history.body.messages.find((m: { body: string }) => m.body === 'from the mentee');
    expect(theirs.authorId, 'the author id is kept').to.equal(mentee.user.id);
    expect(history.body.messages.map((m: { body: string }) => m.body)).to.include('from the mentor');

    expect((await api(server.url, 'GET', `/api/threads/${roomThread}`, { token: mentor.token })).status).to.equal(200);
    const stored = await server.store.threads.getThread(privateThread);
    expect(stored, 'the private thread is deleted').to.equal(null);
    // The email is free again.
    await eventually(async () => {
      const again = await api(server.url, 'POST', '/api/auth/register', { body: { email: mentee.user.email, password: TEST_PASSWORD, displayName: 'Theo Again' } });
      expect(again.status).to.equal(201);
    });
  });
});
