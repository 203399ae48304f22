import { expect } from 'chai';
import { cadenceMs, defaultReplyHours, effectiveCadence, replyPromiseMs } from '../../server/domain/cadence.js';
import { DAY_MS, HOUR_MS } from '../../server/domain/clock.js';
import { roomHealth, type HealthInput } from '../../server/domain/health.js';
import { goalProgress, percentOf } from '../../server/domain/measure.js';
import { overdueActionItems, patchMeeting, scheduleMeeting } from '../../server/domain/meetings.js';
import { activeDeadline, activeMs, currentPause, pauseRoom, resumeRoom } from '../../server/domain/pause.js';
import { median, replyBreaches, replyPromiseState, replyTimes } from '../../server/domain/reply-promise.js';
import { assertRequestOpen, isRequestExpired } from '../../server/domain/requests.js';
import { setStageCadence } from '../../server/domain/stage-cadence.js';
import type { ActionItem, Checkin, Goal, GoalMeasure, Message, Room } from '../../shared/types.js';
import { contract, goal, MENTEE, MENTOR, room, T0 } from '../helpers/lifecycle-fixtures.js';

const t0 = Date.parse(T0);
const iso = (ms: number) => new Date(ms).toISOString();
const h = (n: number) => t0 + n * HOUR_MS;
const d = (n: number) => t0 + n * DAY_MS;
/** Pauses end at the start of their resume date (UTC). */
const dateOf = (ms: number) => iso(ms).slice(0, 10);
const midnight = (ms: number) => Date.parse(`${dateOf(ms)}T00:00:00Z`);

let seq = 0;
const msg = (authorId: string, at: number, over: Partial<Message> = {}): Message => ({
  id: `m${++seq}`,
  roomId: 'room-1',
  seq,
  authorId,
  clientMsgId: `c${seq}`,
  kind: 'text',
  body: 'hi',
  reactions: {},
  createdAt: iso(at),
  ...over,
});

/** Active, in Cultivation, weekly cadence, 24 h promise both ways. */
const working = (over: Partial<Room> = {}): Room =>
  room({ stage: 'cultivation', contract: contract({ replyWithinHours: { mentor: 24, mentee: 24 }, goals: [goal('a', { dueDate: '2025-12-01' }), goal('b', { dueDate: '2025-12-01' }), goal('c', { dueDate: '2025-12-01' })] }), ...over });

describe('measured goals: progress', () => {
  const m: GoalMeasure = { unit: 'interviews', baseline: 0, target: 6, direction: 'higher' };
  const g = { ...goal('a'), measure: m } as Goal & { measure: GoalMeasure };
  const c = (value: number, minute: number): Checkin => ({ id: `k${minute}`, roomId: 'r', goalId: 'a', authorId: MENTEE, value, createdAt: iso(t0 + minute * 60_000) });

  it('counts from baseline to target in either direction, clamped, 100 only when reached', () => {
    expect(percentOf(m, 3)).to.equal(50);
    expect(percentOf(m, 5.99)).to.equal(99);
    expect(percentOf(m, 6)).to.equal(100);
    expect(percentOf(m, -2)).to.equal(0);
    const lower: GoalMeasure = { unit: 'min', baseline: 30, target: 25, direction: 'lower' };
    expect(percentOf(lower, 27.5)).to.equal(50);
    expect(percentOf(lower, 24)).to.equal(100);
  });

  it('takes the latest check-in as current and proposes achievement while the goal is open', () => {
    expect(goalProgress(g, [])).to.deep.equal({ goalId: 'a', current: 0, percent: 0, reached: false, proposeAchieved: false, checkins: 0 });
    expect(goalProgress(g, [c(6, 2), c(3, 1)])).to.include({ current: 6, percent: 100, reached: true, proposeAchieved: true, checkins: 2 });
    expect(goalProgress(g, [c(6, 1), c(4, 2)])).to.include({ current: 4, reached: false });
    expect(goalProgress({ ...g, status: 'achieved' }, [c(6, 1)])).to.include({ reached: true, proposeAchieved: false });
  });
});

