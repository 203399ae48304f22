import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, collect, connect, emitAck, eventually, newClientId, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('messaging between mentor and mentee', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  const sockets: Socket[] = [];
  const open = async (s: Session) => {
    const socket = await connect(server.url, s.token);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  it('400 concurrent sends from both sides are all acked and seen by both in one identical gapless order', async () => {
    const a = await open(mentor);
    const b = await open(mentee);
    const seenA = collect(a, 'message:new');
    const seenB = collect(b, 'message:new');
    const send = (socket: Socket, who: string, i: number) =>
      emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: `${who}-${i}`, body: `${who} says ${i}` });
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => [send(a, 'mentor', i), send(b, 'mentee', i)]).flat());
    expect(acks.every((ack) => ack.ok)).to.equal(true);
    // The accept left one system message at seq 1; the 400 follow it.
    const ackedSeqs = acks.map((ack) => ack.message.seq).sort((x, y) => x - y);
    expect(ackedSeqs).to.deep.equal(Array.from({ length: 400 }, (_, i) => i + 2));
    const order = (seen: Array<{ message: { seq: number; id: string } }>) =>
      seen.map((e) => e.message).filter((m) => m.seq > 1).sort((x, y) => x.seq - y.seq).map((m) => `${m.seq}:${m.id}`);
    await eventually(() => {
      expect(order(seenA)).to.have.length(400);
      expect(order(seenB)).to.have.length(400);
    });
    expect(order(seenA)).to.deep.equal(order(seenB));
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?after=1&limit=200`, { token: mentee.token });
    const history2 = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?after=201&limit=200`, { token: mentor.token });
    const stored = [...history.body.messages, ...history2.body.messages].map((m: { seq: number; id: string }) => `${m.seq}:${m.id}`);
    expect(stored).to.deep.equal(order(seenA));
    expect(history2.body.hasMore).to.equal(false);
  });

  it('a mentee who was away gets exactly the messages sent meanwhile on room:join {since}', async () => {
    const a = await open(mentor);
    let b = await open(mentee);
    const joined = await emitAck(b, 'room:join', { roomId: room.id });
    expect(joined.ok).to.equal(true);
    const since = joined.room.lastSeq as number;
    b.close();
    for (let i = 0; i < 50; i++) {
      const ack = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: `while away ${i}` });
      expect(ack.ok).to.equal(true);
    }
    b = await open(mentee);
    const caughtUp = await emitAck(b, 'room:join', { roomId: room.id, since });
    expect(caughtUp.ok).to.equal(true);
    expect(caughtUp.messages.map((m: { body: string }) => m.body)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `while away ${i}`));
    expect(caughtUp.messages.map((m: { seq: number }) => m.seq)).to.deep.equal(Array.from({ length: 50 }, (_, i) => since + 1 + i));
    expect(caughtUp.hasMore).to.equal(false);
  });

  it('one clientMsgId sent over socket, then REST, then socket after a reconnect stores one message', async () => {
    const clientMsgId = newClientId();
    let a = await open(mentee);
    const first = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId, body: 'hello once' });
    const viaRest = await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId, body: 'hello once' } });
    a.close();
    a = await open(mentee);
    const third = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId, body: 'hello once' });
    expect(first.ok && third.ok).to.equal(true);
    expect(viaRest.status).to.equal(200);
    for (const m of [viaRest.body.message, third.message]) {
      expect(m.id).to.equal(first.message.id);
      expect(m.seq).to.equal(first.message.seq);
    }
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentor.token });
    expect(history.body.messages.filter((m: { body: string }) => m.body === 'hello once')).to.have.length(1);
  });
});
