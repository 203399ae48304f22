import { expect } from 'chai';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isAppError } from '../../shared/errors.js';
import type { Room } from '../../shared/types.js';
import { decodeMessage, encodeAwareness, encodeQueryAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError } from '../../server/collab/protocol.js';
import { assertCanEditRoadmap, progressOf, roadmapFromJson } from '../../server/domain/roadmap.js';
import { TEMPLATES } from '../../server/roadmap/templates.js';
import { addEvidence, applyTemplate, findMilestone, newMilestone, readRoadmap, removeEvidence, roadmapInit } from '../../server/roadmap/ydoc.js';

const room = (status: Room['status']): Room => ({
  id: 'r1', title: 't', focus: 'f', mentorId: 'mentor', menteeId: 'mentee', requestedBy: 'mentee', status, stage: 'initiation',
  stageHistory: [], contract: null, contractHistory: [], lastSeq: 0, createdAt: '', updatedAt: '', rev: 1,
});
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
};
let ids = 0;
const nextId = () => `id-${++ids}`;

/** A document with the roadmap structure and the given milestones. */
function roadmapDoc(...ms: Array<[string, string]>): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    roadmapInit.apply(doc);
    (doc.getMap('roadmap').get('milestones') as Y.Array<unknown>).push(ms.map(([id, title]) => newMilestone(id, title, '')));
  });
  return doc;
}

describe('roadmap domain: reading the co-edited document', () => {
  it('an empty or malformed root reads as an empty roadmap', () => {
    expect(roadmapFromJson({})).to.deep.equal({ title: '', milestones: [] });
    expect(roadmapFromJson(null)).to.deep.equal({ title: '', milestones: [] });
    expect(roadmapFromJson({ title: 7, milestones: 'nope' })).to.deep.equal({ title: '', milestones: [] });
  });

  it('milestones are checked field by field: bad values read as defaults, entries without an id are skipped', () => {
    const json = {
      title: 'Plan',
      milestones: [
        { id: 'a', title: 'A', status: 'done', due: '2030-01-01', goalId: 'g1', evidence: ['e1', 'e1', 5, 'e2'], notes: 'n' },
        { id: 'b', title: 42, status: 'finished', evidence: 'e3', notes: null, due: '' },
        { title: 'no id' },
        'a string',
        ['an', 'array'],
        { id: '', title: 'empty id' },
      ],
    };
    expect(roadmapFromJson(json)).to.deep.equal({
      title: 'Plan',
      milestones: [
        { id: 'a', title: 'A', status: 'done', due: '2030-01-01', goalId: 'g1', evidence: ['e1', 'e2'], notes: 'n' },
        { id: 'b', title: '', status: 'todo', evidence: [], notes: '' },
      ],
    });
  });

  it('progress is done milestones out of all of them', () => {
    const r = roadmapFromJson({ milestones: [{ id: 'a', status: 'done' }, { id: 'b', status: 'doing' }, { id: 'c' }, { id: 'd', status: 'done' }] });
    expect(progressOf(r)).to.deep.equal({ done: 2, total: 4 });
    expect(progressOf({ title: '', milestones: [] })).to.deep.equal({ done: 0, total: 0 });
  });

  it('members edit while the room is pending or active; declined and closed rooms are read-only; strangers never', () => {
    expect(() => assertCanEditRoadmap(room('active'), 'mentor')).to.not.throw();
    expect(() => assertCanEditRoadmap(room('pending'), 'mentee')).to.not.throw();
    expect(isAppError(thrown(() => assertCanEditRoadmap(room('active'), 'stranger')), 'FORBIDDEN')).to.equal(true);
    expect(isAppError(thrown(() => assertCanEditRoadmap(room('declined'), 'mentor')), 'GUARD_FAILED')).to.equal(true);
    expect(isAppError(thrown(() => assertCanEditRoadmap(room('closed'), 'mentee')), 'GUARD_FAILED')).to.equal(true);
  });
});

