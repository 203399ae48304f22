import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import type { Notification } from '../../shared/notifications.js';
import { manualClock } from '../helpers/driven-clock.js';
import { findMilestone } from '../../server/roadmap/ydoc.js';
import { activeRoom, api, collect, connect, emitAck, eventually, newClientId, nextEvent, register, type Session } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

const DAY = 86_400_000;

async function inbox(server: TestServer, s: Session, query = ''): Promise<{ notifications: Notification[]; unread: number; nextCursor: string | null }> {
  const res = await api(server.url, 'GET', `/api/notifications${query}`, { token: s.token });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body;
}
const kindsOf = (page: { notifications: Notification[] }) => page.notifications.map((n) => n.kind).sort();

describe('notifications: the inbox (issue 15)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let clock: ReturnType<typeof manualClock>;
  let mentor: Session;
  let mentee: Session;
  const sockets: Socket[] = [];
  const open = async (s: Session) => {
    const socket = await connect(server.url, s.token);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    clock = manualClock(new Date());
    server = await startServer({ parts: { clock: clock.clock } });
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  it('a request reaches the offline mentor on reconnect (REST), and its answer reaches the requester live (socket)', async () => {
    const menteeSocket = await open(mentee);
    const created = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Negotiation' } });
    const roomId = created.body.room.id as string;
    const page = await eventually(async () => {
      const p = await inbox(server, mentor);
      expect(p.unread).to.equal(1);
      return p;
    });
    expect(page.notifications[0]).to.deep.include({ kind: 'request-received', actorId: mentee.user.id, readAt: null });
    expect(page.notifications[0]!.data).to.deep.equal({ roomId, focus: 'Negotiation' });
    // The requester is the actor: nothing for them.
    expect((await inbox(server, mentee)).notifications).to.deep.equal([]);

    const pushed = nextEvent<{ notification: Notification; unread: number }>(menteeSocket, 'notification');
    await api(server.url, 'POST', `/api/rooms/${roomId}/accept`, { token: mentor.token });
    const { notification, unread } = await pushed;
    expect(notification).to.deep.include({ kind: 'request-accepted', actorId: mentor.user.id });
    expect(notification.data).to.deep.include({ roomId });
    expect(unread).to.equal(1);
    expect((await inbox(server, mentor)).unread).to.equal(1); // accepting did not notify the mentor
  });

  it('a declined request tells the requester', async () => {
    const created = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Pricing' } });
    await api(server.url, 'POST', `/api/rooms/${created.body.room.id}/decline`, { token: mentor.token });
    await eventually(async () => expect(kindsOf(await inbox(server, mentee))).to.deep.equal(['request-declined']));
  });

  it('a burst of 50 messages while away makes one notification for the room, counting 50; the room open on a device makes none', async () => {
    const room = await activeRoom(server.url, mentor, mentee);
    const menteeSocket = await open(mentee);
    await emitAck(menteeSocket, 'room:join', { roomId: room.id });
    for (let i = 1; i <= 50; i++) {
      const ack = await emitAck(menteeSocket, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: `message ${i}` });
      expect(ack.ok).to.equal(true);
    }
    const message = await eventually(async () => {
      const page = await inbox(server, mentor);
      const m = page.notifications.filter((n) => n.kind === 'message');
      expect(m).to.have.length(1);
      expect(m[0]!.data).to.deep.include({ roomId: room.id, count: 50 });
      return m[0]!;
    });
    expect(message.data).to.deep.include({ excerpt: 'message 50' });
    expect(message.actorId).to.equal(mentee.user.id);
    await server.notifications.producers.idle();
    expect((await inbox(server, mentor)).notifications.filter((n) => n.kind === 'message')).to.have.length(1);
    // The mentee wrote them: no message notification for the author.
    expect((await inbox(server, mentee)).notifications.filter((n) => n.kind === 'message')).to.deep.equal([]);

    // Reading the room reads its notification; with the room open, new messages notify nobody.
    const mentorSocket = await open(mentor);
    // Watching a room (room:join, as a rooms list does) is not looking at it; room:view is.
    const join = await emitAck(mentorSocket, 'room:join', { roomId: room.id });
    expect(join.ok).to.equal(true);
    expect((await emitAck(mentorSocket, 'room:view', { roomId: room.id })).ok).to.equal(true);
    const stranger = await open(await register(server.url, 'Stranger'));
    expect((await emitAck(stranger, 'room:view', { roomId: room.id })).error?.code).to.equal('FORBIDDEN');
    expect((await emitAck(stranger, 'room:view', { roomId: 42 })).error?.code).to.equal('INVALID_INPUT');
    const read = nextEvent(mentorSocket, 'notification:read');
    await emitAck(mentorSocket, 'room:read', { roomId: room.id, seq: room.lastSeq + 50 });
    expect(await read).to.deep.include({ ids: [message.id], all: false });
    const pushes = collect(mentorSocket, 'notification');
    const seen = nextEvent(mentorSocket, 'message:new', (p: { message: { body: string } }) => p.message.body === 'while you look');
    await emitAck(menteeSocket, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'while you look' });
    await seen;
    await server.notifications.producers.idle();
    expect(pushes).to.deep.equal([]);
    expect((await inbox(server, mentor)).notifications.filter((n) => n.kind === 'message' && n.readAt === null)).to.deep.equal([]);

    // After looking away (still watching), the next message starts a new entry counting 1.
    await emitAck(mentorSocket, 'room:view', { roomId: null });
    const next = nextEvent<{ notification: Notification }>(mentorSocket, 'notification');
    await emitAck(menteeSocket, 'message:send', { roomId: room.id, clientMsgId: newClientId(), body: 'are you there?' });
    const fresh = (await next).notification;
    expect(fresh.id).to.not.equal(message.id);
    expect(fresh.data).to.deep.include({ count: 1, excerpt: 'are you there?' });
  });

  it('two devices: both get the notification live, and reading it on one shows it read on the other', async () => {
    const room = await activeRoom(server.url, mentor, mentee);
    await eventually(async () => expect((await inbox(server, mentor)).unread).to.equal(1)); // the request
    await api(server.url, 'POST', '/api/notifications/read', { token: mentor.token, body: { all: true } });
    const [phone, laptop] = [await open(mentor), await open(mentor)];
    const onPhone = nextEvent<{ notification: Notification; unread: number }>(phone, 'notification');
    const onLaptop = nextEvent<{ notification: Notification }>(laptop, 'notification');
    await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: 'hello' } });
    const [a, b] = await Promise.all([onPhone, onLaptop]);
    expect(a.notification.id).to.equal(b.notification.id);
    expect(a.unread).to.equal(1);
    const readOnLaptop = nextEvent<{ ids: string[]; unread: number }>(laptop, 'notification:read');
    const res = await api(server.url, 'POST', '/api/notifications/read', { token: mentor.token, body: { id: a.notification.id } });
    expect(res.body).to.deep.equal({ ids: [a.notification.id], unread: 0 });
    expect(await readOnLaptop).to.deep.include({ ids: [a.notification.id], unread: 0 });
    // Someone else's id, or an id already read, changes nothing.
    expect((await api(server.url, 'POST', '/api/notifications/read', { token: mentee.token, body: { id: a.notification.id } })).body.ids).to.deep.equal([]);
    expect((await inbox(server, mentor)).notifications[0]!.readAt).to.be.a('string');
  });

  it('stage change, contract waiting and contract changed after acceptance go to the other member only', async () => {
    const room = await activeRoom(server.url, mentor, mentee);
    const life = new Lifecycle(server.url, room.id);
    Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    await eventually(async () => expect(kindsOf(await inbox(server, mentor))).to.include('contract-waiting'));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    await eventually(async () => {
      const n = (await inbox(server, mentee)).notifications.find((x) => x.kind === 'stage-changed');
      expect(n?.data).to.deep.equal({ roomId: room.id, from: 'initiation', to: 'cultivation' });
    });
    Lifecycle.ok(await life.putContract(mentee, contractBody(4)));
    await eventually(async () => {
      const n = (await inbox(server, mentor)).notifications.find((x) => x.kind === 'contract-changed');
      expect(n?.data).to.deep.equal({ roomId: room.id, version: 2 });
    });
    await server.notifications.producers.idle();
    const menteeKinds = kindsOf(await inbox(server, mentee));
    expect(menteeKinds.filter((k) => k.startsWith('contract'))).to.deep.equal([]);
    expect(kindsOf(await inbox(server, mentor)).filter((k) => k === 'contract-waiting')).to.have.length(1);
  });

  it("a comment on the mentee's entry notifies her, deep-linking the thread; her own comment does not", async () => {
    const room = await activeRoom(server.url, mentor, mentee);
    const thread = (await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'Journey', visibility: 'room', roomId: room.id } })).body.thread;
    const entry = (await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: mentee.token, body: { kind: 'progress', body: 'Shipped the draft' } })).body.entry;
    await api(server.url, 'POST', `/api/threads/${thread.id}/entries/${entry.id}/comments`, { token: mentee.token, body: { body: 'note to self' } });
    const comment = (await api(server.url, 'POST', `/api/threads/${thread.id}/entries/${entry.id}/comments`, { token: mentor.token, body: { body: 'Great   work\non this' } })).body.comment;
    await eventually(async () => {
      const n = (await inbox(server, mentee)).notifications.filter((x) => x.kind === 'comment-on-entry');
      expect(n).to.have.length(1);
      expect(n[0]!.data).to.deep.equal({ roomId: room.id, threadId: thread.id, entryId: entry.id, commentId: comment.id, excerpt: 'Great work on this' });
    });
  });

  it('the clock drives the time-based kinds: review in 7 d and 1 d, goal due in 3 d and overdue, milestone overdue, cadence check-in', async () => {
    const room = await activeRoom(server.url, mentor, mentee);
    const life = new Lifecycle(server.url, room.id);
    const contract = Lifecycle.ok(await life.putContract(mentee, contractBody(3))).contract;
    const reviewDay = Date.parse(`${contract.reviewAt}T00:00:00Z`);
    const goal0 = contract.goals[0];
    const goalDay = Date.parse(`${goal0.dueDate}T00:00:00Z`);
    await api(server.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentee.token, body: { templateId: (await api(server.url, 'GET', '/api/templates', { token: mentee.token })).body.templates[0].id } });
    const milestones = (await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentee.token })).body.roadmap.milestones;
    const milestoneDue = new Date(goalDay - 5 * DAY).toISOString().slice(0, 10);
    await server.collab.docs.edit(room.id, (doc) => void findMilestone(doc, milestones[0].id)!.set('due', milestoneDue));

    const tickAt = async (ms: number) => {
      clock.set(new Date(ms));
      return server.notifications.scheduler.tick();
    };
    const reminders = async (s: Session) => (await inbox(server, s)).notifications.filter((n) => !['contract-waiting', 'request-accepted', 'request-received', 'message'].includes(n.kind));

    // Before anything is due: nothing (a cadence of 2 w has not passed either).
    expect((await tickAt(Date.now() + 60_000)).enqueued).to.equal(0);
    // Goal 1 due in 3 days (2 days ahead, 3 h into the day); the milestone's date passed 3 days ago.
    await tickAt(goalDay - 2 * DAY + 3 * 3600_000);
    for (const s of [mentor, mentee]) {
      const kinds = (await reminders(s)).map((n) => `${n.kind}:${JSON.stringify(n.data)}`);
      expect(kinds).to.include(`goal-due-3d:${JSON.stringify({ roomId: room.id, goalId: goal0.id, title: goal0.title, dueDate: goal0.dueDate })}`);
      expect(kinds.some((k) => k.startsWith('milestone-overdue:') && k.includes(milestones[0].id))).to.equal(true);
    }
    // A second tick at the same instant delivers nothing again.
    const again = await tickAt(goalDay - 2 * DAY + 3 * 3600_000 + 1000);
    expect(again.delivered).to.equal(0);
    // The day after the due date: overdue.
    await tickAt(goalDay + DAY + 3600_000);
    expect((await reminders(mentee)).filter((n) => n.kind === 'goal-overdue' && n.data.goalId === goal0.id)).to.have.length(1);
    // Two weeks of silence (cadence 2w) after the last message: a check-in is due.
    await tickAt(Date.now() + 15 * DAY);
    expect((await reminders(mentor)).filter((n) => n.kind === 'cadence-checkin')).to.have.length(1);
    // The review date: 7 days, then 1 day ahead.
    await tickAt(reviewDay - 7 * DAY + 3600_000);
    await tickAt(reviewDay - DAY + 3600_000);
    const review = (await reminders(mentor)).filter((n) => n.kind.startsWith('review')).map((n) => n.kind).sort();
    expect(review).to.deep.equal(['review-in-1d', 'review-in-7d']);
    // A reminder is never from an actor.
    expect((await reminders(mentor)).every((n) => n.actorId === undefined)).to.equal(true);
  });

  it('after downtime the scheduler catches up without stale reminders: a review date already past is not announced', async () => {
    const room = await activeRoom(server.url, mentor, mentee);
    const contract = Lifecycle.ok(await new Lifecycle(server.url, room.id).putContract(mentee, contractBody(3))).contract;
    const reviewDay = Date.parse(`${contract.reviewAt}T00:00:00Z`);
    clock.set(new Date(reviewDay + 2 * DAY));
    const result = await server.notifications.scheduler.tick();
    expect(result.delivered).to.be.greaterThan(0);
    const kinds = kindsOf(await inbox(server, mentor));
    expect(kinds.filter((k) => k.startsWith('review'))).to.deep.equal([]);
    expect(kinds.filter((k) => k === 'goal-overdue')).to.have.length(3);
    expect(kinds.filter((k) => k === 'goal-due-3d')).to.deep.equal([]);
  });

  it('preferences: in-app off stores the entry read and pushes nothing; bad preferences are refused and change nothing', async () => {
    const bad = await api(server.url, 'PUT', '/api/notifications/prefs', { token: mentor.token, body: { kinds: { nope: { inApp: false, webhook: false } }, quietHours: null } });
    expect(bad.status).to.equal(400);
    expect((await api(server.url, 'GET', '/api/notifications/prefs', { token: mentor.token })).body.prefs).to.deep.equal({ kinds: {}, quietHours: null });
    const prefs = { kinds: { message: { inApp: false, webhook: true } }, quietHours: { start: '22:00', end: '07:00' } };
    expect((await api(server.url, 'PUT', '/api/notifications/prefs', { token: mentor.token, body: prefs })).body.prefs).to.deep.equal(prefs);
    const room = await activeRoom(server.url, mentor, mentee);
    const socket = await open(mentor);
    const pushes = collect<{ notification: Notification }>(socket, 'notification');
    await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: 'muted' } });
    const stored = await eventually(async () => {
      const m = (await inbox(server, mentor)).notifications.find((n) => n.kind === 'message');
      expect(m).to.not.equal(undefined);
      return m!;
    });
    expect(stored.readAt).to.be.a('string');
    expect(pushes.map((p) => p.notification.kind)).to.not.include('message');
    expect((await inbox(server, mentor)).notifications.filter((n) => n.readAt === null).map((n) => n.kind)).to.deep.equal(['request-received']);
  });

  it('pages the inbox with a cursor, newest first; read all clears the count; bad queries are INVALID_INPUT', async () => {
    for (let i = 0; i < 5; i++) {
      const other = await register(server.url, `Mentee ${i}`);
      await api(server.url, 'POST', '/api/rooms', { token: other.token, body: { mentorId: mentor.user.id, focus: `Focus ${i}` } });
      // Delivered (and stamped) after the request answers: wait for it before the clock moves, so each entry has its own second.
      await eventually(async () => expect((await inbox(server, mentor)).unread).to.equal(i + 1));
      clock.advance(1000);
    }
    const first = await inbox(server, mentor, '?limit=2');
    expect(first.notifications.map((n) => (n.data as { focus: string }).focus)).to.deep.equal(['Focus 4', 'Focus 3']);
    const second = await inbox(server, mentor, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.notifications.map((n) => (n.data as { focus: string }).focus)).to.deep.equal(['Focus 2', 'Focus 1']);
    expect((await api(server.url, 'GET', '/api/notifications?limit=0', { token: mentor.token })).status).to.equal(400);
    expect((await api(server.url, 'GET', '/api/notifications?cursor=zzz', { token: mentor.token })).body.error.code).to.equal('INVALID_INPUT');
    expect((await api(server.url, 'POST', '/api/notifications/read', { token: mentor.token, body: { all: false } })).status).to.equal(400);
    expect((await api(server.url, 'GET', '/api/notifications', {})).status).to.equal(401);
    const all = await api(server.url, 'POST', '/api/notifications/read', { token: mentor.token, body: { all: true } });
    expect(all.body.ids).to.have.length(5);
    expect((await api(server.url, 'GET', '/api/notifications/unread', { token: mentor.token })).body).to.deep.equal({ unread: 0 });
  });
});
