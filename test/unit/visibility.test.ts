import { expect } from 'chai';
import { isAppError } from '../../shared/errors.js';
import type { ThreadVisibility } from '../../shared/types.js';
import {
  assertCanEdit,
  assertCanRead,
  audienceOf,
  canComment,
  canDeleteComment,
  canEdit,
  canEditComment,
  canRead,
  inFeed,
  listedInRoom,
  listedOnProfile,
  type RoomAccess,
  type ThreadAccess,
  type Viewer,
} from '../../server/domain/visibility.js';

const room: NonNullable<RoomAccess> = { id: 'room-1', mentorId: 'mentor', menteeId: 'mentee' };
const thread = (visibility: ThreadVisibility, roomId: string | undefined = room.id): ThreadAccess => ({
  ownerId: 'mentee',
  visibility,
  ...(roomId !== undefined ? { roomId } : {}),
});

type Who = 'owner' | 'member' | 'stranger' | 'anonymous';
const viewers: Record<Who, Viewer> = { owner: 'mentee', member: 'mentor', stranger: 'stranger', anonymous: null };

/** Expected read access for a thread tied to the room: the matrix of docs/THREADS.md. */
const readable: Record<ThreadVisibility, Record<Who, boolean>> = {
  public: { owner: true, member: true, stranger: true, anonymous: false },
  room: { owner: true, member: true, stranger: false, anonymous: false },
  private: { owner: true, member: false, stranger: false, anonymous: false },
};
const onProfile: Record<ThreadVisibility, Record<Who, boolean>> = {
  public: { owner: true, member: true, stranger: true, anonymous: false },
  room: { owner: true, member: false, stranger: false, anonymous: false },
  private: { owner: true, member: false, stranger: false, anonymous: false },
};

const errorCode = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
};

describe('growth thread visibility rules', () => {
  for (const visibility of ['public', 'room', 'private'] as const) {
    for (const who of Object.keys(viewers) as Who[]) {
      const viewer = viewers[who];
      const t = thread(visibility);
      it(`${who} × ${visibility}: read ${readable[visibility][who]}, comment ${readable[visibility][who]}, edit ${who === 'owner'}, on profile ${onProfile[visibility][who]}`, () => {
        expect(canRead(t, viewer, room)).to.equal(readable[visibility][who]);
        expect(canComment(t, viewer, room)).to.equal(readable[visibility][who]);
        expect(listedInRoom(t, viewer, room)).to.equal(readable[visibility][who]);
        expect(listedOnProfile(t, viewer)).to.equal(onProfile[visibility][who]);
        expect(canEdit(t, viewer)).to.equal(who === 'owner');
        expect(errorCode(() => assertCanRead(t, viewer, room))).to.equal(readable[visibility][who] ? null : 'NOT_FOUND');
        const editCode = who === 'owner' ? null : readable[visibility][who] ? 'FORBIDDEN' : 'NOT_FOUND';
        expect(errorCode(() => assertCanEdit(t, viewer, room))).to.equal(editCode);
      });
    }
  }

  it('only public threads are in the feed', () => {
    expect(inFeed(thread('public'))).to.equal(true);
    expect(inFeed(thread('room'))).to.equal(false);
    expect(inFeed(thread('private'))).to.equal(false);
  });

  it('a room thread is readable only through the room it is tied to', () => {
    const otherRoom = { id: 'room-2', mentorId: 'mentor', menteeId: 'someone' };
    // The mentor is a member of room-2, but the thread is tied to room-1.
    expect(canRead(thread('room'), 'mentor', otherRoom)).to.equal(false);
    // The room is gone (or was never loaded): only the owner still reads.
    expect(canRead(thread('room'), 'mentor', null)).to.equal(false);
    expect(canRead(thread('room'), 'mentee', null)).to.equal(true);
  });

  it('a public thread not tied to a room is read by anyone signed in and has no live audience', () => {
    const t = thread('public', undefined);
    expect(canRead(t, 'stranger', null)).to.equal(true);
    expect(canRead(t, null, null)).to.equal(false);
    expect(audienceOf(t, null)).to.deep.equal([]);
  });

  it('live events go to the room members who may read the thread', () => {
    expect(audienceOf(thread('public'), room)).to.have.members(['mentor', 'mentee']);
    expect(audienceOf(thread('room'), room)).to.have.members(['mentor', 'mentee']);
    expect(audienceOf(thread('private'), room)).to.deep.equal(['mentee']);
  });

  it('a comment is edited by its author only and deleted by its author or the thread owner', () => {
    const t = thread('public');
    const byStranger = { authorId: 'stranger' };
    expect(canEditComment(byStranger, 'stranger')).to.equal(true);
    expect(canEditComment(byStranger, 'mentee')).to.equal(false);
    expect(canEditComment(byStranger, null)).to.equal(false);
    expect(canDeleteComment(byStranger, t, 'stranger')).to.equal(true);
    expect(canDeleteComment(byStranger, t, 'mentee')).to.equal(true);
    expect(canDeleteComment(byStranger, t, 'mentor')).to.equal(false);
    expect(canDeleteComment(byStranger, t, null)).to.equal(false);
  });
});
