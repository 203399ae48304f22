import { expect } from 'chai';
import { SeenSeqs } from '../../client/src/sdk/seen.js';
import { Timeline } from '../../client/src/sdk/timeline.js';
import type { Message } from '../../shared/types.js';

const msg = (seq: number, extra: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  roomId: 'r1',
  seq,
  authorId: 'u1',
  clientMsgId: `c${seq}`,
  kind: 'text',
  body: `body ${seq}`,
  reactions: {},
  createdAt: '2024-01-01T00:00:00.000Z',
  ...extra,
});

describe('sdk Timeline', () => {
  it('keeps messages in seq order whatever order they arrive in, and drops a seq it holds', () => {
    const tl = new Timeline();
    expect([5, 3, 4].map((s) => tl.add(msg(s)))).to.deep.equal(['added', 'added', 'added']);
    expect(tl.add(msg(4))).to.equal('duplicate');
    expect(tl.messages.map((m) => m.seq)).to.deep.equal([3, 4, 5]);
  });

  it('catches up from the last seq before a hole, so the hole is refilled', () => {
    const tl = new Timeline();
    for (const s of [10, 11, 12, 15]) tl.add(msg(s));
    expect(tl.contiguousSeq).to.equal(12);
    expect(tl.highestSeq).to.equal(15);
    expect(tl.hasGap).to.equal(true);
    tl.add(msg(13));
    tl.add(msg(14));
    expect(tl.hasGap).to.equal(false);
    expect(tl.contiguousSeq).to.equal(15);
  });

  it('knows older history exists while the lowest held seq is above 1', () => {
    const tl = new Timeline();
    expect(tl.hasOlder).to.equal(false);
    tl.add(msg(2));
    expect(tl.hasOlder).to.equal(true);
    tl.add(msg(1));
    expect(tl.hasOlder).to.equal(false);
  });

  it('lets a later version of a held message replace it, never an older one', () => {
    const tl = new Timeline();
    tl.add(msg(1));
    expect(tl.add(msg(1, { body: 'edited', editedAt: '2024-01-02T00:00:00.000Z' }))).to.equal('replaced');
    expect(tl.add(msg(1))).to.equal('duplicate');
    expect(tl.messages[0]!.body).to.equal('edited');
  });

  it('turns a deleted message into a tombstone that keeps its seq', () => {
    const tl = new Timeline();
    tl.add(msg(1, { reactions: { '👍': ['u2'] } }));
    expect(tl.markDeleted('m1', '2024-01-03T00:00:00.000Z')).to.equal(true);
    expect(tl.messages[0]).to.include({ seq: 1, body: '', deletedAt: '2024-01-03T00:00:00.000Z' });
    expect(tl.messages[0]!.reactions).to.deep.equal({});
    expect(tl.markDeleted('m1', 'later')).to.equal(false);
    expect(tl.markDeleted('unknown', 'later')).to.equal(false);
  });
});

describe('sdk SeenSeqs', () => {
  it('reports each seq once even when a push overtakes the catch-up page before it', () => {
    const seen = new SeenSeqs();
    const fresh = [1, 2, 3, 9, 4, 5, 6, 7, 8, 9, 3].filter((s) => seen.add(s));
    expect(fresh).to.deep.equal([1, 2, 3, 9, 4, 5, 6, 7, 8]);
  });

  it('treats seqs below the first one it saw as already seen (older history)', () => {
    const seen = new SeenSeqs();
    seen.add(50);
    expect(seen.add(49)).to.equal(false);
    expect(seen.add(51)).to.equal(true);
  });

  it('does not grow without bound behind a hole that is never filled', () => {
    const seen = new SeenSeqs();
    seen.add(1);
    for (let s = 3; s < 3000; s++) seen.add(s);
    expect(seen.add(2)).to.equal(false);
    expect(seen.add(3000)).to.equal(true);
  });
});
