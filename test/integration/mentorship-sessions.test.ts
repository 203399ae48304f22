import { expect } from 'chai';
import ICAL from 'ical.js';
import type { Socket } from 'socket.io-client';
import { DAY_MS, HOUR_MS } from '../../server/domain/clock.js';
import { activeRoom, api, connect, nextEvent, register, type Session } from '../helpers/clients.js';
import { drivenClock } from '../helpers/driven-clock.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Issue 19, acceptance 2: a session scheduled, held with notes and two action items; open items; overdue; .ics. */
describe('mentorship sessions and action items', () => {
  let server: TestServer;
  let time: ReturnType<typeof drivenClock>;
  let mentor: Session;
  let mentee: Session;
  let room: any;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    time = drivenClock();
    server = await startServer({ parts: { clock: time.clock } });
    mentor = await register(server.url, 'Mentor Ada');
    mentee = await register(server.url, 'Mentee Bo');
    room = await activeRoom(server.url, mentor, mentee);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  const call = (s: Session, method: string, path: string, body?: unknown) => api(server.url, method, `/api/rooms/${room.id}${path}`, { token: s.token, ...(body !== undefined && { body }) });
  const inDays = (n: number) => new Date(time.clock() + n * DAY_MS);

  it('schedules, holds with notes and two items; the items show open in the room and one turns overdue in health', async () => {
    const drafted = Lifecycle.ok(await new Lifecycle(server.url, room.id).putContract(mentee, contractBody(3)));
    const menteeSocket = await connect(server.url, mentee.token);
    sockets.push(menteeSocket);
    const pushed = nextEvent(menteeSocket, 'session:updated', (p) => p.session.status === 'scheduled');

    const startsAt = inDays(1).toISOString();
    const scheduled = await call(mentor, 'POST', '/sessions', { startsAt, agenda: 'CV review and interview plan' });
    expect(scheduled.status).to.equal(201);
    const session = scheduled.body.session;
    expect(session).to.include({ status: 'scheduled', startsAt, durationMin: 60, agenda: 'CV review and interview plan', createdBy: mentor.user.id });
    expect((await pushed).session.id).to.equal(session.id);

    // Not yet: it has not started.
    const early = await call(mentor, 'PATCH', `/sessions/${session.id}`, { status: 'held' });
    expect(early.status).to.equal(409);
    expect(early.body.error.details.guard).to.equal('session-open');

    time.advance(DAY_MS + 2 * HOUR_MS);
    const held = await call(mentee, 'PATCH', `/sessions/${session.id}`, { status: 'held', notes: 'Rewrote the summary; two mocks next.' });
    expect(held.status).to.equal(200);
    expect(held.body.session).to.include({ status: 'held', notes: 'Rewrote the summary; two mocks next.', rev: 2 });

    const due = inDays(3).toISOString().slice(0, 10);
    const a = await call(mentor, 'POST', `/sessions/${session.id}/items`, { title: 'Send the new CV', ownerId: mentee.user.id, dueDate: due, goalId: drafted.contract.goals[0].id });
    const b = await call(mentee, 'POST', `/sessions/${session.id}/items`, { title: 'Intro to a hiring manager', ownerId: mentor.user.id, dueDate: inDays(10).toISOString().slice(0, 10) });
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    const open = await call(mentee, 'GET', '/items?status=open');
    expect(open.body.items.map((i: any) => [i.title, i.ownerId, i.status])).to.deep.equal([
      ['Send the new CV', mentee.user.id, 'open'],
      ['Intro to a hiring manager', mentor.user.id, 'open'],
    ]);
    const listed = await call(mentor, 'GET', '/sessions');
    expect(listed.body.sessions.map((s: any) => s.id)).to.deep.equal([session.id]);
    expect(listed.body.items).to.have.length(2);

    // The overdue item: after its due date ends, health names it (issue 15 will notify it).
    time.advance(4 * DAY_MS);
    const health = (await call(mentor, 'GET', '/health')).body.health;
    expect(health.level).to.equal('needs-check-in');
    expect(health.reasons).to.include(`action item 'Send the new CV' (the mentee's) is overdue by 1 day (due ${due})`);

    const done = await call(mentee, 'PATCH', `/items/${a.body.item.id}`, { status: 'done' });
    expect(done.body.item.status).to.equal('done');
    expect((await call(mentee, 'GET', '/items?status=open')).body.items.map((i: any) => i.title)).to.deep.equal(['Intro to a hiring manager']);
    const after = (await call(mentor, 'GET', '/health')).body.health;
    expect(after.reasons.some((r: string) => r.includes('Send the new CV'))).to.equal(false);
  });

  it('exports the upcoming sessions as an .ics that ical.js parses back', async () => {
    const first = inDays(2);
    first.setUTCMilliseconds(0);
    const second = inDays(9);
    second.setUTCMilliseconds(0);
    const s1 = (await call(mentee, 'POST', '/sessions', { startsAt: first.toISOString(), agenda: 'Mock interview', durationMin: 45 })).body.session;
    await call(mentee, 'POST', '/sessions', { startsAt: second.toISOString(), agenda: 'Salary talk' });
    const cancelled = (await call(mentee, 'POST', '/sessions', { startsAt: inDays(3).toISOString(), agenda: 'Dropped' })).body.session;
    expect((await call(mentor, 'PATCH', `/sessions/${cancelled.id}`, { status: 'cancelled', reason: 'travelling' })).body.session).to.include({
      status: 'cancelled',
      cancelledBy: mentor.user.id,
      cancelReason: 'travelling',
    });

    const res = await fetch(`${server.url}/api/rooms/${room.id}/sessions.ics`, { headers: { authorization: `Bearer ${mentor.token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.description, e.startDate.toJSDate().getTime(), e.endDate.toJSDate().getTime()])).to.deep.equal([
      ['Mock interview', first.getTime(), first.getTime() + 45 * 60_000],
      ['Salary talk', second.getTime(), second.getTime() + 60 * 60_000],
    ]);
    expect(events[0]!.uid).to.equal(`${s1.id}@menteo`);
    expect(events[0]!.summary).to.include('Land a Director role');

    const stranger = await register(server.url, 'Stranger');
    const refused = await fetch(`${server.url}/api/rooms/${room.id}/sessions.ics`, { headers: { authorization: `Bearer ${stranger.token}` } });
    expect(refused.status).to.equal(403);
  });

  it('concurrent patches of one session by both members all apply (each re-decided on a fresh read, none refused)', async () => {
    const session = (await call(mentor, 'POST', '/sessions', { startsAt: inDays(2).toISOString(), agenda: 'Plan' })).body.session;
    const patches = [
      call(mentor, 'PATCH', `/sessions/${session.id}`, { notes: 'from the mentor' }),
      call(mentee, 'PATCH', `/sessions/${session.id}`, { agenda: 'Plan and CV' }),
      call(mentor, 'PATCH', `/sessions/${session.id}`, { startsAt: inDays(3).toISOString() }),
      call(mentee, 'PATCH', `/sessions/${session.id}`, { notes: 'from the mentee' }),
    ];
    expect((await Promise.all(patches)).map((r) => r.status)).to.deep.equal([200, 200, 200, 200]);
    const stored = (await call(mentor, 'GET', '/sessions')).body.sessions.find((m: any) => m.id === session.id);
    expect(stored).to.include({ rev: 5, agenda: 'Plan and CV' });
    expect(Date.parse(stored.startsAt) - Date.parse(session.startsAt)).to.be.greaterThan(DAY_MS / 2);
    expect(stored.notes).to.be.oneOf(['from the mentor', 'from the mentee']);
  });

  it('refuses bad input, strangers and outcomes on finished sessions, storing nothing', async () => {
    const stranger = await register(server.url, 'Stranger');
    expect((await call(stranger, 'POST', '/sessions', { startsAt: inDays(1).toISOString(), agenda: 'x' })).status).to.equal(403);
    for (const bad of [{ startsAt: 'tomorrow', agenda: 'x' }, { startsAt: inDays(1).toISOString() }, { startsAt: inDays(-2).toISOString(), agenda: 'past' }, { startsAt: inDays(1).toISOString(), agenda: 'x', durationMin: 5 }]) {
      const res = await call(mentee, 'POST', '/sessions', bad);
      expect(res.status, JSON.stringify(bad)).to.equal(400);
    }
    expect((await call(mentee, 'GET', '/sessions')).body.sessions).to.deep.equal([]);
    const s = (await call(mentee, 'POST', '/sessions', { startsAt: inDays(1).toISOString(), agenda: 'x' })).body.session;
    expect((await call(mentee, 'PATCH', `/sessions/${s.id}`, { status: 'no-show' })).status).to.equal(400);
    expect((await call(mentee, 'PATCH', `/sessions/${s.id}`, { status: 'cancelled' })).status).to.equal(400);
    expect((await call(mentee, 'POST', `/sessions/${s.id}/items`, { title: 'x', ownerId: stranger.user.id, dueDate: '2030-01-01' })).status).to.equal(400);
    time.advance(2 * DAY_MS);
    const noShow = await call(mentee, 'PATCH', `/sessions/${s.id}`, { status: 'no-show', absent: [mentor.user.id] });
    expect(noShow.body.session).to.include({ status: 'no-show' });
    expect(noShow.body.session.absent).to.deep.equal([mentor.user.id]);
    const again = await call(mentor, 'PATCH', `/sessions/${s.id}`, { status: 'held' });
    expect(again.status).to.equal(409);
    expect((await call(mentee, 'GET', '/sessions')).body.sessions[0].status).to.equal('no-show');
    expect((await call(mentee, 'PATCH', '/sessions/nope', { notes: 'x' })).status).to.equal(404);
  });
});
