import { expect } from 'chai';
import { nowIso } from '../../../server/ids.js';
import type { Store } from '../../../server/store/port.js';
import type { Room } from '../../../shared/types.js';
import { rejectsWith, sampleRoom, sampleUser, type ContractContext } from './fixtures.js';

/** Users, rooms and messages: part of the one store contract (test/store/contract.ts). */
export function coreContract(ctx: ContractContext): void {
  describe('core', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    describe('users', () => {
      it('finds a user by id and by email in any case', async () => {
        const user = await store.users.create(sampleUser({ email: 'Ada@Example.test' }));
        expect((await store.users.get(user.id))?.email).to.equal('ada@example.test');
        expect((await store.users.getByEmail('ADA@example.TEST'))?.id).to.equal(user.id);
        expect(await store.users.get('nobody')).to.equal(null);
      });

      it('refuses a second account for the same email, whatever its case', async () => {
        await store.users.create(sampleUser({ email: 'same@example.test' }));
        await rejectsWith(store.users.create(sampleUser({ email: 'SAME@example.test' })), 'CONFLICT');
      });

      it('replaces the profile and display name', async () => {
        const user = await store.users.create(sampleUser());
        const profile = { bio: 'Engineering leader', expertise: ['leadership'], mentoring: true, timezone: 'Europe/Paris' };
        const updated = await store.users.updateProfile(user.id, 'Ada L.', profile);
        expect(updated?.displayName).to.equal('Ada L.');
        expect((await store.users.get(user.id))?.profile).to.deep.equal(profile);
        expect(await store.users.updateProfile('nobody', 'x', profile)).to.equal(null);
      });
      it('replaces a password hash, and erases a user in place (id kept, email free again)', async () => {
        const user = await store.users.create(sampleUser({ email: 'gone@example.test', displayName: 'Gone' }));
        expect(await store.users.setPasswordHash(user.id, 'scrypt$new')).to.equal(true);
        expect((await store.users.get(user.id))?.passwordHash).to.equal('scrypt$new');
        expect(await store.users.setPasswordHash('nobody', 'x')).to.equal(false);
        const placeholder = { email: `deleted-${user.id}@deleted.invalid`, displayName: 'Deleted user', passwordHash: '!', profile: { bio: '', expertise: [], mentoring: false, timezone: 'UTC' } };
        expect(await store.users.erase(user.id, placeholder)).to.equal(true);
        expect(await store.users.get(user.id)).to.deep.include({ id: user.id, displayName: 'Deleted user', email: placeholder.email.toLowerCase(), passwordHash: '!' });
        expect(await store.users.getByEmail('gone@example.test')).to.equal(null);
        await store.users.create(sampleUser({ email: 'gone@example.test' }));
        expect(await store.users.erase('nobody', placeholder)).to.equal(false);
      });
    });

    describe('rooms', () => {
      it('stores a room and lists it for both members only', async () => {
        const room = await store.rooms.create(sampleRoom({ mentorId: 'm', menteeId: 'e' }));
        expect(await store.rooms.get(room.id)).to.deep.include({ id: room.id, mentorId: 'm', menteeId: 'e', lastSeq: 0 });
        expect((await store.rooms.listForMember('m')).map((r) => r.room.id)).to.deep.equal([room.id]);
        expect((await store.rooms.listForMember('e')).map((r) => r.room.id)).to.deep.equal([room.id]);
        expect(await store.rooms.listForMember('stranger')).to.deep.equal([]);
      });

      it('reads a room\'s members and status only through access, and null for an unknown room', async () => {
        const room = await store.rooms.create(sampleRoom({ mentorId: 'm', menteeId: 'e', status: 'pending' }));
        expect(await store.rooms.access(room.id)).to.deep.equal({ id: room.id, mentorId: 'm', menteeId: 'e', status: 'pending' });
        await store.rooms.update({ ...room, status: 'active' }, room.rev);
        expect((await store.rooms.access(room.id))?.status).to.equal('active');
        expect(await store.rooms.access('nope')).to.equal(null);
      });

      it('refuses a create past openRequestLimit pending requests of the requester, also when they race', async () => {
        const pending = (mentorId: string) => sampleRoom({ mentorId, menteeId: 'asker', requestedBy: 'asker', status: 'pending' });
        // Another user's pending requests and the asker's answered ones do not count.
        await store.rooms.create(sampleRoom({ mentorId: 'asker', menteeId: 'x', requestedBy: 'x', status: 'pending' }));
        await store.rooms.create(sampleRoom({ mentorId: 'y', menteeId: 'asker', requestedBy: 'asker', status: 'active' }));
        const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.rooms.create(pending(`m${i}`), { openRequestLimit: 3 })));
        expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(3);
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(refused).to.have.length(5);
        for (const r of refused) expect(r.reason).to.deep.include({ code: 'GUARD_FAILED', details: { guard: 'open-requests', limit: 3 } });
        const mine = (await store.rooms.listForMember('asker')).filter((r) => r.room.status === 'pending' && r.room.requestedBy === 'asker');
        expect(mine).to.have.length(3);
        await rejectsWith(store.rooms.create(pending('late'), { openRequestLimit: 3 }), 'GUARD_FAILED');
        // Without the option nothing is counted.
        await store.rooms.create(pending('free'));
      });

      it('openSince leaves older pending requests (expired, issue 19) out of the count', async () => {
        const pending = (mentorId: string, createdAt: string) => sampleRoom({ mentorId, menteeId: 'asker', requestedBy: 'asker', status: 'pending', createdAt });
        await store.rooms.create(pending('old1', '2026-01-01T00:00:00.000Z'));
        await store.rooms.create(pending('old2', '2026-01-02T00:00:00.000Z'));
        await store.rooms.create(pending('new1', '2026-02-01T00:00:00.000Z'));
        const since = '2026-01-15T00:00:00.000Z';
        await store.rooms.create(pending('new2', '2026-02-02T00:00:00.000Z'), { openRequestLimit: 2, openSince: since });
        await rejectsWith(store.rooms.create(pending('new3', '2026-02-03T00:00:00.000Z'), { openRequestLimit: 2, openSince: since }), 'GUARD_FAILED');
      });

      it('updates with compare-and-set on rev and refuses a stale rev', async () => {
        const room = await store.rooms.create(sampleRoom());
        const { room: next } = await store.rooms.update({ ...room, stage: 'cultivation' }, room.rev);
        expect(next.stage).to.equal('cultivation');
        expect(next.rev).to.equal(room.rev + 1);
        await rejectsWith(store.rooms.update({ ...room, stage: 'separation' }, room.rev), 'CONFLICT');
        expect((await store.rooms.get(room.id))?.stage).to.equal('cultivation');
        await rejectsWith(store.rooms.update(sampleRoom(), 1), 'NOT_FOUND');
      });

      it('writes a system message in the same transaction as the room change', async () => {
        const room = await store.rooms.create(sampleRoom());
        const { room: next, message } = await store.rooms.update({ ...room, stage: 'cultivation' }, room.rev, {
          authorId: room.mentorId,
          clientMsgId: 'stage:1',
          body: 'Stage: Cultivation',
          createdAt: '2026-01-02T03:04:05.000Z',
        });
        expect(message).to.include({ seq: 1, kind: 'system', body: 'Stage: Cultivation', createdAt: '2026-01-02T03:04:05.000Z' });
        expect(next.lastSeq).to.equal(1);
        // A refused update leaves no message behind.
        await rejectsWith(store.rooms.update({ ...room }, room.rev, { authorId: room.mentorId, clientMsgId: 'stage:2', body: 'x', createdAt: nowIso() }), 'CONFLICT');
        expect((await store.messages.history(room.id, { after: 0, limit: 10 })).messages).to.have.length(1);
      });

      it('lists a member\'s rooms with the read marker and the last message', async () => {
        const room = await store.rooms.create(sampleRoom({ mentorId: 'm', menteeId: 'e' }));
        await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'm', clientMsgId: 'a', kind: 'text', body: 'one' });
        await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'm', clientMsgId: 'b', kind: 'text', body: 'two' });
        await store.messages.markRead(room.id, 'e', 1);
        const [entry] = await store.rooms.listForMember('e');
        expect(entry?.readSeq).to.equal(1);
        expect(entry?.room.lastSeq).to.equal(2);
        expect(entry?.lastMessage?.body).to.equal('two');
      });
    });

    describe('messages', () => {
      let room: Room;
      beforeEach(async () => {
        room = await store.rooms.create(sampleRoom());
      });
      const send = (clientMsgId: string, body = clientMsgId, authorId = 'mentor-1') =>
        store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId, clientMsgId, kind: 'text', body });

      it('allocates gapless seqs 1, 2, 3 … under concurrent appends', async () => {
        const results = await Promise.all(Array.from({ length: 300 }, (_, i) => send(`c${i}`)));
        expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 300 }, (_, i) => i + 1));
        expect((await store.rooms.get(room.id))?.lastSeq).to.equal(300);
      });

      it('returns the stored message on a resend with the same clientMsgId', async () => {
        const first = await send('same', 'hello');
        const again = await send('same', 'hello (edited by a buggy client)');
        expect(first.created).to.equal(true);
        expect(again.created).to.equal(false);
        expect(again.message).to.deep.equal(first.message);
        expect((await store.rooms.get(room.id))?.lastSeq).to.equal(1);
      });

      it('keeps clientMsgIds of different authors apart', async () => {
        const a = await send('x', 'from mentor', 'mentor-1');
        const b = await send('x', 'from mentee', 'mentee-1');
        expect(b.created).to.equal(true);
        expect(b.message.seq).to.equal(a.message.seq + 1);
      });

      it('refuses an unknown room and a reply to a message of another room without using a seq', async () => {
        await rejectsWith(store.messages.append({ createdAt: nowIso(), roomId: 'nope', authorId: 'a', clientMsgId: 'c', kind: 'text', body: 'b' }), 'NOT_FOUND');
        const other = await store.rooms.create(sampleRoom());
        const foreign = await store.messages.append({ createdAt: nowIso(), roomId: other.id, authorId: 'a', clientMsgId: 'c', kind: 'text', body: 'b' });
        await rejectsWith(
          store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'a', clientMsgId: 'd', kind: 'text', body: 'b', replyTo: foreign.message.id }),
          'INVALID_INPUT',
        );
        expect((await send('ok')).message.seq).to.equal(1);
      });

      it('pages history forward, backward and latest, always ascending, with hasMore', async () => {
        for (let i = 1; i <= 10; i++) await send(`m${i}`);
        const seqs = (p: { messages: { seq: number }[] }) => p.messages.map((m) => m.seq);
        const forward = await store.messages.history(room.id, { after: 3, limit: 4 });
        expect(seqs(forward)).to.deep.equal([4, 5, 6, 7]);
        expect(forward.hasMore).to.equal(true);
        const end = await store.messages.history(room.id, { after: 7, limit: 4 });
        expect(seqs(end)).to.deep.equal([8, 9, 10]);
        expect(end.hasMore).to.equal(false);
        const back = await store.messages.history(room.id, { before: 5, limit: 3 });
        expect(seqs(back)).to.deep.equal([2, 3, 4]);
        expect(back.hasMore).to.equal(true);
        const latest = await store.messages.history(room.id, { latest: true, limit: 3 });
        expect(seqs(latest)).to.deep.equal([8, 9, 10]);
        const window = await store.messages.history(room.id, { after: 2, before: 6, limit: 10 });
        expect(seqs(window)).to.deep.equal([3, 4, 5]);
        expect(window.hasMore).to.equal(false);
      });

      it('edits, tombstones and keeps the seq of a deleted message', async () => {
        const { message } = await send('e', 'first');
        const edited = await store.messages.edit(room.id, message.id, 'second', nowIso());
        expect(edited?.body).to.equal('second');
        expect(edited?.editedAt).to.be.a('string');
        const removed = await store.messages.remove(room.id, message.id, nowIso());
        expect(removed).to.include({ body: '', seq: message.seq });
        expect(removed?.deletedAt).to.be.a('string');
        expect(await store.messages.edit(room.id, 'missing', 'x', nowIso())).to.equal(null);
        expect(await store.messages.get(room.id, message.id)).to.deep.equal(removed);
      });

      it('refuses to edit or react to a deleted message with CONFLICT and leaves the tombstone as it is', async () => {
        const { message } = await send('t', 'secret');
        const removed = await store.messages.remove(room.id, message.id, nowIso());
        await rejectsWith(store.messages.edit(room.id, message.id, 'secret again', nowIso()), 'CONFLICT');
        await rejectsWith(store.messages.react(room.id, message.id, 'u1', '👍', true, 5), 'CONFLICT');
        expect(await store.messages.get(room.id, message.id)).to.deep.equal(removed);
      });

      it('refuses a clientMsgId already held by a message of another kind', async () => {
        await send('k', 'a chat message');
        await rejectsWith(store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'mentor-1', clientMsgId: 'k', kind: 'system', body: 'x' }), 'CONFLICT');
      });

      it('toggles reactions per user and caps distinct emoji', async () => {
        const { message } = await send('r');
        await store.messages.react(room.id, message.id, 'u1', '👍', true, 2);
        await store.messages.react(room.id, message.id, 'u2', '👍', true, 2);
        await store.messages.react(room.id, message.id, 'u1', '🎉', true, 2);
        await rejectsWith(store.messages.react(room.id, message.id, 'u1', '🚀', true, 2), 'INVALID_INPUT');
        const after = await store.messages.react(room.id, message.id, 'u1', '👍', false, 2);
        expect(after?.reactions).to.deep.equal({ '👍': ['u2'], '🎉': ['u1'] });
        expect((await store.messages.get(room.id, message.id))?.reactions).to.deep.equal(after?.reactions);
      });

      it('moves read markers forward only and never past the last seq', async () => {
        for (let i = 0; i < 5; i++) await send(`k${i}`);
        expect(await store.messages.markRead(room.id, 'mentee-1', 3)).to.equal(3);
        expect(await store.messages.markRead(room.id, 'mentee-1', 2)).to.equal(3);
        expect(await store.messages.markRead(room.id, 'mentee-1', 99)).to.equal(5);
        expect(await store.messages.readMarker(room.id, 'mentee-1')).to.equal(5);
        expect(await store.messages.readMarker(room.id, 'someone')).to.equal(0);
      });

      it('moves the author\'s read marker to their own new message', async () => {
        await send('own', 'mine', 'mentee-1');
        expect(await store.messages.readMarker(room.id, 'mentee-1')).to.equal(1);
      });
    });

    describe('ping and reopen', () => {
      it('answers ping while open', async () => {
        await store.ping();
      });

      it('keeps users, rooms, messages and seqs across a close and reopen', async function () {
        if (!ctx.opened.reopen) this.skip();
        const user = await store.users.create(sampleUser({ email: 'kept@example.test' }));
        const room = await store.rooms.create(sampleRoom());
        await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'mentor-1', clientMsgId: 'a', kind: 'text', body: 'one' });
        store = ctx.store = await ctx.opened.reopen!();
        expect((await store.users.getByEmail('KEPT@example.test'))?.id).to.equal(user.id);
        const next = await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'mentor-1', clientMsgId: 'b', kind: 'text', body: 'two' });
        expect(next.message.seq).to.equal(2);
        const again = await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'mentor-1', clientMsgId: 'a', kind: 'text', body: 'one' });
        expect(again).to.deep.include({ created: false });
        expect(again.message.seq).to.equal(1);
      });
    });
  });
}
