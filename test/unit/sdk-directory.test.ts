import { expect } from 'chai';
import { entryFromSummary, withMessage, withRead, withRoom } from '../../client/src/sdk/directory.js';
import type { Message, RoomSummary } from '../../shared/types.js';

const summary = (lastSeq: number, unread: number): RoomSummary =>
  ({ id: 'r1', mentorId: 'mentor', menteeId: 'me', lastSeq, unread, lastMessage: null, rev: 2, status: 'active' }) as unknown as RoomSummary;
const msg = (seq: number, authorId: string): Message => ({ id: `m${seq}`, seq, authorId, roomId: 'r1' }) as Message;

describe('sdk room directory updates', () => {
  it('counts a message from the other member as unread, and mine as read up to it', () => {
    let e = entryFromSummary(summary(4, 1), 'me', null);
    expect(e).to.include({ role: 'mentee', readSeq: 3, unread: 1 });
    e = withMessage(e, msg(5, 'mentor'), 'me');
    expect(e.unread).to.equal(2);
    e = withMessage(e, msg(6, 'me'), 'me');
    expect(e).to.include({ unread: 0, readSeq: 6 });
    expect(e.lastMessage?.seq).to.equal(6);
  });

  it('applying the same message twice changes nothing more', () => {
    const once = withMessage(entryFromSummary(summary(4, 0), 'me', null), msg(5, 'mentor'), 'me');
    const twice = withMessage(once, msg(5, 'mentor'), 'me');
    expect(twice.unread).to.equal(1);
  });

  it('moves only my own read marker, and never backwards', () => {
    const e = entryFromSummary(summary(10, 4), 'me', null);
    expect(withRead(e, 'mentor', 10, 'me').unread).to.equal(4);
    expect(withRead(e, 'me', 8, 'me').unread).to.equal(2);
    expect(withRead(withRead(e, 'me', 8, 'me'), 'me', 7, 'me').unread).to.equal(2);
  });

  it('ignores a room copy older than the one held', () => {
    const e = entryFromSummary(summary(3, 0), 'me', null);
    const stale = { ...e.room, rev: 1, status: 'pending' as const };
    expect(withRoom(e, stale)).to.equal(e);
    expect(withRoom(e, { ...e.room, rev: 3, lastSeq: 5 }).unread).to.equal(2);
  });
});
