/**
 * Issue 15 across nodes: two in-process nodes on one SQLite file and a real redis-server. A
 * message stored on one node notifies the recipient's devices on the other (through the Socket.IO
 * Redis adapter the Broadcaster uses), a room shown on the other node suppresses it (the viewers
 * lookup asks every node), and a read on one node reaches the devices on the other.
 */
import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import type { Notification } from '../../shared/notifications.js';
import { startCluster, type InProcessCluster } from '../helpers/cluster.js';
import { activeRoom, api, collect, connect, emitAck, newClientId, nextEvent, register, type Session } from '../helpers/clients.js';

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
});
