import { expect } from 'chai';
import { activeRoom, api, eventually, register } from '../helpers/clients.js';
import { addMilestone, milestones, openEditor, rawRoadmap, within, type Editor } from '../helpers/collab.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { testStoreLabel } from '../helpers/mongo.js';
import { sharedData, spawnServer, type ChildServer } from '../helpers/server.js';

/** Two server processes with REDIS_URL on one store: roadmaps cross processes as they cross in-process nodes. */
describe(`collab across two server processes (REDIS_URL, ${testStoreLabel()})`, function () {
  this.timeout(150_000);
  const data = sharedData();
  let redis: TestRedis;
  const servers: ChildServer[] = [];
  const editors: Editor[] = [];
  after(async () => {
    for (const e of editors) e.destroy();
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    await redis?.close();
    await data.remove();
  });

  it('providers on each process converge; a REST read on B shows a template applied through A at once; B restarted catches up', async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, COLLAB_COMPACT_AFTER: '20' };
    servers.push(await spawnServer(data.dir, env), await spawnServer(data.dir, env));
    const [a, b] = servers as [ChildServer, ChildServer];
    const mentor = await register(a.url, 'Mentor');
    const mentee = await register(b.url, 'Mentee');
    const room = await activeRoom(a.url, mentor, mentee);
    const onA = openEditor(a.url, room.id, mentor.token);
    const onB = openEditor(b.url, room.id, mentee.token);
    editors.push(onA, onB);
    await within(Promise.all([onA.synced, onB.synced]), 10_000, 'first sync');

    for (let i = 0; i < 15; i++) {
      addMilestone(onA.doc, `a-${i}`, `A ${i}`);
      addMilestone(onB.doc, `b-${i}`, `B ${i}`);
    }
    await eventually(() => expect(rawRoadmap(onB.doc)).to.deep.equal(rawRoadmap(onA.doc)), 15_000);
    expect(milestones(onA.doc).length).to.equal(30);

    const applied = await api(a.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentor.token, body: { templateId: 'director-role' } });
    expect(applied.status).to.equal(200);
    const read = await api(b.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentee.token });
    expect(read.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.deep.equal(applied.body.roadmap.milestones.map((m: { id: string }) => m.id));
    await eventually(() => expect(milestones(onB.doc).length).to.equal(applied.body.roadmap.milestones.length), 15_000);

    // Awareness crosses processes too.
    onB.provider.awareness.setLocalStateField('user', { name: 'Mentee on B' });
    const idB = onB.doc.clientID;
    await eventually(() => expect(onA.provider.awareness.getStates().get(idB)).to.deep.equal({ user: { name: 'Mentee on B' } }), 15_000);

    // B dies; A keeps editing; B's provider reconnects to a new B and gets everything.
    await b.kill('SIGKILL');
    const killedAt = Date.now();
    onB.stop(); // its client is gone with its node: nothing renews its awareness state now
    for (let i = 0; i < 5; i++) addMilestone(onA.doc, `while-b-down-${i}`, `A ${i}`);
    const b2 = await spawnServer(data.dir, env);
    servers.push(b2);
    const again = openEditor(b2.url, room.id, mentee.token);
    editors.push(again);
    await again.synced;
    await eventually(() => expect(rawRoadmap(again.doc)).to.deep.equal(rawRoadmap(onA.doc)), 15_000);
    expect(milestones(again.doc).toArray().map((m) => m.get('id'))).to.include('while-b-down-4');

    // Node A drops the dead node's client by y-protocols' 30 s timeout: a provider greeted by A
    // then no longer receives its state.
    await eventually(
      async () => {
        const probe = openEditor(a.url, room.id, mentor.token);
        try {
          await within(probe.synced, 10_000, 'probe sync');
          expect(probe.provider.awareness.getStates().has(idB), 'dead node\'s client still announced by A').to.equal(false);
        } finally {
          probe.destroy();
        }
      },
      60_000,
      2_000,
    );
    expect(Date.now() - killedAt).to.be.greaterThan(25_000); // it was the timeout, not something sooner
  });
});
