import { expect } from 'chai';
import * as Y from 'yjs';
import { activeRoom, api, eventually, register, type Session } from '../helpers/clients.js';
import { addMilestone, milestone, milestones, openEditor, rawRoadmap, storedDoc, svEntries, within, type Editor } from '../helpers/collab.js';
import { metricsText, startServer, type TestServer } from '../helpers/server.js';

describe('collab: live editing of a room roadmap', function () {
  this.timeout(60_000);
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  const editors: Editor[] = [];
  const open = (s: Session, doc?: Y.Doc) => {
    const e = openEditor(server.url, room.id, s.token, doc);
    editors.push(e);
    return e;
  };

  const start = async (env: Record<string, string> = {}) => {
    server = await startServer({ env });
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
  };
  afterEach(async () => {
    for (const e of editors.splice(0)) e.destroy();
    await server.stop();
  });
  // Each provider in Node adds a process 'exit' listener; twenty of them are expected here.
  const maxListeners = process.getMaxListeners();
  before(() => process.setMaxListeners(40));
  after(() => process.setMaxListeners(maxListeners));

  it('two stock providers editing one milestone and the list at the same time converge to the same JSON', async () => {
    await start();
    const a = open(mentor);
    const b = open(mentee);
    await within(Promise.all([a.synced, b.synced]), 5000, 'first sync');
    addMilestone(a.doc, 'shared', 'Shared milestone', 'base');
    await eventually(() => milestone(b.doc, 'shared'));

    // Both sides at once, no waiting in between: text in the same Y.Text, items in the same list.
    const notesA = milestone(a.doc, 'shared').get('notes') as Y.Text;
    const notesB = milestone(b.doc, 'shared').get('notes') as Y.Text;
    for (let i = 0; i < 30; i++) {
      notesA.insert(0, `a${i} `);
      notesB.insert(notesB.length, ` b${i}`);
      if (i % 5 === 0) {
        addMilestone(a.doc, `a-${i}`, `from mentor ${i}`);
        addMilestone(b.doc, `b-${i}`, `from mentee ${i}`);
      }
    }
    a.doc.transact(() => milestone(a.doc, 'shared').set('status', 'doing'));
    b.doc.transact(() => milestones(b.doc).delete(0, 0)); // an empty op must not disturb anything

    await eventually(() => expect(rawRoadmap(b.doc)).to.deep.equal(rawRoadmap(a.doc)), 5000);
    const json = rawRoadmap(a.doc) as { milestones: Array<{ id: string; notes: string }> };
    expect(json.milestones.map((m) => m.id).sort()).to.deep.equal(['shared', ...[0, 5, 10, 15, 20, 25].flatMap((i) => [`a-${i}`, `b-${i}`])].sort());
    const notes = json.milestones.find((m) => m.id === 'shared')!.notes;
    for (let i = 0; i < 30; i++) expect(notes).to.include(`a${i} `).and.to.include(` b${i}`);

    const viaRest = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
    expect(viaRest.status).to.equal(200);
    expect(viaRest.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.deep.equal(json.milestones.map((m) => m.id));
    expect(viaRest.body.roadmap.milestones.find((m: { id: string }) => m.id === 'shared')).to.include({ notes, status: 'doing' });
    expect(viaRest.body.progress).to.deep.equal({ done: 0, total: 13 });
  });

  it('20 providers making 100 edits each converge, and the stored document equals the live one', async () => {
    await start();
    const team = Array.from({ length: 20 }, (_, i) => open(i % 2 === 0 ? mentor : mentee));
    await within(Promise.all(team.map((e) => e.synced)), 10_000, 'every provider synced');
    team.forEach((e, i) => addMilestone(e.doc, `own-${i}`, `milestone of editor ${i}`));
    await eventually(() => team.forEach((e) => expect(milestones(e.doc).length).to.equal(20)), 10_000);

    // Every editor: 100 separate edits (one update each) on its own milestone, a shared one, and the list.
    await Promise.all(
      team.map(async (e, i) => {
        for (let k = 0; k < 100; k++) {
          const doc = e.doc;
          if (k % 10 === 9) addMilestone(doc, `extra-${i}-${k}`, `extra ${k}`);
          else if (k % 10 === 4) doc.transact(() => milestone(doc, `own-${i}`).set('status', k % 20 === 4 ? 'doing' : 'done'));
          else (milestone(doc, `own-${(i + k) % 20}`).get('notes') as Y.Text).insert(0, `${i}.${k} `);
          if (k % 25 === 0) await new Promise((r) => setImmediate(r)); // let the sockets interleave
        }
      }),
    );

    const reference = () => rawRoadmap(team[0]!.doc);
    await eventually(() => team.forEach((e) => expect(rawRoadmap(e.doc)).to.deep.equal(reference())), 20_000, 50);
    const sv = svEntries(team[0]!.doc);
    for (const e of team) expect(svEntries(e.doc)).to.deep.equal(sv);
    expect(milestones(team[0]!.doc).length).to.equal(20 + 20 * 10);

    const live = await server.collab.docs.read(room.id, (doc) => ({ json: rawRoadmap(doc), sv: svEntries(doc) }));
    expect(live.json).to.deep.equal(reference());
    expect(live.sv).to.deep.equal(sv);
    const stored = await storedDoc(server.store, room.id);
    expect(rawRoadmap(stored)).to.deep.equal(reference());
    expect(svEntries(stored)).to.deep.equal(sv);
  });

  it('a provider opening a document with stored history receives all of it in its first sync', async () => {
    await start({ COLLAB_IDLE_MS: '50' });
    const writer = open(mentor);
    await writer.synced;
    for (let i = 0; i < 300; i++) addMilestone(writer.doc, `m${i}`, `milestone ${i}`, `notes ${i}`);
    await eventually(async () => expect((await server.store.docs.stats(room.id)).updates).to.be.at.least(300));
    const expected = rawRoadmap(writer.doc);
    writer.destroy();
    await eventually(() => expect(server.collab.docs.loaded()).to.not.include(room.id));

    // Cold open: the server must load before it answers sync step 1, so the first sync is complete.
    const reader = open(mentee);
    let atFirstSync: unknown = null;
    reader.provider.once('sync', () => (atFirstSync = rawRoadmap(reader.doc)));
    await within(reader.synced, 5000, 'sync');
    expect(atFirstSync).to.deep.equal(expected);
  });

  it('awareness is relayed between editors and a vanished editor is removed for the others', async () => {
    await start();
    const a = open(mentor);
    const b = open(mentee);
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField('user', { name: 'Mentor', cursor: 3 });
    await eventually(() => expect(b.provider.awareness.getStates().get(a.doc.clientID)).to.deep.equal({ user: { name: 'Mentor', cursor: 3 } }));
    // A third editor that joins later is told who is there.
    const c = open(mentee);
    await c.synced;
    await eventually(() => expect(c.provider.awareness.getStates().get(a.doc.clientID)).to.deep.equal({ user: { name: 'Mentor', cursor: 3 } }));
    c.provider.awareness.setLocalStateField('user', { name: 'Mentee on a phone' });
    await eventually(() => expect(b.provider.awareness.getStates().get(c.doc.clientID)).to.deep.equal({ user: { name: 'Mentee on a phone' } }));

    // The socket dies without a goodbye: only the server can tell the others.
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as { terminate(): void }).terminate();
    await eventually(() => {
      expect(b.provider.awareness.getStates().has(a.doc.clientID)).to.equal(false);
      expect(c.provider.awareness.getStates().has(a.doc.clientID)).to.equal(false);
    });
    expect(b.provider.awareness.getStates().has(c.doc.clientID)).to.equal(true);
  });

  it('a document without connections is unloaded after the idle timeout and reloads with its content', async () => {
    await start({ COLLAB_IDLE_MS: '100' });
    const a = open(mentor);
    await a.synced;
    addMilestone(a.doc, 'kept', 'Kept across unloads', 'some notes');
    await eventually(async () => expect((await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token })).body.progress.total).to.equal(1));
    expect(server.collab.docs.loaded()).to.include(room.id);
    a.destroy();
    await eventually(() => expect(server.collab.docs.loaded()).to.deep.equal([]), 3000);
    const metrics = await metricsText(server.url);
    expect(metrics).to.match(/^menteo_collab_docs_loaded 0$/m);

    // A REST read loads it again (and lets it go again).
    const read = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentee.token });
    expect(read.body.roadmap.milestones[0]).to.include({ id: 'kept', notes: 'some notes' });
    await eventually(() => expect(server.collab.docs.loaded()).to.deep.equal([]), 3000);
    const b = open(mentee);
    await b.synced;
    expect((milestone(b.doc, 'kept').get('notes') as Y.Text).toString()).to.equal('some notes');
  });
});
