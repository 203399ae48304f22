import { expect } from 'chai';
import { retryDelayMs } from '../../server/domain/backoff.js';
import { roomIntents } from '../../server/domain/notifications.js';
import { quietUntil } from '../../server/domain/quiet-hours.js';
import { cadenceMs } from '../../server/domain/cadence.js';
import { dueReminders } from '../../server/domain/reminders/index.js';
import { contract, goal, MENTEE, MENTOR, room } from '../helpers/lifecycle-fixtures.js';

const at = (iso: string) => new Date(iso);
const keys = (r: { key: string }[]) => r.map((x) => x.key).sort();

describe('notifications domain (issue 15)', () => {
  describe('reminder kinds', () => {
    const r = room({ contract: contract({ reviewAt: '2025-09-10', goals: [goal('a', { dueDate: '2025-06-10' }), goal('b', { dueDate: '2025-06-10', status: 'achieved' }), goal('c', { dueDate: '2025-07-01' })] }) });
    const state = { room: r, milestones: [], lastMessageAt: '2025-06-05T12:00:00.000Z', messages: [], meetings: [], items: [] };

    it('review: 7 d ahead until 1 d ahead, then 1 d ahead until the date, then nothing (no stale catch-up)', () => {
      expect(keys(dueReminders(state, at('2025-09-02T23:59:00Z'))).filter((k) => k.startsWith('review'))).to.deep.equal([]);
      expect(keys(dueReminders(state, at('2025-09-03T00:00:00Z'))).filter((k) => k.startsWith('review'))).to.deep.equal(['review-7d:room-1:2025-09-10']);
      expect(keys(dueReminders(state, at('2025-09-09T08:00:00Z'))).filter((k) => k.startsWith('review'))).to.deep.equal(['review-1d:room-1:2025-09-10']);
      expect(keys(dueReminders(state, at('2025-09-10T00:00:00Z'))).filter((k) => k.startsWith('review'))).to.deep.equal([]);
    });

    it('goals: open ones only, due in 3 d until the date ends, overdue from the next day', () => {
      const goals = (now: string) => keys(dueReminders(state, at(now))).filter((k) => k.startsWith('goal'));
      expect(goals('2025-06-06T23:00:00Z')).to.deep.equal([]);
      expect(goals('2025-06-07T00:00:00Z')).to.deep.equal(['goal-3d:room-1:a:2025-06-10']);
      expect(goals('2025-06-10T23:59:00Z')).to.deep.equal(['goal-3d:room-1:a:2025-06-10']);
      expect(goals('2025-06-11T00:00:00Z')).to.deep.equal(['goal-overdue:room-1:a:2025-06-10']);
    });

    it('milestones overdue unless done; cadence check-in after the period of silence, keyed by the last activity', () => {
      const milestones = [
        { id: 'm1', title: 'One', status: 'doing' as const, due: '2025-06-01', evidence: [], notes: '' },
        { id: 'm2', title: 'Two', status: 'done' as const, due: '2025-06-01', evidence: [], notes: '' },
        { id: 'm3', title: 'Three', status: 'todo' as const, evidence: [], notes: '' },
      ];
      const due = dueReminders({ ...state, milestones }, at('2025-06-02T00:00:00Z')).filter((x) => x.kind === 'milestone-overdue');
      expect(keys(due)).to.deep.equal(['milestone-overdue:room-1:m1:2025-06-01']);
      expect(cadenceMs('1w')).to.equal(7 * 86_400_000);
      expect(cadenceMs('1m')).to.equal(30 * 86_400_000);
      const cadence = (now: string) => dueReminders(state, at(now)).filter((x) => x.kind === 'cadence-checkin');
      expect(cadence('2025-06-12T11:59:00Z')).to.deep.equal([]);
      expect(cadence('2025-06-12T12:00:00Z').map((x) => x.key)).to.deep.equal(['cadence:room-1:2025-06-05T12:00:00.000Z']);
    });
  });

  describe('state-driven kinds', () => {
    it('never names the actor as recipient; contract-changed only for who had accepted the previous version', () => {
      const v1 = contract({ version: 1, acceptedBy: [MENTOR, MENTEE], updatedBy: MENTEE });
      const r = room({ contract: contract({ version: 2, acceptedBy: [], updatedBy: MENTEE }), contractHistory: [v1], stageHistory: [{ from: 'initiation', to: 'cultivation', by: MENTOR, at: '2025-03-02T00:00:00Z' }] });
      const intents = roomIntents(r);
      for (const i of intents) expect(i.userId).to.not.equal(i.actorId);
      expect(intents.map((i) => `${i.kind}:${i.userId}`).sort()).to.deep.equal([`contract-changed:${MENTOR}`, `request-accepted:${MENTEE}`, `stage-changed:${MENTEE}`]);
      const fresh = roomIntents(room({ contract: contract({ version: 1, updatedBy: MENTOR }) }));
      expect(fresh.filter((i) => i.kind.startsWith('contract')).map((i) => `${i.kind}:${i.userId}`)).to.deep.equal([`contract-waiting:${MENTEE}`]);
    });
  });

  describe('quiet hours and backoff', () => {
    it('holds a delivery inside quiet hours until their end in the user timezone, wrapping midnight', () => {
      const q = { start: '22:00', end: '07:00' };
      // 23:30 in Paris (UTC+2 in summer) = 21:30 UTC → until 07:00 Paris = 05:00 UTC.
      expect(quietUntil(at('2025-07-01T21:30:00Z'), 'Europe/Paris', q)?.toISOString()).to.equal('2025-07-02T05:00:00.000Z');
      expect(quietUntil(at('2025-07-01T10:00:00Z'), 'Europe/Paris', q)).to.equal(null);
      expect(quietUntil(at('2025-07-01T13:15:00Z'), 'UTC', { start: '13:00', end: '14:00' })?.toISOString()).to.equal('2025-07-01T14:00:00.000Z');
      expect(quietUntil(at('2025-07-01T13:15:00Z'), 'UTC', null)).to.equal(null);
    });

    it('backs off exponentially with jitter between half and all of the ceiling, capped at a day', () => {
      expect(retryDelayMs(1, 1000, 86_400_000, () => 0)).to.equal(500);
      expect(retryDelayMs(1, 1000, 86_400_000, () => 1)).to.equal(1000);
      expect(retryDelayMs(4, 1000, 86_400_000, () => 1)).to.equal(8000);
      expect(retryDelayMs(40, 1000, 86_400_000, () => 1)).to.equal(86_400_000);
      expect(retryDelayMs(40, 1000, 86_400_000, () => 0)).to.equal(43_200_000);
    });
  });
});
