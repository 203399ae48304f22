import { expect } from 'chai';
import * as Y from 'yjs';
import { CollabClose } from '../../shared/events.js';
import { encodeUpdate } from '../../server/collab/protocol.js';
import { api, eventually } from '../helpers/clients.js';
import { addMilestone, milestone, openEditor, rawClient, rawRoadmap, within, type Editor } from '../helpers/collab.js';
import { roomFixture, useRoomFixture } from '../helpers/room.js';
import { metricsText, startServer, tempDir, type TestServer } from '../helpers/server.js';

describe('collab: failures leave the stored document as it was', function () {
  this.timeout(30_000);
  // Collab metrics are server-wide: the test that counts skipped entries gets a server of its own.
  const fx = useRoomFixture({ env: { COLLAB_IDLE_MS: '50' }, fresh: 'server' });

  it('a document whose snapshot fails to load closes its connections with 1011, syncs nobody and writes nothing', async () => {
    const { server, mentor, mentee, room } = fx;
    const writer = fx.editor(mentor);
    await writer.synced;
    addMilestone(writer.doc, 'm1', 'Before the damage');
    await eventually(async () => expect((await server.store.docs.stats(room.id)).updates).to.be.at.least(2));
    fx.closeClients();
    await eventually(() => expect(server.collab.docs.loaded()).to.not.include(room.id));
    // Damage the snapshot behind the server's back: bytes that are not a Yjs update (a damaged log
    // entry is skipped instead, see the next test). upTo 0 deletes no log entry.
    await server.store.docs.compact(room.id, new Uint8Array([1, 2, 3]), 0);
    const before = await server.store.docs.stats(room.id);

    const victim = fx.editor(mentee);
    await eventually(() => expect(victim.closes.map((c) => c.code)).to.include(CollabClose.INTERNAL));
    expect(victim.provider.synced).to.equal(false);
    expect(rawRoadmap(victim.doc)).to.deep.equal({});
    const read = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
    expect(read.status).to.equal(500);
    expect(read.body.error.code).to.equal('INTERNAL');

    expect(await server.store.docs.stats(room.id)).to.deep.equal(before);
    expect(server.collab.docs.loaded()).to.not.include(room.id);
  });

  it('a stored log entry that does not apply is skipped on load and counted; the rest of the document loads', async () => {
    const { server, mentor, mentee, room } = fx;
    const writer = fx.editor(mentor);
    await writer.synced;
    addMilestone(writer.doc, 'm1', 'Before the damage');
    await eventually(async () => expect((await server.store.docs.stats(room.id)).updates).to.be.at.least(2));
    fx.closeClients();
    await eventually(() => expect(server.collab.docs.loaded()).to.not.include(room.id));
    // Damage the log behind the server's back: garbage, and an update that decodes but does not apply.
    await server.store.docs.append(room.id, new Uint8Array([1, 2, 3]));
    await server.store.docs.append(room.id, Buffer.from('01020700270107726f61646d617001780128000705016b0177017600', 'hex'));

    const read = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
    expect(read.status, JSON.stringify(read.body)).to.equal(200);
    expect(read.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.deep.equal(['m1']);
    const reader = fx.editor(mentee);
    await reader.synced;
    addMilestone(reader.doc, 'm2', 'After the damage');
    await eventually(async () => {
      const again = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
      expect(again.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.deep.equal(['m1', 'm2']);
    });
    const metrics = await metricsText(server.url);
    expect(metrics).to.match(/^menteo_collab_entries_skipped_total 2$/m);
  });

  it('an update that does not decode closes the connection with 4400 and is not stored', async () => {
    const { server, mentor, room } = fx;
    const client = await rawClient(fx.collabUrl(mentor));
    const before = await server.store.docs.stats(room.id);
    client.ws.send(encodeUpdate(new Uint8Array([1, 1, 200, 1, 0, 4, 1, 2, 3])));
    expect(await within(client.closed, 3000, 'close')).to.equal(CollabClose.INVALID_INPUT);
    expect(await server.store.docs.stats(room.id)).to.deep.equal(before);
  });

  it('a frame that is not the y-websocket protocol closes the connection with 4400', async () => {
    const { mentee } = fx;
    const client = await rawClient(fx.collabUrl(mentee));
    client.ws.send(new Uint8Array([42, 1, 2]));
    expect(await within(client.closed, 3000, 'close')).to.equal(CollabClose.INVALID_INPUT);
    const truncated = await rawClient(fx.collabUrl(mentee));
    truncated.ws.send(new Uint8Array([0, 0, 200]));
    expect(await within(truncated.closed, 3000, 'close')).to.equal(CollabClose.INVALID_INPUT);
  });

  it('an edit that would grow the document past its limit is refused with 4413 and the provider stops retrying', async () => {
    const { server, mentor, room } = fx;
    const writer = fx.editor(mentor);
    await writer.synced;
    addMilestone(writer.doc, 'big', 'Too much text');
    await eventually(async () => expect((await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token })).body.progress.total).to.equal(1));
    const before = await server.store.docs.stats(room.id);
    const closed = new Promise<{ code: number }>((resolve) => writer.provider.once('closed', (e: { code: number }) => resolve(e)));
    (milestone(writer.doc, 'big').get('notes') as Y.Text).insert(0, 'x'.repeat(4.5 * 1024 * 1024));
    expect((await within(closed, 5000, 'terminal close')).code).to.equal(CollabClose.PAYLOAD_TOO_LARGE);
    expect(writer.provider.shouldConnect).to.equal(false);
    expect(await server.store.docs.stats(room.id)).to.deep.equal(before);
  });

  it('a graceful stop stores what was relayed and says 1001 (come back later) to every editor', async () => {
    // A server on a DATA_DIR of the test's own, started again on it after the stop.
    const temp = tempDir();
    const own = await roomFixture({ dataDir: temp.dir });
    let restarted: TestServer | undefined;
    let reader: Editor | undefined;
    try {
      const { server, mentor, mentee, room } = own;
      const a = own.editor(mentor);
      const b = own.editor(mentee);
      await Promise.all([a.synced, b.synced]);
      for (let i = 0; i < 50; i++) addMilestone(a.doc, `m${i}`, `before stop ${i}`);
      await eventually(() => expect(rawRoadmap(b.doc)).to.deep.equal(rawRoadmap(a.doc)));
      const expected = rawRoadmap(a.doc);
      await server.stop();
      for (const e of [a, b]) expect(e.closes.map((c) => c.code)).to.include(CollabClose.GOING_AWAY);
      own.closeClients();
      restarted = await startServer({ dataDir: temp.dir });
      reader = openEditor(restarted.url, room.id, mentee.token);
      await within(reader.synced, 5000, 'sync after restart');
      expect(rawRoadmap(reader.doc)).to.deep.equal(expected);
    } finally {
      reader?.destroy();
      if (restarted) await restarted.stop();
      else await own.dispose().catch(() => {}); // failed before the stop, or in it
      temp.remove();
    }
  });
});
