/**
 * Issue 13: one update that decodes and passes the checks but throws when applied closed every
 * other editor of the document with 1011. Only its sender must go (4400); the others stay
 * connected and keep editing.
 */
import { expect } from 'chai';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collab/protocol.js';
import { findDefect } from '../../server/collab/update-check.js';
import { roadmapShapeDefect } from '../../server/roadmap/shape.js';
import { CollabClose } from '../../shared/events.js';
import { api, eventually } from '../helpers/clients.js';
import { addMilestone, milestones, rawClient, within } from '../helpers/collab.js';
import { useRoomFixture } from '../helpers/room.js';

/**
 * One item of client 7: a value of zero length under roadmap.title. It decodes, findDefect and the
 * schema check find nothing, and Y.applyUpdate throws ("Unexpected case"): a defect the checks do
 * not know, standing for those random byte mutations of valid updates find.
 */
function zeroLengthItem(): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of [1, 1, 7, 0]) encoding.writeVarUint(e, n); // 1 client, 1 struct, client 7, clock 0
  encoding.writeUint8(e, 8 | 32); // ContentAny, with a parent key
  encoding.writeVarUint(e, 1); // the parent is a root type, by name
  encoding.writeVarString(e, 'roadmap');
  encoding.writeVarString(e, 'title');
  encoding.writeVarUint(e, 0); // no values
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

describe('collab: an update that fails to apply (issue 13)', function () {
  this.timeout(30_000);
  const fx = useRoomFixture();

  it('passes the checks and throws when applied (the premise)', () => {
    const doc = new Y.Doc();
    doc.getMap('roadmap').set('title', '');
    const decoded = Y.decodeUpdate(zeroLengthItem());
    expect(findDefect(decoded)).to.equal(null);
    expect(roadmapShapeDefect(decoded, doc, 'roadmap')).to.equal(null);
    expect(() => Y.applyUpdate(doc, zeroLengthItem())).to.throw();
  });

  it('closes only its sender (4400); the stock providers stay connected and keep editing', async () => {
    const { server, mentor, mentee, room } = fx;
    const [a, b] = [fx.editor(mentor), fx.editor(mentee)];
    await Promise.all([a.synced, b.synced]);
    addMilestone(a.doc, 'm1', 'Before');
    await eventually(() => expect(milestones(b.doc).length).to.equal(1));

    const attacker = await rawClient(fx.collabUrl(mentee));
    attacker.ws.send(encodeUpdate(zeroLengthItem()));
    expect(await within(attacker.closed, 5000, 'the sender close')).to.equal(CollabClose.INVALID_INPUT);

    addMilestone(b.doc, 'm2', 'After, from b');
    addMilestone(a.doc, 'm3', 'After, from a');
    await eventually(() => {
      expect(milestones(a.doc).length).to.equal(3);
      expect(milestones(b.doc).length).to.equal(3);
    });
    expect(a.closes, 'a stays connected').to.deep.equal([]);
    expect(b.closes, 'b stays connected').to.deep.equal([]);
    expect(server.collab.docs.loaded()).to.include(room.id);
    const read = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
    expect(read.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.have.members(['m1', 'm2', 'm3']);
    // The bad entry was taken back out of the store: a fresh load has exactly the three milestones.
    const stored = await server.store.docs.load(room.id);
    for (const { update } of stored.updates) expect(() => Y.applyUpdate(new Y.Doc(), update)).not.to.throw();
  });
});
