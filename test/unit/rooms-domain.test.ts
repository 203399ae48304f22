import { expect } from 'chai';
import { AppError } from '../../shared/errors.js';
import type { Room } from '../../shared/types.js';
import { answerRequest, assertCanModifyMessage, assertCanPost, counterpartOf, invitedSide, roleOf, roomsCompletedAsMentor, unreadCount } from '../../server/domain/rooms.js';
import { applyReaction } from '../../server/domain/reactions.js';
import { sampleRoom } from '../store/contract/fixtures.js';

const code = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof AppError ? err.code : 'not an AppError';
  }
};

describe('room rules', () => {
  const pending: Room = sampleRoom({ mentorId: 'm', menteeId: 'e', requestedBy: 'e', status: 'pending' });

  it('counts a room as completed for its mentor once it reached Separation or Redefinition, even after a cycle back', () => {
    const step = (from: Room['stage'], to: Room['stage']) => ({ from, to, by: 'm', at: 't', note: '' });
    const rooms = [
      sampleRoom({ mentorId: 'm', menteeId: 'e', stageHistory: [step('initiation', 'cultivation')] }),
      sampleRoom({ mentorId: 'm', menteeId: 'f', stageHistory: [step('initiation', 'cultivation'), step('cultivation', 'separation'), step('separation', 'cultivation')] }),
      sampleRoom({ mentorId: 'm', menteeId: 'g', stageHistory: [step('cultivation', 'separation'), step('separation', 'redefinition')] }),
      sampleRoom({ mentorId: 'x', menteeId: 'm', stageHistory: [step('cultivation', 'separation')] }),
    ];
    expect(roomsCompletedAsMentor(rooms, 'm')).to.equal(2);
    expect(roomsCompletedAsMentor(rooms, 'x')).to.equal(1);
    expect(roomsCompletedAsMentor(rooms, 'e')).to.equal(0);
  });

  it('names roles and the counterpart', () => {
    expect(roleOf(pending, 'm')).to.equal('mentor');
    expect(roleOf(pending, 'e')).to.equal('mentee');
    expect(roleOf(pending, 'x')).to.equal(null);
    expect(counterpartOf(pending, 'm')).to.equal('e');
    expect(invitedSide(pending)).to.equal('m');
  });

  it('lets only the invited side answer, once', () => {
    expect(code(() => answerRequest(pending, 'e', 'accept', 't'))).to.equal('FORBIDDEN');
    expect(code(() => answerRequest(pending, 'x', 'accept', 't'))).to.equal('FORBIDDEN');
    const active = answerRequest(pending, 'm', 'accept', 't');
    expect(active).to.include({ status: 'active', stage: 'initiation', updatedAt: 't' });
    expect(code(() => answerRequest(active, 'm', 'decline', 't'))).to.equal('GUARD_FAILED');
    expect(answerRequest(pending, 'm', 'decline', 't').status).to.equal('declined');
  });

  it('allows posting in pending and active rooms only, and only to members', () => {
    expect(code(() => assertCanPost(pending, 'e'))).to.equal(null);
    expect(code(() => assertCanPost({ ...pending, status: 'active' }, 'm'))).to.equal(null);
    expect(code(() => assertCanPost({ ...pending, status: 'declined' }, 'm'))).to.equal('GUARD_FAILED');
    expect(code(() => assertCanPost({ ...pending, status: 'closed' }, 'm'))).to.equal('GUARD_FAILED');
    expect(code(() => assertCanPost(pending, 'x'))).to.equal('FORBIDDEN');
  });

  it('lets only authors change their own text messages', () => {
    expect(code(() => assertCanModifyMessage('a', 'text', 'a'))).to.equal(null);
    expect(code(() => assertCanModifyMessage('a', 'text', 'b'))).to.equal('FORBIDDEN');
    expect(code(() => assertCanModifyMessage('a', 'system', 'a'))).to.equal('FORBIDDEN');
  });

  it('never counts negative unread', () => {
    expect(unreadCount(10, 4)).to.equal(6);
    expect(unreadCount(3, 3)).to.equal(0);
    expect(unreadCount(3, 5)).to.equal(0);
  });

  it('toggles reactions without touching other users or emoji', () => {
    const start = { '👍': ['a'] };
    expect(applyReaction(start, 'b', '👍', true, 5)).to.deep.equal({ '👍': ['a', 'b'] });
    expect(applyReaction(start, 'a', '👍', true, 5)).to.deep.equal({ '👍': ['a'] });
    expect(applyReaction(start, 'a', '👍', false, 5)).to.deep.equal({});
    expect(applyReaction(start, 'b', '👍', false, 5)).to.deep.equal(start);
    expect(code(() => applyReaction(start, 'a', '🎉', true, 1))).to.equal('INVALID_INPUT');
    expect(start).to.deep.equal({ '👍': ['a'] });
  });

  it('treats an emoji named like an Object.prototype member as a plain key', () => {
    for (const emoji of ['__proto__', 'constructor', 'toString']) {
      const next = applyReaction({}, 'a', emoji, true, 5);
      expect(Object.hasOwn(next, emoji), emoji).to.equal(true);
      expect(Object.getPrototypeOf(next)).to.equal(Object.prototype);
      expect(applyReaction(next, 'a', emoji, false, 5)).to.deep.equal({});
    }
  });
});
