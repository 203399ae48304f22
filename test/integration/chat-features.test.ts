import { expect } from 'chai';
import { api, collect, emitAck, eventually, newClientId, nextEvent, type Session } from '../helpers/clients.js';
import { useRoomFixture } from '../helpers/room.js';

describe('chat features: devices, edits, reactions, read markers, presence, typing', () => {
  // A short presence grace: the offline announcement is held back this long (a reload does not flap).
  const fx = useRoomFixture({ env: { PRESENCE_GRACE_MS: '100' } });

  it('delivers message:new to every device of both members, without a room:join', async () => {
    const { mentor, mentee, room } = fx;
    const [phone, laptop, mentorSocket] = [await fx.socket(mentee), await fx.socket(mentee), await fx.socket(mentor)];
    const got = [phone, laptop, mentorSocket].map((s) => nextEvent(s, 'message:new'));
    const ack = await emitAck(phone, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'on every device' });
    for (const payload of await Promise.all(got)) expect(payload.message).to.deep.equal(ack.message);
  });

  it('with echo: false spares only the sending socket its message:new; a resend too', async () => {
    const { server, mentor, mentee, room } = fx;
    const [phone, laptop, mentorSocket] = [await fx.socket(mentee), await fx.socket(mentee), await fx.socket(mentor)];
    const onPhone = collect(phone, 'message:new');
    const elsewhere = [laptop, mentorSocket].map((s) => collect(s, 'message:new'));
    const quiet = { roomId: room.id, clientMsgId: newClientId(), body: 'no echo, please', echo: false };
    const ack = await emitAck(phone, 'message:send', quiet);
    expect(ack.message.body).to.equal('no echo, please');
    const resend = await emitAck(phone, 'message:send', quiet);
    expect(resend.message).to.deep.equal(ack.message);
    // Then one with the default echo: a socket's events arrive in order, so once this one reached
    // the phone, a message:new for the first (or its resend) would have arrived before it.
    const loud = await emitAck(phone, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'echo me' });
    await eventually(() => expect(onPhone.map((e) => e.message.id)).to.include(loud.message.id));
    expect(onPhone.map((e) => e.message.id)).to.deep.equal([loud.message.id]);
    for (const seen of elsewhere) {
      await eventually(() => expect(seen.map((e) => e.message.id)).to.deep.equal([ack.message.id, ack.message.id, loud.message.id]));
    }
    // echo is a socket option only: the REST body refuses it, and anything but a boolean is refused.
    const rest = await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: 'x', echo: false } });
    expect(rest.status).to.equal(400);
    const bad = await emitAck(phone, 'message:send', { ...quiet, clientMsgId: newClientId(), echo: 'no' });
    expect(bad.error.code).to.equal('INVALID_INPUT');
  });

  it('lets the author edit and delete (tombstone) a message, and tells both members', async () => {
    const { server, mentor, mentee, room } = fx;
    const a = await fx.socket(mentee);
    const b = await fx.socket(mentor);
    const sent = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'typo hree' });
    const updated = nextEvent(b, 'message:updated');
    const edit = await emitAck(a, 'message:edit', { roomId: room.id, messageId: sent.message.id, body: 'typo here' });
    expect(edit.message).to.include({ body: 'typo here', seq: sent.message.seq });
    expect((await updated).message.body).to.equal('typo here');

    const notAuthor = await emitAck(b, 'message:edit', { roomId: room.id, messageId: sent.message.id, body: 'mine now' });
    expect(notAuthor.error.code).to.equal('FORBIDDEN');
    const notAuthorDelete = await emitAck(b, 'message:delete', { roomId: room.id, messageId: sent.message.id });
    expect(notAuthorDelete.error.code).to.equal('FORBIDDEN');

    const deleted = nextEvent(b, 'message:deleted');
    expect((await emitAck(a, 'message:delete', { roomId: room.id, messageId: sent.message.id })).ok).to.equal(true);
    expect(await deleted).to.deep.equal({ roomId: room.id, messageId: sent.message.id });
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentor.token });
    const tomb = history.body.messages.find((m: { id: string }) => m.id === sent.message.id);
    expect(tomb).to.include({ body: '', seq: sent.message.seq });
    expect(tomb.deletedAt).to.be.a('string');
    const editDeleted = await emitAck(a, 'message:edit', { roomId: room.id, messageId: sent.message.id, body: 'back' });
    expect(editDeleted.error.code).to.equal('CONFLICT');
  });

  it('toggles reactions per member and publishes the new reaction map', async () => {
    const { mentor, mentee, room } = fx;
    const a = await fx.socket(mentee);
    const b = await fx.socket(mentor);
    const sent = await emitAck(a, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'shipped it' });
    await emitAck(b, 'message:react', { roomId: room.id, messageId: sent.message.id, emoji: '🎉', on: true });
    const both = await emitAck(a, 'message:react', { roomId: room.id, messageId: sent.message.id, emoji: '🎉', on: true });
    expect(both.message.reactions['🎉']).to.have.members([mentor.user.id, mentee.user.id]);
    const seen = nextEvent(a, 'message:updated');
    const off = await emitAck(b, 'message:react', { roomId: room.id, messageId: sent.message.id, emoji: '🎉', on: false });
    expect(off.message.reactions).to.deep.equal({ '🎉': [mentee.user.id] });
    expect((await seen).message.reactions).to.deep.equal(off.message.reactions);
  });

  it('counts unread from the read marker and clears it on room:read', async () => {
    const { server, mentor, mentee, room } = fx;
    const a = await fx.socket(mentee);
    for (let i = 0; i < 3; i++) await emitAck(a, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: `question ${i}` });
    const listFor = async (s: Session) => (await api(server.url, 'GET', '/api/rooms', { token: s.token })).body.rooms[0];
    // The mentor's accept wrote seq 1 (which moved their marker); the three questions are unread.
    expect(await listFor(mentor)).to.deep.include({ unread: 3, lastSeq: 4 });
    expect((await listFor(mentor)).lastMessage.body).to.equal('question 2');
    // Sending moved the mentee's own marker.
    expect((await listFor(mentee)).unread).to.equal(0);
    const b = await fx.socket(mentor);
    const readEvent = nextEvent(a, 'room:read');
    const read = await emitAck(b, 'room:read', { roomId: room.id, seq: 3 });
    expect(read).to.deep.include({ ok: true, seq: 3 });
    expect(await readEvent).to.deep.equal({ roomId: room.id, userId: mentor.user.id, seq: 3 });
    expect((await listFor(mentor)).unread).to.equal(1);
    // A marker never moves back.
    await emitAck(b, 'room:read', { roomId: room.id, seq: 1 });
    expect((await listFor(mentor)).unread).to.equal(1);
    // A later room:join (a reload) carries both stored markers, so "Seen" does not need the live push.
    const c = await fx.socket(mentee);
    const joined = await emitAck(c, 'room:join', { roomId: room.id });
    expect(joined.reads).to.have.deep.members([
      { userId: mentor.user.id, seq: 3 },
      { userId: mentee.user.id, seq: 4 },
    ]);
  });

  it('shows presence on join and announces going offline with a last-seen time', async () => {
    const { mentor, mentee, room } = fx;
    const a = await fx.socket(mentee);
    const joined = await emitAck(a, 'room:join', { roomId: room.id });
    expect(joined.presence.find((p: { userId: string }) => p.userId === mentor.user.id)).to.deep.include({ status: 'offline' });
    expect(joined.presence.find((p: { userId: string }) => p.userId === mentee.user.id)).to.deep.include({ status: 'online' });
    const online = nextEvent(a, 'presence', (p) => p.userId === mentor.user.id && p.status === 'online');
    const b = await fx.socket(mentor);
    expect(await online).to.deep.include({ roomId: room.id, lastSeenAt: null });
    const offline = nextEvent(a, 'presence', (p) => p.userId === mentor.user.id && p.status === 'offline');
    b.close();
    const gone = await offline;
    expect(Date.parse(gone.lastSeenAt)).to.be.closeTo(Date.now(), 5000);
  });

  it('relays typing to the other member who has the room open, never to the typist', async () => {
    const { mentor, mentee, room } = fx;
    const a = await fx.socket(mentee);
    const b = await fx.socket(mentor);
    await emitAck(b, 'room:join', { roomId: room.id });
    await emitAck(a, 'room:join', { roomId: room.id });
    const typingAtA = collect(a, 'typing');
    const seen = nextEvent(b, 'typing');
    await emitAck(a, 'typing', { roomId: room.id, typing: true });
    expect(await seen).to.deep.equal({ roomId: room.id, userId: mentee.user.id, typing: true });
    await eventually(() => expect(typingAtA).to.deep.equal([]), 200);
  });
});
