/** Issue 12's two single-node presence gaps: a reload does not flap, and typing expires by itself. */
import { expect } from 'chai';
import { Ev } from '../../shared/events.js';
import { emitAck, nextEvent } from '../helpers/clients.js';
import { useRoomFixture } from '../helpers/room.js';

describe('presence grace and typing expiry on one node', () => {
  const fx = useRoomFixture({ env: { PRESENCE_GRACE_MS: '300', TYPING_EXPIRE_MS: '300' } });

  it('a reload within the grace period announces neither offline nor online', async () => {
    const { mentor, mentee, room } = fx;
    const watcher = await fx.socket(mentor);
    const online = nextEvent(watcher, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'online');
    const first = await fx.socket(mentee);
    await online;
    const changes: string[] = [];
    watcher.on(Ev.presence, (p: { userId: string; status: string }) => p.userId === mentee.user.id && changes.push(p.status));
    first.close();
    await fx.socket(mentee); // the reload
    // The first offline would be due 300 ms after the close; wait for an event that comes after it.
    const typed = nextEvent(watcher, Ev.typing, (p) => p.userId === mentee.user.id && p.typing === false, 5_000);
    const other = await fx.socket(mentee);
    await emitAck(watcher, Ev.roomJoin, { roomId: room.id });
    await emitAck(other, Ev.typing, { roomId: room.id, typing: true });
    await typed; // the typing expiry (300 ms) fires after the grace period of the close above ended
    expect(changes).to.deep.equal([]);
  });

  it('announces offline once the grace period passed with no socket back', async () => {
    const { mentor, mentee } = fx;
    const watcher = await fx.socket(mentor);
    const first = await fx.socket(mentee);
    const offline = nextEvent(watcher, Ev.presence, (p) => p.userId === mentee.user.id && p.status === 'offline');
    const closedAt = Date.now();
    first.close();
    const gone = await offline;
    expect(Date.now() - closedAt).to.be.at.least(250); // held back (300 ms grace, timers may fire a little early)
    expect(gone.lastSeenAt).to.be.a('string');
  });

  it('a typing:true never followed by typing:false ends with a typing:false from the server', async () => {
    const { mentor, mentee, room } = fx;
    const watcher = await fx.socket(mentor);
    await emitAck(watcher, Ev.roomJoin, { roomId: room.id });
    const typist = await fx.socket(mentee);
    const started = nextEvent(watcher, Ev.typing, (p) => p.userId === mentee.user.id && p.typing);
    const stopped = nextEvent(watcher, Ev.typing, (p) => p.userId === mentee.user.id && !p.typing, 5_000);
    expect((await emitAck(typist, Ev.typing, { roomId: room.id, typing: true })).ok).to.equal(true);
    await started;
    typist.close();
    expect(await stopped).to.deep.equal({ roomId: room.id, userId: mentee.user.id, typing: false });
  });
});
