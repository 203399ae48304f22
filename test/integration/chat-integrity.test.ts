/** Review findings on chat, lifecycle timeline, presence and login throttling (REST + Socket.IO). */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { activeRoom, api, collect, emitAck, newClientId, register } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { useRoomFixture } from '../helpers/room.js';

describe('chat, presence and login integrity', function () {
  this.timeout(30_000);
  const fx = useRoomFixture({ room: 'none' });

  /**
   * server/lifecycle/service.ts:151 stores the timeline message with clientMsgId `stage:<n>`
   * (server/domain/stages.ts:121), `contract:v<n>`, `contract:v<n>:accept`, `goal:<id>:r<rev>`,
   * `request:accept`: keys in the same (room, author) namespace as chat messages, and ClientId
   * (shared/schemas/common.ts:7) allows ':'. A member who first sends a chat message with that key
   * makes the append idempotent-hit (server/store/sqlite/messages.ts:32): the stage changes but no
   * system message is written, and their own text is re-broadcast as message:new instead.
   */
  it('a stage change always posts its system message, whatever clientMsgIds members used before', async () => {
    const { server, mentor, mentee } = fx;
    const room = await activeRoom(server.url, mentor, mentee);
    const lc = new Lifecycle(server.url, room.id);
    const pre = await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, {
      token: mentee.token,
      body: { clientMsgId: 'stage:1', body: 'nothing to see here' },
    });
    expect(pre.status).to.equal(201);
    Lifecycle.ok(await lc.putContract(mentee, contractBody(3)));
    Lifecycle.ok(await lc.accept(mentee));
    Lifecycle.ok(await lc.accept(mentor));
    const moved = Lifecycle.ok(await lc.stage(mentee, 'cultivation'));
    expect(moved.stage).to.equal('cultivation');

    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?limit=200`, { token: mentor.token });
    const system = history.body.messages.filter((m: { kind: string }) => m.kind === 'system').map((m: { body: string }) => m.body);
    expect(system.some((b: string) => /moved the mentorship from Initiation to Cultivation/.test(b)), JSON.stringify(system)).to.equal(true);
  });

  /**
   * applyReaction (server/domain/reactions.ts) indexes a plain object with the emoji:
   * `next['__proto__']` is Object.prototype, so `new Set(Object.prototype)` throws a TypeError; the
   * Emoji schema (shared/schemas/message.ts:9) accepts `__proto__`, `constructor`, `toString`, ...
   * The client gets INTERNAL (and the server logs an error) for plain bad input.
   */
  for (const emoji of ['__proto__', 'constructor', 'toString']) {
    it(`reacting with ${JSON.stringify(emoji)} is not an INTERNAL error`, async () => {
      const { server, mentor, mentee } = fx;
      const room = await activeRoom(server.url, mentor, mentee);
      const s = await fx.socket(mentee);
      const sent = await emitAck(s, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'hello' });
      expect(sent.ok).to.equal(true);
      const ack = await emitAck(s, 'message:react', { roomId: room.id, messageId: sent.message.id, emoji, on: true });
      if (!ack.ok) expect(ack.error.code, JSON.stringify(ack)).to.not.equal('INTERNAL');
      else expect(Object.keys(ack.message.reactions)).to.include(emoji);
    });
  }

  /**
   * MessageService.edit (server/messages/service.ts:60-67) checks `deletedAt` on a read taken
   * before the write queue runs; store.edit (server/store/sqlite/messages.ts:96-102) writes the body
   * without checking deleted_at. A delete and an edit in flight together (two devices, or one
   * client's outbox) leave a tombstone with its text back: deletedAt set, body restored.
   * The same holds for react (reactions come back on a tombstone).
   */
  it('an edit racing a delete never puts text back into a deleted message', async () => {
    const { server, mentor, mentee } = fx;
    const room = await activeRoom(server.url, mentor, mentee);
    const s = await fx.socket(mentee);
    const sent = await emitAck(s, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'secret, delete me' });
    const [del, edit] = await Promise.all([
      emitAck(s, 'message:delete', { roomId: room.id, messageId: sent.message.id }),
      emitAck(s, 'message:edit', { roomId: room.id, messageId: sent.message.id, body: 'secret v2' }),
    ]);
    expect(del.ok).to.equal(true);
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentor.token });
    const stored = history.body.messages.find((m: { id: string }) => m.id === sent.message.id);
    expect(stored.deletedAt, 'deleted').to.be.a('string');
    expect(stored.body, `edit ack ${JSON.stringify(edit)}`).to.equal('');
  });

  /**
   * Presence (server/realtime/gateway.ts:47-57 announcePresence over rooms.listMine) goes to the
   * counterpart of every room, pending and declined ones included. Anyone can open a request to
   * anyone (POST /api/rooms needs only a user id), so a stranger whose request was declined still
   * learns every time the target comes online and goes offline (with lastSeenAt).
   */
  it('a declined requester does not keep receiving the target user\'s presence', async () => {
    const { server, mentor } = fx;
    const stalker = await register(server.url, 'Stalker');
    const req = await api(server.url, 'POST', '/api/rooms', { token: stalker.token, body: { mentorId: mentor.user.id, focus: 'hi' } });
    expect(req.status).to.equal(201);
    const declined = await api(server.url, 'POST', `/api/rooms/${req.body.room.id}/decline`, { token: mentor.token });
    expect(declined.body.room.status).to.equal('declined');

    const watcher = await fx.socket(stalker);
    const seen = collect<{ userId: string; status: string }>(watcher, 'presence');
    const victim = await fx.socket(mentor);
    victim.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((p) => p.userId === mentor.user.id), JSON.stringify(seen)).to.deep.equal([]);
  });

  it('a pending request shares no presence either way, on connect or in room:join', async () => {
    const { server, mentor } = fx;
    const requester = await register(server.url, 'Requester');
    const req = await api(server.url, 'POST', '/api/rooms', { token: requester.token, body: { mentorId: mentor.user.id, focus: 'hi' } });
    expect(req.status).to.equal(201);
    // The target is online first and listening; the requester's connect would announce to it.
    const targetSock = await fx.socket(mentor);
    const seenByTarget = collect<{ userId: string }>(targetSock, 'presence');
    const requesterSock = await fx.socket(requester);
    const seenByRequester = collect<{ userId: string }>(requesterSock, 'presence');
    const joined = await emitAck(requesterSock, 'room:join', { roomId: req.body.room.id });
    expect(joined.ok).to.equal(true);
    expect(joined.presence).to.deep.equal([]);
    // The target's last socket leaving would announce offline to the requester.
    targetSock.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(seenByRequester, JSON.stringify(seenByRequester)).to.deep.equal([]);
    expect(seenByTarget, JSON.stringify(seenByTarget)).to.deep.equal([]);
  });

  /**
   * LoginThrottle (server/auth/service.ts:37-43): `blocked()` is checked before the ~50 ms scrypt
   * and `failed()` recorded after it, so concurrent attempts all pass the check. The documented
   * "ten failed logins for one email within 15 minutes" is not a bound on guesses.
   */
  it('at most ten password guesses per email are verified, even when sent concurrently', async () => {
    const { server, mentee } = fx;
    const guesses = 40;
    const results = await Promise.all(
      Array.from({ length: guesses }, () =>
        api(server.url, 'POST', '/api/auth/login', { body: { email: mentee.user.email, password: `wrong-${randomUUID()}` } }),
      ),
    );
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked, `${checked} guesses were checked`).to.be.at.most(10);
  });
});
