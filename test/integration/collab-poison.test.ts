/**
 * (From the security review.) Review finding: an update that passes Y.decodeUpdate but throws in Y.applyUpdate is stored
 * before it is applied (server/collab/live-doc.ts submit → append, then applyUpdate), so it stays
 * in the log and every later load of the document fails: one member bricks the room's roadmap
 * for good (REST 500, every editor closed with 1011 on each reconnect, evidence links refused).
 */
import { expect } from 'chai';
import { CollabClose } from '../../shared/events.js';
import { encodeUpdate } from '../../server/collab/protocol.js';
import { api, eventually } from '../helpers/clients.js';
import { addMilestone, rawClient, within } from '../helpers/collab.js';
import { useRoomFixture } from '../helpers/room.js';

/**
 * Poison 1: one client (id 7) puts a map under roadmap.x (clock 0) and sets k='v' inside it
 * (clock 1), but the second item's parent is patched from (7,0) to (7,5), a clock that does not
 * exist. Y.decodeUpdate accepts it; Y.applyUpdate throws in Item.getMissing → findIndexSS.
 */
const FORWARD_PARENT = Buffer.from('01020700270107726f61646d617001780128000705016b0177017600', 'hex');
/** Poison 2: a delete set only, with a zero-length range for an unknown client. applyUpdate throws "Unexpected case". */
const EMPTY_DELETE_RANGE = Buffer.from('00019da8aa8f06010100', 'hex');

describe('collab: an update that decodes but does not apply', function () {
  this.timeout(30_000);
  const fx = useRoomFixture({ env: { COLLAB_IDLE_MS: '50' } });

  for (const [name, poison] of [
    ['an item whose parent is a later clock of its own client', FORWARD_PARENT],
    ['a delete set with a zero-length range', EMPTY_DELETE_RANGE],
  ] as const) {
    describe(`(${name})`, () => {
      it('closes its sender with 4400, is not stored, and the roadmap stays loadable', async () => {
        const { server, mentor, mentee, room } = fx;
        const writer = fx.editor(mentor);
        await writer.synced;
        addMilestone(writer.doc, 'm1', 'Precious work');
        await eventually(async () => {
          const r = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
          expect(r.body.progress.total).to.equal(1);
        });

        const attacker = await rawClient(fx.collabUrl(mentee));
        const before = await server.store.docs.stats(room.id);
        attacker.ws.send(encodeUpdate(poison));
        expect(await within(attacker.closed, 5000, 'attacker close')).to.equal(CollabClose.INVALID_INPUT);
        expect(await server.store.docs.stats(room.id), 'nothing stored').to.deep.equal(before);
        expect(writer.closes, 'the other editor stays connected').to.deep.equal([]);
        attacker.ws.terminate();
        fx.closeClients();
        await eventually(() => expect(server.collab.docs.loaded()).to.not.include(room.id));

        // Next load: the stored roadmap must still be readable.
        const read = await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token });
        expect(read.status, JSON.stringify(read.body)).to.equal(200);
        expect(read.body.roadmap.milestones.map((m: { id: string }) => m.id)).to.deep.equal(['m1']);
      });
    });
  }
});