describe('cadence by stage', () => {
  it('follows the contract until Separation, then the chosen or the suggested lighter cadence', () => {
    const r = working();
    expect(effectiveCadence(r)).to.equal('1w');
    expect(effectiveCadence({ ...r, stage: 'separation' })).to.equal('1m');
    expect(effectiveCadence({ ...r, stage: 'redefinition' })).to.equal('3m');
    expect(effectiveCadence({ ...r, stage: 'redefinition', stageCadence: { redefinition: '6w' } })).to.equal('6w');
    expect(effectiveCadence({ ...r, contract: null })).to.equal(null);
    expect(cadenceMs('2w')).to.equal(14 * DAY_MS);
  });

  it('defaults the reply promise by cadence; in the lighter stages the longer one wins', () => {
    expect([defaultReplyHours('1w'), defaultReplyHours('2w'), defaultReplyHours('1m'), defaultReplyHours('3m')]).to.deep.equal([24, 48, 72, 45 * 24]);
    expect(replyPromiseMs(working())).to.deep.equal({ mentor: 24 * HOUR_MS, mentee: 24 * HOUR_MS });
    expect(replyPromiseMs({ ...working(), stage: 'redefinition' })).to.deep.equal({ mentor: 45 * 24 * HOUR_MS, mentee: 45 * 24 * HOUR_MS });
    const { replyWithinHours: _none, ...plain } = working().contract!;
    expect(replyPromiseMs({ ...working(), contract: { ...plain, cadence: { every: '2w', channel: 'v' } } })).to.deep.equal({ mentor: 48 * HOUR_MS, mentee: 48 * HOUR_MS });
  });

  it('sets a stage cadence only in Separation or Redefinition', () => {
    expect(() => setStageCadence(working(), MENTOR, '1m', T0)).to.throw(/guard: stage-cadence/);
    const set = setStageCadence({ ...working(), stage: 'redefinition' }, MENTEE, '3m', T0)!;
    expect(set.room.stageCadence).to.deep.equal({ redefinition: '3m' });
    expect(setStageCadence(set.room, MENTOR, '3m', T0)).to.equal(null);
  });
});

describe('pauses', () => {
  it('counts active time without paused spans and pushes deadlines past them', () => {
    const paused = pauseRoom(working(), MENTEE, { until: dateOf(d(10)) }, h(24)).room;
    const end = midnight(d(10));
    expect(currentPause(paused, h(48))).to.not.equal(null);
    expect(currentPause(paused, end)).to.equal(null);
    expect(activeMs(paused, t0, d(12))).to.equal(d(12) - t0 - (end - h(24)));
    expect(activeDeadline(paused, t0, 48 * HOUR_MS)).to.equal(end + 24 * HOUR_MS);
    const resumed = resumeRoom(paused, MENTOR, d(3)).room;
    expect(activeMs(resumed, t0, d(4))).to.equal(d(4) - t0 - (d(3) - h(24)));
    expect(() => resumeRoom(resumed, MENTOR, d(4))).to.throw(/guard: room-paused/);
  });

  it('refuses pauses of more than 60 days or into the past, and a second running pause', () => {
    expect(() => pauseRoom(working(), MENTEE, { until: iso(d(61)).slice(0, 10) }, t0)).to.throw(/at most 60 days/);
    expect(() => pauseRoom(working(), MENTEE, { until: iso(d(-1)).slice(0, 10) }, t0)).to.throw(/future/);
    const paused = pauseRoom(working(), MENTEE, { until: dateOf(d(5)) }, t0).room;
    expect(() => pauseRoom(paused, MENTOR, { until: dateOf(d(6)) }, h(1))).to.throw(/guard: room-not-paused/);
    expect(() => pauseRoom(working(), 'stranger', { until: iso(d(5)).slice(0, 10) }, t0)).to.throw(/not a member/);
  });
});

