import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, nextEvent, register, type Session } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Issue 19, acceptance 1: measured goals, check-ins by either member, progress, proposal, record. */
describe('measured goals and check-ins', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: any;
  let life: Lifecycle;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor Ada');
    mentee = await register(server.url, 'Mentee Bo');
    room = await activeRoom(server.url, mentor, mentee);
    life = new Lifecycle(server.url, room.id);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  /** A contract whose first goal is measured (0 → 6 mock interviews), accepted, in Cultivation. */
  async function cultivating(): Promise<{ measured: string; yesNo: string }> {
    const body = contractBody(3);
    Object.assign(body.goals[0]!, { title: 'Mock interviews', metric: 'mock interviews done', target: '6', measure: { unit: 'interviews', baseline: 0, target: 6 } });
    const drafted = Lifecycle.ok(await life.putContract(mentee, body));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    return { measured: drafted.contract.goals[0].id, yesNo: drafted.contract.goals[1].id };
  }

  const checkIn = (s: Session, goalId: string, body: unknown) => api(server.url, 'POST', `/api/rooms/${room.id}/goals/${goalId}/checkins`, { token: s.token, body });

  it('the contract stores the measure with its direction; a yes/no goal has none', async () => {
    const body = contractBody(3);
    Object.assign(body.goals[0]!, { measure: { unit: 'km', baseline: 10, target: 5 } });
    const drafted = Lifecycle.ok(await life.putContract(mentee, body));
    expect(drafted.contract.goals[0].measure).to.deep.equal({ unit: 'km', baseline: 10, target: 5, direction: 'lower' });
    expect(drafted.contract.goals[1]).to.not.have.property('measure');
    Object.assign(body.goals[0]!, { measure: { unit: 'km', baseline: 10, target: 5, direction: 'higher' } });
    const bad = await life.putContract(mentee, body);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('INVALID_INPUT');
  });

  it('a check-in of 3 reaches 50 %, of 6 proposes the goal achieved; a member confirms; the record lists the series', async () => {
    const { measured } = await cultivating();
    const mentorSocket = await connect(server.url, mentor.token);
    sockets.push(mentorSocket);
    const live = nextEvent(mentorSocket, 'goal:checkin', (p) => p.checkin.value === 3);

    const first = await checkIn(mentee, measured, { value: 3, note: 'three done' });
    expect(first.status).to.equal(201);
    expect(first.body.progress).to.include({ goalId: measured, current: 3, percent: 50, reached: false, proposeAchieved: false, checkins: 1 });
    const pushed = await live;
    expect(pushed.roomId).to.equal(room.id);
    expect(pushed.progress.percent).to.equal(50);

    const proposal = nextEvent(mentorSocket, 'message:new', (p) => p.message.kind === 'system' && p.message.body.includes('reached its target'));
    const second = await checkIn(mentor, measured, { value: 6 });
    expect(second.body.progress).to.include({ percent: 100, reached: true, proposeAchieved: true });
    expect((await proposal).message.body).to.equal("Goal 'Mock interviews' reached its target: 6 of 6 interviews (100 %). Either of you can confirm it achieved.");

    const listed = await api(server.url, 'GET', `/api/rooms/${room.id}/checkins`, { token: mentor.token });
    expect(listed.body.checkins.map((c: any) => [c.value, c.authorId])).to.deep.equal([
      [3, mentee.user.id],
      [6, mentor.user.id],
    ]);
    expect(listed.body.progress).to.have.length(1);

    Lifecycle.ok(await life.goal(mentee, measured, { status: 'achieved' }));
    const after = await api(server.url, 'GET', `/api/rooms/${room.id}/checkins`, { token: mentor.token });
    expect(after.body.progress[0]).to.include({ reached: true, proposeAchieved: false });
    // An achieved goal takes no more check-ins.
    expect((await checkIn(mentee, measured, { value: 7 })).body.error.details.guard).to.equal('goal-closed');

    const record = (await life.record(mentee)).body.record;
    const goal = record.goals.find((g: any) => g.id === measured);
    expect(goal.outcome).to.equal('achieved');
    expect(goal.measure).to.deep.equal({ unit: 'interviews', baseline: 0, target: 6, direction: 'higher' });
    expect(goal.checkins.map((c: any) => [c.value, c.byRole, c.note ?? null])).to.deep.equal([
      [3, 'mentee', 'three done'],
      [6, 'mentor', null],
    ]);
    const md = (await life.record(mentee, 'md')).body as string;
    expect(md).to.include('## Check-ins');
    expect(md).to.include('three done');
  });

  it('a yes/no goal still works as today and refuses check-ins', async () => {
    const { yesNo } = await cultivating();
    const refused = await checkIn(mentee, yesNo, { value: 1 });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.details.guard).to.equal('goal-measured');
    const room2 = Lifecycle.ok(await life.goal(mentee, yesNo, { status: 'achieved' }));
    expect(room2.contract.goals.find((g: any) => g.id === yesNo).status).to.equal('achieved');
  });

  it('refuses strangers, bad values and evidence from elsewhere, and stores nothing then', async () => {
    const { measured } = await cultivating();
    const stranger = await register(server.url, 'Stranger');
    expect((await checkIn(stranger, measured, { value: 1 })).status).to.equal(403);
    for (const bad of [{ value: 'three' }, { value: 1e12 }, {}, { value: 1, extra: true }, { value: 1, evidence: { threadId: 'nope', entryId: 'nope' } }]) {
      const res = await checkIn(mentee, measured, bad);
      expect(res.status, JSON.stringify(bad)).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
    }
    // A private thread's entry is not evidence the mentor could open.
    const thread = await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'Private notes', visibility: 'private', roomId: room.id } });
    expect(thread.status).to.equal(201);
    const entry = await api(server.url, 'POST', `/api/threads/${thread.body.thread.id}/entries`, { token: mentee.token, body: { kind: 'progress', body: 'did one' } });
    const hidden = await checkIn(mentee, measured, { value: 1, evidence: { threadId: thread.body.thread.id, entryId: entry.body.entry.id } });
    expect(hidden.status).to.equal(400);
    const listed = await api(server.url, 'GET', `/api/rooms/${room.id}/checkins`, { token: mentee.token });
    expect(listed.body.checkins).to.deep.equal([]);

    const shared = await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'Interview log', visibility: 'room', roomId: room.id } });
    const evidence = await api(server.url, 'POST', `/api/threads/${shared.body.thread.id}/entries`, { token: mentee.token, body: { kind: 'progress', body: 'first mock' } });
    const ok = await checkIn(mentee, measured, { value: 1, evidence: { threadId: shared.body.thread.id, entryId: evidence.body.entry.id } });
    expect(ok.status).to.equal(201);
    expect(ok.body.checkin).to.include({ threadId: shared.body.thread.id, entryId: evidence.body.entry.id });
  });
});
