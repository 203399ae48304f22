import { expect } from 'chai';
import * as Y from 'yjs';
import { RoadmapDoc } from '../../client/src/sdk/roadmap-doc.js';

/** Two documents that exchange every update, like two editors through the server. */
function pair(): [RoadmapDoc, RoadmapDoc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  // The server creates the root keys before the first sync.
  a.getMap('roadmap').set('title', '');
  a.getMap('roadmap').set('milestones', new Y.Array());
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return [new RoadmapDoc(a, 'a'), new RoadmapDoc(b, 'b')];
}

describe('sdk RoadmapDoc (the roadmap schema as a client edits it)', () => {
  it('refuses edits until the server’s root keys arrived', () => {
    const doc = new RoadmapDoc(new Y.Doc());
    expect(doc.ready()).to.equal(false);
    expect(() => doc.add('too early')).to.throw(/not synced/);
    expect(doc.doc.getMap('roadmap').has('milestones')).to.equal(false);
  });

  it('adds milestones in the DESIGN §3 shape and reads them back with progress', () => {
    const [a, b] = pair();
    const id = a.add('Mock interviews', { due: '2025-09-01' });
    a.add('Update CV');
    a.update(id, { status: 'done', goalId: 'g1' });
    const raw = b.doc.getMap('roadmap').get('milestones') as Y.Array<Y.Map<unknown>>;
    const first = raw.get(0);
    expect(first.get('notes')).to.be.instanceOf(Y.Text);
    expect(first.get('evidence')).to.be.instanceOf(Y.Array);
    expect(b.read().milestones.map((m) => [m.title, m.status, m.due, m.goalId])).to.deep.equal([
      ['Mock interviews', 'done', '2025-09-01', 'g1'],
      ['Update CV', 'todo', undefined, undefined],
    ]);
    expect(b.progress()).to.deep.equal({ done: 1, total: 2 });
    a.update(id, { due: null, goalId: '' });
    expect(b.milestones()[0]!.due).to.equal(undefined);
    expect(b.milestones()[0]!.goalId).to.equal(undefined);
  });

  it('moves a milestone with its id, fields, evidence and notes', () => {
    const [a, b] = pair();
    const ids = ['One', 'Two', 'Three'].map((t) => a.add(t));
    a.update(ids[0]!, { status: 'doing', due: '2025-01-02' });
    (a.milestones()[0]!.map.get('evidence') as Y.Array<string>).push(['entry-1']);
    a.setNotes(ids[0]!, 'keep these notes');
    a.move(ids[0]!, 2);
    expect(b.milestones().map((m) => m.title)).to.deep.equal(['Two', 'Three', 'One']);
    const moved = b.milestones()[2]!;
    expect([moved.id, moved.status, moved.due, moved.evidence, moved.notes]).to.deep.equal([ids[0], 'doing', '2025-01-02', ['entry-1'], 'keep these notes']);
    expect(moved.text).to.be.instanceOf(Y.Text);
    a.move(ids[0]!, 0);
    expect(b.milestones().map((m) => m.title)).to.deep.equal(['One', 'Two', 'Three']);
    b.move(ids[1]!, 2);
    expect(a.milestones().map((m) => m.title)).to.deep.equal(['One', 'Three', 'Two']);
    expect(a.doc.getMap('roadmap').get('milestones')).to.have.property('length', 3);
  });

  it('shows one copy when two people moved the same milestone at once, and deletes every copy', () => {
    const a0 = new Y.Doc();
    a0.getMap('roadmap').set('milestones', new Y.Array());
    const a = new RoadmapDoc(a0);
    ['One', 'Two', 'Three'].forEach((t) => a.add(t));
    const b0 = new Y.Doc();
    Y.applyUpdate(b0, Y.encodeStateAsUpdate(a0));
    const b = new RoadmapDoc(b0);
    const id = a.milestones()[0]!.id;
    a.move(id, 2);
    b.move(id, 1);
    Y.applyUpdate(a0, Y.encodeStateAsUpdate(b0));
    expect(a.milestones().filter((m) => m.id === id)).to.have.length(1);
    a.remove(id);
    expect(a.milestones().map((m) => m.title)).to.deep.equal(['Two', 'Three']);
  });

  it('writes notes as the smallest splice and writes nothing when the text is unchanged', () => {
    const [a, b] = pair();
    const id = a.add('Talk');
    a.setNotes(id, 'outline\nslides');
    const ta = a.notes(id);
    const before = ta.toString();
    const seen: string[] = [];
    ta.observe((e) => seen.push(JSON.stringify(e.delta)));
    expect(a.setNotes(id, 'outline (draft)\nslides')).to.equal(true);
    expect(b.setNotes(id, 'outline (draft)\nslides x10')).to.equal(true);
    expect(a.setNotes(id, a.notes(id).toString())).to.equal(false);
    expect(a.milestones()[0]!.notes).to.equal('outline (draft)\nslides x10');
    expect(seen[0]).to.equal(JSON.stringify([{ retain: 'outline'.length }, { insert: ' (draft)' }]));
    expect(before).to.equal('outline\nslides');
  });

  it('reads what other clients wrote off-schema without failing', () => {
    const d = new Y.Doc();
    const list = new Y.Array<unknown>();
    d.getMap('roadmap').set('milestones', list);
    const odd = new Y.Map<unknown>();
    odd.set('id', 'x');
    odd.set('status', 'finished');
    odd.set('notes', 'plain string notes');
    list.push(['not a milestone', odd]);
    const doc = new RoadmapDoc(d);
    expect(doc.read().milestones).to.deep.equal([{ id: 'x', title: '', status: 'todo', evidence: [], notes: 'plain string notes' }]);
    expect(doc.notes('x').toString()).to.equal('plain string notes');
  });
});
