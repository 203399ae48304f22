import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { api, collect, emitAck, eventually, newClientId } from '../helpers/clients.js';
import { useRoomFixture } from '../helpers/room.js';

describe('messaging between mentor and mentee', () => {
  const fx = useRoomFixture();

  it('400 concurrent sends from both sides are all acked and seen by both in one identical gapless order', async function () {
    // Throughput-bound on the MongoDB emulator (it serialises transactions, beside another suite's
    // worker): the acks get the whole test's time, the assertion is that every one arrives.
    this.timeout(40_000);
    const { server, mentor, mentee, room } = fx;
    const a = await fx.socket(mentor);
    const b = await fx.socket(mentee);
    const seenA = collect(a, 'message:new');
    const seenB = collect(b, 'message:new');
    const send = (socket: Socket, who: string, i: number) =>
      emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: `${who}-${i}`, body: `${who} says ${i}` }, 30_000);
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => [send(a, 'mentor', i), send(b, 'mentee', i)]).flat());
    expect(acks.filter((ack) => !ack.ok)).to.deep.equal([]);
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
    const { mentor, mentee, room } = fx;
    const a = await fx.socket(mentor);
    let b = await fx.socket(mentee);
    const joined = await emitAck(b, 'room:join', { roomId: room.id });
    expect(joined.ok).to.equal(true);
    const since = joined.room.lastSeq as number;
    b.close();
    for (let i = 0; i < 50; i++) {
      const ack = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: `while away ${i}` });
      expect(ack.ok).to.equal(true);
    }
    b = await fx.socket(mentee);
    const caughtUp = await emitAck(b, 'room:join', { roomId: room.id, since });
    expect(caughtUp.ok).to.equal(true);
    expect(caughtUp.messages.map((m: { body: string }) => m.body)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `while away ${i}`));
    expect(caughtUp.messages.map((m: { seq: number }) => m.seq)).to.deep.equal(Array.from({ length: 50 }, (_, i) => since + 1 + i));
    expect(caughtUp.hasMore).to.equal(false);
  });

  it('one clientMsgId sent over socket, then REST, then socket after a reconnect stores one message', async () => {
    const { server, mentor, mentee, room } = fx;
    const clientMsgId = newClientId();
    let a = await fx.socket(mentee);
    const first = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId, body: 'hello once' });
    const viaRest = await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId, body: 'hello once' } });
    a.close();
    a = await fx.socket(mentee);
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
