/**
 * Issue 12, acceptance 1: the mentor on node A, the mentee on node B (two in-process nodes on one
 * store and a real redis-server): everything either side does reaches the other, and a sign-out
 * on one node ends the session's connections on the other. Runs on SQLite in `mocha` and on the
 * MongoDB adapter in `npm run test:mongo` (issue 14).
 */
import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { CollabClose, Ev } from '../../shared/events.js';
import { openEditor } from '../helpers/collab.js';
import { startCluster, type InProcessCluster } from '../helpers/cluster.js';
import { testStoreLabel } from '../helpers/mongo.js';
import { contractBody } from '../helpers/lifecycle.js';
import { activeRoom, api, connect, emitAck, eventually, newClientId, nextEvent, register, TEST_PASSWORD, type Session } from '../helpers/clients.js';

describe(`cluster: mentor on node A, mentee on node B (${testStoreLabel()})`, function () {
  this.timeout(30_000);
  let cluster: InProcessCluster;
  let a: string;
  let b: string;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  const sockets: Socket[] = [];

  before(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.nodes.map((n) => n.url) as [string, string];
    mentor = await register(a, 'Mentor');
    mentee = await register(b, 'Mentee');
    room = await activeRoom(b, mentor, mentee);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  after(async () => {
    await cluster?.stop();
  });

  async function open(url: string, who: Session): Promise<Socket> {
    const socket = await connect(url, who.token);
    sockets.push(socket);
    const joined = await emitAck(socket, Ev.roomJoin, { roomId: room.id });
    expect(joined.ok, JSON.stringify(joined)).to.equal(true);
    return socket;
  }

  it('reports redis ok in /readyz on both nodes', async () => {
    for (const url of [a, b]) {
      const res = await api(url, 'GET', '/readyz');
      expect(res.status).to.equal(200);
      expect(res.body.checks).to.deep.equal({ store: 'ok', redis: 'ok' });
    }
  });

  it('messages, edits, reactions, deletions and read markers cross both ways', async () => {
    const onA = await open(a, mentor);
    const onB = await open(b, mentee);

    const fromB = nextEvent(onA, Ev.messageNew, (p) => p.message.body === 'hello from B');
    const sent = await emitAck(onB, Ev.messageSend, { roomId: room.id, clientMsgId: newClientId(), body: 'hello from B' });
    expect(sent.ok).to.equal(true);
    expect((await fromB).message.id).to.equal(sent.message.id);

    const fromA = nextEvent(onB, Ev.messageNew, (p) => p.message.body === 'hello from A');
    const reply = await emitAck(onA, Ev.messageSend, { roomId: room.id, clientMsgId: newClientId(), body: 'hello from A' });
    expect((await fromA).message.seq).to.equal(reply.message.seq);

    const edited = nextEvent(onA, Ev.messageUpdated, (p) => p.message.body === 'hello again from B');
    expect((await emitAck(onB, Ev.messageEdit, { roomId: room.id, messageId: sent.message.id, body: 'hello again from B' })).ok).to.equal(true);
    expect((await edited).message.editedAt).to.be.a('string');

    const reacted = nextEvent(onB, Ev.messageUpdated, (p) => p.message.id === sent.message.id && Object.keys(p.message.reactions ?? {}).length > 0);
    expect((await emitAck(onA, Ev.messageReact, { roomId: room.id, messageId: sent.message.id, emoji: '👍', on: true })).ok).to.equal(true);
    await reacted;

    const read = nextEvent(onB, Ev.roomRead, (p) => p.userId === mentor.user.id);
    expect((await emitAck(onA, Ev.roomRead, { roomId: room.id, seq: reply.message.seq })).ok).to.equal(true);
    expect((await read).seq).to.equal(reply.message.seq);

    const deleted = nextEvent(onA, Ev.messageDeleted, (p) => p.messageId === sent.message.id);
    expect((await emitAck(onB, Ev.messageDelete, { roomId: room.id, messageId: sent.message.id })).ok).to.equal(true);
    expect((await deleted).roomId).to.equal(room.id);
  });

  it('a REST send on A reaches the other member on B, and every device of the sender on both nodes', async () => {
    const menteeOnB = await open(b, mentee);
    const mentorOnB = await open(b, mentor); // the mentor's second device, on the other node
    const body = `rest ${newClientId()}`;
    const seen = [nextEvent(menteeOnB, Ev.messageNew, (p) => p.message.body === body), nextEvent(mentorOnB, Ev.messageNew, (p) => p.message.body === body)];
    const res = await api(a, 'POST', `/api/rooms/${room.id}/messages`, { token: mentor.token, body: { clientMsgId: newClientId(), body } });
    expect(res.status).to.equal(201);
    await Promise.all(seen);
  });

  it('a socket send with echo: false on A skips only that socket: the sender\'s device on B and the mentee on B get it', async () => {
    const mentorOnA = await open(a, mentor);
    const mentorOnB = await open(b, mentor);
    const menteeOnB = await open(b, mentee);
    const echoed: string[] = [];
    mentorOnA.on(Ev.messageNew, (p: { message: { body: string } }) => echoed.push(p.message.body));
    const quiet = `quiet ${newClientId()}`;
    const seen = [mentorOnB, menteeOnB].map((s) => nextEvent(s, Ev.messageNew, (p) => p.message.body === quiet));
    expect((await emitAck(mentorOnA, Ev.messageSend, { roomId: room.id, clientMsgId: newClientId(), body: quiet, echo: false })).ok).to.equal(true);
    await Promise.all(seen);
    // A later echoed send is the barrier: events to one socket arrive in order.
    const loud = `loud ${newClientId()}`;
    await emitAck(mentorOnA, Ev.messageSend, { roomId: room.id, clientMsgId: newClientId(), body: loud });
    await eventually(() => expect(echoed).to.include(loud));
    expect(echoed).to.deep.equal([loud]);
  });
  it('typing crosses, and a typing:true with no typing:false expires on the other node by itself', async () => {
    const onA = await open(a, mentor);
    const onB = await open(b, mentee);
    const started = nextEvent(onA, Ev.typing, (p) => p.userId === mentee.user.id && p.typing === true);
    const stopped = nextEvent(onA, Ev.typing, (p) => p.userId === mentee.user.id && p.typing === false, 5_000);
    expect((await emitAck(onB, Ev.typing, { roomId: room.id, typing: true })).ok).to.equal(true);
    await started;
    onB.close(); // vanishes mid-word: no typing:false is ever sent
    await stopped;
  });

  it('presence crosses: the mentee coming online on B and going offline (after the grace) reach A', async () => {
    const onA = await open(a, mentor);
    await eventually(async () => {
      // Earlier tests' mentee sockets are closed: wait until A sees the mentee offline.
      const joined = await emitAck(onA, Ev.roomJoin, { roomId: room.id });
      expect(joined.presence.find((p: { userId: string }) => p.userId === mentee.user.id).status).to.equal('offline');
    }, 5_000, 100);
    const online = nextEvent(onA, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'online');
    const onB = await connect(b, mentee.token);
    await online;
    const joined = await emitAck(onA, Ev.roomJoin, { roomId: room.id });
    expect(joined.presence.find((p: { userId: string }) => p.userId === mentee.user.id).status).to.equal('online');
    const offline = nextEvent(onA, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'offline');
    onB.close();
    expect((await offline).lastSeenAt).to.be.a('string');
  });

  it('a reload onto the other node causes no presence flap', async () => {
    const onA = await open(a, mentor);
    const online = nextEvent(onA, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'online');
    const first = await connect(b, mentee.token);
    sockets.push(first);
    await online;
    const changes: string[] = [];
    onA.on(Ev.presence, (p: { userId: string; status: string }) => p.userId === mentee.user.id && changes.push(p.status));
    first.close();
    const second = await connect(a, mentee.token); // the reload lands on node A
    sockets.push(second);
    // A marker that comes after the 200 ms grace: the server's typing expiry (1 s) of a typing:true sent now.
    const marker = nextEvent(onA, Ev.typing, (p) => p.userId === mentee.user.id && p.typing === false, 5_000);
    expect((await emitAck(second, Ev.typing, { roomId: room.id, typing: true })).ok).to.equal(true);
    await marker;
    expect(changes).to.deep.equal([]);
  });

  it('room:updated and thread events made on A reach the member on B', async () => {
    const onB = await open(b, mentee);
    const updated = nextEvent(onB, Ev.roomUpdated, (p) => p.room.id === room.id);
    const contract = await api(a, 'PUT', `/api/rooms/${room.id}/contract`, { token: mentor.token, body: contractBody(3) });
    expect(contract.status, JSON.stringify(contract.body)).to.equal(200);
    await updated;
    const threadNew = nextEvent(onB, Ev.threadNew, (p) => p.roomId === room.id);
    const thread = await api(a, 'POST', '/api/threads', { token: mentor.token, body: { title: 'Learning log', visibility: 'room', roomId: room.id } });
    expect(thread.status).to.equal(201);
    expect((await threadNew).threadId).to.equal(thread.body.thread.id);
    const entryNew = nextEvent(onB, Ev.threadEntryNew, (p) => p.threadId === thread.body.thread.id);
    const entry = await api(a, 'POST', `/api/threads/${thread.body.thread.id}/entries`, { token: mentor.token, body: { kind: 'note', body: 'Shipped the plan' } });
    expect(entry.status).to.equal(201);
    expect((await entryNew).entry.id).to.equal(entry.body.entry.id);
  });

  it("signing out on A closes that session's socket and roadmap connection on B, not the other session's", async () => {
    const login = await api(a, 'POST', '/api/auth/login', { body: { email: mentee.user.email, password: TEST_PASSWORD } });
    expect(login.status).to.equal(200);
    const session: Session = { ...mentee, token: login.body.token };
    const kept = await open(b, mentee);
    const gone = await open(b, session);
    const ended = new Promise<string>((resolve) => gone.once('disconnect', resolve));
    const editor = openEditor(b, room.id, session.token);
    const keptEditor = openEditor(b, room.id, mentee.token);
    try {
      await Promise.all([editor.synced, keptEditor.synced]);
      expect((await api(a, 'POST', '/api/auth/logout', { token: session.token })).status).to.equal(200);
      expect(await ended).to.equal('io server disconnect');
      await eventually(() => expect(editor.closes.map((c) => c.code)).to.include(CollabClose.UNAUTHENTICATED));
      expect(kept.connected).to.equal(true);
      expect(keptEditor.closes).to.deep.equal([]);
    } finally {
      editor.destroy();
      keptEditor.destroy();
    }
  });
});