describe('roadmap Yjs schema: server edits', () => {
  it('the init creates title and list once, and is not needed afterwards', () => {
    const doc = new Y.Doc();
    expect(roadmapInit.needed(doc)).to.equal(true);
    roadmapInit.apply(doc);
    expect(doc.getMap('roadmap').toJSON()).to.deep.equal({ title: '', milestones: [] });
    expect(roadmapInit.needed(doc)).to.equal(false);
  });

  it('the init fills only missing keys and leaves what a member put there', () => {
    const doc = new Y.Doc();
    const title = new Y.Text('a member typed this');
    doc.getMap('roadmap').set('title', title);
    expect(roadmapInit.needed(doc)).to.equal(true);
    roadmapInit.apply(doc);
    expect(doc.getMap('roadmap').get('title')).to.equal(title);
    expect(doc.getMap('roadmap').toJSON()).to.deep.equal({ title: 'a member typed this', milestones: [] });
  });

  it('every curated template has a name, a title and milestones with titles; ids are unique', () => {
    expect(new Set(TEMPLATES.map((t) => t.id)).size).to.equal(TEMPLATES.length);
    for (const t of TEMPLATES) {
      expect(t.name && t.title && t.description, t.id).to.be.a('string').and.not.equal('');
      for (const m of t.milestones) expect(m.title, t.id).to.not.equal('');
    }
  });

  it('append adds after existing milestones and keeps a set title; replace swaps both', () => {
    const doc = roadmapDoc(['own', 'Own']);
    doc.getMap('roadmap').set('title', 'Ours');
    const mvp = TEMPLATES.find((t) => t.id === 'launch-mvp')!;
    applyTemplate(doc, mvp, 'append', nextId);
    let r = readRoadmap(doc);
    expect(r.title).to.equal('Ours');
    expect(r.milestones.map((m) => m.title)).to.deep.equal(['Own', ...mvp.milestones.map((m) => m.title)]);
    expect(r.milestones[1]).to.include({ status: 'todo', notes: mvp.milestones[0]!.notes });
    expect(new Set(r.milestones.map((m) => m.id)).size).to.equal(r.milestones.length);
    applyTemplate(doc, TEMPLATES.find((t) => t.id === 'seed-round')!, 'replace', nextId);
    r = readRoadmap(doc);
    expect(r.title).to.equal('Raise a seed round');
    expect(r.milestones).to.have.length(7);
  });

  it('evidence links are idempotent, survive a plain-array value, and unlinking removes concurrent duplicates', () => {
    const a = roadmapDoc(['m', 'M']);
    expect(addEvidence(a, 'nope', 'e1')).to.equal(false);
    expect(removeEvidence(a, 'nope', 'e1')).to.equal(false);
    expect(addEvidence(a, 'm', 'e1')).to.equal(true);
    expect(addEvidence(a, 'm', 'e1')).to.equal(true);
    expect(readRoadmap(a).milestones[0]!.evidence).to.deep.equal(['e1']);

    // Two replicas link the same entry concurrently: after merging, the Y.Array holds it twice.
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addEvidence(a, 'm', 'e2');
    addEvidence(b, 'm', 'e2');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect((findMilestone(a, 'm')!.get('evidence') as Y.Array<string>).toArray().filter((e) => e === 'e2')).to.have.length(2);
    removeEvidence(a, 'm', 'e2');
    expect((findMilestone(a, 'm')!.get('evidence') as Y.Array<string>).toArray()).to.deep.equal(['e1']);

    // A client that stored evidence as a plain array: it becomes a Y.Array on the first server edit.
    findMilestone(a, 'm')!.set('evidence', ['x', 3]);
    addEvidence(a, 'm', 'y');
    expect((findMilestone(a, 'm')!.get('evidence') as Y.Array<string>).toArray()).to.deep.equal(['x', 'y']);
  });
});

describe('collab protocol: encode/decode pairs', () => {
  it('sync step 1, step 2 and updates decode to what was encoded', () => {
    const doc = roadmapDoc(['a', 'A']);
    const step1 = decodeMessage(encodeSyncStep1(doc));
    expect(step1).to.deep.equal({ kind: 'sync-step1', stateVector: Y.encodeStateVector(doc) });
    const step2 = decodeMessage(encodeSyncStep2(doc, new Uint8Array([0])));
    expect(step2.kind).to.equal('sync-step2');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, (step2 as { update: Uint8Array }).update);
    expect(copy.getMap('roadmap').toJSON()).to.deep.equal(doc.getMap('roadmap').toJSON());
    expect(decodeMessage(encodeUpdate(new Uint8Array([0, 0])))).to.deep.equal({ kind: 'update', update: new Uint8Array([0, 0]) });
  });

  it('awareness and query-awareness round-trip', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    try {
      awareness.setLocalState({ name: 'me' });
      const msg = decodeMessage(encodeAwareness(awareness, [doc.clientID]));
      expect(msg.kind).to.equal('awareness');
      expect(decodeMessage(encodeQueryAwareness())).to.deep.equal({ kind: 'query-awareness' });
    } finally {
      awareness.destroy();
    }
  });

  it('unknown types and truncated frames are protocol errors', () => {
    for (const frame of [[], [9], [0, 7, 0], [0, 0, 5, 1], [1, 10, 1]]) {
      expect(thrown(() => decodeMessage(new Uint8Array(frame))), JSON.stringify(frame)).to.be.instanceOf(ProtocolError);
    }
  });
});
