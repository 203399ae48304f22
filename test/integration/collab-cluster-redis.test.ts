import { expect } from 'chai';
import * as Y from 'yjs';
import { createLogger } from '../../server/log.js';
import { RedisBus } from '../../server/scale/redis-bus.js';
import { activeRoom, eventually, register } from '../helpers/clients.js';
import { liveCopy, startNodes } from '../helpers/cluster.js';
import { testStoreLabel } from '../helpers/mongo.js';
import { addMilestone, milestone, milestones, openEditor, rawRoadmap, storedDoc, within, type Editor } from '../helpers/collab.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import type { TestServer } from '../helpers/server.js';

/** Roadmaps across two nodes over a real, spawned redis-server (RedisBus), through a Redis outage. */
describe(`collab across nodes over Redis (${testStoreLabel()})`, function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let cluster: Awaited<ReturnType<typeof startNodes>>;
  const editors: Editor[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const e of editors.splice(0)) e.destroy();
    await cluster?.stop();
    await redis?.close();
  });

  it('Redis SIGKILLed for 5 s while both providers edit: afterwards both nodes and both providers converge with the store', async () => {
    const log = createLogger('silent');
    cluster = await startNodes([new RedisBus(redis.url, log, 'node-a'), new RedisBus(redis.url, log, 'node-b')]);
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const mentor = await register(a.url, 'Mentor');
    const mentee = await register(b.url, 'Mentee');
    const room = await activeRoom(a.url, mentor, mentee);
    const onA = openEditor(a.url, room.id, mentor.token);
    const onB = openEditor(b.url, room.id, mentee.token);
    editors.push(onA, onB);
    await within(Promise.all([onA.synced, onB.synced]), 5000, 'first sync');

    // Over Redis first: an edit on A reaches the provider on B.
    addMilestone(onA.doc, 'before', 'before the outage');
    await eventually(() => milestone(onB.doc, 'before'));

    let n = 0;
    const editBoth = () => {
      addMilestone(onA.doc, `a-${n}`, `A ${n}`);
      (milestone(onB.doc, 'before').get('notes') as Y.Text).insert(0, `b${n} `);
      addMilestone(onB.doc, `b-${n}`, `B ${n}`);
      n += 1;
    };
    await redis.stop();
    const outageEnds = Date.now() + 5_000;
    while (Date.now() < outageEnds) {
      editBoth();
      await new Promise((r) => setTimeout(r, 100));
    }
    const duringOutage = n;
    // Each side's edits were stored by its own node even though the other node heard nothing.
    await eventually(async () => {
      const stored = milestones(await storedDoc(a.store, room.id)).toArray().map((m) => m.get('id'));
      expect(stored).to.include.members([`a-${duringOutage - 1}`, `b-${duringOutage - 1}`]);
    }, 10_000);
    await redis.start();
    for (let i = 0; i < 5; i++) {
      editBoth();
      await new Promise((r) => setTimeout(r, 100));
    }

    const want = [
      'before',
      ...Array.from({ length: n }, (_, i) => `a-${i}`),
      ...Array.from({ length: n }, (_, i) => `b-${i}`),
    ].sort();
    await eventually(
      async () => {
        const stored = await storedDoc(a.store, room.id);
        const json = rawRoadmap(stored);
        for (const doc of [liveCopy(a, room.id), liveCopy(b, room.id), onA.doc, onB.doc]) expect(doc && rawRoadmap(doc)).to.deep.equal(json);
      },
      30_000,
      100,
    );
    const ids = milestones(onA.doc).toArray().map((m) => m.get('id') as string);
    expect([...ids].sort()).to.deep.equal(want);
    expect(duringOutage).to.be.greaterThan(10);
  });
});
