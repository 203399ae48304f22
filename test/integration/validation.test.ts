import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, emitAck, newClientId, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Everything a client could send wrong, and the code it must get back; nothing stored, server still up. */
describe('input validation', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  let socket: Socket;
  const long = 'x'.repeat(8001);
  const huge = 'y'.repeat(2 * 1024 * 1024);

  before(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
    socket = await connect(server.url, mentee.token);
  });
  after(async () => {
    socket.close();
    await server.stop();
  });

  async function storedCount(): Promise<number> {
    const res = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?limit=200`, { token: mentor.token });
    return res.body.messages.length;
  }

  it('answers each bad socket payload with its code and stores nothing', async () => {
    const before = await storedCount();
    const cases: Array<[string, unknown, string]> = [
      ['message:send', undefined, 'INVALID_INPUT'],
      ['message:send', 'just a string', 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, body: 'no client id' }, 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId() }, 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: 42 }, 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: '   ' }, 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'hi', extra: true }, 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: long }, 'INVALID_INPUT'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: huge }, 'PAYLOAD_TOO_LARGE'],
      ['message:send', { roomId: 'no-such-room', clientMsgId: newClientId(), body: 'hi' }, 'NOT_FOUND'],
      ['message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'hi', replyTo: 'no-such-message' }, 'INVALID_INPUT'],
      ['message:edit', { roomId: room.id, messageId: 'no-such-message', body: 'x' }, 'NOT_FOUND'],
      ['message:edit', { roomId: room.id, body: 'x' }, 'INVALID_INPUT'],
      ['message:delete', { roomId: room.id, messageId: 'no-such-message' }, 'NOT_FOUND'],
      ['message:react', { roomId: room.id, messageId: 'no-such-message', emoji: '👍', on: true }, 'NOT_FOUND'],
      ['message:react', { roomId: room.id, messageId: 'm', emoji: 'two words', on: true }, 'INVALID_INPUT'],
      ['room:join', { roomId: room.id, since: -1 }, 'INVALID_INPUT'],
      ['room:join', { roomId: room.id, since: 'ten' }, 'INVALID_INPUT'],
      ['room:join', { roomId: 'no-such-room' }, 'NOT_FOUND'],
      ['room:join', { roomId: room.id, padding: huge }, 'PAYLOAD_TOO_LARGE'],
      ['room:read', { roomId: room.id, seq: 1.5 }, 'INVALID_INPUT'],
      ['room:leave', {}, 'INVALID_INPUT'],
      ['typing', { roomId: room.id, typing: 'yes' }, 'INVALID_INPUT'],
    ];
    for (const [event, payload, code] of cases) {
      const ack = await emitAck(socket, event, payload);
      expect(ack.ok, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).to.equal(false);
      expect(ack.error.code, `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).to.equal(code);
    }
    expect(await storedCount()).to.equal(before);
    // Still serving, on the same connection.
    const ok = await emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'still here' });
    expect(ok.ok).to.equal(true);
  });

  it('answers each bad REST body with its code and stores nothing', async () => {
    const before = await storedCount();
    const path = `/api/rooms/${room.id}/messages`;
    const t = { token: mentee.token };
    const cases: Array<[string, string, { body?: unknown; rawBody?: string }, number, string]> = [
      ['POST', path, { body: {} }, 400, 'INVALID_INPUT'],
      ['POST', path, { body: { clientMsgId: newClientId(), body: 7 } }, 400, 'INVALID_INPUT'],
      ['POST', path, { body: { clientMsgId: newClientId(), body: long } }, 400, 'INVALID_INPUT'],
      ['POST', path, { rawBody: '{"clientMsgId": "a", "body": ' }, 400, 'INVALID_INPUT'],
      ['POST', path, { body: { clientMsgId: newClientId(), body: huge } }, 413, 'PAYLOAD_TOO_LARGE'],
      ['POST', '/api/rooms/no-such-room/messages', { body: { clientMsgId: newClientId(), body: 'hi' } }, 404, 'NOT_FOUND'],
      ['GET', `${path}?after=-3`, {}, 400, 'INVALID_INPUT'],
      ['GET', `${path}?limit=100000`, {}, 400, 'INVALID_INPUT'],
      ['GET', `${path}?bogus=1`, {}, 400, 'INVALID_INPUT'],
      ['GET', '/api/rooms/no-such-room', {}, 404, 'NOT_FOUND'],
      ['POST', '/api/rooms', { body: { focus: 'no other side' } }, 400, 'INVALID_INPUT'],
      ['POST', '/api/rooms', { body: { mentorId: mentor.user.id, menteeId: mentee.user.id, focus: 'both sides' } }, 400, 'INVALID_INPUT'],
      ['POST', '/api/rooms', { body: { mentorId: 'no-such-user', focus: 'x' } }, 404, 'NOT_FOUND'],
      ['POST', '/api/rooms', { body: { mentorId: mentee.user.id, focus: 'myself' } }, 400, 'INVALID_INPUT'],
      ['PATCH', '/api/me/profile', { body: { mentoring: 'yes' } }, 400, 'INVALID_INPUT'],
      ['GET', '/api/no-such-route', {}, 404, 'NOT_FOUND'],
    ];
    for (const [method, p, opts, status, code] of cases) {
      const res = await api(server.url, method, p, { ...t, ...opts });
      expect(res.status, `${method} ${p}`).to.equal(status);
      expect(res.body.error.code, `${method} ${p}`).to.equal(code);
      expect(res.body.error.message).to.be.a('string');
    }
    const registerCases: unknown[] = [{}, { email: 'not-an-email', password: 'long enough', displayName: 'A' }, { email: 'a@b.test', password: 'short', displayName: 'A' }];
    for (const body of registerCases) {
      const res = await api(server.url, 'POST', '/api/auth/register', { body });
      expect(res.body.error.code).to.equal('INVALID_INPUT');
    }
    expect(await storedCount()).to.equal(before);
    const rooms = await api(server.url, 'GET', '/api/rooms', t);
    expect(rooms.body.rooms).to.have.length(1);
    expect((await api(server.url, 'GET', '/healthz')).status).to.equal(200);
  });
});
