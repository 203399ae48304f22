/** Issue 12's two single-node presence gaps: a reload does not flap, and typing expires by itself. */
import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { Ev } from '../../shared/events.js';
import { activeRoom, connect, emitAck, nextEvent, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('presence grace and typing expiry on one node', () => {
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
    server = await startServer({ env: { PRESENCE_GRACE_MS: '300', TYPING_EXPIRE_MS: '300' } });
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  it('a reload within the grace period announces neither offline nor online', async () => {
    const watcher = await open(mentor);
    const online = nextEvent(watcher, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'online');
    const first = await open(mentee);
    await online;
    const changes: string[] = [];
    watcher.on(Ev.presence, (p: { userId: string; status: string }) => p.userId === mentee.user.id && changes.push(p.status));
    first.close();
    await open(mentee); // the reload
    // The first offline would be due 300 ms after the close; wait for an event that comes after it.
    const typed = nextEvent(watcher, Ev.typing, (p) => p.userId === mentee.user.id && p.typing === false, 5_000);
    const other = await open(mentee);
    await emitAck(watcher, Ev.roomJoin, { roomId: room.id });
    await emitAck(other, Ev.typing, { roomId: room.id, typing: true });
    await typed; // the typing expiry (300 ms) fires after the grace period of the close above ended
    expect(changes).to.deep.equal([]);
  });

  it('announces offline once the grace period passed with no socket back', async () => {
    const watcher = await open(mentor);
    const first = await open(mentee);
    const offline = nextEvent(watcher, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'offline');
    const closedAt = Date.now();
    first.close();
    const gone = await offline;
    expect(Date.now() - closedAt).to.be.at.least(250); // held back (300 ms grace, timers may fire a little early)
    expect(gone.lastSeenAt).to.be.a('string');
  });

  it('a typing:true never followed by typing:false ends with a typing:false from the server', async () => {
    const watcher = await open(mentor);
    await emitAck(watcher, Ev.roomJoin, { roomId: room.id });
    const typist = await open(mentee);
    const started = nextEvent(watcher, Ev.typing, (p) => p.userId === mentee.user.id && p.typing);
    const stopped = nextEvent(watcher, Ev.typing, (p) => p.userId === mentee.user.id && !p.typing, 5_000);
    expect((await emitAck(typist, Ev.typing, { roomId: room.id, typing: true })).ok).to.equal(true);
    await started;
    typist.close();
    expect(await stopped).to.deep.equal({ roomId: room.id, userId: mentee.user.id, typing: false });
  });
});
