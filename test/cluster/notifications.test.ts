/**
 * Issue 15 across nodes: two in-process nodes on one SQLite file and a real redis-server. A
 * message stored on one node notifies the recipient's devices on the other (through the Socket.IO
 * Redis adapter the Broadcaster uses), a room shown on the other node suppresses it (the presence
 * store counts views per node in Redis) until that device stops showing it, and a read on one
 * node reaches the devices on the other.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import type { Notification } from '../../shared/notifications.js';
import { startCluster, type InProcessCluster } from '../helpers/cluster.js';
import { activeRoom, api, collect, connect, emitAck, eventually, newClientId, nextEvent, register, type Session } from '../helpers/clients.js';

describe('cluster: notifications cross nodes (issue 15)', function () {
  this.timeout(60_000);
  let cluster: InProcessCluster;
  let a: string;
  let b: string;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  const sockets: Socket[] = [];
  const open = async (url: string, s: Session) => {
    const socket = await connect(url, s.token);
    sockets.push(socket);
    return socket;
  };

  before(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.nodes.map((n) => n.url) as [string, string];
    mentor = await register(a, 'Mentor');
    mentee = await register(b, 'Mentee');
    roomId = (await activeRoom(b, mentor, mentee)).id;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  after(async () => {
    await cluster?.stop();
  });

  it('a message sent on A notifies the mentor on B; reading on B tells her device on A', async () => {
    const onB = await open(b, mentor);
    const onA = await open(a, mentor);
    const pushed = nextEvent<{ notification: Notification }>(onB, 'notification', (p) => p.notification.kind === 'message', 10_000);
    await api(a, 'POST', `/api/rooms/${roomId}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: 'from node A' } });
    const { notification } = await pushed;
    expect(notification.data).to.deep.include({ roomId, excerpt: 'from node A' });
    const read = nextEvent<{ ids: string[] }>(onA, 'notification:read', () => true, 10_000);
    await api(b, 'POST', '/api/notifications/read', { token: mentor.token, body: { id: notification.id } });
    expect((await read).ids).to.deep.equal([notification.id]);
  });

  it('the room shown on node B makes a message stored on node A notify nobody', async () => {
    const onB = await open(b, mentor);
    expect((await emitAck(onB, 'room:view', { roomId })).ok).to.equal(true);
    const pushes = collect(onB, 'notification');
    const seen = nextEvent(onB, 'message:new', (p: { message: { body: string } }) => p.message.body === 'seen on B', 10_000);
    await api(a, 'POST', `/api/rooms/${roomId}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: 'seen on B' } });
    await seen;
    await Promise.all(cluster.nodes.map((n) => n.notifications.producers.idle()));
    expect(pushes).to.deep.equal([]);
    const inbox = (await api(a, 'GET', '/api/notifications?unread=true', { token: mentor.token })).body.notifications as Notification[];
    expect(inbox.filter((n) => n.kind === 'message')).to.deep.equal([]);
  });

  const viewsOnA = async () => [...(await cluster.nodes[0]!.presence.viewers(roomId, [mentor.user.id, mentee.user.id]))];
  const notifiedOnSend = async (body: string) => {
    const watcher = await open(b, mentor);
    const pushed = nextEvent<{ notification: Notification }>(watcher, 'notification', (p) => p.notification.kind === 'message' && p.notification.data.excerpt === body, 10_000);
    await api(a, 'POST', `/api/rooms/${roomId}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body } });
    return (await pushed).notification;
  };

  it('a view ends with its device: closing it, room:view null or room:leave makes the next message notify again', async () => {
    const ends: [string, (s: Socket) => Promise<unknown>][] = [
      ['close', async (s) => s.close()],
      ['room:view null', (s) => emitAck(s, 'room:view', { roomId: null })],
      ['room:leave', (s) => emitAck(s, 'room:leave', { roomId })],
    ];
    for (const [how, end] of ends) {
      const viewer = await open(b, mentor);
      expect((await emitAck(viewer, 'room:view', { roomId })).ok, how).to.equal(true);
      await eventually(async () => expect(await viewsOnA(), how).to.deep.equal([mentor.user.id]));
      await end(viewer);
      await eventually(async () => expect(await viewsOnA(), how).to.deep.equal([]));
      expect((await notifiedOnSend(`after ${how}`)).data, how).to.deep.include({ roomId });
      await api(b, 'POST', '/api/notifications/read', { token: mentor.token, body: { all: true } });
    }
  });

  it('two devices show the room: closing one keeps the view, closing both ends it', async () => {
    const redis = new Redis(cluster.redis.url);
    try {
      // Node B's count of the mentor's sockets showing the room, as every other node reads it.
      const countOnB = async () => Number((await redis.hget('menteo:presence:views:node-1', `${roomId}\n${mentor.user.id}`)) ?? 0);
      const first = await open(b, mentor);
      const second = await open(b, mentor);
      for (const s of [first, second]) expect((await emitAck(s, 'room:view', { roomId })).ok).to.equal(true);
      await eventually(async () => expect(await countOnB()).to.equal(2));
      first.close();
      await eventually(async () => expect(await countOnB()).to.equal(1));
      // The remaining device's view holds: a message sent on A stays un-notified.
      const pushes = collect(second, 'notification');
      const seen = nextEvent(second, 'message:new', (p: { message: { body: string } }) => p.message.body === 'one device left', 10_000);
      await api(a, 'POST', `/api/rooms/${roomId}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: 'one device left' } });
      await seen;
      await Promise.all(cluster.nodes.map((n) => n.notifications.producers.idle()));
      expect(pushes).to.deep.equal([]);
      second.close();
      await eventually(async () => expect(await viewsOnA()).to.deep.equal([]));
      expect(await countOnB()).to.equal(0);
    } finally {
      redis.disconnect();
    }
  });
});
