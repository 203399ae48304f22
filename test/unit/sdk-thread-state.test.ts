import { expect } from 'chai';
import { applyThreadEvent, applyToThreadList, threadStateFrom, withOlderComments, withPage, type ThreadState } from '../../client/src/sdk/thread-state.js';
import type { Thread, ThreadComment, ThreadEntry } from '../../shared/types.js';

const thread = (id = 't1', extra: Partial<Thread> = {}): Thread => ({
  id,
  ownerId: 'u1',
  roomId: 'r1',
  title: `Thread ${id}`,
  visibility: 'room',
  entryCount: 1,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
  ...extra,
});
const entry = (id: string, extra: Partial<ThreadEntry> = {}): ThreadEntry => ({
  id,
  threadId: 't1',
  kind: 'note',
  body: `body ${id}`,
  createdAt: '2024-01-02T00:00:00.000Z',
  comments: [],
  commentCount: 0,
  ...extra,
});
const comment = (id: string, body = 'nice'): ThreadComment => ({ id, entryId: 'e1', authorId: 'u2', body, createdAt: '2024-01-03T00:00:00.000Z' });
const about = { roomId: 'r1', threadId: 't1' };
const state = (): ThreadState => threadStateFrom({ thread: thread(), entries: [entry('e1')], nextCursor: '1', hasMore: false });

describe('sdk thread state', () => {
  it('adds a pushed entry once, whether my REST answer or the push comes first', () => {
    let s = applyThreadEvent(state(), { type: 'thread:entry:new', ...about, entry: entry('e2') })!;
    s = applyThreadEvent(s, { type: 'thread:entry:new', ...about, entry: entry('e2') })!;
    expect(s.entries.map((e) => e.id)).to.deep.equal(['e1', 'e2']);
    expect(s.thread.entryCount).to.equal(2);
  });

  it('holds back a pushed entry while earlier pages are unloaded, and the page brings it once', () => {
    const partial = threadStateFrom({ thread: thread(), entries: [entry('e1')], nextCursor: '1', hasMore: true });
    const s = applyThreadEvent(partial, { type: 'thread:entry:new', ...about, entry: entry('e9') })!;
    expect(s.entries.map((e) => e.id)).to.deep.equal(['e1']);
    const paged = withPage(s, { thread: thread(), entries: [entry('e1'), entry('e2'), entry('e9')], nextCursor: '9', hasMore: false });
    expect(paged.entries.map((e) => e.id)).to.deep.equal(['e1', 'e2', 'e9']);
    expect(paged.hasMore).to.equal(false);
  });

  it('keeps an entry’s comments when the entry is edited, and follows comment pushes', () => {
    let s = applyThreadEvent(state(), { type: 'thread:comment:new', ...about, entryId: 'e1', comment: comment('c1') })!;
    s = applyThreadEvent(s, { type: 'thread:entry:updated', ...about, entry: entry('e1', { body: 'edited', comments: [] }) })!;
    expect(s.entries[0]!.body).to.equal('edited');
    expect(s.entries[0]!.comments.map((c) => c.id)).to.deep.equal(['c1']);
    s = applyThreadEvent(s, { type: 'thread:comment:updated', ...about, entryId: 'e1', comment: comment('c1', 'better') })!;
    expect(s.entries[0]!.comments[0]!.body).to.equal('better');
    s = applyThreadEvent(s, { type: 'thread:comment:deleted', ...about, entryId: 'e1', commentId: 'c1' })!;
    expect(s.entries[0]!.comments).to.deep.equal([]);
  });

  it('counts pushed comments once, puts older pages before the held comments, and keeps the cursor across an entry edit', () => {
    const held = threadStateFrom({ thread: thread(), entries: [entry('e1', { comments: [comment('c3')], commentCount: 3, commentsCursor: '3' })], nextCursor: '1', hasMore: false });
    let s = applyThreadEvent(held, { type: 'thread:comment:new', ...about, entryId: 'e1', comment: comment('c4') })!;
    s = applyThreadEvent(s, { type: 'thread:comment:new', ...about, entryId: 'e1', comment: comment('c4') })!;
    expect(s.entries[0]).to.deep.include({ commentCount: 4, commentsCursor: '3' });
    s = applyThreadEvent(s, { type: 'thread:entry:updated', ...about, entry: entry('e1', { body: 'edited', commentCount: 4, commentsCursor: '4' }) })!;
    expect(s.entries[0]).to.deep.include({ body: 'edited', commentCount: 4, commentsCursor: '3' });
    s = withOlderComments(s, 'e1', { comments: [comment('c2')], nextCursor: '2' });
    expect(s.entries[0]).to.deep.include({ commentsCursor: '2' });
    s = withOlderComments(s, 'e1', { comments: [comment('c1'), comment('c2')], nextCursor: null });
    expect(s.entries[0]!.comments.map((c) => c.id)).to.deep.equal(['c1', 'c2', 'c3', 'c4']);
    expect(s.entries[0]).to.not.have.property('commentsCursor');
    s = applyThreadEvent(s, { type: 'thread:comment:deleted', ...about, entryId: 'e1', commentId: 'c1' })!;
    s = applyThreadEvent(s, { type: 'thread:comment:deleted', ...about, entryId: 'e1', commentId: 'c1' })!;
    expect(s.entries[0]!.commentCount).to.equal(3);
  });

  it('drops a deleted entry, ends on a deleted thread, and ignores other threads', () => {
    const s = state();
    expect(applyThreadEvent(s, { type: 'thread:entry:deleted', ...about, entryId: 'e1' })!.entries).to.deep.equal([]);
    expect(applyThreadEvent(s, { type: 'thread:deleted', ...about })).to.equal(null);
    expect(applyThreadEvent(s, { type: 'thread:deleted', roomId: 'r1', threadId: 'other' })).to.equal(s);
  });

  it('keeps a room’s thread list: new on top, activity moves a thread up, deletions and other rooms', () => {
    let list = [thread('t1'), thread('t2')] as readonly Thread[];
    list = applyToThreadList(list, 'r1', { type: 'thread:new', roomId: 'r1', threadId: 't3', thread: thread('t3') });
    list = applyToThreadList(list, 'r1', { type: 'thread:new', roomId: 'r1', threadId: 't3', thread: thread('t3') });
    expect(list.map((t) => t.id)).to.deep.equal(['t3', 't1', 't2']);
    list = applyToThreadList(list, 'r1', { type: 'thread:entry:new', roomId: 'r1', threadId: 't2', entry: entry('e5', { threadId: 't2' }) });
    expect(list.map((t) => [t.id, t.entryCount])).to.deep.equal([['t2', 2], ['t3', 1], ['t1', 1]]);
    list = applyToThreadList(list, 'r1', { type: 'thread:deleted', roomId: 'r1', threadId: 't3' });
    expect(list.map((t) => t.id)).to.deep.equal(['t2', 't1']);
    expect(applyToThreadList(list, 'r1', { type: 'thread:new', roomId: 'r2', threadId: 'x', thread: thread('x') })).to.equal(list);
  });
});
