/**
 * A cycle back to Cultivation (server/domain/stages.ts:104-111 nextStage) keeps
 * every goal's status and `acknowledgedBy` from the previous review, and `contract.acceptedBy`.
 * Either member may change the stage, so right after "new challenge" the mentee alone can move
 * Cultivation → Separation → Redefinition: `goals-closed` and `goals-acknowledged` are satisfied by
 * the old review, and the mentor never takes part in the new one (DESIGN §3: separation →
 * redefinition needs every goal acknowledged by both, "the formal review").
 */
import { expect } from 'chai';
import { activeRoom, register } from '../helpers/clients.js';
import { Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('lifecycle after a cycle back', function () {
  this.timeout(30_000);
  let server: TestServer;
  beforeEach(async () => (server = await startServer()));
  afterEach(async () => server.stop());

  it('a new cycle cannot reach Redefinition on the previous cycle\'s acknowledgements', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const lc = new Lifecycle(server.url, room.id);
    await lc.toRedefinition(mentor, mentee);

    Lifecycle.ok(await lc.stage(mentee, 'cultivation', 'new challenge: ship the side project'));
    const separation = await lc.stage(mentee, 'separation');
    const redefinition = separation.status === 200 ? await lc.stage(mentee, 'redefinition') : null;
    // Whichever guard stops it, the mentee alone must not complete the second review.
    expect(redefinition?.status ?? separation.status, JSON.stringify(redefinition?.body ?? separation.body)).to.equal(409);
  });
});
