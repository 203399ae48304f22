import { expect } from 'chai';
import { newId } from '../../../server/ids.js';
import type { NewNotification } from '../../../server/store/notifications.js';
import type { Store } from '../../../server/store/port.js';
import { rejectsWith, sampleRoom, type ContractContext } from './fixtures.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();

const note = (over: Partial<NewNotification> = {}): NewNotification => ({
  id: newId(),
  userId: 'u1',
  kind: 'request-received',
  key: `request:${newId()}`,
  actorId: 'u2',
  data: { roomId: 'r1', focus: 'Leadership' },
  createdAt: at(0),
  readAt: null,
  ...over,
});

/** Inbox, preferences, reminder claims and the webhook outbox: part of the one store contract. */
export const notificationsContract = (ctx: ContractContext) =>
  describe('notifications', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('addOnce stores a key once per user: a second add returns the first entry, another user gets their own', async () => {
      const first = await store.notifications.addOnce(note({ key: 'k1' }));
      const again = await store.notifications.addOnce(note({ key: 'k1', data: { roomId: 'r2', focus: 'x' } }));
      const other = await store.notifications.addOnce(note({ key: 'k1', userId: 'u2' }));
      expect(first.created).to.equal(true);
      expect(again.created).to.equal(false);
      expect(again.notification.id).to.equal(first.notification.id);
      expect(again.notification.data).to.deep.equal({ roomId: 'r1', focus: 'Leadership' });
      expect(other.created).to.equal(true);
      expect(await store.notifications.unreadCount('u1')).to.equal(1);
    });

    it('bump coalesces: one unread entry per key counts each new seq once; replays do not count; after reading, a new entry starts', async () => {
      for (let seq = 1; seq <= 5; seq++) await store.notifications.bump(note({ key: 'message:r1', kind: 'message', createdAt: at(seq), data: { excerpt: `m${seq}` } }), seq);
      const replay = await store.notifications.bump(note({ key: 'message:r1', kind: 'message', createdAt: at(9) }), 3);
      expect(replay.changed).to.equal(false);
      const page = await store.notifications.list('u1', { limit: 10 });
      expect(page.notifications).to.have.length(1);
      expect(page.notifications[0]).to.include({ count: 5, seq: 5, updatedAt: at(5), createdAt: at(1) });
      expect(page.notifications[0]!.data).to.deep.equal({ excerpt: 'm5' });
      // Reading the room up to seq 4 does not clear an entry that counts seq 5.
      expect(await store.notifications.markReadByKey('u1', 'message:r1', 4, at(10))).to.deep.equal([]);
      expect(await store.notifications.markReadByKey('u1', 'message:r1', 5, at(10))).to.deep.equal([page.notifications[0]!.id]);
      const next = await store.notifications.bump(note({ key: 'message:r1', kind: 'message', createdAt: at(11) }), 6);
      expect(next.changed).to.equal(true);
      expect(next.notification.id).to.not.equal(page.notifications[0]!.id);
      expect(next.notification.count).to.equal(1);
      expect(await store.notifications.unreadCount('u1')).to.equal(1);
    });

    it('lists newest first in cursor pages without overlap; unreadOnly filters; a bad cursor is INVALID_INPUT', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await store.notifications.addOnce(note({ createdAt: at(i) }))).notification.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store.notifications.list('u1', { limit: 3, ...(cursor && { cursor }) });
        seen.push(...page.notifications.map((n) => n.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).to.deep.equal([...ids].reverse());
      await store.notifications.markRead('u1', [ids[6]!, ids[5]!], at(20));
      const unread = await store.notifications.list('u1', { limit: 10, unreadOnly: true });
      expect(unread.notifications.map((n) => n.id)).to.deep.equal(ids.slice(0, 5).reverse());
      await rejectsWith(store.notifications.list('u1', { limit: 3, cursor: 'not-a-cursor' }), 'INVALID_INPUT');
    });

    it("markRead touches only the user's own unread entries; markAllRead returns what it read", async () => {
      const mine = (await store.notifications.addOnce(note())).notification;
      const theirs = (await store.notifications.addOnce(note({ userId: 'u2' }))).notification;
      await store.notifications.addOnce(note());
      expect(await store.notifications.markRead('u1', [mine.id, theirs.id], at(1))).to.deep.equal([mine.id]);
      expect(await store.notifications.markRead('u1', [mine.id], at(2))).to.deep.equal([]);
      expect(await store.notifications.unreadCount('u2')).to.equal(1);
      expect(await store.notifications.markAllRead('u1', at(3))).to.have.length(1);
      expect(await store.notifications.unreadCount('u1')).to.equal(0);
      const read = (await store.notifications.list('u1', { limit: 5 })).notifications.find((n) => n.id === mine.id)!;
      expect(read.readAt).to.equal(at(1));
    });

    it("deleteAllForUser removes the user's entries and preferences, nobody else's", async () => {
      await store.notifications.addOnce(note());
      await store.notifications.addOnce(note({ userId: 'u2' }));
      await store.notifications.setPrefs('u1', { kinds: {}, quietHours: { start: '22:00', end: '07:00' } });
      await store.notifications.deleteAllForUser('u1');
      expect((await store.notifications.list('u1', { limit: 5 })).notifications).to.deep.equal([]);
      expect(await store.notifications.prefs('u1')).to.deep.equal({ kinds: {}, quietHours: null });
      expect(await store.notifications.unreadCount('u2')).to.equal(1);
    });

    it('preferences default to empty and round-trip', async () => {
      expect(await store.notifications.prefs('u1')).to.deep.equal({ kinds: {}, quietHours: null });
      const prefs = { kinds: { message: { inApp: true, webhook: false } }, quietHours: { start: '22:00', end: '07:00' } };
      await store.notifications.setPrefs('u1', prefs);
      expect(await store.notifications.prefs('u1')).to.deep.equal(prefs);
      await store.notifications.setPrefs('u1', { kinds: {}, quietHours: null });
      expect(await store.notifications.prefs('u1')).to.deep.equal({ kinds: {}, quietHours: null });
    });

    describe('reminders', () => {
      const reminder = (key: string, dueAt = at(0)) => ({ id: newId(), key, kind: 'review-in-7d', roomId: 'r1', userIds: ['u1', 'u2'], data: { reviewAt: '2026-01-08' }, dueAt });

      it('enqueues a key once, even when computed twice', async () => {
        expect(await store.reminders.enqueue([reminder('a'), reminder('b')])).to.equal(2);
        expect(await store.reminders.enqueue([reminder('a'), reminder('c')])).to.equal(1);
        expect((await store.reminders.forRoom('r1')).map((r) => r.key).sort()).to.deep.equal(['a', 'b', 'c']);
      });

      it('a claim holds a reminder until its lease ends; then another node takes it over, and only the holder finishes it', async () => {
        await store.reminders.enqueue([reminder('a', at(0)), reminder('later', at(30))]);
        const first = await store.reminders.claim('n1', at(1), at(5), 10);
        expect(first.map((r) => r.key)).to.deep.equal(['a']);
        expect(first[0]).to.include({ state: 'claimed', claimedBy: 'n1', attempts: 1 });
        expect(first[0]!.userIds).to.deep.equal(['u1', 'u2']);
        expect(await store.reminders.claim('n2', at(2), at(6), 10)).to.deep.equal([]);
        const taken = await store.reminders.claim('n2', at(6), at(10), 10);
        expect(taken.map((r) => [r.key, r.claimedBy, r.attempts])).to.deep.equal([['a', 'n2', 2]]);
        expect(await store.reminders.finish(first[0]!.id, 'n1', 'done', at(7))).to.equal(false);
        expect(await store.reminders.finish(first[0]!.id, 'n2', 'done', at(7))).to.equal(true);
        expect(await store.reminders.claim('n3', at(20), at(25), 10)).to.deep.equal([]);
        expect((await store.reminders.forRoom('r1')).find((r) => r.key === 'a')).to.include({ state: 'done', finishedAt: at(7) });
      });

      it('concurrent claims from two nodes never hand out the same reminder', async () => {
        await store.reminders.enqueue(Array.from({ length: 20 }, (_, i) => reminder(`k${i}`)));
        const [a, b] = await Promise.all([store.reminders.claim('n1', at(1), at(9), 15), store.reminders.claim('n2', at(1), at(9), 15)]);
        const keys = [...a, ...b].map((r) => r.key);
        expect(keys).to.have.length(20);
        expect(new Set(keys).size).to.equal(20);
      });
    });

    describe('webhook outbox', () => {
      const entry = (id = newId()) => ({ id, userId: 'u1', body: '{"type":"notification"}', createdAt: at(0), nextAttemptAt: at(0) });

      it('enqueues an id once and keeps the exact body', async () => {
        expect(await store.outbox.enqueue(entry('k1'))).to.equal(true);
        expect(await store.outbox.enqueue({ ...entry('k1'), body: 'other' })).to.equal(false);
        expect(await store.outbox.get('k1')).to.include({ body: '{"type":"notification"}', state: 'pending', attempts: 0 });
      });

      it('claims due entries with a lease; a retry waits for its time; delivered entries are never claimed again', async () => {
        await store.outbox.enqueue(entry('k1'));
        const [claimed] = await store.outbox.claim('n1', at(1), at(3), 10);
        expect(claimed).to.include({ id: 'k1', attempts: 1, claimedBy: 'n1' });
        expect(await store.outbox.claim('n2', at(2), at(4), 10)).to.deep.equal([]);
        expect(await store.outbox.settle('k1', 'n1', { kind: 'retry', nextAttemptAt: at(10), error: 'HTTP 503' })).to.equal(true);
        expect(await store.outbox.claim('n2', at(5), at(7), 10)).to.deep.equal([]);
        const [again] = await store.outbox.claim('n2', at(10), at(12), 10);
        expect(again).to.include({ id: 'k1', attempts: 2, lastError: 'HTTP 503' });
        expect(await store.outbox.settle('k1', 'n1', { kind: 'delivered', at: at(11) })).to.equal(false);
        expect(await store.outbox.settle('k1', 'n2', { kind: 'delivered', at: at(11) })).to.equal(true);
        expect(await store.outbox.claim('n3', at(100), at(102), 10)).to.deep.equal([]);
        expect(await store.outbox.get('k1')).to.include({ state: 'delivered', deliveredAt: at(11) });
      });

      it("an expired lease (a crashed holder) is claimed by another node", async () => {
        await store.outbox.enqueue(entry('k1'));
        await store.outbox.claim('n1', at(1), at(3), 10);
        expect((await store.outbox.claim('n2', at(4), at(6), 10)).map((e) => e.id)).to.deep.equal(['k1']);
      });
    });

    it('listActive pages the active rooms in id order', async () => {
      const rooms = [];
      for (let i = 0; i < 5; i++) rooms.push(await store.rooms.create(sampleRoom({ status: i === 2 ? 'pending' : 'active' })));
      const active = rooms.filter((r) => r.status === 'active').map((r) => r.id).sort();
      const first = await store.rooms.listActive(null, 2);
      const rest = await store.rooms.listActive(first.at(-1)!.id, 10);
      expect([...first, ...rest].map((r) => r.id)).to.deep.equal(active);
    });

    it('listPending pages the pending rooms created in [from, until) in id order', async () => {
      const day = (d: number) => new Date(Date.UTC(2026, 0, d)).toISOString();
      const made = [];
      for (const [d, status] of [[1, 'pending'], [2, 'pending'], [3, 'pending'], [3, 'active'], [4, 'pending'], [5, 'pending'], [2, 'declined']] as const) {
        made.push(await store.rooms.create(sampleRoom({ status, createdAt: day(d), updatedAt: day(d) })));
      }
      // Days 2..4 (day 5 is the exclusive end), pending only.
      const want = made.filter((r) => r.status === 'pending' && r.createdAt >= day(2) && r.createdAt < day(5)).map((r) => r.id).sort();
      expect(want).to.have.length(3);
      const first = await store.rooms.listPending(day(2), day(5), null, 2);
      const rest = await store.rooms.listPending(day(2), day(5), first.at(-1)!.id, 10);
      expect(first).to.have.length(2);
      expect([...first, ...rest].map((r) => r.id)).to.deep.equal(want);
      expect((await store.rooms.listPending(day(6), day(9), null, 10))).to.deep.equal([]);
    });
  });
