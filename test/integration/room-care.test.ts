import { expect } from 'chai';
import { DAY_MS, HOUR_MS } from '../../server/domain/clock.js';
import { activeRoom, api, register, type Session } from '../helpers/clients.js';
import { drivenClock } from '../helpers/driven-clock.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Issue 19, acceptances 3 and 4 over REST with a driven clock: reply promises (nudge at 1×,
 * at risk at 2×, cleared by an answer, silent while paused), health by cadence and stage,
 * request expiry, and a mentor's responsiveness. Messages are stamped by the server's clock, the
 * driven one here.
 */
describe('room care: reply promises, health, pauses, expiry', () => {
  let server: TestServer;
  let time: ReturnType<typeof drivenClock>;
  let mentor: Session;
  let mentee: Session;
  let room: any;
  let life: Lifecycle;
  let n = 0;

  beforeEach(async () => {
    time = drivenClock();
    server = await startServer({ parts: { clock: time.clock } });
    mentor = await register(server.url, 'Mentor Ada');
    mentee = await register(server.url, 'Mentee Bo');
    room = await activeRoom(server.url, mentor, mentee);
    life = new Lifecycle(server.url, room.id);
  });
  afterEach(async () => server.stop());

  const call = (s: Session, method: string, path: string, body?: unknown) => api(server.url, method, `/api/rooms/${room.id}${path}`, { token: s.token, ...(body !== undefined && { body }) });
  const say = async (s: Session, body: string) => expect((await call(s, 'POST', '/messages', { clientMsgId: `m-${++n}`, body })).status).to.equal(201);
  const reply = async (s: Session) => (await call(s, 'GET', '/reply')).body.reply;
  const health = async (s: Session) => (await call(s, 'GET', '/health')).body.health;

  /** A weekly contract with a 24 h promise both ways, accepted, in Cultivation. */
  const promised = () => life.promised(mentor, mentee);

  it('an unanswered message nudges the mentor at 24 h and puts the room at risk at 48 h; an answer clears it', async () => {
    await promised();
    await say(mentee, 'Could you look at my CV?');
    expect(await reply(mentor)).to.include({ kind: 'waiting', member: mentor.user.id, promiseHours: 24 });
    time.advance(24 * HOUR_MS + 60_000);
    expect(await reply(mentor)).to.include({ kind: 'nudge', member: mentor.user.id });
    const nudged = await health(mentee);
    expect(nudged.level).to.equal('needs-check-in');
    expect(nudged.reasons[0]).to.match(/^the mentor has not answered for 24 h; the promise is 24 h$/);
    time.advance(24 * HOUR_MS);
    expect(await reply(mentee)).to.include({ kind: 'at-risk', member: mentor.user.id });
    const risky = await health(mentor);
    expect(risky.level).to.equal('at-risk');
    expect(risky.reasons[0]).to.equal('the mentor has not answered for 2 days, more than twice the 24 h promise');

    // The record lists the breach, still owed.
    const record = (await life.record(mentee)).body.record;
    expect(record.replyBreaches).to.have.length(1);
    expect(record.replyBreaches[0]).to.include({ member: mentor.user.id, role: 'mentor', level: 'at-risk', promiseHours: 24, answeredAt: null });
    expect((await life.record(mentee, 'md')).body).to.include('## Reply promises');

    await say(mentor, 'Sorry, on it now');
    // The mentor owes nothing now; the mentee owes the reply to the answer, stamped by the driven clock.
    const after = await reply(mentor);
    const answer = (await call(mentor, 'GET', '/messages')).body.messages.at(-1);
    expect(Date.parse(answer.createdAt)).to.be.within(time.clock() - 10_000, time.clock()); // not the wall clock, 48 h behind
    expect(after).to.include({ kind: 'waiting', member: mentee.user.id, since: answer.createdAt });
    const answered = (await life.record(mentee)).body.record.replyBreaches;
    expect(answered).to.have.length(1);
    expect(answered[0]).to.include({ member: mentor.user.id, answeredAt: answer.createdAt, level: 'at-risk' });
    expect(answered[0].waitedHours).to.be.within(48, 48.1);
    expect((await health(mentor)).reasons.some((r: string) => r.startsWith('the mentor has not answered'))).to.equal(false);
  });

  it('a paused room produces neither nudge nor risk; resuming restarts the clock where it stood', async () => {
    await promised();
    await say(mentee, 'Question before my holiday');
    const until = new Date(time.clock() + 10 * DAY_MS).toISOString().slice(0, 10);
    const paused = await call(mentee, 'POST', '/pause', { until, reason: 'holiday' });
    expect(paused.status).to.equal(200);
    expect(paused.body.room.pauses[0]).to.include({ by: mentee.user.id, reason: 'holiday' });
    time.advance(5 * DAY_MS);
    expect(await reply(mentor)).to.deep.equal({ kind: 'paused', until: `${until}T00:00:00.000Z` });
    expect(await health(mentor)).to.include({ level: 'on-track', pausedUntil: `${until}T00:00:00.000Z` });
    expect((await call(mentor, 'POST', '/pause', { until })).body.error.details.guard).to.equal('room-not-paused');
    expect((await call(mentor, 'POST', '/resume')).status).to.equal(200);
    // Only the minutes before the pause count: still within the promise.
    expect((await reply(mentor)).kind).to.equal('waiting');
    expect((await call(mentor, 'POST', '/resume')).body.error.details.guard).to.equal('room-paused');
    const tooLong = await call(mentee, 'POST', '/pause', { until: new Date(time.clock() + 61 * DAY_MS).toISOString().slice(0, 10) });
    expect(tooLong.status).to.equal(400);
  });

  it('health goes on track → needs a check-in → at risk as the clock passes the cadence, with reasons in words', async () => {
    await promised();
    await say(mentee, 'hello');
    await say(mentor, 'hi');
    await say(mentee, 'thanks');
    await say(mentor, 'see you');
    // The mentee owes a reply to "see you" too; a 24 h promise would flag that first, so widen it.
    Lifecycle.ok(await life.putContract(mentee, { ...contractBody(3), cadence: { every: '1w', channel: 'video' }, replyWithinHours: { mentor: 720, mentee: 720 } }));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    expect((await health(mentor)).level).to.equal('on-track');
    time.advance(8 * DAY_MS);
    const due = await health(mentor);
    expect(due.level).to.equal('needs-check-in');
    expect(due.reasons).to.deep.equal(['no session or message for 8 days; the cadence in Cultivation is every week']);
    time.advance(7 * DAY_MS);
    const risk = await health(mentee);
    expect(risk.level).to.equal('at-risk');
    expect(risk.reasons[0]).to.equal('no session or message for 15 days; the cadence in Cultivation is every week');
    // The room list carries the same badge.
    const listed = (await api(server.url, 'GET', '/api/rooms', { token: mentor.token })).body.rooms.find((r: any) => r.id === room.id);
    expect(listed.health.level).to.equal('at-risk');
  });

  it('after a move to Redefinition with a quarterly cadence, a month of silence is still on track', async () => {
    await life.toRedefinition(mentor, mentee, 3);
    const messages = (await call(mentor, 'GET', '/messages')).body.messages;
    expect(messages.at(-1).body).to.include('agree a cadence for it (suggested: every 3m');
    expect((await call(mentor, 'PUT', '/cadence', { every: '3m' })).body.room.stageCadence).to.deep.equal({ redefinition: '3m' });
    await say(mentee, 'checking in');
    await say(mentor, 'good to hear');
    time.advance(31 * DAY_MS);
    const h = await health(mentor);
    expect(h).to.include({ level: 'on-track', cadence: '3m' });
    time.advance(60 * DAY_MS);
    const quiet = await health(mentor);
    expect(quiet.level).to.not.equal('on-track');
    expect(quiet.reasons).to.include('no session or message for 3 months; the cadence in Redefinition is every 3 months');
  });

  it('a pending request expires at 14 days: it reads as expired and can no longer be accepted', async () => {
    const other = await register(server.url, 'Mentor Cy');
    const created = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: other.user.id, focus: 'Public speaking' } });
    const id = created.body.room.id;
    const fresh = await api(server.url, 'GET', `/api/rooms/${id}`, { token: other.token });
    expect(fresh.body.request.expired).to.equal(false);
    time.advance(14 * DAY_MS - 60_000);
    expect((await api(server.url, 'GET', `/api/rooms/${id}`, { token: other.token })).body.request.expired).to.equal(false);
    time.advance(120_000);
    const expired = await api(server.url, 'GET', `/api/rooms/${id}`, { token: other.token });
    expect(expired.body.request).to.deep.equal({ expiresAt: new Date(Date.parse(created.body.room.createdAt) + 14 * DAY_MS).toISOString(), expired: true });
    const listed = (await api(server.url, 'GET', '/api/rooms', { token: mentee.token })).body.rooms.find((r: any) => r.id === id);
    expect(listed.request.expired).to.equal(true);
    const accept = await api(server.url, 'POST', `/api/rooms/${id}/accept`, { token: other.token });
    expect(accept.status).to.equal(409);
    expect(accept.body.error.details.guard).to.equal('request-expired');
    expect((await api(server.url, 'GET', `/api/rooms/${id}`, { token: other.token })).body.room.status).to.equal('pending');
    // The expired request no longer blocks a new one between the pair.
    const again = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: other.user.id, focus: 'Public speaking, again' } });
    expect(again.status).to.equal(201);
    expect((await api(server.url, 'POST', `/api/rooms/${again.body.room.id}/accept`, { token: other.token })).status).to.equal(200);
  });

  it("a mentor's profile shows last activity and the median reply time over 90 days", async () => {
    await api(server.url, 'PATCH', '/api/me/profile', { token: mentor.token, body: { mentoring: true } });
    await say(mentee, 'one');
    await say(mentor, 'answer one');
    const profile = await api(server.url, 'GET', `/api/mentors/${mentor.user.id}`, { token: mentee.token });
    expect(profile.status).to.equal(200);
    expect(profile.body.mentor.id).to.equal(mentor.user.id);
    expect(profile.body.activity.replies).to.equal(1);
    expect(profile.body.activity.medianReplyHours).to.be.a('number').and.to.be.at.least(0).and.below(1);
    expect(Date.parse(profile.body.activity.lastActiveAt)).to.be.above(Date.now() - 60_000);
    expect((await api(server.url, 'GET', `/api/mentors/${mentee.user.id}`, { token: mentor.token })).status).to.equal(404);
    time.advance(91 * DAY_MS);
    const later = await api(server.url, 'GET', `/api/mentors/${mentor.user.id}`, { token: mentee.token });
    expect(later.body.activity).to.include({ replies: 0, medianReplyHours: null });
  });
});
