import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, emitAck, newClientId, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('access control on rooms', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let stranger: Session;
  let room: { id: string };
  let messageId: string;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = await startServer();
    [mentor, mentee, stranger] = await Promise.all([register(server.url, 'Mentor'), register(server.url, 'Mentee'), register(server.url, 'Stranger')]);
    room = await activeRoom(server.url, mentor!, mentee!);
    const sent = await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee!.token, body: { clientMsgId: 'c1', body: 'private words' } });
    messageId = sent.body.message.id;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  const restRoutes = (id: string): Array<[string, string, unknown?]> => [
    ['GET', `/api/rooms/${id}`],
    ['GET', `/api/rooms/${id}/messages`],
    ['POST', `/api/rooms/${id}/messages`, { clientMsgId: newClientId(), body: 'intrusion' }],
    ['POST', `/api/rooms/${id}/accept`],
    ['POST', `/api/rooms/${id}/decline`],
  ];

  it('answers FORBIDDEN to a signed-in non-member on every room route, and stores nothing', async () => {
    for (const [method, path, body] of restRoutes(room.id)) {
      const res = await api(server.url, method, path, { token: stranger.token, body });
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
      expect(JSON.stringify(res.body)).not.to.contain('private words');
    }
    const listed = await api(server.url, 'GET', '/api/rooms', { token: stranger.token });
    expect(listed.body.rooms).to.deep.equal([]);
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentor.token });
    expect(history.body.messages.map((m: { body: string }) => m.body)).to.deep.equal(['The mentorship request was accepted. Stage: Initiation.', 'private words']);
  });

  it('answers FORBIDDEN to a non-member on every socket event, and the member sees nothing', async () => {
    const intruder = await connect(server.url, stranger.token);
    const member = await connect(server.url, mentor.token);
    sockets.push(intruder, member);
    const leaked: unknown[] = [];
    intruder.onAny((event, payload) => leaked.push({ event, payload }));
    const noise: unknown[] = [];
    member.onAny((event, payload) => noise.push({ event, payload }));
    const events: Array<[string, unknown]> = [
      ['room:join', { roomId: room.id, since: 0 }],
      ['room:leave', { roomId: room.id }],
      ['room:read', { roomId: room.id, seq: 1 }],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'intrusion' }],
      ['message:edit', { roomId: room.id, messageId, body: 'defaced' }],
      ['message:delete', { roomId: room.id, messageId }],
      ['message:react', { roomId: room.id, messageId, emoji: '💩', on: true }],
      ['typing', { roomId: room.id, typing: true }],
    ];
    for (const [event, payload] of events) {
      const ack = await emitAck(intruder, event, payload);
      expect(ack, event).to.deep.include({ ok: false });
      expect(ack.error.code, event).to.equal('FORBIDDEN');
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(leaked).to.deep.equal([]);
    expect(noise).to.deep.equal([]);
    const stored = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentor.token });
    const mine = stored.body.messages.find((m: { id: string }) => m.id === messageId);
    expect(mine).to.deep.include({ body: 'private words', reactions: {} });
    expect(stored.body.messages).to.have.length(2);
  });

  it('lets only the invited side answer a request', async () => {
    // A mentor the mentee has no room with yet (a second open room per pair is refused).
    const other = await register(server.url, 'Other Mentor');
    const pending = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: other.user.id, focus: 'Raise a seed round' } });
    const byRequester = await api(server.url, 'POST', `/api/rooms/${pending.body.room.id}/accept`, { token: mentee.token });
    expect(byRequester.status).to.equal(403);
    const byInvited = await api(server.url, 'POST', `/api/rooms/${pending.body.room.id}/accept`, { token: other.token });
    expect(byInvited.body.room).to.include({ status: 'active', stage: 'initiation' });
    const twice = await api(server.url, 'POST', `/api/rooms/${pending.body.room.id}/decline`, { token: other.token });
    expect(twice.body.error.code).to.equal('GUARD_FAILED');
  });

  it('answers UNAUTHENTICATED without a token or with a bad one, on REST and on the socket handshake', async () => {
    const forged = `${mentor.token.slice(0, -4)}AAAA`;
    for (const token of [undefined, 'not-a-jwt', forged]) {
      for (const [method, path, body] of [...restRoutes(room.id), ['GET', '/api/rooms'], ['GET', '/api/me']] as Array<[string, string, unknown?]>) {
        const res = await api(server.url, method, path, { token, body });
        expect(res.status, `${method} ${path} with ${token}`).to.equal(401);
        expect(res.body.error.code).to.equal('UNAUTHENTICATED');
      }
      try {
        sockets.push(await connect(server.url, token));
        expect.fail('the handshake should have been refused');
      } catch (err) {
        expect((err as Error).message).to.equal('UNAUTHENTICATED');
        expect((err as { data?: { code?: string } }).data?.code).to.equal('UNAUTHENTICATED');
      }
    }
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    const wrong = await api(server.url, 'POST', '/api/auth/login', { body: { email: mentor.user.email, password: 'wrong password' } });
    const unknown = await api(server.url, 'POST', '/api/auth/login', { body: { email: 'nobody@example.test', password: 'wrong password' } });
    expect(wrong.status).to.equal(401);
    expect(unknown.body).to.deep.equal(wrong.body);
    const right = await api(server.url, 'POST', '/api/auth/login', { body: { email: mentor.user.email.toUpperCase(), password: 'correct horse battery' } });
    expect(right.status).to.equal(200);
    expect(right.body.user.id).to.equal(mentor.user.id);
    expect(right.body.user).not.to.have.property('passwordHash');
  });

  it('refuses further logins for an email from a client after its ten failures, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await api(server.url, 'POST', '/api/auth/login', { body: { email: mentee.user.email, password: `guess ${i}` } });
      expect(res.body.error.code).to.equal('UNAUTHENTICATED');
    }
    const locked = await api(server.url, 'POST', '/api/auth/login', { body: { email: mentee.user.email, password: 'correct horse battery' } });
    expect(locked.status).to.equal(429);
    expect(locked.body.error.code).to.equal('RATE_LIMITED');
    const other = await api(server.url, 'POST', '/api/auth/login', { body: { email: mentor.user.email, password: 'correct horse battery' } });
    expect(other.status).to.equal(200);
  });

  it('rate-limits a flooding connection with RATE_LIMITED acks and stores only what it acked', async () => {
    const flood = await connect(server.url, mentee.token);
    sockets.push(flood);
    const acks = await Promise.all(
      Array.from({ length: 260 }, (_, i) => emitAck(flood, 'message:send', { roomId: room.id, clientMsgId: `flood-${i}`, body: `flood ${i}` })),
    );
    const limited = acks.filter((a) => !a.ok);
    expect(limited.length).to.be.greaterThan(0);
    expect(limited.every((a) => a.error.code === 'RATE_LIMITED')).to.equal(true);
    const stored = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?limit=200&after=2`, { token: mentor.token });
    const storedAfter = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?limit=200&after=202`, { token: mentor.token });
    expect(stored.body.messages.length + storedAfter.body.messages.length).to.equal(acks.length - limited.length);
  });
});
