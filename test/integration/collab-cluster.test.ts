import { expect } from 'chai';
import * as Y from 'yjs';
import { Registry } from 'prom-client';
import { LiveDoc, type Peer } from '../../server/collab/live-doc.js';
import { createCollabMetrics } from '../../server/collab/metrics.js';
import { createLogger } from '../../server/log.js';
import { roadmapInit } from '../../server/roadmap/ydoc.js';
import { LocalHub } from '../../server/scale/local-bus.js';
import { activeRoom, api, eventually, register, type Session } from '../helpers/clients.js';
import { counterSum, LossyBus, liveCopy, startNodes } from '../helpers/cluster.js';
import { addMilestone, metric, milestone, milestones, openEditor, rawRoadmap, storedDoc, within, type Editor } from '../helpers/collab.js';
import { testStoreLabel } from '../helpers/mongo.js';
import { openTestStore, sharedData, type TestServer } from '../helpers/server.js';

/**
 * Roadmaps across nodes (issue 12, build item 3): two in-process nodes on one store, joined
 * by a LocalHub, each bus wrapped so a test can make it lose messages.
 */
describe(`collab across nodes (LocalHub, ${testStoreLabel()})`, function () {
  this.timeout(60_000);
  let cluster: Awaited<ReturnType<typeof startNodes>> | null = null;
  let a: TestServer;
  let b: TestServer;
  let busA: LossyBus;
  let busB: LossyBus;
  let hub: LocalHub;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  const editors: Editor[] = [];
  const open = (node: TestServer, who: Session, doc?: Y.Doc) => {
    const e = openEditor(node.url, room.id, who.token, doc);
    editors.push(e);
    return e;
  };
  const roadmapOn = async (node: TestServer) => (await api(node.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentee.token })).body;
  const ids = (doc: Y.Doc) => milestones(doc).toArray().map((m) => m.get('id'));

  /** Both nodes' live docs, both providers and the store hold the same roadmap. */
  async function expectConverged(...docs: Y.Doc[]) {
    await eventually(async () => {
      const live = [liveCopy(a, room.id), liveCopy(b, room.id)];
      const stored = await storedDoc(a.store, room.id);
      const want = rawRoadmap(stored);
      for (const doc of [...live, ...docs]) expect(doc && rawRoadmap(doc)).to.deep.equal(want);
    }, 10_000);
  }

  const start = async (env: Record<string, string> = {}) => {
    hub = new LocalHub();
    busA = new LossyBus(hub.bus('node-a'));
    busB = new LossyBus(hub.bus('node-b'));
    cluster = await startNodes([busA, busB], env);
    [a, b] = cluster!.nodes as [TestServer, TestServer];
    mentor = await register(a.url, 'Mentor');
    mentee = await register(b.url, 'Mentee');
    room = await activeRoom(a.url, mentor, mentee);
  };
  afterEach(async () => {
    for (const e of editors.splice(0)) e.destroy();
    await cluster?.stop();
    cluster = null;
  });

  it('stock providers on node A and node B converge, and each node applies the other’s stored updates live', async () => {
    await start();
    const onA = open(a, mentor);
    const onB = open(b, mentee);
    await within(Promise.all([onA.synced, onB.synced]), 5000, 'first sync');
    addMilestone(onA.doc, 'from-a', 'Written through node A', 'a');
    await eventually(() => milestone(onB.doc, 'from-a'));
    const notesA = milestone(onA.doc, 'from-a').get('notes') as Y.Text;
    const notesB = milestone(onB.doc, 'from-a').get('notes') as Y.Text;
    for (let i = 0; i < 20; i++) {
      notesA.insert(0, `a${i} `);
      notesB.insert(notesB.length, ` b${i}`);
      if (i % 4 === 0) addMilestone(onB.doc, `from-b-${i}`, `Written through node B ${i}`);
    }
    await expectConverged(onA.doc, onB.doc);
    expect(ids(onA.doc)).to.have.members(['from-a', 'from-b-0', 'from-b-4', 'from-b-8', 'from-b-12', 'from-b-16']);
    // Each node relayed the other's updates from the bus (not only from its own provider).
    expect(await metric(a.url, 'menteo_collab_remote_updates_total')).to.be.greaterThan(0);
    expect(await metric(b.url, 'menteo_collab_remote_updates_total')).to.be.greaterThan(0);
  });

  it('two nodes preparing a fresh roadmap at once write one root structure: milestones added at once on both survive', async () => {
    await start();
    const onA = open(a, mentor);
    const onB = open(b, mentee);
    // Each adds as soon as its own node greeted it, before hearing of the other node.
    await Promise.all([onA.synced.then(() => addMilestone(onA.doc, 'first-a', 'A')), onB.synced.then(() => addMilestone(onB.doc, 'first-b', 'B'))]);
    await expectConverged(onA.doc, onB.doc);
    expect(ids(onA.doc)).to.have.members(['first-a', 'first-b']);
  });

  it('awareness crosses nodes and is removed on the other node when its client leaves', async () => {
    await start();
    const onA = open(a, mentor);
    const onB = open(b, mentee);
    await within(Promise.all([onA.synced, onB.synced]), 5000, 'first sync');
    onA.provider.awareness.setLocalStateField('user', { name: 'Mentor on A' });
    onB.provider.awareness.setLocalStateField('user', { name: 'Mentee on B' });
    const idA = onA.doc.clientID;
    const idB = onB.doc.clientID;
    await eventually(() => expect(onB.provider.awareness.getStates().get(idA)).to.deep.equal({ user: { name: 'Mentor on A' } }));
    await eventually(() => expect(onA.provider.awareness.getStates().get(idB)).to.deep.equal({ user: { name: 'Mentee on B' } }));

    // A provider that connects to B later still sees A's client at once (B asked the others when it loaded, or relays it now).
    const late = open(b, mentor);
    await late.synced;
    await eventually(() => expect(late.provider.awareness.getStates().get(idA)).to.deep.equal({ user: { name: 'Mentor on A' } }));

    onA.stop();
    await eventually(() => expect(onB.provider.awareness.getStates().has(idA)).to.equal(false));
    expect(onB.provider.awareness.getStates().get(idB)).to.deep.equal({ user: { name: 'Mentee on B' } });
  });

  it('a REST read on B shows an edit acked on A even when B heard nothing of it (read-your-writes from the store)', async () => {
    await start();
    const onB = open(b, mentee); // B has the document loaded
    await onB.synced;
    busB.deaf = true;
    const applied = await api(a.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentor.token, body: { templateId: 'launch-mvp' } });
    expect(applied.status).to.equal(200);
    const titles = applied.body.roadmap.milestones.map((m: { title: string }) => m.title);
    expect(titles.length).to.be.greaterThan(0);
    // At once, no waiting: B's loaded document catches up from the store before it answers.
    const read = await roadmapOn(b);
    expect(read.roadmap.milestones.map((m: { title: string }) => m.title)).to.deep.equal(titles);
    expect(read.roadmap.title).to.equal(applied.body.roadmap.title);
    // And B relayed what it caught up to its own provider.
    await eventually(() => expect(ids(onB.doc)).to.have.length(titles.length));
  });

  it('a template applied on B reaches a provider on A; evidence linked through B shows on A', async () => {
    await start();
    const onA = open(a, mentor);
    const onB = open(b, mentee); // B has the document loaded
    await within(Promise.all([onA.synced, onB.synced]), 5000, 'first sync');
    // B edits a milestone it never heard of on the bus: it catches up before the edit.
    busB.deaf = true;
    addMilestone(onA.doc, 'goal', 'Goal written on A');
    await eventually(async () => expect((await storedDoc(a.store, room.id)).getMap('roadmap').toJSON().milestones).to.have.length(1));
    const applied = await api(b.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentee.token, body: { templateId: 'seed-round' } });
    expect(applied.status).to.equal(200);
    expect(applied.body.roadmap.milestones[0].id).to.equal('goal');
    await eventually(() => expect(ids(onA.doc)).to.deep.equal(applied.body.roadmap.milestones.map((m: { id: string }) => m.id)));
    await b.services.roadmap.addEvidence(room.id as never, 'goal', 'entry-1');
    await eventually(() => expect((milestone(onA.doc, 'goal').get('evidence') as Y.Array<string>).toArray()).to.deep.equal(['entry-1']));
    busB.deaf = false;
    await expectConverged(onA.doc, onB.doc);
  });

  it('a node that missed bus messages re-syncs from the store: on a gap, on a resync, on a message that does not validate, on a lost tail', async () => {
    await start();
    const onA = open(a, mentor);
    const onB = open(b, mentee);
    await within(Promise.all([onA.synced, onB.synced]), 5000, 'first sync');
    addMilestone(onA.doc, 'm0', 'heard by all');
    await eventually(() => milestone(onB.doc, 'm0'));
    const stored = async () => ids(await storedDoc(a.store, room.id));

    // 1. A gap in A's sequence: B drops two messages, then hears the next (from another client of A).
    busB.deaf = true;
    addMilestone(onA.doc, 'lost-1', 'dropped');
    addMilestone(onA.doc, 'lost-2', 'dropped');
    await eventually(async () => expect(await stored()).to.include('lost-2'));
    busB.deaf = false;
    const second = open(a, mentor);
    await second.synced;
    second.doc.getMap('roadmap').set('title', 'after the gap');
    await eventually(() => expect(ids(onB.doc)).to.include.members(['lost-1', 'lost-2']));
    expect(await counterSum(b.url, 'menteo_collab_catch_ups_total', 'reason="gap"')).to.be.greaterThan(0);

    // 2. A bus outage on B's side: nothing more comes, the resync alone brings it.
    busB.deaf = true;
    addMilestone(onA.doc, 'lost-3', 'dropped during the outage');
    await eventually(async () => expect(await stored()).to.include('lost-3'));
    busB.deaf = false;
    busB.resync();
    await eventually(() => expect(ids(onB.doc)).to.include('lost-3'));

    // 3. A message that does not validate makes B read the store.
    busB.deaf = true;
    addMilestone(onA.doc, 'lost-4', 'dropped before the garbage');
    await eventually(async () => expect(await stored()).to.include('lost-4'));
    busB.deaf = false;
    hub.bus('node-x').publish('doc', room.id, { kind: 'update', id: -1 } as never);
    await eventually(() => expect(ids(onB.doc)).to.include('lost-4'));
    expect(await counterSum(b.url, 'menteo_collab_catch_ups_total', 'reason="invalid"')).to.be.greaterThan(0);

    // 4. A's publishes are lost (its own outage): when its bus comes back it tells how far it got.
    busA.mute = true;
    addMilestone(onA.doc, 'lost-5', 'never published');
    await eventually(async () => expect(await stored()).to.include('lost-5'));
    busA.mute = false;
    busA.resync();
    await eventually(() => expect(ids(onB.doc)).to.include('lost-5'));
    await expectConverged(onA.doc, onB.doc, second.doc);
  });

  it('compaction on A while B keeps editing loses nothing; B, loaded before the compaction, catches up across it', async () => {
    await start({ COLLAB_COMPACT_AFTER: '5' });
    const onA = open(a, mentor);
    const onB = open(b, mentee);
    await within(Promise.all([onA.synced, onB.synced]), 5000, 'first sync');
    for (let i = 0; i < 30; i++) {
      addMilestone(onA.doc, `a-${i}`, `A ${i}`);
      addMilestone(onB.doc, `b-${i}`, `B ${i}`);
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 20)); // let the appends interleave with compactions
    }
    await expectConverged(onA.doc, onB.doc);
    // Both nodes append, so either may be the one that compacts (the other then finds little to do).
    const compactions = async () => (await metric(a.url, 'menteo_collab_compactions_total')) + (await metric(b.url, 'menteo_collab_compactions_total'));
    expect(await compactions()).to.be.greaterThan(0);
    expect(ids(onA.doc)).to.have.length(60);

    // B hears nothing while A's edits compact the log past everything B applied.
    busB.deaf = true;
    const before = (await a.store.docs.stats(room.id)).snapshotUpTo;
    for (let i = 0; i < 12; i++) addMilestone(onA.doc, `while-deaf-${i}`, `A ${i}`);
    // Up to COMPACT_RETRY_MS (5 s) late: a compaction that found B's snapshot already covering its bound backs off.
    await eventually(async () => expect((await a.store.docs.stats(room.id)).snapshotUpTo).to.be.greaterThan(before), 20_000, 100);
    await eventually(async () => expect(ids(await storedDoc(a.store, room.id))).to.include('while-deaf-11'));
    busB.deaf = false;
    busB.resync();
    await expectConverged(onA.doc, onB.doc);
    expect(ids(onB.doc)).to.have.length(72);
    // A reload from the store (what a restart does) holds all of it too.
    for (const e of editors.splice(0)) e.destroy();
    expect((await roadmapOn(b)).roadmap.milestones).to.have.length(72);
  });

  it('an empty roadmap is prepared identically on every node, so two preparations racing merge into one', async () => {
    // Two stores that cannot see each other: the worst case of two nodes preparing at once.
    const dirs = [sharedData(), sharedData()];
    const stores = await Promise.all(dirs.map((d) => openTestStore(d.dir)));
    try {
      const prepared = await Promise.all(
        stores.map(async (store) => {
          const live = new LiveDoc('room-race', {
            store: store.docs,
            log: createLogger('silent'),
            metrics: createCollabMetrics(new Registry()),
            compactAfterUpdates: 1000,
            compactAfterBytes: 1 << 20,
            maxDocBytes: 1 << 22,
            init: roadmapInit,
          });
          await live.load();
          // A client as the document sees it: greeting it runs the preparation first.
          const greeted = new Promise<void>((resolve) => live.attach({ send() {}, close() {}, start: resolve } satisfies Peer));
          await greeted;
          await live.settled();
          live.close(1001, 'test over');
          return (await store.docs.load('room-race')).updates.map((u) => u.update);
        }),
      );
      expect(prepared[0]).to.have.length(1);
      expect(prepared[1]).to.deep.equal(prepared[0]);
      // Both applied to one document: one milestones list, one title, nothing left pending.
      const merged = new Y.Doc();
      for (const u of [...prepared[0]!, ...prepared[1]!]) Y.applyUpdate(merged, u);
      expect(rawRoadmap(merged)).to.deep.equal({ milestones: [], title: '' });
      expect(Y.encodeStateAsUpdate(merged)).to.deep.equal(prepared[0]![0]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await Promise.all(dirs.map((d) => d.remove()));
    }
  });
});
