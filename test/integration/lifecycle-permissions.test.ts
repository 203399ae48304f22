import { expect } from 'chai';
import { activeRoom, api, register, type Session } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { LifecycleService } from '../../server/lifecycle/service.js';

describe('mentorship lifecycle: who may do what', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let stranger: Session;
  let room: any;
  let life: Lifecycle;

  beforeEach(async () => {
    server = await startServer();
    [mentor, mentee, stranger] = await Promise.all([register(server.url, 'Mentor'), register(server.url, 'Mentee'), register(server.url, 'Stranger')]);
    room = await activeRoom(server.url, mentor, mentee);
    life = new Lifecycle(server.url, room.id);
  });
  afterEach(async () => server.stop());

  const stored = async () => (await life.room(mentor)).body.room;

  it('a stranger gets FORBIDDEN on every lifecycle route and changes nothing', async () => {
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    const goalId = v1.contract.goals[0].id;
    const before = await stored();
    const attempts = [
      await life.putContract(stranger, contractBody(4)),
      await life.accept(stranger),
      await life.goal(stranger, goalId, { status: 'achieved' }),
      await life.stage(stranger, 'cultivation'),
      await life.record(stranger),
      await life.record(stranger, 'md'),
      await life.room(stranger),
    ];
    for (const res of attempts) {
      expect(res.status, JSON.stringify(res.body)).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    }
    expect(await stored()).to.deep.equal(before);
  });

  it('without a token every lifecycle route is UNAUTHENTICATED', async () => {
    for (const [method, path] of [
      ['PUT', `/api/rooms/${room.id}/contract`],
      ['POST', `/api/rooms/${room.id}/contract/accept`],
      ['PATCH', `/api/rooms/${room.id}/goals/x`],
      ['POST', `/api/rooms/${room.id}/stage`],
      ['GET', `/api/rooms/${room.id}/record`],
    ] as const) {
      const res = await api(server.url, method, path, method === 'GET' ? {} : { body: {} });
      expect(res.status, `${method} ${path}`).to.equal(401);
    }
  });

  it('the mentee cannot accept on the mentor’s behalf', async () => {
    Lifecycle.ok(await life.putContract(mentor, contractBody(3)));
    // Naming the mentor in the body is not part of the contract: refused, nothing stored.
    const forged = await life.accept(mentee, { userId: mentor.user.id });
    expect(forged.status).to.equal(400);
    expect(forged.body.error.code).to.equal('INVALID_INPUT');
    expect((await stored()).contract.acceptedBy).to.deep.equal([]);
    // Accepting twice still counts once, for the mentee only.
    Lifecycle.ok(await life.accept(mentee));
    expect(Lifecycle.ok(await life.accept(mentee)).contract.acceptedBy).to.deep.equal([mentee.user.id]);
    const res = await life.stage(mentee, 'cultivation');
    expect(res.status).to.equal(409);
    expect(res.body.error.details).to.deep.include({ guard: 'contract-accepted', missing: ['mentor'] });
  });

  it('either member may edit the contract, set goals and change stage', async () => {
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    const v2 = Lifecycle.ok(await life.putContract(mentor, contractBody(3, ['A', 'B', 'C'])));
    expect(v2.contract).to.include({ version: 2, updatedBy: mentor.user.id });
    expect(v2.contractHistory[0].updatedBy).to.equal(v1.contract.updatedBy);
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.stage(mentee, 'cultivation'));
    Lifecycle.ok(await life.goal(mentor, v2.contract.goals[0].id, { status: 'achieved' }));
    Lifecycle.ok(await life.goal(mentee, v2.contract.goals[1].id, { status: 'dropped' }));
  });

  it('bad input never changes stored state', async () => {
    Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    const before = await stored();
    const bad = [
      await life.putContract(mentee, { ...contractBody(3), extra: 1 }),
      await life.putContract(mentee, { ...contractBody(3), reviewAt: '2020-01-01' }),
      await life.putContract(mentee, { ...contractBody(3), goals: [...contractBody(3).goals.slice(0, 2), { ...contractBody(1).goals[0], title: 'goal 1' }] }),
      await life.putContract(mentee, { ...contractBody(3), goals: contractBody(3).goals.map((g, i) => (i === 0 ? { ...g, id: 'not-a-goal' } : g)) }),
      await life.goal(mentee, before.contract.goals[0].id, { status: 'finished' }),
      await life.goal(mentee, before.contract.goals[0].id, {}),
      await life.stage(mentee, 'closure'),
      await api(server.url, 'PUT', `/api/rooms/${room.id}/contract`, { token: mentee.token, rawBody: '{"goals": [' }),
    ];
    for (const res of bad) {
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
    }
    const missing = await life.goal(mentee, 'no-such-goal', { status: 'achieved' });
    expect(missing.status).to.equal(404);
    expect(await stored()).to.deep.equal(before);
  });

  it('stage rules hold outside the happy path: wrong stage for goals, pending rooms, unknown rooms', async () => {
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    const early = await life.goal(mentee, v1.contract.goals[0].id, { status: 'achieved' });
    expect(early.status).to.equal(409);
    expect(early.body.error.details.guard).to.equal('goal-status-stage');
    const ack = await life.goal(mentee, v1.contract.goals[0].id, { acknowledge: true });
    expect(ack.body.error.details.guard).to.equal('acknowledge-stage');
    const skip = await life.stage(mentee, 'separation');
    expect(skip.body.error.details).to.deep.include({ guard: 'transition-allowed', from: 'initiation', to: 'separation' });

    const pending = await api(server.url, 'POST', '/api/rooms', { token: stranger.token, body: { mentorId: mentor.user.id, focus: 'x' } });
    const pendingLife = new Lifecycle(server.url, pending.body.room.id);
    const res = await pendingLife.putContract(stranger, contractBody(3));
    expect(res.status).to.equal(409);
    expect(res.body.error.details.guard).to.equal('room-active');

    const unknown = await new Lifecycle(server.url, 'no-such-room').stage(mentee, 'cultivation');
    expect(unknown.status).to.equal(404);
  });

  it('simultaneous changes from both sides are all applied, none lost', async () => {
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(5)));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    const ids: string[] = v1.contract.goals.map((g: any) => g.id);
    const results = await Promise.all(ids.map((id, i) => life.goal(i % 2 ? mentor : mentee, id, { status: 'achieved' })));
    expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    const after = await stored();
    expect(after.contract.goals.map((g: any) => g.status)).to.deep.equal(['achieved', 'achieved', 'achieved', 'achieved', 'achieved']);
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentee.token });
    expect(history.body.messages.filter((m: any) => /marked goal/.test(m.body))).to.have.length(5);
  });

  it('two nodes changing one room at once: the compare-and-set retries on a fresh read and loses nothing', async () => {
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(5)));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    // A second service over the same store stands in for another node (its own per-room queue).
    const otherNode = new LifecycleService(server.store, server.services.rooms, { toUsers() {}, toRoom() {} });
    const ids: string[] = v1.contract.goals.map((g: any) => g.id);
    const rooms = await Promise.all(
      ids.flatMap((id, i) => [
        server.services.lifecycle.patchGoal(i % 2 ? mentor.user : mentee.user, room.id, id, { status: 'achieved' }),
        otherNode.patchGoal(i % 2 ? mentee.user : mentor.user, room.id, id, { status: 'achieved' }),
      ]),
    );
    expect(rooms).to.have.length(10);
    const after = await stored();
    expect(after.contract.goals.map((g: any) => g.status)).to.deep.equal(['achieved', 'achieved', 'achieved', 'achieved', 'achieved']);
    // Each goal changed once (the second request for it found nothing to change).
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: mentee.token });
    expect(history.body.messages.filter((m: any) => /marked goal/.test(m.body))).to.have.length(5);
  });
});
