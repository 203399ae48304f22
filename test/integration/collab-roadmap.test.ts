import { expect } from 'chai';
import * as Y from 'yjs';
import { isAppError } from '../../shared/errors.js';
import { activeRoom, api, eventually, register, type Session } from '../helpers/clients.js';
import { addMilestone, milestone, milestones, openEditor, rawRoadmap, stateVector, storedDoc, type Editor } from '../helpers/collab.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('collab: the roadmap on the server (REST, templates, evidence)', function () {
  this.timeout(20_000);
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let stranger: Session;
  let room: { id: string };
  const editors: Editor[] = [];
  const open = (s: Session) => {
    const e = openEditor(server.url, room.id, s.token);
    editors.push(e);
    return e;
  };
  const getRoadmap = (s: Session, roomId = room.id) => api(server.url, 'GET', `/api/rooms/${roomId}/roadmap`, { token: s.token });
  const applyTemplate = (s: Session, body: unknown, roomId = room.id) => api(server.url, 'POST', `/api/rooms/${roomId}/roadmap/template`, { token: s.token, body });
  const titles = (doc: Y.Doc) => milestones(doc).toArray().map((m) => m.get('title'));

  beforeEach(async () => {
    server = await startServer({ env: { COLLAB_IDLE_MS: '50' } });
    [mentor, mentee, stranger] = await Promise.all([register(server.url, 'Mentor'), register(server.url, 'Mentee'), register(server.url, 'Stranger')]);
    room = await activeRoom(server.url, mentor, mentee);
  });
  afterEach(async () => {
    for (const e of editors.splice(0)) e.destroy();
    await server.stop();
  });

  it('lists the curated templates to a signed-in user', async () => {
    const res = await api(server.url, 'GET', '/api/templates', { token: stranger.token });
    expect(res.status).to.equal(200);
    const byId = Object.fromEntries(res.body.templates.map((t: { id: string; name: string }) => [t.id, t.name]));
    expect(byId).to.include({ 'director-role': 'Land a Director role', 'launch-mvp': 'Launch the MVP', 'seed-round': 'Raise a seed round', blank: 'Blank' });
    // Paths people come for beyond founding and directing (issue 16, finding 7).
    expect(byId).to.include({ 'staff-engineer': 'Get promoted to Staff Engineer', 'move-into-ml': 'Move into machine learning', 'first-manager-role': 'Your first management role' });
    expect((await api(server.url, 'GET', '/api/templates')).status).to.equal(401);
  });

  it('a template applied over REST appears live in a connected provider, and the JSON route shows it', async () => {
    const editor = open(mentee);
    await editor.synced;
    const res = await applyTemplate(mentor, { templateId: 'director-role' });
    expect(res.status).to.equal(200);
    expect(res.body.roadmap.title).to.equal('Land a Director role');
    expect(res.body.roadmap.milestones).to.have.length(7);
    expect(res.body.progress).to.deep.equal({ done: 0, total: 7 });

    await eventually(() => expect(titles(editor.doc)).to.deep.equal(res.body.roadmap.milestones.map((m: { title: string }) => m.title)));
    expect(editor.doc.getMap('roadmap').get('title')).to.equal('Land a Director role');
    // Template milestones are ordinary shared types: the editor can type into their notes.
    const first = milestones(editor.doc).get(0);
    (first.get('notes') as Y.Text).insert(0, 'Started: ');
    first.set('status', 'done');
    await eventually(async () => {
      const json = (await getRoadmap(mentor)).body;
      expect(json.roadmap.milestones[0].notes).to.match(/^Started: Outcomes, not activities/);
      expect(json.progress).to.deep.equal({ done: 1, total: 7 });
    });
    const viaRoute = await getRoadmap(mentee);
    expect(viaRoute.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.deep.equal(milestones(editor.doc).toArray().map((m) => m.get('id')));
  });

  it('append keeps what is there; replace swaps title and milestones; replace with Blank empties the list', async () => {
    const editor = open(mentor);
    await editor.synced;
    addMilestone(editor.doc, 'own', 'Our own first step');
    await eventually(async () => expect((await getRoadmap(mentee)).body.progress.total).to.equal(1));

    const appended = await applyTemplate(mentee, { templateId: 'launch-mvp', mode: 'append' });
    expect(appended.body.roadmap.milestones.map((m: { title: string }) => m.title)[0]).to.equal('Our own first step');
    expect(appended.body.roadmap.milestones).to.have.length(8);
    expect(appended.body.roadmap.title).to.equal('Launch the MVP');

    const replaced = await applyTemplate(mentee, { templateId: 'seed-round', mode: 'replace' });
    expect(replaced.body.roadmap.title).to.equal('Raise a seed round');
    expect(replaced.body.roadmap.milestones.map((m: { title: string }) => m.title)[0]).to.equal('Decide how much and what for');
    expect(replaced.body.roadmap.milestones).to.have.length(7);
    await eventually(() => expect(titles(editor.doc)).to.have.length(7));

    const blank = await applyTemplate(mentor, { templateId: 'blank', mode: 'replace' });
    expect(blank.body.roadmap).to.deep.equal({ title: 'Our roadmap', milestones: [] });
    await eventually(() => expect(titles(editor.doc)).to.deep.equal([]));
  });

  it('refuses bad template requests without changing the roadmap', async () => {
    await applyTemplate(mentor, { templateId: 'launch-mvp' });
    const before = (await getRoadmap(mentor)).body;
    // Another mentor: the pair's own room is open, and a second open room per pair is refused.
    const other = await register(server.url, 'Other Mentor');
    const declinedReq = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: other.user.id, focus: 'Declined' } });
    await api(server.url, 'POST', `/api/rooms/${declinedReq.body.room.id}/decline`, { token: other.token });

    const cases: Array<[Promise<{ status: number; body: { error: { code: string } } }>, number, string]> = [
      [applyTemplate(mentor, { templateId: 'no-such-template' }), 404, 'NOT_FOUND'],
      [applyTemplate(mentor, { templateId: 'blank', mode: 'merge' }), 400, 'INVALID_INPUT'],
      [applyTemplate(mentor, { templateId: 'blank', extra: 1 }), 400, 'INVALID_INPUT'],
      [applyTemplate(mentor, {}), 400, 'INVALID_INPUT'],
      [applyTemplate(stranger, { templateId: 'blank', mode: 'replace' }), 403, 'FORBIDDEN'],
      [applyTemplate(mentor, { templateId: 'blank' }, 'no-such-room'), 404, 'NOT_FOUND'],
      [applyTemplate(mentee, { templateId: 'blank', mode: 'replace' }, declinedReq.body.room.id), 409, 'GUARD_FAILED'],
      [getRoadmap(stranger), 403, 'FORBIDDEN'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, code).to.equal(status);
      expect(res.body.error.code).to.equal(code);
    }
    expect((await getRoadmap(mentee)).body).to.deep.equal(before);
    // A declined room's roadmap stays readable for its members.
    expect((await getRoadmap(mentee, declinedReq.body.room.id)).status).to.equal(200);
  });

  it("saves the roadmap as the pair's own template, offers it only to that pair (in any of their rooms), and applies it", async () => {
    const saveTemplate = (s: Session, body: unknown, roomId = room.id) => api(server.url, 'POST', `/api/rooms/${roomId}/roadmap/save-template`, { token: s.token, body });
    const list = (s: Session, roomId = room.id) => api(server.url, 'GET', `/api/rooms/${roomId}/templates`, { token: s.token });
    // Nothing to save yet.
    expect((await saveTemplate(mentee, { name: 'Ours' })).body.error).to.deep.include({ code: 'GUARD_FAILED', details: { guard: 'roadmap-empty' } });

    const editor = open(mentor);
    await editor.synced;
    addMilestone(editor.doc, 'a', 'Ship the migration plan');
    await eventually(async () => expect((await getRoadmap(mentee)).body.progress.total).to.equal(1));
    editor.doc.getMap('roadmap').set('title', 'Platform year');
    await eventually(async () => expect((await getRoadmap(mentee)).body.roadmap.title).to.equal('Platform year'));

    const saved = await saveTemplate(mentee, { name: '  Our platform year ', description: 'What worked for us' });
    expect(saved.status).to.equal(201);
    expect(saved.body.template).to.deep.include({ name: 'Our platform year', description: 'What worked for us', title: 'Platform year', createdBy: mentee.user.id });
    expect(saved.body.template.milestones).to.deep.equal([{ title: 'Ship the migration plan', notes: '' }]);

    const listed = await list(mentor);
    expect(listed.status).to.equal(200);
    expect(listed.body.own.map((t: { id: string }) => t.id)).to.deep.equal([saved.body.template.id]);
    expect(listed.body.templates.map((t: { id: string }) => t.id)).to.include('staff-engineer');

    // Bad input and strangers change nothing.
    for (const [res, status, code] of [
      [await saveTemplate(mentee, { name: '' }), 400, 'INVALID_INPUT'],
      [await saveTemplate(mentee, { name: 'x', extra: true }), 400, 'INVALID_INPUT'],
      [await saveTemplate(mentee, { name: 'x'.repeat(81) }), 400, 'INVALID_INPUT'],
      [await saveTemplate(stranger, { name: 'Mine now' }), 403, 'FORBIDDEN'],
      [await list(stranger), 403, 'FORBIDDEN'],
    ] as const) {
      expect(res.status, code).to.equal(status);
      expect(res.body.error.code).to.equal(code);
    }
    expect((await list(mentee)).body.own).to.have.length(1);

    // Another pair cannot see or apply it.
    const other = await register(server.url, 'Other Mentor');
    const otherRoom = await activeRoom(server.url, other, stranger);
    expect((await list(stranger, otherRoom.id)).body.own).to.deep.equal([]);
    expect((await applyTemplate(stranger, { templateId: saved.body.template.id }, otherRoom.id)).status).to.equal(404);

    // The pair applies it (here in the same room, replacing what is there).
    const applied = await applyTemplate(mentor, { templateId: saved.body.template.id, mode: 'replace' });
    expect(applied.status).to.equal(200);
    expect(applied.body.roadmap.title).to.equal('Platform year');
    expect(applied.body.roadmap.milestones.map((m: { title: string }) => m.title)).to.deep.equal(['Ship the migration plan']);
  });

  it('evidence linked by the server shows live in editors and is stored; an unloaded roadmap is loaded for it', async () => {
    const { roadmap } = server.services;
    const editor = open(mentee);
    await editor.synced;
    addMilestone(editor.doc, 'ms-1', 'Ship it');
    await eventually(async () => expect(await roadmap.milestoneExists(room.id, 'ms-1')).to.equal(true));
    expect(await roadmap.milestoneExists(room.id, 'ms-2')).to.equal(false);
    expect(await roadmap.milestoneExists('no-such-room', 'ms-1')).to.equal(false);

    await roadmap.addEvidence(room.id, 'ms-1', 'entry-a');
    await roadmap.addEvidence(room.id, 'ms-1', 'entry-b');
    await roadmap.addEvidence(room.id, 'ms-1', 'entry-a'); // linking twice changes nothing
    await eventually(() => expect((milestone(editor.doc, 'ms-1').get('evidence') as Y.Array<string>).toArray()).to.deep.equal(['entry-a', 'entry-b']));
    // The server's edits while loaded (both links) share one client id; the list's creation has the
    // name-derived id every node prepares an empty document with: with the editor's, three.
    expect(stateVector(editor.doc).size).to.equal(3);

    // Everyone leaves; the document unloads; the server still edits it.
    editor.destroy();
    editors.splice(0);
    await eventually(() => expect(server.collab.docs.loaded()).to.deep.equal([]));
    await roadmap.removeEvidence(room.id, 'ms-1', 'entry-a');
    await roadmap.removeEvidence(room.id, 'ms-1', 'never-linked');
    await roadmap.removeEvidence(room.id, 'gone-milestone', 'entry-b');
    const stored = await storedDoc(server.store, room.id);
    expect((rawRoadmap(stored) as { milestones: Array<{ evidence: string[] }> }).milestones[0]!.evidence).to.deep.equal(['entry-b']);
    expect((await getRoadmap(mentor)).body.roadmap.milestones[0].evidence).to.deep.equal(['entry-b']);
    await eventually(() => expect(server.collab.docs.loaded()).to.deep.equal([]));

    const missing = await roadmap.addEvidence(room.id, 'ms-404', 'entry-c').catch((e: unknown) => e);
    expect(isAppError(missing, 'NOT_FOUND')).to.equal(true);
    const noRoom = await roadmap.addEvidence('no-such-room', 'ms-1', 'entry-c').catch((e: unknown) => e);
    expect(isAppError(noRoom, 'NOT_FOUND')).to.equal(true);
    expect(server.collab.docs.loaded()).to.not.include('no-such-room');
  });

  it('progress counts done milestones without a user, and read() checks membership', async () => {
    const { roadmap } = server.services;
    expect(await roadmap.progress(room.id)).to.deep.equal({ done: 0, total: 0 });
    const editor = open(mentor);
    await editor.synced;
    for (const id of ['a', 'b', 'c']) addMilestone(editor.doc, id, id.toUpperCase());
    editor.doc.transact(() => {
      milestone(editor.doc, 'a').set('status', 'done');
      milestone(editor.doc, 'b').set('status', 'doing');
    });
    await eventually(async () => expect(await roadmap.progress(room.id)).to.deep.equal({ done: 1, total: 3 }));
    expect((await roadmap.read(mentee.user, room.id)).progress).to.deep.equal({ done: 1, total: 3 });
    const refused = await roadmap.read(stranger.user, room.id).catch((e: unknown) => e);
    expect(isAppError(refused, 'FORBIDDEN')).to.equal(true);
    const noRoom = await roadmap.progress('no-such-room').catch((e: unknown) => e);
    expect(isAppError(noRoom, 'NOT_FOUND')).to.equal(true);
  });

  it('a background read of an unloaded roadmap (the reminder scheduler) sees the stored state without loading it; a loaded one is read live', async () => {
    const { roadmap } = server.services;
    const editor = open(mentee);
    await editor.synced;
    addMilestone(editor.doc, 'ms-1', 'Ship it');
    await eventually(async () => expect((await roadmap.milestones(room.id)).map((m) => m.title)).to.deep.equal(['Ship it']));
    editor.destroy();
    editors.splice(0);
    await eventually(() => expect(server.collab.docs.loaded()).to.deep.equal([]));

    expect((await roadmap.milestones(room.id)).map((m) => m.title)).to.deep.equal(['Ship it']);
    // Read from the store into a scratch copy: nothing stays loaded to unload later.
    expect(server.collab.docs.loaded()).to.deep.equal([]);
    // An edit while unloaded is seen by the next background read.
    await server.collab.docs.edit(room.id, (doc) => void milestone(doc, 'ms-1').set('title', 'Ship it twice'));
    await eventually(() => expect(server.collab.docs.loaded()).to.deep.equal([]));
    expect((await roadmap.milestones(room.id)).map((m) => m.title)).to.deep.equal(['Ship it twice']);
    expect(server.collab.docs.loaded()).to.deep.equal([]);
  });
});
