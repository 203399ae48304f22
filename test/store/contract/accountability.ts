import { expect } from 'chai';
import { newId } from '../../../server/ids.js';
import type { Store } from '../../../server/store/port.js';
import type { ActionItem, Checkin, Meeting } from '../../../shared/types.js';
import { rejectsWith, type ContractContext } from './fixtures.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();

/** Check-ins, sessions and action items (issue 19): part of the one store contract (test/store/contract.ts). */
export const accountabilityContract = (ctx: ContractContext) =>
  describe('check-ins, sessions and action items', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    const checkin = (over: Partial<Checkin> = {}): Checkin => ({ id: newId(), roomId: 'r1', goalId: 'g1', authorId: 'u1', value: 3, createdAt: at(1), ...over });
    const meeting = (over: Partial<Meeting> = {}): Meeting => ({
      id: newId(),
      roomId: 'r1',
      startsAt: at(60),
      durationMin: 60,
      agenda: 'mock interview debrief',
      status: 'scheduled',
      notes: '',
      createdBy: 'u1',
      createdAt: at(0),
      updatedAt: at(0),
      rev: 1,
      ...over,
    });
    const item = (sessionId: string, over: Partial<ActionItem> = {}): ActionItem => ({
      id: newId(),
      roomId: 'r1',
      sessionId,
      title: 'send the CV',
      ownerId: 'u2',
      dueDate: '2026-01-08',
      status: 'open',
      createdAt: at(2),
      ...over,
    });

    it('stores check-ins with optional note and evidence, lists them per room oldest first, counts per goal', async () => {
      const later = checkin({ value: 6, note: 'done', threadId: 't1', entryId: 'e1', createdAt: at(5) });
      const first = checkin({ value: 1.5, createdAt: at(2) });
      await store.checkins.add(later);
      await store.checkins.add(first);
      await store.checkins.add(checkin({ roomId: 'r2' }));
      await store.checkins.add(checkin({ goalId: 'g2', createdAt: at(3) }));
      const listed = await store.checkins.listForRoom('r1');
      expect(listed.map((c) => c.id)).to.deep.equal([first.id, listed[1]!.id, later.id]);
      expect(listed[0]).to.deep.equal(first);
      expect(listed[2]).to.deep.equal(later);
      expect(await store.checkins.countForGoal('r1', 'g1')).to.equal(2);
      expect(await store.checkins.countForGoal('r1', 'nope')).to.equal(0);
      await rejectsWith(store.checkins.add(first), 'CONFLICT');
    });

    it('creates sessions, lists them by start time, and updates one by compare-and-set', async () => {
      const late = meeting({ startsAt: at(200) });
      const early = meeting({ startsAt: at(100) });
      await store.meetings.create(late);
      await store.meetings.create(early);
      await store.meetings.create(meeting({ roomId: 'r2' }));
      expect((await store.meetings.list('r1')).map((m) => m.id)).to.deep.equal([early.id, late.id]);
      expect(await store.meetings.count('r1')).to.equal(2);
      expect(await store.meetings.get('r1', early.id)).to.deep.equal(early);
      expect(await store.meetings.get('r2', early.id)).to.equal(null);

      const held = await store.meetings.update({ ...early, status: 'held', notes: 'went well', startsAt: at(300) }, 1);
      expect(held.rev).to.equal(2);
      expect(await store.meetings.get('r1', early.id)).to.deep.equal(held);
      expect((await store.meetings.list('r1')).map((m) => m.id)).to.deep.equal([late.id, early.id]);
      await rejectsWith(store.meetings.update({ ...early, notes: 'stale' }, 1), 'CONFLICT');
      await rejectsWith(store.meetings.update(meeting(), 1), 'NOT_FOUND');
      await rejectsWith(store.meetings.create(late), 'CONFLICT');
    });

    it('keeps action items per room, updates only their status, counts them per session', async () => {
      const s = meeting();
      await store.meetings.create(s);
      const a = item(s.id, { createdAt: at(3) });
      const b = item(s.id, { createdAt: at(2), goalId: 'g1' });
      await store.meetings.addItem(a);
      await store.meetings.addItem(b);
      await store.meetings.addItem(item('other', { roomId: 'r2' }));
      expect((await store.meetings.listItems('r1')).map((i) => i.id)).to.deep.equal([b.id, a.id]);
      expect(await store.meetings.countItems('r1', s.id)).to.equal(2);

      const done = await store.meetings.updateItem({ ...a, status: 'done', doneAt: at(9), title: 'ignored' });
      expect(done).to.deep.equal({ ...a, status: 'done', doneAt: at(9) });
      expect(await store.meetings.getItem('r1', a.id)).to.deep.equal(done);
      const reopened = await store.meetings.updateItem({ ...a, status: 'open' });
      expect(reopened).to.deep.equal(a);
      expect(await store.meetings.getItem('r2', a.id)).to.equal(null);
      await rejectsWith(store.meetings.updateItem(item(s.id)), 'NOT_FOUND');
      await rejectsWith(store.meetings.addItem(a), 'CONFLICT');
    });

    it('keeps all of it across a reopen', async function () {
      if (!ctx.opened.reopen) this.skip();
      const c = checkin();
      const s = meeting();
      const i = item(s.id);
      await store.checkins.add(c);
      await store.meetings.create(s);
      await store.meetings.addItem(i);
      store = await ctx.opened.reopen!();
      ctx.store = store;
      expect(await store.checkins.listForRoom('r1')).to.deep.equal([c]);
      expect(await store.meetings.list('r1')).to.deep.equal([s]);
      expect(await store.meetings.listItems('r1')).to.deep.equal([i]);
    });
  });
