/**
 * Issue 13: a 243 KB update that set `root.junk` to 20,000 nested Y.Maps (one transaction) was
 * accepted; afterwards GET roadmap and POST roadmap/template answered 500 (recursive toJSON) and
 * nobody could repair the document. Off-schema updates are now refused before they are stored,
 * and documents that already hold such data still read and edit.
 */
import { expect } from 'chai';
import * as Y from 'yjs';
import { CollabClose } from '../../shared/events.js';
import { api, eventually } from '../helpers/clients.js';
import { addMilestone, milestone, storedDoc } from '../helpers/collab.js';
import { useRoomFixture } from '../helpers/room.js';

const DEPTH = 20_000;

/** Sets `root.junk` to DEPTH nested maps in one transaction, as the attacker's client did. */
function nestJunk(doc: Y.Doc, key = 'junk'): void {
  doc.transact(() => {
    let m = new Y.Map<unknown>();
    doc.getMap('roadmap').set(key, m);
    for (let i = 0; i < DEPTH; i++) {
      const child = new Y.Map<unknown>();
      m.set('k', child);
      m = child;
    }
  });
}

describe('collab: updates that leave the roadmap schema (issue 13)', function () {
  this.timeout(60_000);
  const fx = useRoomFixture({ env: { COLLAB_IDLE_MS: '50' } });

  it('refuses 20,000 nested maps under an unknown key with 4400 to the sender only, storing nothing', async () => {
    const { server, mentor, mentee, room } = fx;
    const [attacker, other] = [fx.editor(mentee), fx.editor(mentor)];
    await Promise.all([attacker.synced, other.synced]);
    const before = (await server.store.docs.load(room.id)).updates.length;
    let bytes = 0;
    attacker.doc.once('update', (u: Uint8Array) => (bytes = u.byteLength));
    nestJunk(attacker.doc);
    expect(bytes).to.be.greaterThan(200_000);
    await eventually(() => expect(attacker.closes.map((c) => c.code)).to.include(CollabClose.INVALID_INPUT), 10_000);
    // The other editor stays connected and keeps editing.
    addMilestone(other.doc, 'm1', 'Still editing');
    await eventually(async () => expect((await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token })).body.roadmap.milestones).to.have.length(1));
    expect(other.closes).to.deep.equal([]);
    const stored = await storedDoc(server.store, room.id);
    expect(stored.getMap('roadmap').has('junk')).to.equal(false);
    expect((await server.store.docs.load(room.id)).updates.length).to.equal(before + 1); // only the milestone
  });

  for (const [what, change] of [
    ['a shared type under an unknown root key', (d: Y.Doc) => d.getMap('roadmap').set('extra', new Y.Array())],
    ['another root type', (d: Y.Doc) => d.getText('elsewhere').insert(0, 'x')],
    ['a Y.Text as a milestone title', (d: Y.Doc) => milestone(d, 'm1').set('title', new Y.Text('t'))],
    ['a map inside the notes text', (d: Y.Doc) => (milestone(d, 'm1').get('notes') as Y.Text).insertEmbed(0, new Y.Map())],
    ['a non-map in the milestone list', (d: Y.Doc) => (d.getMap('roadmap').get('milestones') as Y.Array<unknown>).push(['str'])],
  ] as const) {
    it(`refuses ${what}, and accepts ordinary edits and plain values under unknown keys`, async () => {
      const { server, mentor, room } = fx;
      const e = fx.editor(mentor);
      await e.synced;
      addMilestone(e.doc, 'm1', 'First', 'notes');
      e.doc.transact(() => {
        milestone(e.doc, 'm1').set('status', 'doing');
        milestone(e.doc, 'm1').set('future', { any: 'value' });
        e.doc.getMap('roadmap').set('title', 'Plan');
        (milestone(e.doc, 'm1').get('notes') as Y.Text).insert(0, 'more ');
        (milestone(e.doc, 'm1').get('evidence') as Y.Array<string>).push(['e1']);
      });
      await eventually(async () => {
        const res = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
        expect(res.body.roadmap.milestones[0]?.evidence).to.deep.equal(['e1']);
      });
      change(e.doc);
      await eventually(() => expect(e.closes.map((c) => c.code)).to.include(CollabClose.INVALID_INPUT), 10_000);
      const res = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
      expect(res.body.roadmap).to.deep.include({ title: 'Plan' });
      expect(res.body.roadmap.milestones).to.deep.equal([{ id: 'm1', title: 'First', status: 'doing', evidence: ['e1'], notes: 'more notes' }]);
    });
  }

  it('a document that already holds such data still reads (GET roadmap) and edits (POST roadmap/template)', async () => {
    const { server, mentor, mentee, room } = fx;
    // Written to the store directly, as a server before this check would have stored it.
    const old = new Y.Doc();
    old.getMap('roadmap').set('title', 'Old');
    old.getMap('roadmap').set('milestones', new Y.Array());
    nestJunk(old);
    await server.store.docs.append(room.id, Y.encodeStateAsUpdate(old));
    const read = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentee.token });
    expect(read.status).to.equal(200);
    expect(read.body.roadmap).to.deep.equal({ title: 'Old', milestones: [] });
    const applied = await api(server.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentor.token, body: { templateId: 'launch-mvp' } });
    expect(applied.status).to.equal(200);
    expect(applied.body.roadmap.milestones.length).to.be.greaterThan(0);
    const record = await api(server.url, 'GET', `/api/rooms/${room.id}/record`, { token: mentor.token });
    expect(record.status).to.equal(200);
    expect(record.body.record.roadmap.total).to.equal(applied.body.roadmap.milestones.length);
    // And an editor may still work on it: an edit next to the old junk is not refused.
    const e = fx.editor(mentee);
    await e.synced;
    e.doc.getMap('roadmap').set('title', 'New');
    await eventually(async () => expect((await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token })).body.roadmap.title).to.equal('New'));
    expect(e.closes).to.deep.equal([]);
  });
});
