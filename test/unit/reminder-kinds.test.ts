import { expect } from 'chai';
import { DAY_MS, HOUR_MS } from '../../server/domain/clock.js';
import { actionItemOverdue } from '../../server/domain/reminders/action-item-overdue.js';
import { cadenceCheckin } from '../../server/domain/reminders/cadence.js';
import { dueReminders, type ReminderState } from '../../server/domain/reminders/index.js';
import { replyPromise } from '../../server/domain/reminders/reply-promise.js';
import { expiredRequestWindow, requestExpired } from '../../server/domain/reminders/request-expired.js';
import { sessionSoon } from '../../server/domain/reminders/session-soon.js';
import type { ActionItem, Meeting, Message, Room } from '../../shared/types.js';
import { contract, goal, MENTEE, MENTOR, room, T0 } from '../helpers/lifecycle-fixtures.js';

/** Issue 19's reminder kinds, pure: each kind's `due` at chosen moments. */
const t0 = Date.parse(T0);
const at = (ms: number) => new Date(t0 + ms);
const iso = (ms: number) => new Date(t0 + ms).toISOString();
const state = (r: Room, over: Partial<ReminderState> = {}): ReminderState => ({ room: r, milestones: [], lastMessageAt: null, messages: [], meetings: [], items: [], ...over });
let seq = 0;
const msg = (authorId: string, ms: number): Message => ({ id: `m${++seq}`, roomId: 'room-1', seq, authorId, clientMsgId: `c${seq}`, kind: 'text', body: 'hi', reactions: {}, createdAt: iso(ms) });
const promised = (over: Partial<Room> = {}) => room({ stage: 'cultivation', contract: contract({ replyWithinHours: { mentor: 24, mentee: 24 } }), ...over });
const pausedFrom = (ms: number, days: number): Pick<Room, 'pauses'> => ({ pauses: [{ from: iso(ms), until: iso(ms + days * DAY_MS), by: MENTEE }] });