describe('reply promise (acceptance 3, pure)', () => {
  const question = () => [msg(MENTOR, h(1)), msg(MENTEE, h(2))];

  it('the mentee’s unanswered message nudges the mentor at 24 h and puts the room at risk at 48 h', () => {
    const r = working();
    const chat = question();
    expect(replyPromiseState(r, chat, h(25))).to.include({ kind: 'waiting', member: MENTOR, promiseHours: 24, nudgeAt: iso(h(26)), atRiskAt: iso(h(50)) });
    expect(replyPromiseState(r, chat, h(26)).kind).to.equal('nudge');
    expect(replyPromiseState(r, chat, h(49)).kind).to.equal('nudge');
    expect(replyPromiseState(r, chat, h(50)).kind).to.equal('at-risk');
  });

  it('an answer clears it; follow-ups by the same author do not restart the clock; system and deleted messages do not count', () => {
    const r = working();
    const chat = [...question(), msg(MENTEE, h(20)), msg(MENTOR, h(30), { kind: 'system' }), msg(MENTOR, h(31), { deletedAt: iso(h(31)) })];
    expect(replyPromiseState(r, chat, h(27))).to.include({ kind: 'nudge', since: iso(h(2)) });
    // The answer clears the mentor's debt; the mentee now owes the reply to it, from the answer on.
    expect(replyPromiseState(r, [...chat, msg(MENTOR, h(40))], h(41))).to.include({ kind: 'waiting', member: MENTEE, since: iso(h(40)) });
    expect(replyPromiseState(r, [...chat, msg(MENTOR, h(40)), msg(MENTEE, h(41))], h(100))).to.include({ member: MENTOR, since: iso(h(41)), kind: 'at-risk' });
  });

  it('a paused room produces neither, and the pause is not counted after it', () => {
    const paused = pauseRoom(working(), MENTEE, { until: dateOf(d(5)) }, h(3)).room;
    const end = midnight(d(5));
    expect(replyPromiseState(paused, question(), h(60))).to.deep.equal({ kind: 'paused', until: iso(end) });
    // After the pause, only the 1 h before it plus the time since the resume date count.
    expect(replyPromiseState(paused, question(), end + 22 * HOUR_MS).kind).to.equal('waiting');
    expect(replyPromiseState(paused, question(), end + 23 * HOUR_MS).kind).to.equal('nudge');
  });

  it('records breaches with the waited hours and level; reply times feed the median', () => {
    const r = working();
    const chat = [msg(MENTEE, h(0)), msg(MENTOR, h(30)), msg(MENTEE, h(31)), msg(MENTOR, h(32)), msg(MENTOR, h(33))];
    const breaches = replyBreaches(r, chat, h(100));
    expect(breaches).to.deep.equal([
      { member: MENTOR, role: 'mentor', since: iso(h(0)), answeredAt: iso(h(30)), waitedHours: 30, promiseHours: 24, level: 'late' },
      { member: MENTEE, role: 'mentee', since: iso(h(32)), answeredAt: null, waitedHours: 68, promiseHours: 24, level: 'at-risk' },
    ]);
    expect(replyTimes(r, chat, MENTOR, t0, h(100))).to.deep.equal([30 * HOUR_MS, 1 * HOUR_MS]);
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 2, 3])).to.equal(2.5);
    expect(median([])).to.equal(null);
  });
});

describe('action items and sessions', () => {
  const item = (over: Partial<ActionItem>): ActionItem => ({ id: 'i', roomId: 'room-1', sessionId: 's', title: 'Send CV', ownerId: MENTEE, dueDate: '2025-03-03', status: 'open', createdAt: T0, ...over });

  it('an open item is overdue after the end of its due date; done items never are; a pause stops the clock', () => {
    const items = [item({ id: 'a' }), item({ id: 'b', dueDate: '2025-03-02' }), item({ id: 'c', status: 'done' }), item({ id: 'd', dueDate: '2025-03-09' })];
    expect(overdueActionItems(working(), items, Date.parse('2025-03-03T23:00:00Z'))).to.deep.equal([{ item: items[1], daysOverdue: 0 }]);
    expect(overdueActionItems(working(), items, Date.parse('2025-03-06T12:00:00Z')).map((o) => [o.item.id, o.daysOverdue])).to.deep.equal([
      ['b', 3],
      ['a', 2],
    ]);
    const paused = pauseRoom(working(), MENTEE, { until: '2025-03-10' }, Date.parse('2025-03-02T00:00:00Z')).room;
    expect(overdueActionItems(paused, items, Date.parse('2025-03-06T12:00:00Z'))).to.deep.equal([]);
  });

  it('a session is held only once started, a no-show names members, an outcome is final', () => {
    const s = scheduleMeeting(working(), MENTEE, { startsAt: iso(d(1)), agenda: 'CV review' }, t0, 's1');
    expect(s).to.include({ status: 'scheduled', durationMin: 60, rev: 1 });
    expect(() => patchMeeting(working(), s, MENTOR, { status: 'held' }, t0)).to.throw(/not started/);
    const held = patchMeeting(working(), s, MENTOR, { status: 'held', notes: 'good' }, d(1) + HOUR_MS);
    expect(held).to.include({ status: 'held', notes: 'good' });
    expect(() => patchMeeting(working(), held, MENTOR, { status: 'cancelled', reason: 'x' }, d(2))).to.throw(/guard: session-open/);
    expect(patchMeeting(working(), held, MENTOR, { notes: 'later notes' }, d(2)).notes).to.equal('later notes');
    expect(() => patchMeeting(working(), s, MENTOR, { status: 'no-show', absent: ['stranger'] }, d(2))).to.throw(/member/);
    expect(patchMeeting(working(), s, MENTOR, { status: 'cancelled', reason: 'ill' }, t0)).to.include({ status: 'cancelled', cancelledBy: MENTOR, cancelReason: 'ill' });
    expect(() => scheduleMeeting(working(), MENTEE, { startsAt: iso(d(-1)), agenda: 'x' }, t0, 's2')).to.throw(/time to come/);
  });
});

