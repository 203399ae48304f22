import { expect } from 'chai';
import * as Y from 'yjs';
import type { Store } from '../../../server/store/port.js';
import { storedDoc } from '../../helpers/collab.js';
import type { ContractContext } from './fixtures.js';

const bytes = (...xs: number[]) => new Uint8Array(xs);

/** One Yjs edit on `doc`, returned as the update it produced. */
function edit(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
  let captured: Uint8Array | null = null;
  const on = (u: Uint8Array) => (captured = u);
  doc.on('update', on);
  doc.transact(() => fn(doc));
  doc.off('update', on);
  if (!captured) throw new Error('the edit changed nothing');
  return captured;
}

/** The DocStore: part of the one store contract (test/store/contract.ts). */
export function docsContract(ctx: ContractContext): void {
  describe('docs', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('loads an unknown document as empty, without creating it', async () => {
      expect(await store.docs.load('never-written')).to.deep.equal({ snapshot: null, snapshotUpTo: 0, updates: [] });
      expect(await store.docs.stats('never-written')).to.deep.equal({ updates: 0, updateBytes: 0, snapshotBytes: 0, snapshotUpTo: 0 });
    });

    it('returns appended updates byte for byte, in append order, with increasing ids', async () => {
      const written = [bytes(1, 2, 3), bytes(4), bytes(5, 6), bytes(0, 0)];
      const ids = await Promise.all(written.map((u) => store.docs.append('doc-a', u)));
      expect([...ids].sort((a, b) => a - b)).to.deep.equal(ids);
      expect(new Set(ids).size).to.equal(ids.length);
      const loaded = await store.docs.load('doc-a');
      expect(loaded.updates.map((e) => e.id)).to.deep.equal(ids);
      expect(loaded.updates.map((e) => [...e.update])).to.deep.equal(written.map((u) => [...u]));
      expect(loaded.updates.every((e) => e.update instanceof Uint8Array)).to.equal(true);
    });

    it('keeps each document to itself', async () => {
      await store.docs.append('doc-a', bytes(1));
      await store.docs.append('doc-b', bytes(2));
      await store.docs.append('doc-a', bytes(3));
      expect((await store.docs.load('doc-a')).updates.map((e) => [...e.update])).to.deep.equal([[1], [3]]);
      expect((await store.docs.load('doc-b')).updates.map((e) => [...e.update])).to.deep.equal([[2]]);
      await store.docs.compact('doc-a', bytes(9), Number.MAX_SAFE_INTEGER);
      expect((await store.docs.load('doc-b')).updates.map((e) => [...e.update])).to.deep.equal([[2]]);
    });

    it('compaction replaces the log up to the given id with the snapshot and keeps later entries', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await store.docs.append('doc-c', bytes(i)));
      const result = await store.docs.compact('doc-c', bytes(100, 101), ids[2]!);
      expect(result).to.deep.equal({ compacted: true, removed: 3 });
      const loaded = await store.docs.load('doc-c');
      expect([...loaded.snapshot!]).to.deep.equal([100, 101]);
      expect(loaded.snapshotUpTo).to.equal(ids[2]);
      expect(loaded.updates.map((e) => e.id)).to.deep.equal(ids.slice(3));
      expect(await store.docs.stats('doc-c')).to.deep.equal({ updates: 2, updateBytes: 2, snapshotBytes: 2, snapshotUpTo: ids[2] });
    });

    it('updates appended while a compaction is queued survive it', async () => {
      const before = await store.docs.append('doc-d', bytes(1));
      // Same tick: the compaction and the appends around it race for the same write batch.
      const [early, compacted, late1, late2] = await Promise.all([
        store.docs.append('doc-d', bytes(2)),
        store.docs.compact('doc-d', bytes(7), before),
        store.docs.append('doc-d', bytes(3)),
        store.docs.append('doc-d', bytes(4)),
      ]);
      expect(compacted).to.deep.equal({ compacted: true, removed: 1 });
      const loaded = await store.docs.load('doc-d');
      expect(loaded.updates.map((e) => e.id)).to.deep.equal([early, late1, late2]);
      expect(loaded.updates.map((e) => [...e.update])).to.deep.equal([[2], [3], [4]]);
    });

    it('since(id) returns exactly the entries after id, across documents and concurrent appends', async () => {
      const first = await store.docs.append('doc-s', bytes(1));
      // Appends of two documents in one batch: each document's ids still increase, with gaps.
      const ids = await Promise.all([
        store.docs.append('doc-s', bytes(2)),
        store.docs.append('doc-other', bytes(9)),
        store.docs.append('doc-s', bytes(3)),
      ]);
      const after = await store.docs.since('doc-s', first);
      expect(after.snapshot).to.equal(null);
      expect(after.updates.map((e) => e.id)).to.deep.equal([ids[0], ids[2]]);
      expect(after.updates.map((e) => [...e.update])).to.deep.equal([[2], [3]]);
      expect((await store.docs.since('doc-s', ids[2]!)).updates).to.deep.equal([]);
      expect(await store.docs.since('never-written', 0)).to.deep.equal({ snapshot: null, snapshotUpTo: 0, updates: [] });
    });

    it('since(id) from before a compaction brings the snapshot and only the entries after it', async () => {
      const a = await store.docs.append('doc-t', bytes(1));
      const b = await store.docs.append('doc-t', bytes(2));
      await store.docs.compact('doc-t', bytes(12), b);
      const c = await store.docs.append('doc-t', bytes(3));
      const stale = await store.docs.since('doc-t', a);
      expect([...stale.snapshot!]).to.deep.equal([12]);
      expect(stale.snapshotUpTo).to.equal(b);
      expect(stale.updates.map((e) => e.id)).to.deep.equal([c]);
      // A reader already past the snapshot gets no snapshot, just the tail.
      const current = await store.docs.since('doc-t', b);
      expect(current.snapshot).to.equal(null);
      expect(current.updates.map((e) => [...e.update])).to.deep.equal([[3]]);
    });

    it('an older snapshot never replaces a newer one', async () => {
      const a = await store.docs.append('doc-e', bytes(1));
      const b = await store.docs.append('doc-e', bytes(2));
      expect(await store.docs.compact('doc-e', bytes(20), b)).to.deep.equal({ compacted: true, removed: 2 });
      expect(await store.docs.compact('doc-e', bytes(10), a)).to.deep.equal({ compacted: false, removed: 0 });
      expect(await store.docs.compact('doc-e', bytes(11), b)).to.deep.equal({ compacted: false, removed: 0 });
      const loaded = await store.docs.load('doc-e');
      expect([...loaded.snapshot!]).to.deep.equal([20]);
      expect(loaded.snapshotUpTo).to.equal(b);
    });

    it('compacts with a builder that gets the stored snapshot and exactly the entries it covers', async () => {
      const a = await store.docs.append('doc-h', bytes(1));
      const b = await store.docs.append('doc-h', bytes(2));
      expect(await store.docs.compact('doc-h', bytes(12), b)).to.deep.equal({ compacted: true, removed: 2 });
      const c = await store.docs.append('doc-h', bytes(3));
      const d = await store.docs.append('doc-h', bytes(4));
      const late = await store.docs.append('doc-h', bytes(5));
      const seen: Array<{ snapshot: number[] | null; upTo: number; ids: number[]; bytes: number[][] }> = [];
      const result = await store.docs.compact(
        'doc-h',
        (stored) => {
          seen.push({ snapshot: stored.snapshot && [...stored.snapshot], upTo: stored.snapshotUpTo, ids: stored.updates.map((u) => u.id), bytes: stored.updates.map((u) => [...u.update]) });
          return bytes(12, 3, 4);
        },
        d,
      );
      expect(result).to.deep.equal({ compacted: true, removed: 2 });
      expect(seen).to.deep.equal([{ snapshot: [12], upTo: b, ids: [c, d], bytes: [[3], [4]] }]);
      const loaded = await store.docs.load('doc-h');
      expect([...loaded.snapshot!]).to.deep.equal([12, 3, 4]);
      expect(loaded.snapshotUpTo).to.equal(d);
      expect(loaded.updates.map((u) => u.id)).to.deep.equal([late]);
      expect(a).to.be.lessThan(b);
    });

    it('does not call the builder when the stored snapshot already covers upToId, and a builder that throws changes nothing', async () => {
      const a = await store.docs.append('doc-i', bytes(1));
      await store.docs.compact('doc-i', bytes(9), a);
      let called = false;
      expect(await store.docs.compact('doc-i', () => ((called = true), bytes(0)), a)).to.deep.equal({ compacted: false, removed: 0 });
      expect(called).to.equal(false);
      const b = await store.docs.append('doc-i', bytes(2));
      let thrown: unknown = null;
      await store.docs.compact('doc-i', () => { throw new Error('cannot merge'); }, b).catch((err: unknown) => (thrown = err));
      expect((thrown as Error | null)?.message).to.equal('cannot merge');
      const loaded = await store.docs.load('doc-i');
      expect([...loaded.snapshot!]).to.deep.equal([9]);
      expect(loaded.updates.map((u) => u.id)).to.deep.equal([b]);
    });

    it('removes one log entry and leaves the others', async () => {
      const a = await store.docs.append('doc-j', bytes(1));
      const b = await store.docs.append('doc-j', bytes(2));
      const c = await store.docs.append('doc-j', bytes(3));
      await store.docs.remove('doc-j', b);
      await store.docs.remove('doc-j', 999_999); // an unknown id is not an error
      expect((await store.docs.load('doc-j')).updates.map((u) => u.id)).to.deep.equal([a, c]);
      expect(await store.docs.stats('doc-j')).to.deep.include({ updates: 2, updateBytes: 2 });
    });

    it('never reuses an id after compaction deleted the highest ones', async () => {
      const last = await store.docs.append('doc-f', bytes(1));
      await store.docs.compact('doc-f', bytes(5), last);
      const next = await store.docs.append('doc-f', bytes(2));
      expect(next).to.be.greaterThan(last);
      expect((await store.docs.load('doc-f')).updates.map((e) => e.id)).to.deep.equal([next]);
    });

    it('a Yjs document rebuilt from snapshot plus log equals the original, before and after compaction', async () => {
      const doc = new Y.Doc();
      const roadmap = doc.getMap('roadmap');
      let lastId = 0;
      const put = async (fn: (d: Y.Doc) => void) => (lastId = await store.docs.append('room-1', edit(doc, fn)));
      await put(() => roadmap.set('title', 'Plan'));
      await put(() => roadmap.set('milestones', new Y.Array()));
      for (let i = 0; i < 20; i++) {
        await put(() => {
          const m = new Y.Map<unknown>();
          m.set('id', `m${i}`);
          m.set('notes', new Y.Text(`note ${i}`));
          (roadmap.get('milestones') as Y.Array<Y.Map<unknown>>).push([m]);
        });
      }
      await put(() => (roadmap.get('milestones') as Y.Array<unknown>).delete(3, 2));
      expect((await storedDoc(store, 'room-1')).getMap('roadmap').toJSON()).to.deep.equal(roadmap.toJSON());

      await store.docs.compact('room-1', Y.encodeStateAsUpdate(doc), lastId);
      await put(() => roadmap.set('title', 'Plan v2'));
      const rebuilt = await storedDoc(store, 'room-1');
      expect(rebuilt.getMap('roadmap').toJSON()).to.deep.equal(roadmap.toJSON());
      expect(Y.encodeStateVector(rebuilt)).to.deep.equal(Y.encodeStateVector(doc));
      expect((await store.docs.stats('room-1')).updates).to.equal(1);
    });

    it('what was appended is there after the store is closed and reopened', async function () {
      if (!ctx.opened.reopen) this.skip();
      const id = await store.docs.append('doc-g', bytes(42));
      await store.docs.compact('doc-g', bytes(43), id);
      await store.docs.append('doc-g', bytes(44));
      store = ctx.store = await ctx.opened.reopen!();
      const loaded = await store.docs.load('doc-g');
      expect([...loaded.snapshot!]).to.deep.equal([43]);
      expect(loaded.updates.map((e) => [...e.update])).to.deep.equal([[44]]);
    });
  });
}