describe('reminder kinds (issue 19)', () => {
  describe('reply promise', () => {
    const r = promised();
    const asked = [msg(MENTEE, HOUR_MS)];
    const due = (messages: Message[], ms: number, rr: Room = r) => replyPromise.due(state(rr, { messages }), at(ms));
    const since = iso(HOUR_MS);

    it('nudges only the member who owes the answer at 1×, tells both at 2×, keyed by the episode', () => {
      expect(due(asked, HOUR_MS + 23 * HOUR_MS)).to.deep.equal([]);
      const nudge = due(asked, HOUR_MS + 24 * HOUR_MS);
      expect(nudge).to.deep.equal([{ kind: 'reply-nudge', key: `reply-nudge:room-1:${MENTOR}:${since}`, roomId: 'room-1', userIds: [MENTOR], data: { roomId: 'room-1', since, promiseHours: 24 } }]);
      const risk = due(asked, HOUR_MS + 48 * HOUR_MS);
      expect(risk.map((x) => [x.kind, x.key, x.userIds])).to.deep.equal([['reply-at-risk', `reply-at-risk:room-1:${MENTOR}:${since}`, [MENTOR, MENTEE]]]);
      expect(risk[0]!.data).to.deep.equal({ roomId: 'room-1', memberId: MENTOR, since, promiseHours: 24 });
    });

    it('an answer clears it; the next unanswered message is a new episode with its own key', () => {
      const answered = [...asked, msg(MENTOR, 2 * HOUR_MS)];
      // The mentee now owes the answer to the mentor's reply (a new episode, from 2 h).
      expect(due(answered, 26 * HOUR_MS).map((x) => x.key)).to.deep.equal([`reply-nudge:room-1:${MENTEE}:${iso(2 * HOUR_MS)}`]);
      const again = [...answered, msg(MENTEE, 3 * HOUR_MS)];
      expect(due(again, 27 * HOUR_MS).map((x) => x.key)).to.deep.equal([`reply-nudge:room-1:${MENTOR}:${iso(3 * HOUR_MS)}`]);
    });

    it('says nothing without a contract or while paused, and a pause pushes the deadline by its length', () => {
      expect(due(asked, 30 * HOUR_MS, room())).to.deep.equal([]);
      const paused = promised(pausedFrom(2 * HOUR_MS, 3));
      expect(due(asked, 30 * HOUR_MS, paused)).to.deep.equal([]);
      expect(dueReminders(state(paused, { messages: asked }), at(30 * HOUR_MS))).to.deep.equal([]);
      // 1 h active before the pause, 23 h after it ends: nudge due at 3 d + 25 h.
      expect(due(asked, 2 * HOUR_MS + 3 * DAY_MS + 22 * HOUR_MS, paused)).to.deep.equal([]);
      expect(due(asked, 2 * HOUR_MS + 3 * DAY_MS + 23 * HOUR_MS, paused).map((x) => x.kind)).to.deep.equal(['reply-nudge']);
    });
  });

  describe('action items', () => {
    const item = (over: Partial<ActionItem> = {}): ActionItem => ({ id: 'i1', roomId: 'room-1', sessionId: 's1', title: 'Send the CV', ownerId: MENTEE, dueDate: '2025-03-05', status: 'open', createdAt: T0, ...over });
    const day = Date.parse('2025-03-06T00:00:00Z') - t0;

    it('an open item past its due date goes to its owner only, from the day after; a done one never', () => {
      expect(actionItemOverdue.due(state(room(), { items: [item()] }), at(day - 1))).to.deep.equal([]);
      expect(actionItemOverdue.due(state(room(), { items: [item()] }), at(day + HOUR_MS))).to.deep.equal([
        { kind: 'action-item-overdue', key: 'item-overdue:room-1:i1:2025-03-05', roomId: 'room-1', userIds: [MENTEE], data: { roomId: 'room-1', itemId: 'i1', sessionId: 's1', title: 'Send the CV', dueDate: '2025-03-05' } },
      ]);
      expect(actionItemOverdue.due(state(room(), { items: [item({ status: 'done', doneAt: iso(day) })] }), at(day + HOUR_MS))).to.deep.equal([]);
    });
  });

  describe('sessions', () => {
    const meeting = (over: Partial<Meeting> = {}): Meeting => ({ id: 's1', roomId: 'room-1', startsAt: iso(3 * DAY_MS), durationMin: 60, agenda: 'Mock interview', status: 'scheduled', notes: '', createdBy: MENTOR, createdAt: T0, updatedAt: T0, rev: 1, ...over });
    const due = (m: Meeting, ms: number) => sessionSoon.due(state(room(), { meetings: [m] }), at(ms));

    it('reminds both members from 24 h before the start until it starts; not a cancelled one', () => {
      expect(due(meeting(), 2 * DAY_MS - 1)).to.deep.equal([]);
      const soon = due(meeting(), 2 * DAY_MS);
      expect(soon.map((x) => [x.kind, x.key, x.userIds])).to.deep.equal([['session-soon', `session-soon:room-1:s1:${iso(3 * DAY_MS)}`, [MENTOR, MENTEE]]]);
      expect(soon[0]!.data).to.deep.equal({ roomId: 'room-1', sessionId: 's1', startsAt: iso(3 * DAY_MS), agenda: 'Mock interview' });
      expect(due(meeting(), 3 * DAY_MS)).to.deep.equal([]);
      expect(due(meeting({ status: 'cancelled', cancelledBy: MENTOR, cancelReason: 'ill' }), 2 * DAY_MS + HOUR_MS)).to.deep.equal([]);
    });
  });

  describe('request expiry', () => {
    const pending = room({ status: 'pending', createdAt: T0, acceptedAt: undefined });
    const expiresAt = iso(14 * DAY_MS);

    it('tells both sides from the expiry for 14 days, once per request; only pending rooms', () => {
      expect(dueReminders(state(pending), at(14 * DAY_MS - 1))).to.deep.equal([]);
      expect(dueReminders(state(pending), at(14 * DAY_MS))).to.deep.equal([
        { kind: 'request-expired', key: 'request-expired:room-1', roomId: 'room-1', userIds: [MENTOR, MENTEE], data: { roomId: 'room-1', focus: 'Land a Director role', expiresAt } },
      ]);
      expect(dueReminders(state(pending), at(28 * DAY_MS))).to.deep.equal([]);
      // Answered (no longer pending): nothing; and the kind does not run for active rooms.
      expect(requestExpired.due(state({ ...pending, status: 'active' }), at(15 * DAY_MS))).to.deep.equal([]);
      expect(dueReminders(state(room({ createdAt: T0 })), at(15 * DAY_MS)).map((x) => x.kind)).to.not.include('request-expired');
    });

    it("the scheduler's creation window is exactly the rooms the kind would announce", () => {
      const now = at(20 * DAY_MS);
      const { from, until } = expiredRequestWindow(now);
      for (const ageDays of [13.9, 14, 20, 27.9, 28.1]) {
        const created = now.getTime() - ageDays * DAY_MS;
        const inWindow = new Date(created).toISOString() >= from && new Date(created).toISOString() < until;
        const r = { ...pending, createdAt: new Date(created).toISOString() };
        expect(inWindow, `${ageDays} days`).to.equal(requestExpired.due(state(r), now).length === 1);
      }
    });
  });

  describe('cadence by stage and pauses', () => {
    const quarterly = room({ stage: 'redefinition', stageCadence: { redefinition: '3m' }, contract: contract({ cadence: { every: '1w', channel: 'video' } }) });

    it("follows the stage's cadence: a month of silence in Redefinition (quarterly) is no check-in, 90 days is", () => {
      const s = state(quarterly, { lastMessageAt: T0 });
      expect(cadenceCheckin.due(s, at(31 * DAY_MS))).to.deep.equal([]);
      expect(cadenceCheckin.due(s, at(90 * DAY_MS)).map((x) => x.data)).to.deep.equal([{ roomId: 'room-1', every: '3m', lastMessageAt: T0 }]);
      // Unchosen, Redefinition's suggestion (3m) still applies over the contract's weekly cadence.
      expect(cadenceCheckin.due(state({ ...quarterly, stageCadence: undefined }, { lastMessageAt: T0 }), at(31 * DAY_MS))).to.deep.equal([]);
    });

    it('a held session counts as contact; paused time is not silence', () => {
      const weekly = room({ contract: contract() });
      const held: Meeting = { id: 's1', roomId: 'room-1', startsAt: iso(5 * DAY_MS), durationMin: 60, agenda: 'x', status: 'held', notes: '', createdBy: MENTOR, createdAt: T0, updatedAt: T0, rev: 2 };
      expect(cadenceCheckin.due(state(weekly, { lastMessageAt: T0, meetings: [held] }), at(8 * DAY_MS))).to.deep.equal([]);
      expect(cadenceCheckin.due(state(weekly, { lastMessageAt: T0, meetings: [held] }), at(12 * DAY_MS)).map((x) => x.key)).to.deep.equal([`cadence:room-1:${iso(5 * DAY_MS)}`]);
      const paused = { ...weekly, ...pausedFrom(DAY_MS, 5) };
      expect(cadenceCheckin.due(state(paused, { lastMessageAt: T0 }), at(10 * DAY_MS))).to.deep.equal([]);
      expect(cadenceCheckin.due(state(paused, { lastMessageAt: T0 }), at(12 * DAY_MS))).to.have.length(1);
    });

    it('a paused room gets no reminder of any kind; the same state unpaused gets each', () => {
      const r = room({ contract: contract({ reviewAt: '2025-03-05', goals: [goal('a', { dueDate: '2025-03-01' })] }) });
      const milestones = [{ id: 'm1', title: 'One', status: 'doing' as const, due: '2025-03-01', evidence: [], notes: '' }];
      const s = (rr: Room) => state(rr, { milestones, lastMessageAt: T0 });
      const now = at(3 * DAY_MS);
      expect(dueReminders(s(r), now).map((x) => x.kind).sort()).to.deep.equal(['goal-overdue', 'milestone-overdue', 'review-in-1d']);
      expect(dueReminders(s({ ...r, ...pausedFrom(DAY_MS, 10) }), now)).to.deep.equal([]);
    });
  });
});
