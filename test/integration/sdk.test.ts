import { expect } from 'chai';
import { memoryStorage, MenteoClient, RoomDirectory, SdkError, type ConnectionState, type OutboxEntry } from '../../client/src/sdk/index.js';
import type { Message } from '../../shared/types.js';
import { activeRoom, api, eventually, newClientId, register, type Session } from '../helpers/clients.js';
import { startProxy, type FlakyProxy } from '../helpers/proxy.js';
import { startServer, type TestServer } from '../helpers/server.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('client SDK against the real server', () => {
  let server: TestServer;
  let proxy: FlakyProxy;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  const clients: MenteoClient[] = [];

  /** A connected SDK client; through the flaky proxy unless told otherwise. */
  async function sdk(session: Session, via: 'proxy' | 'direct' = 'proxy'): Promise<MenteoClient> {
    const client = new MenteoClient({
      session,
      baseUrl: via === 'proxy' ? proxy.url : server.url,
      socket: { reconnectionDelay: 50, reconnectionDelayMax: 200, randomizationFactor: 0 },
    });
    clients.push(client);
    client.connect();
    await reach(client, 'connected');
    return client;
  }
  const reach = (client: MenteoClient, state: ConnectionState) =>
    eventually(() => expect(client.state).to.equal(state), 5000);
  /** Every stored message of the room, read over REST straight from the server. */
  async function stored(): Promise<Message[]> {
    const all: Message[] = [];
    for (let after = 0; ; ) {
      const res = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?after=${after}&limit=200`, { token: mentor.token });
      all.push(...res.body.messages);
      if (!res.body.hasMore) return all;
      after = all.at(-1)!.seq;
    }
  }
  const sentOf = (client: MenteoClient, clientMsgId: string) =>
    client.once('outbox', ({ entry }) => entry.clientMsgId === clientMsgId && entry.status === 'sent') as Promise<{ entry: OutboxEntry & { status: 'sent' } }>;

  beforeEach(async () => {
    server = await startServer();
    proxy = await startProxy(server.url);
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await proxy.close();
    await server.stop();
  });

  it('a message sent while disconnected is queued, then stored exactly once with the same clientMsgId after reconnect', async () => {
    const a = await sdk(mentee);
    await a.open(room.id);
    const b = await sdk(mentor, 'direct');
    const seenByMentor: Message[] = [];
    b.on('message', ({ message }) => seenByMentor.push(message));

    proxy.down();
    await reach(a, 'reconnecting');
    const entry = a.send(room.id, 'written offline');
    expect(entry.status).to.equal('queued');
    await sleep(300);
    expect(a.pending(room.id).map((e) => [e.clientMsgId, e.status])).to.deep.equal([[entry.clientMsgId, 'queued']]);
    expect((await stored()).some((m) => m.body === 'written offline')).to.equal(false);

    const statuses: string[] = [];
    a.on('outbox', ({ entry: e }) => e.clientMsgId === entry.clientMsgId && statuses.push(e.status));
    const sent = sentOf(a, entry.clientMsgId);
    proxy.up();
    const { entry: done } = await sent;

    expect(statuses).to.deep.equal(['sending', 'sent']);
    expect(done.message.clientMsgId).to.equal(entry.clientMsgId);
    const copies = (await stored()).filter((m) => m.body === 'written offline');
    expect(copies.map((m) => m.clientMsgId)).to.deep.equal([entry.clientMsgId]);
    await eventually(() => expect(seenByMentor.filter((m) => m.body === 'written offline')).to.have.length(1));
    expect(a.timeline(room.id).filter((m) => m.body === 'written offline')).to.have.length(1);
    expect(a.pending(room.id)).to.deep.equal([]);
  });

  it('a send whose ack was lost is resent with the same clientMsgId and stored once', async () => {
    const a = await sdk(mentee);
    proxy.swallowReplies();
    const entry = a.send(room.id, 'the ack of this one is lost');
    // The server stored it; its ack went nowhere.
    await eventually(async () => expect((await stored()).some((m) => m.body === 'the ack of this one is lost')).to.equal(true));
    expect(a.pending(room.id)[0]?.status).to.equal('sending');

    const sent = sentOf(a, entry.clientMsgId);
    proxy.down();
    await reach(a, 'reconnecting');
    expect(a.pending(room.id)[0]?.status).to.equal('queued');
    proxy.up();
    const { entry: done } = await sent;

    expect(done.attempts).to.equal(2);
    expect(done.clientMsgId).to.equal(entry.clientMsgId);
    const copies = (await stored()).filter((m) => m.body === 'the ack of this one is lost');
    expect(copies).to.have.length(1);
    expect(copies[0]!.clientMsgId).to.equal(entry.clientMsgId);
    expect(done.message.id).to.equal(copies[0]!.id);
  });

  it('after missing messages while offline, reconnecting fills the timeline with every seq exactly once, even while new ones stream in', async () => {
    const a = await sdk(mentee);
    const events = new Map<number, number>();
    a.on('message', ({ message }) => events.set(message.seq, (events.get(message.seq) ?? 0) + 1));
    await a.open(room.id);
    expect(a.timeline(room.id).map((m) => m.seq)).to.deep.equal([1]);
    const b = await sdk(mentor, 'direct');

    proxy.down();
    await reach(a, 'reconnecting');
    await Promise.all(range(1, 30).map((i) => b.rest.postMessage(room.id, { clientMsgId: newClientId(), body: `missed ${i}` })));

    // Twenty more stream in over the socket while the mentee reconnects and catches up.
    const streamed = range(1, 20).map((i) => b.send(room.id, `streamed ${i}`));
    proxy.up();
    await Promise.all(streamed.map((e) => (b.pending().some((p) => p.clientMsgId === e.clientMsgId) ? sentOf(b, e.clientMsgId) : null)));

    await eventually(() => expect(a.timeline(room.id).map((m) => m.seq)).to.deep.equal(range(1, 51)));
    expect([...events.keys()].sort((x, y) => x - y)).to.deep.equal(range(1, 51));
    expect([...events.values()].every((n) => n === 1)).to.equal(true);
    const bodies = a.timeline(room.id).map((m) => m.body);
    expect(new Set(bodies).size).to.equal(bodies.length);
  });

  it('a catch-up longer than one join page is completed', async () => {
    const a = await sdk(mentee);
    await a.open(room.id);
    proxy.down();
    await reach(a, 'reconnecting');
    const post = (who: Session, i: number) => api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: who.token, body: { clientMsgId: `m-${i}`, body: `bulk ${i}` } });
    // REST sends are limited per user (200 per 4 s): the mentor sends a whole allowance, the mentee
    // (over REST, straight to the server) the rest.
    await Promise.all(range(1, 200).map((i) => post(mentor, i)));
    await Promise.all(range(201, 250).map((i) => post(mentee, i)));
    proxy.up();
    await eventually(() => expect(a.timeline(room.id).map((m) => m.seq)).to.deep.equal(range(1, 251)), 8000);
  });

  it('a room opens on its latest page and loads older pages back to the first message', async () => {
    await Promise.all(range(1, 120).map((i) => api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentor.token, body: { clientMsgId: `h-${i}`, body: `old ${i}` } })));
    const a = await sdk(mentee);
    await a.open(room.id);
    expect(a.timeline(room.id).map((m) => m.seq)).to.deep.equal(range(72, 121));
    expect(a.hasOlder(room.id)).to.equal(true);
    expect(await a.loadOlder(room.id)).to.equal(50);
    expect(await a.loadOlder(room.id)).to.equal(21);
    expect(a.timeline(room.id).map((m) => m.seq)).to.deep.equal(range(1, 121));
    expect(a.hasOlder(room.id)).to.equal(false);
    expect(await a.loadOlder(room.id)).to.equal(0);
  });

  it('a send the server refuses is marked failed with a non-retryable error, and a retry keeps its clientMsgId', async () => {
    const stranger = await register(server.url, 'Stranger');
    const otherRoom = await activeRoom(server.url, mentor, stranger);
    const a = await sdk(mentee);
    const failed = a.once('outbox', ({ entry }) => entry.status === 'failed');
    const entry = a.send(otherRoom.id, 'not my room');
    const { entry: first } = await failed;
    if (first.status !== 'failed') throw new Error('unreachable');
    expect(first.error).to.be.instanceOf(SdkError);
    expect(first.error.code).to.equal('FORBIDDEN');
    expect(first.error.isRetryable()).to.equal(false);

    const failedAgain = a.once('outbox', ({ entry: e }) => e.status === 'failed');
    a.retry(entry.clientMsgId);
    const { entry: second } = await failedAgain;
    expect(second.clientMsgId).to.equal(entry.clientMsgId);
    expect(second.attempts).to.equal(2);
    expect(a.discard(entry.clientMsgId)).to.equal(true);
    expect(a.pending()).to.deep.equal([]);
  });

  it('an unsent message survives a restart of the client and goes out with its original clientMsgId', async () => {
    const storage = memoryStorage();
    proxy.down();
    const first = new MenteoClient({ session: mentee, baseUrl: proxy.url, storage, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
    first.connect();
    const entry = first.send(room.id, 'written before the tab closed');
    first.close();

    proxy.up();
    const second = new MenteoClient({ session: mentee, baseUrl: proxy.url, storage });
    clients.push(second);
    expect(second.pending().map((e) => [e.clientMsgId, e.status])).to.deep.equal([[entry.clientMsgId, 'queued']]);
    const sent = sentOf(second, entry.clientMsgId);
    second.connect();
    const { entry: done } = await sent;
    expect(done.message.clientMsgId).to.equal(entry.clientMsgId);
    expect((await stored()).filter((m) => m.body === 'written before the tab closed')).to.have.length(1);
  });

  it('an invalid body is refused before anything is queued', async () => {
    const a = await sdk(mentee);
    expect(() => a.send(room.id, '   ')).to.throw(SdkError).with.property('code', 'INVALID_INPUT');
    expect(a.pending()).to.deep.equal([]);
  });

  it('edits, reactions, deletions, typing and presence reach the other member', async () => {
    const a = await sdk(mentee);
    const b = await sdk(mentor, 'direct');
    await Promise.all([a.open(room.id), b.open(room.id)]);
    expect(b.presence(mentee.user.id)?.status).to.equal('online');

    const entry = a.send(room.id, 'helo');
    const { entry: done } = await sentOf(a, entry.clientMsgId);
    const id = done.message.id;
    await eventually(() => expect(b.timeline(room.id).some((m) => m.id === id)).to.equal(true));

    await a.edit(room.id, id, 'hello');
    await eventually(() => expect(b.timeline(room.id).find((m) => m.id === id)?.body).to.equal('hello'));
    expect(b.timeline(room.id).find((m) => m.id === id)?.editedAt).to.be.a('string');

    await b.react(room.id, id, '👍', true);
    await eventually(() => expect(a.timeline(room.id).find((m) => m.id === id)?.reactions).to.deep.equal({ '👍': [mentor.user.id] }));

    a.setTyping(room.id, true);
    await eventually(() => expect(b.typingIn(room.id)).to.deep.equal([mentee.user.id]));
    a.setTyping(room.id, false);
    await eventually(() => expect(b.typingIn(room.id)).to.deep.equal([]));

    await a.remove(room.id, id);
    await eventually(() => expect(b.timeline(room.id).find((m) => m.id === id)?.deletedAt).to.be.a('string'));
    expect(b.timeline(room.id).find((m) => m.id === id)?.body).to.equal('');

    const offline = b.once('presence', (p) => p.userId === mentee.user.id && p.status === 'offline');
    proxy.down();
    await offline;
  });

  it('the room directory names the other member and keeps unread counts from messages and read markers', async () => {
    const a = await sdk(mentee);
    const dir = new RoomDirectory(a);
    await dir.refresh();
    const first = dir.get(room.id)!;
    expect(first.counterpart?.displayName).to.equal('Mentor');
    expect(first.role).to.equal('mentee');
    expect(first.unread).to.equal(1); // the mentor's acceptance notice

    const b = await sdk(mentor, 'direct');
    b.send(room.id, 'welcome aboard');
    await eventually(() => {
      expect(dir.get(room.id)!.unread).to.equal(2);
      expect(dir.get(room.id)!.lastMessage?.body).to.equal('welcome aboard');
    });
    a.markRead(room.id, 2);
    expect(dir.get(room.id)!.unread).to.equal(0);
    // The server agrees once the marker is stored.
    await eventually(async () => {
      const res = await api(server.url, 'GET', '/api/rooms', { token: mentee.token });
      expect(res.body.rooms[0].unread).to.equal(0);
    });

    const newcomer = await register(server.url, 'Newcomer');
    const request = await api(server.url, 'POST', '/api/rooms', { token: newcomer.token, body: { mentorId: mentee.user.id, focus: 'Public speaking' } });
    await eventually(() => {
      const entry = dir.get(request.body.room.id);
      expect(entry?.room.status).to.equal('pending');
      expect(entry?.role).to.equal('mentor');
      expect(entry?.counterpart?.displayName).to.equal('Newcomer');
    });
    dir.dispose();
  });
});
