import { expect } from 'chai';
import { isAppError } from '../../../shared/errors.js';
import type { EntryKind, ThreadVisibility } from '../../../shared/types.js';
import { newId, nowIso } from '../../../server/ids.js';
import type { Store } from '../../../server/store/port.js';
import type { ContractContext } from './fixtures.js';

/** Resolves with the AppError code a promise rejects with (or null when it resolves). */
async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return isAppError(err) ? err.code : `unexpected: ${String(err)}`;
  }
}

/** The ThreadStore: part of the one store contract (test/store/contract.ts). */
export const threadsContract = (ctx: ContractContext) =>
  describe('threads', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    const thread = (visibility: ThreadVisibility, opts: { ownerId?: string; roomId?: string } = {}) =>
      store.threads.createThread({
        id: newId(),
        ownerId: opts.ownerId ?? 'owner',
        ...(opts.roomId !== undefined ? { roomId: opts.roomId } : {}),
        title: `${visibility} thread`,
        visibility,
        createdAt: nowIso(),
      });
    const entry = (threadId: string, body: string, extra: { kind?: EntryKind; milestoneId?: string; goalId?: string } = {}) =>
      store.threads.addEntry({ id: newId(), threadId, kind: extra.kind ?? 'note', body, createdAt: nowIso(), ...extra });
    const comment = (threadId: string, entryId: string, body: string, authorId = 'mentor') =>
      store.threads.addComment({ id: newId(), threadId, entryId, authorId, body, createdAt: nowIso() });
    /** Every feed entry id, newest first, paging `limit` at a time. */
    const wholeFeed = async (limit: number) => {
      const ids: string[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await store.threads.feed({ ...(before !== undefined ? { before } : {}), limit });
        ids.push(...page.items.map((i) => i.entry.id));
        if (page.next === null) return ids;
        before = page.next;
      }
    };

    it('stores a thread without a room as one with no roomId, and counts its entries', async () => {
      const t = await thread('public');
      expect(t).to.not.have.property('roomId');
      await entry(t.id, 'one');
      await entry(t.id, 'two');
      const read = await store.threads.getThread(t.id);
      expect(read).to.include({ id: t.id, ownerId: 'owner', visibility: 'public', entryCount: 2 });
      expect(await store.threads.getThread('missing')).to.equal(null);
    });

    it('pages the feed newest first, every public entry exactly once, and never private or room ones', async () => {
      const pub = await thread('public');
      const other = await thread('public', { ownerId: 'someone' });
      const room = await thread('room', { roomId: 'r1' });
      const priv = await thread('private');
      const expected: string[] = [];
      for (let i = 0; i < 25; i++) {
        expected.push((await entry(i % 2 ? pub.id : other.id, `public ${i}`)).id);
        await entry(room.id, `room ${i}`);
        await entry(priv.id, `private ${i}`);
      }
      expect(await wholeFeed(4)).to.deep.equal(expected.reverse());
    });

    it('entries added while a reader pages do not shift the pages it has not read yet', async () => {
      const t = await thread('public');
      const before: string[] = [];
      for (let i = 0; i < 10; i++) before.push((await entry(t.id, `old ${i}`)).id);
      const first = await store.threads.feed({ limit: 3 });
      for (let i = 0; i < 5; i++) await entry(t.id, `new ${i}`);
      const rest = await store.threads.feed({ before: first.next!, limit: 100 });
      expect([...first.items, ...rest.items].map((i) => i.entry.id)).to.deep.equal(before.reverse());
    });

    it('gives concurrent entries distinct positions in the order their writes resolved', async () => {
      const t = await thread('public');
      const resolved: string[] = [];
      await Promise.all(Array.from({ length: 50 }, (_, i) => entry(t.id, `burst ${i}`).then((e) => resolved.push(e.id))));
      expect(await wholeFeed(7)).to.deep.equal([...resolved].reverse());
    });

    it('drops deleted entries and entries of threads that are no longer public from the feed', async () => {
      const stays = await thread('public');
      const goesRoom = await thread('public', { roomId: 'r1' });
      const kept = await entry(stays.id, 'kept');
      const removed = await entry(stays.id, 'removed');
      await entry(goesRoom.id, 'hidden later');
      expect(await store.threads.deleteEntry(stays.id, removed.id)).to.include({ id: removed.id });
      await store.threads.updateThread(goesRoom.id, { visibility: 'room', updatedAt: nowIso() });
      expect(await wholeFeed(10)).to.deep.equal([kept.id]);
      await store.threads.updateThread(goesRoom.id, { visibility: 'public', updatedAt: nowIso() });
      expect(await wholeFeed(10)).to.have.length(2);
    });

    it('refuses an entry for a missing thread and a milestone on a private thread, storing nothing', async () => {
      const priv = await thread('private', { roomId: 'r1' });
      expect(await codeOf(entry('missing', 'x'))).to.equal('NOT_FOUND');
      expect(await codeOf(entry(priv.id, 'evidence', { milestoneId: 'm1' }))).to.equal('INVALID_INPUT');
      expect((await store.threads.entries(priv.id, { after: 0, limit: 10 })).items).to.deep.equal([]);
    });

    it('refuses to make private a thread whose entries are milestone evidence, until they are unlinked', async () => {
      const t = await thread('room', { roomId: 'r1' });
      const linked = await entry(t.id, 'evidence', { milestoneId: 'm1' });
      expect(await codeOf(store.threads.updateThread(t.id, { visibility: 'private', updatedAt: nowIso() }))).to.equal('GUARD_FAILED');
      expect((await store.threads.getThread(t.id))!.visibility).to.equal('room');
      await store.threads.updateEntry(t.id, linked.id, { milestoneId: null, editedAt: nowIso() });
      expect(await store.threads.updateThread(t.id, { visibility: 'private', updatedAt: nowIso() })).to.include({ visibility: 'private' });
    });

    it('updates an entry field by field: absent keeps, null clears, a null editedAt restores a never-edited entry', async () => {
      const t = await thread('room', { roomId: 'r1' });
      const e = await entry(t.id, 'first', { milestoneId: 'm1', goalId: 'g1' });
      const edited = await store.threads.updateEntry(t.id, e.id, { body: 'second', goalId: null, editedAt: '2030-01-01T00:00:00.000Z' });
      expect(edited).to.include({ body: 'second', kind: 'note', milestoneId: 'm1', editedAt: '2030-01-01T00:00:00.000Z' });
      expect(edited).to.not.have.property('goalId');
      const restored = await store.threads.updateEntry(t.id, e.id, { body: 'first', goalId: 'g1', editedAt: null });
      expect(restored).to.include({ body: 'first', goalId: 'g1' });
      expect(restored).to.not.have.property('editedAt');
      expect(await store.threads.updateEntry(t.id, 'missing', { body: 'x', editedAt: nowIso() })).to.equal(null);
    });

    it("pages a thread's entries oldest first, each with its own comments in order", async () => {
      const t = await thread('public');
      const entries = [];
      for (let i = 0; i < 5; i++) entries.push(await entry(t.id, `entry ${i}`));
      await comment(t.id, entries[1]!.id, 'a');
      await comment(t.id, entries[3]!.id, 'b');
      await comment(t.id, entries[1]!.id, 'c');
      const first = await store.threads.entries(t.id, { after: 0, limit: 2 });
      const second = await store.threads.entries(t.id, { after: first.last!, limit: 2 });
      const third = await store.threads.entries(t.id, { after: second.last!, limit: 2 });
      expect([...first.items, ...second.items, ...third.items].map((e) => e.body)).to.deep.equal(entries.map((e) => e.body));
      expect([first.hasMore, second.hasMore, third.hasMore]).to.deep.equal([true, true, false]);
      // Resuming from the end later returns exactly what was added since.
      const added = await entry(t.id, 'entry 5');
      const resumed = await store.threads.entries(t.id, { after: third.last!, limit: 2 });
      expect(resumed.items.map((e) => e.id)).to.deep.equal([added.id]);
      expect((await store.threads.entries(t.id, { after: resumed.last!, limit: 2 })).items).to.deep.equal([]);
      expect(first.items[1]!.comments.map((c) => c.body)).to.deep.equal(['a', 'c']);
      expect(second.items[1]!.comments.map((c) => c.body)).to.deep.equal(['b']);
      expect(first.items[0]!.comments).to.deep.equal([]);
    });

    it("inlines an entry's latest comments with its count, and pages the older ones back exactly once", async () => {
      const t = await thread('public');
      const e = await entry(t.id, 'busy');
      const other = await entry(t.id, 'quiet');
      for (let i = 0; i < 7; i++) await comment(t.id, e.id, `c${i}`);
      await comment(t.id, other.id, 'only');
      const page = await store.threads.entries(t.id, { after: 0, limit: 10, inline: 3 });
      const [busy, quiet] = page.items;
      expect(busy!.comments.map((c) => c.body)).to.deep.equal(['c4', 'c5', 'c6']);
      expect(busy!.commentCount).to.equal(7);
      expect(busy!.commentsCursor).to.be.a('string');
      expect(quiet).to.deep.include({ commentCount: 1 });
      expect(quiet).to.not.have.property('commentsCursor');
      // Without `inline`, every comment (the account export relies on it).
      expect((await store.threads.entries(t.id, { after: 0, limit: 10 })).items[0]!.comments).to.have.length(7);
      const older: string[] = [];
      let before: number | undefined = Number(busy!.commentsCursor);
      for (let pages = 0; before !== undefined && pages < 10; pages++) {
        const p = await store.threads.comments(t.id, e.id, { before, limit: 2 });
        older.unshift(...p!.items.map((c) => c.body));
        before = p!.next ?? undefined;
      }
      expect(older).to.deep.equal(['c0', 'c1', 'c2', 'c3']);
      // From the newest, and not for an entry of another thread.
      expect((await store.threads.comments(t.id, e.id, { limit: 2 }))!.items.map((c) => c.body)).to.deep.equal(['c5', 'c6']);
      expect(await store.threads.comments((await thread('public')).id, e.id, { limit: 2 })).to.equal(null);
    });

    it('keeps comments within their entry and thread: a wrong pair is not found', async () => {
      const t1 = await thread('public');
      const t2 = await thread('public');
      const e1 = await entry(t1.id, 'one');
      const c = await comment(t1.id, e1.id, 'hi');
      expect(await codeOf(comment(t2.id, e1.id, 'wrong thread'))).to.equal('NOT_FOUND');
      expect(await store.threads.getComment(t2.id, e1.id, c.id)).to.equal(null);
      expect(await store.threads.getComment(t1.id, e1.id, c.id)).to.include({ body: 'hi', authorId: 'mentor' });
      expect(await store.threads.updateComment(t1.id, e1.id, c.id, 'edited', nowIso())).to.include({ body: 'edited' });
      expect(await store.threads.deleteComment(t1.id, e1.id, c.id)).to.include({ id: c.id });
      expect(await store.threads.getComment(t1.id, e1.id, c.id)).to.equal(null);
    });

    it("pages a user's own comments across threads oldest first, with their thread, and none of anyone else's", async () => {
      const author = newId();
      const mine = await thread('public', { ownerId: author });
      const theirs = await thread('room', { ownerId: 'someone', roomId: 'r1' });
      const e1 = await entry(theirs.id, 'their entry');
      const e2 = await entry(mine.id, 'my entry');
      const expected: Array<[string, string, string]> = [];
      for (let i = 0; i < 5; i++) {
        const [t, e] = i % 2 ? [mine, e2] : [theirs, e1];
        const c = await comment(t.id, e.id, `mine ${i}`, author);
        expected.push([t.id, e.id, c.body]);
        await comment(t.id, e.id, `other ${i}`, 'someone');
      }
      const seen: Array<[string, string, string]> = [];
      const nexts: Array<number | null> = [];
      for (let after = 0; ; ) {
        const page = await store.threads.commentsByAuthor(author, { after, limit: 2 });
        expect(page.items.every((c) => c.authorId === author)).to.equal(true);
        seen.push(...page.items.map((c): [string, string, string] => [c.threadId, c.entryId, c.body]));
        nexts.push(page.next);
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).to.deep.equal(expected);
      expect(nexts).to.have.length(3);
      // A deleted comment, and the comments of a deleted thread, are gone from it.
      const first = (await store.threads.commentsByAuthor(author, { after: 0, limit: 1 })).items[0]!;
      expect(await store.threads.deleteComment(first.threadId, first.entryId, first.id)).to.include({ id: first.id });
      await store.threads.deleteThread(mine.id);
      const rest = await store.threads.commentsByAuthor(author, { after: 0, limit: 10 });
      expect(rest.items.map((c) => c.body)).to.deep.equal(['mine 2', 'mine 4']);
      expect(rest.next).to.equal(null);
      expect((await store.threads.commentsByAuthor('nobody', { after: 0, limit: 10 })).items).to.deep.equal([]);
    });

    it('deletes a thread with its entries and comments and returns the removed entries', async () => {
      const t = await thread('public', { roomId: 'r1' });
      const e1 = await entry(t.id, 'one', { milestoneId: 'm1' });
      const e2 = await entry(t.id, 'two');
      await comment(t.id, e1.id, 'hi');
      const removed = await store.threads.deleteThread(t.id);
      expect(removed!.map((e) => [e.id, e.milestoneId])).to.deep.equal([
        [e1.id, 'm1'],
        [e2.id, undefined],
      ]);
      expect(await store.threads.getThread(t.id)).to.equal(null);
      expect(await store.threads.getEntry(t.id, e1.id)).to.equal(null);
      expect(await wholeFeed(10)).to.deep.equal([]);
      expect(await store.threads.deleteThread(t.id)).to.equal(null);
    });

    it("lists a user's and a room's threads, most recently updated first", async () => {
      const a = await thread('public', { roomId: 'r1' });
      const b = await thread('private', { roomId: 'r1' });
      await thread('public', { ownerId: 'someone', roomId: 'r2' });
      // Times have millisecond resolution: make the bump strictly later than b's creation.
      await new Promise((r) => setTimeout(r, 3));
      await entry(a.id, 'bumps a');
      expect((await store.threads.listByOwner('owner')).map((t) => t.id)).to.deep.equal([a.id, b.id]);
      expect((await store.threads.listByRoom('r1')).map((t) => t.id)).to.deep.equal([a.id, b.id]);
      expect(await store.threads.listByRoom('nowhere')).to.deep.equal([]);
    });

    it("returns a room's breakthroughs and evidence from its room and public threads only, oldest first", async () => {
      const room = await thread('room', { roomId: 'r1' });
      const pub = await thread('public', { roomId: 'r1' });
      const priv = await thread('private', { roomId: 'r1' });
      const elsewhere = await thread('room', { roomId: 'r2' });
      const b1 = await entry(room.id, 'breakthrough', { kind: 'breakthrough' });
      await entry(room.id, 'plain progress', { kind: 'progress' });
      const ev = await entry(pub.id, 'evidence', { kind: 'progress', milestoneId: 'm1' });
      await entry(priv.id, 'secret breakthrough', { kind: 'breakthrough' });
      await entry(elsewhere.id, 'other room', { kind: 'breakthrough' });
      const rows = await store.threads.highlights('r1');
      expect(rows.map((r) => r.entry.id)).to.deep.equal([b1.id, ev.id]);
      expect(rows[1]!.thread.id).to.equal(pub.id);
    });
  });