describe('room health (acceptance 4, pure)', () => {
  const input = (r: Room, over: Partial<HealthInput> = {}): HealthInput => ({ room: r, lastMessageAt: iso(t0), lastHeldAt: null, reply: { kind: 'none' }, items: [], ...over });

  it('moves from on track to needs a check-in to at risk as the clock passes the cadence, with reasons in words', () => {
    const r = working();
    expect(roomHealth(input(r), d(6))).to.deep.equal({ level: 'on-track', reasons: ['in touch within the cadence (every week)'], cadence: '1w', pausedUntil: null });
    const late = roomHealth(input(r), d(9));
    expect(late.level).to.equal('needs-check-in');
    expect(late.reasons).to.deep.equal(['no session or message for 9 days; the cadence in Cultivation is every week']);
    const risk = roomHealth(input(r), d(15));
    expect(risk.level).to.equal('at-risk');
    expect(risk.reasons[0]).to.equal('no session or message for 15 days; the cadence in Cultivation is every week');
  });

  it('after a move to Redefinition with a quarterly cadence, a month of silence is still on track', () => {
    const moved = { ...working(), stage: 'redefinition' as const, stageHistory: [{ from: 'separation' as const, to: 'redefinition' as const, by: MENTOR, at: T0 }], stageCadence: { redefinition: '3m' } };
    expect(roomHealth(input(moved), d(31)).level).to.equal('on-track');
    expect(roomHealth(input(moved), d(95)).level).to.equal('needs-check-in');
  });

  it('names the reply promise, overdue goals and items, and a long Initiation; a pause is on track', () => {
    const r = working();
    const reply = { kind: 'at-risk' as const, member: MENTOR, since: iso(h(0)), promiseHours: 24, nudgeAt: iso(h(24)), atRiskAt: iso(h(48)) };
    const items: ActionItem[] = [{ id: 'i', roomId: 'room-1', sessionId: 's', title: 'Send CV', ownerId: MENTEE, dueDate: '2025-03-01', status: 'open', createdAt: T0 }];
    const health = roomHealth(input(r, { lastMessageAt: iso(d(2)), reply, items }), d(3));
    expect(health.level).to.equal('at-risk');
    expect(health.reasons).to.deep.equal([
      'the mentor has not answered for 3 days, more than twice the 24 h promise',
      "action item 'Send CV' (the mentee's) is overdue by 2 days (due 2025-03-01)",
    ]);
    const overdueGoal = roomHealth(input(r, { lastMessageAt: iso(d(275)) }), d(276));
    expect(overdueGoal.reasons).to.include("goal 'Goal a' is 1 day past its due date (2025-12-01)");
    const init = roomHealth(input(room({ contract: working().contract }), { lastMessageAt: iso(d(95)) }), d(95));
    expect(init.reasons).to.deep.equal(['in Initiation for 3 months; the guide expects 1–3 months: agree the contract and start the work']);
    const paused = pauseRoom(r, MENTEE, { until: dateOf(d(20)) }, d(1)).room;
    expect(roomHealth(input(paused, { reply }), d(15))).to.deep.include({ level: 'on-track', pausedUntil: iso(midnight(d(20))) });
  });
});

describe('requests that wait', () => {
  it('a pending request expires 14 days after it was made and can no longer be accepted', () => {
    const pending = room({ status: 'pending', createdAt: T0 });
    expect(isRequestExpired(pending, d(14) - 1)).to.equal(false);
    expect(isRequestExpired(pending, d(14))).to.equal(true);
    expect(() => assertRequestOpen(pending, d(14))).to.throw(/guard: request-expired/);
    expect(isRequestExpired(working(), d(100))).to.equal(false);
    expect(roomHealth({ room: pending, lastMessageAt: null, lastHeldAt: null, reply: { kind: 'none' }, items: [] }, d(15))).to.deep.include({ level: 'at-risk' });
  });
});
