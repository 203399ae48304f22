import { expect } from 'chai';
import { activeRoom, api, emitAck, newClientId, register } from '../helpers/clients.js';
import { useRoomFixture } from '../helpers/room.js';

/** message:send checks membership and room status through the lean access read (RoomStore.access). */
describe('message:send access checks', () => {
  const fx = useRoomFixture({ room: 'none' });
  const history = async (roomId: string) => (await api(fx.server.url, 'GET', `/api/rooms/${roomId}/messages`, { token: fx.mentor.token })).body.messages as Array<{ body: string }>;

  it('refuses a stranger with FORBIDDEN and stores nothing', async () => {
    const { server, mentor, mentee } = fx;
    const room = await activeRoom(server.url, mentor, mentee);
    const stranger = await register(server.url, 'Stranger');
    const ack = await emitAck(await fx.socket(stranger), 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'let me in' });
    expect(ack).to.deep.include({ ok: false });
    expect(ack.error.code).to.equal('FORBIDDEN');
    expect((await history(room.id)).map((m) => m.body)).to.not.include('let me in');
  });

  it('answers NOT_FOUND for a room that does not exist', async () => {
    const { mentor } = fx;
    const ack = await emitAck(await fx.socket(mentor), 'message:send', { roomId: 'no-such-room', clientMsgId: newClientId(), body: 'hello?' });
    expect(ack.ok).to.equal(false);
    expect(ack.error.code).to.equal('NOT_FOUND');
  });

  it('refuses messages in a declined room with GUARD_FAILED', async () => {
    const { server, mentor, mentee } = fx;
    const created = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Ship a product' } });
    const roomId = created.body.room.id as string;
    expect((await api(server.url, 'POST', `/api/rooms/${roomId}/decline`, { token: mentor.token })).status).to.equal(200);
    const ack = await emitAck(await fx.socket(mentee), 'message:send', { roomId, clientMsgId: newClientId(), body: 'please reconsider' });
    expect(ack.ok).to.equal(false);
    expect(ack.error.code).to.equal('GUARD_FAILED');
  });

  it('lets both members of an active room post', async () => {
    const { server, mentor, mentee } = fx;
    const room = await activeRoom(server.url, mentor, mentee);
    for (const [who, body] of [[mentor, 'from the mentor'], [mentee, 'from the mentee']] as const) {
      const ack = await emitAck(await fx.socket(who), 'message:send', { roomId: room.id, clientMsgId: newClientId(), body });
      expect(ack.ok, JSON.stringify(ack)).to.equal(true);
    }
    expect((await history(room.id)).map((m) => m.body)).to.include.members(['from the mentor', 'from the mentee']);
  });
});
