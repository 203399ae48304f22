import { expect } from 'chai';
import type { Notification, NotificationKind } from '../../shared/notifications.js';
import { DAY_MS, HOUR_MS } from '../../server/domain/clock.js';
import { api, register, type Session } from '../helpers/clients.js';
import { manualClock } from '../helpers/driven-clock.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { useRoomFixture } from '../helpers/room.js';

/** The kinds the reminder scheduler produces (the others come from pushes). */
const TIMED: readonly NotificationKind[] = [
  'review-in-7d',
  'review-in-1d',
  'goal-due-3d',
  'goal-overdue',
  'milestone-overdue',
  'cadence-checkin',
  'reply-nudge',
  'reply-at-risk',
  'action-item-overdue',
  'session-soon',
  'request-expired',
];

/**
 * Issue 19's notifications over a real server with a manual clock: reply promises (acceptance 3),
 * overdue action items (acceptance 2), session reminders, expired requests, and cadence by stage
 * and pauses for every reminder. Messages are stamped by the server's clock (this manual one), and
 * each test dates its ticks from the stored message times; the scheduler runs only when a test
 * calls tick().
 */
describe('reminders of issue 19: reply promises, sessions, action items, expired requests, pauses', function () {
  this.timeout(60_000);
  const time = manualClock();
  // Before the fixture's hook: each test's users and room are made at the present.
  beforeEach(() => time.set(new Date()));
  const fx = useRoomFixture({ parts: { clock: time.clock } });
  let n = 0;

  const call = (s: Session, method: string, path: string, body?: unknown) => api(fx.server.url, method, `/api/rooms/${fx.room.id}${path}`, { token: s.token, ...(body !== undefined && { body }) });
  /** Sends a text message and returns its stored time (ms). */
  const say = async (s: Session, body: string): Promise<number> => {
    const res = await call(s, 'POST', '/messages', { clientMsgId: `r-${++n}`, body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return Date.parse(res.body.message.createdAt);
  };
  const tickAt = async (ms: number) => {
    time.set(new Date(ms));
    return fx.server.notifications.scheduler.tick();
  };
  /** The user's reminders (time-based kinds), optionally of one kind, oldest first. */
  async function reminders(s: Session): Promise<Notification[]>;
  async function reminders<K extends NotificationKind>(s: Session, kind: K): Promise<Extract<Notification, { kind: K }>[]>;
  async function reminders(s: Session, kind?: NotificationKind): Promise<Notification[]> {
    const res = await api(fx.server.url, 'GET', '/api/notifications?limit=100', { token: s.token });
    expect(res.status).to.equal(200);
    return (res.body.notifications as Notification[]).filter((x) => (kind ? x.kind === kind : TIMED.includes(x.kind))).reverse();
  }
  const life = () => new Lifecycle(fx.server.url, fx.room.id);
  const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  describe('reply promise (acceptance 3)', () => {
    it('24 h promise: nothing at 23 h, the mentor alone nudged at 24 h, both told at 48 h, each once; an answer ends it and a new message starts a new episode', async () => {
      const { mentor, mentee } = fx;
      // The mentee's own promise is 72 h, so her reply to the answer is not owed within this test.
      await life().promised(mentor, mentee, { mentor: 24, mentee: 72 });
      const asked = await say(mentee, 'Could you look at my CV?');
      const since = new Date(asked).toISOString();

      await tickAt(asked + 23 * HOUR_MS);
      expect(await reminders(mentor)).to.deep.equal([]);
      await tickAt(asked + 24 * HOUR_MS);
      const nudge = await reminders(mentor, 'reply-nudge');
      expect(nudge.map((x) => x.data)).to.deep.equal([{ roomId: fx.room.id, since, promiseHours: 24 }]);
      expect(nudge[0]!.actorId).to.equal(undefined);
      expect(await reminders(mentee)).to.deep.equal([]);

      await tickAt(asked + 48 * HOUR_MS);
      await tickAt(asked + 49 * HOUR_MS);
      for (const s of [mentor, mentee]) {
        expect((await reminders(s, 'reply-at-risk')).map((x) => x.data), s.user.displayName).to.deep.equal([{ roomId: fx.room.id, memberId: mentor.user.id, since, promiseHours: 24 }]);
      }
      expect(await reminders(mentor, 'reply-nudge')).to.have.length(1);
      expect(await reminders(mentee, 'reply-nudge')).to.deep.equal([]);

      // The answer ends the episode: nothing more about the mentee's message.
      await say(mentor, 'Sorry, on it now');
      await tickAt(asked + 60 * HOUR_MS);
      expect((await reminders(mentor)).map((x) => x.kind)).to.deep.equal(['reply-nudge', 'reply-at-risk']);
      expect((await reminders(mentee)).map((x) => x.kind)).to.deep.equal(['reply-at-risk']);

      // A new unanswered message of the mentee (stamped at 60 h) is a new episode, nudged at its own 24 h.
      const again = await say(mentee, 'Thanks! One more question');
      await tickAt(again + 23 * HOUR_MS);
      expect(await reminders(mentor, 'reply-nudge')).to.have.length(1);
      await tickAt(again + 24 * HOUR_MS);
      expect((await reminders(mentor, 'reply-nudge')).map((x) => x.data.since)).to.deep.equal([since, new Date(again).toISOString()]);
      expect(await reminders(mentee, 'reply-nudge')).to.deep.equal([]);
    });

    it('an answer before 24 h: no nudge and no at-risk notice', async () => {
      const { mentor, mentee } = fx;
      // The mentee's own promise is 72 h, so her reply to the answer is not owed within this test.
      await life().promised(mentor, mentee, { mentor: 24, mentee: 72 });
      const asked = await say(mentee, 'Quick question');
      await tickAt(asked + 2 * HOUR_MS);
      const answered = await say(mentor, 'Quick answer');
      expect(answered).to.equal(asked + 2 * HOUR_MS);
      await tickAt(asked + 24 * HOUR_MS + 60_000);
      await tickAt(asked + 48 * HOUR_MS + 60_000);
      expect(await reminders(mentor)).to.deep.equal([]);
      expect(await reminders(mentee)).to.deep.equal([]);
      // Control: the mentee's 72 h promise, counted from the answer, does nudge her.
      await tickAt(answered + 72 * HOUR_MS - 60_000);
      expect(await reminders(mentee)).to.deep.equal([]);
      await tickAt(answered + 72 * HOUR_MS + 60_000);
      expect((await reminders(mentee)).map((x) => x.kind)).to.deep.equal(['reply-nudge']);
    });

    it('a paused room produces neither at 24 h nor at 48 h; after the resume the clock goes on where it stood', async () => {
      const { mentor, mentee } = fx;
      await life().promised(mentor, mentee);
      const asked = await say(mentee, 'Question before my holiday');
      const until = ymd(time.clock() + 10 * DAY_MS);
      expect((await call(mentee, 'POST', '/pause', { until, reason: 'holiday' })).status).to.equal(200);
      await tickAt(asked + 24 * HOUR_MS);
      await tickAt(asked + 48 * HOUR_MS);
      expect(await reminders(mentor)).to.deep.equal([]);
      expect(await reminders(mentee)).to.deep.equal([]);
      // Resumed at 48 h: the wait counts from then (the pause began before the message).
      expect((await call(mentor, 'POST', '/resume')).status).to.equal(200);
      await tickAt(asked + 71 * HOUR_MS);
      expect(await reminders(mentor)).to.deep.equal([]);
      await tickAt(asked + 72 * HOUR_MS + 60_000);
      expect((await reminders(mentor)).map((x) => x.kind)).to.deep.equal(['reply-nudge']);
    });
  });

  describe('sessions and action items', () => {
    /** A session an hour from now, held two hours from now; returns its id. */
    async function heldSession(): Promise<string> {
      const session = (await call(fx.mentor, 'POST', '/sessions', { startsAt: new Date(time.clock() + HOUR_MS).toISOString(), agenda: 'CV review' })).body.session;
      time.advance(2 * HOUR_MS);
      expect((await call(fx.mentee, 'PATCH', `/sessions/${session.id}`, { status: 'held', notes: 'Two items' })).status).to.equal(200);
      return session.id;
    }

    it('an overdue action item notifies its owner once, not the other member, and not once it is done (acceptance 2)', async () => {
      const { mentor, mentee } = fx;
      const sessionId = await heldSession();
      const due = ymd(time.clock() + 2 * DAY_MS);
      const item = async (title: string, owner: Session) => {
        const res = await call(mentor, 'POST', `/sessions/${sessionId}/items`, { title, ownerId: owner.user.id, dueDate: due });
        expect(res.status).to.equal(201);
        return res.body.item;
      };
      const cv = await item('Send the new CV', mentee);
      const intro = await item('Intro to a hiring manager', mentor);
      const done = await item('Book a mock interview', mentee);
      expect((await call(mentee, 'PATCH', `/items/${done.id}`, { status: 'done' })).status).to.equal(200);
      const overdueFrom = Date.parse(`${due}T00:00:00Z`) + DAY_MS;

      await tickAt(overdueFrom - 60_000);
      expect(await reminders(mentee)).to.deep.equal([]);
      // The mentor's item is done just before it turns overdue.
      expect((await call(mentor, 'PATCH', `/items/${intro.id}`, { status: 'done' })).status).to.equal(200);
      await tickAt(overdueFrom + HOUR_MS);
      await tickAt(overdueFrom + 2 * DAY_MS);
      expect((await reminders(mentee)).map((x) => x.data)).to.deep.equal([{ roomId: fx.room.id, itemId: cv.id, sessionId, title: 'Send the new CV', dueDate: due }]);
      expect(await reminders(mentor)).to.deep.equal([]);
      // Done afterwards: nothing more.
      expect((await call(mentee, 'PATCH', `/items/${cv.id}`, { status: 'done' })).status).to.equal(200);
      await tickAt(overdueFrom + 3 * DAY_MS);
      expect(await reminders(mentee)).to.have.length(1);
    });

    it('a reminder 24 h before a session, to both members, once; none for a cancelled one', async () => {
      const { mentor, mentee } = fx;
      const startsAt = time.clock() + 3 * DAY_MS;
      const kept = (await call(mentor, 'POST', '/sessions', { startsAt: new Date(startsAt).toISOString(), agenda: 'Mock interview' })).body.session;
      const dropped = (await call(mentee, 'POST', '/sessions', { startsAt: new Date(startsAt + HOUR_MS).toISOString(), agenda: 'Salary talk' })).body.session;
      expect((await call(mentor, 'PATCH', `/sessions/${dropped.id}`, { status: 'cancelled', reason: 'travelling' })).status).to.equal(200);

      await tickAt(startsAt - 25 * HOUR_MS);
      expect(await reminders(mentor)).to.deep.equal([]);
      await tickAt(startsAt - 23 * HOUR_MS);
      await tickAt(startsAt - HOUR_MS);
      for (const s of [mentor, mentee]) {
        expect((await reminders(s)).map((x) => x.data), s.user.displayName).to.deep.equal([{ roomId: fx.room.id, sessionId: kept.id, startsAt: kept.startsAt, agenda: 'Mock interview' }]);
      }
    });
  });

  describe('requests that wait', () => {
    it('a request expired at 14 days tells both sides once; an answered request tells nobody', async () => {
      const { mentee } = fx;
      const [waiting, answering] = [await register(fx.server.url, 'Mentor Cy'), await register(fx.server.url, 'Mentor Di')];
      const request = async (mentor: Session, focus: string) => (await api(fx.server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus } })).body.room;
      const expiring = await request(waiting, 'Public speaking');
      const answered = await request(answering, 'Pricing');
      expect((await api(fx.server.url, 'POST', `/api/rooms/${answered.id}/accept`, { token: answering.token })).status).to.equal(200);
      const expiresAt = Date.parse(expiring.createdAt) + 14 * DAY_MS;

      await tickAt(expiresAt - 60_000);
      expect(await reminders(mentee)).to.deep.equal([]);
      await tickAt(expiresAt + 60_000);
      await tickAt(expiresAt + DAY_MS);
      const told = { roomId: expiring.id, focus: 'Public speaking', expiresAt: new Date(expiresAt).toISOString() };
      expect((await reminders(mentee, 'request-expired')).map((x) => x.data)).to.deep.equal([told]);
      expect((await reminders(waiting)).map((x) => x.data)).to.deep.equal([told]);
      expect(await reminders(answering, 'request-expired')).to.deep.equal([]);
    });
  });

  describe('cadence by stage and pauses', () => {
    it('in Redefinition with a quarterly cadence a month of silence is no check-in; three months is', async () => {
      const { mentor, mentee } = fx;
      await life().toRedefinition(mentor, mentee, 3);
      expect((await call(mentor, 'PUT', '/cadence', { every: '3m' })).status).to.equal(200);
      await say(mentee, 'checking in');
      const last = await say(mentor, 'good to hear');
      await tickAt(last + 31 * DAY_MS);
      expect(await reminders(mentor, 'cadence-checkin')).to.deep.equal([]);
      await tickAt(last + 91 * DAY_MS);
      expect((await reminders(mentor, 'cadence-checkin')).map((x) => x.data.every)).to.deep.equal(['3m']);
    });

    it('a paused room gets no reminder of any kind; after the resume the ones still timely come', async () => {
      const { mentor, mentee } = fx;
      const contract = Lifecycle.ok(await life().putContract(mentee, contractBody(3))).contract;
      const start = time.clock();
      expect((await call(mentor, 'POST', '/sessions', { startsAt: new Date(start + 13 * DAY_MS).toISOString(), agenda: 'Check-in' })).status).to.equal(201);
      expect((await call(mentee, 'POST', '/pause', { until: ymd(start + 20 * DAY_MS) })).status).to.equal(200);
      // Day 12.5: goal 1 (due on day 10) overdue, goal 2 due in 3 days, the session within 24 h, a 2 w cadence not yet.
      const at = start + 12.5 * DAY_MS;
      await tickAt(at);
      expect(await reminders(mentor)).to.deep.equal([]);
      expect(await reminders(mentee)).to.deep.equal([]);
      expect((await call(mentor, 'POST', '/resume')).status).to.equal(200);
      await tickAt(at + 60_000);
      const kinds = (await reminders(mentor)).map((x) => x.kind);
      expect(kinds).to.include.members(['goal-overdue', 'session-soon']);
      expect((await reminders(mentor, 'goal-overdue')).map((x) => x.data.goalId)).to.include(contract.goals[0].id);
    });
  });
});
