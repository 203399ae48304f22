import { expect } from 'chai';
import { isAppError } from '../../shared/errors.js';
import { CommentIn, EntryIn, EntryPatchIn, FeedQuery, ThreadCreateIn, ThreadPatchIn } from '../../shared/schemas/thread.js';
import { Limits } from '../../shared/limits.js';
import type { Contract } from '../../shared/types.js';
import { assertLinksAllowed, assertVisibilityChange, EXCERPT_CHARS, excerptOf, isHighlight } from '../../server/domain/threads.js';

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
};

const contract = { goals: [{ id: 'g1' }] } as unknown as Contract;

describe('growth thread content rules', () => {
  it('a goal or milestone needs a thread tied to a room', () => {
    expect(codeOf(() => assertLinksAllowed({ thread: { visibility: 'public' }, goalId: 'g1' }, null))).to.equal('INVALID_INPUT');
    expect(codeOf(() => assertLinksAllowed({ thread: { visibility: 'public' }, milestoneId: 'm1' }, null))).to.equal('INVALID_INPUT');
    expect(codeOf(() => assertLinksAllowed({ thread: { visibility: 'public' } }, null))).to.equal(null);
  });

  it("a goal must be in the room's contract", () => {
    const thread = { roomId: 'r', visibility: 'room' as const };
    expect(codeOf(() => assertLinksAllowed({ thread, goalId: 'g1' }, { contract }))).to.equal(null);
    expect(codeOf(() => assertLinksAllowed({ thread, goalId: 'g2' }, { contract }))).to.equal('INVALID_INPUT');
    expect(codeOf(() => assertLinksAllowed({ thread, goalId: 'g1' }, { contract: null }))).to.equal('INVALID_INPUT');
  });

  it('a private entry cannot be milestone evidence, but may name a goal', () => {
    const thread = { roomId: 'r', visibility: 'private' as const };
    expect(codeOf(() => assertLinksAllowed({ thread, milestoneId: 'm1' }, { contract }))).to.equal('INVALID_INPUT');
    expect(codeOf(() => assertLinksAllowed({ thread, goalId: 'g1' }, { contract }))).to.equal(null);
  });

  it('a thread with evidence cannot turn private, and room visibility needs a room', () => {
    expect(codeOf(() => assertVisibilityChange('private', true, 2))).to.equal('GUARD_FAILED');
    expect(codeOf(() => assertVisibilityChange('private', true, 0))).to.equal(null);
    expect(codeOf(() => assertVisibilityChange('room', false, 0))).to.equal('INVALID_INPUT');
    expect(codeOf(() => assertVisibilityChange('public', false, 0))).to.equal(null);
  });

  it('breakthroughs and linked entries are highlights; other entries are not', () => {
    expect(isHighlight({ kind: 'breakthrough' })).to.equal(true);
    expect(isHighlight({ kind: 'progress', milestoneId: 'm' })).to.equal(true);
    expect(isHighlight({ kind: 'failure' })).to.equal(false);
  });

  it('an excerpt is plain text, whitespace collapsed, cut at a word with an ellipsis', () => {
    expect(excerptOf('# Shipped\n\n**first** [release](https://x.test) with `ci`')).to.equal('Shipped first release with ci');
    const long = excerptOf('word '.repeat(200));
    expect(long.length).to.be.at.most(EXCERPT_CHARS);
    expect(long.endsWith('word…')).to.equal(true);
  });
});

describe('growth thread schemas', () => {
  const body = 'Learned that **estimates** are promises.';
  it('accepts a valid entry and keeps Markdown indentation', () => {
    const parsed = EntryIn.parse({ kind: 'assumption', body: '    code block\ntext' });
    expect(parsed.body).to.equal('    code block\ntext');
  });
  it('refuses an unknown kind, an empty or blank body, an over-long body and unknown fields', () => {
    expect(EntryIn.safeParse({ kind: 'rant', body }).success).to.equal(false);
    expect(EntryIn.safeParse({ kind: 'note', body: '' }).success).to.equal(false);
    expect(EntryIn.safeParse({ kind: 'note', body: ' \n\t ' }).success).to.equal(false);
    expect(EntryIn.safeParse({ kind: 'note', body: 'x'.repeat(Limits.entryBody) }).success).to.equal(true);
    expect(EntryIn.safeParse({ kind: 'note', body: 'x'.repeat(Limits.entryBody + 1) }).success).to.equal(false);
    expect(EntryIn.safeParse({ kind: 'note', body, authorId: 'x' }).success).to.equal(false);
    expect(CommentIn.safeParse({ body: 'x'.repeat(Limits.commentBody + 1) }).success).to.equal(false);
  });
  it("room visibility needs a roomId; patches need at least one field; null unlinks", () => {
    expect(ThreadCreateIn.safeParse({ title: 't', visibility: 'room' }).success).to.equal(false);
    expect(ThreadCreateIn.safeParse({ title: 't', visibility: 'public' }).success).to.equal(true);
    expect(ThreadCreateIn.safeParse({ title: 't', visibility: 'secret' }).success).to.equal(false);
    expect(ThreadPatchIn.safeParse({}).success).to.equal(false);
    expect(EntryPatchIn.safeParse({}).success).to.equal(false);
    expect(EntryPatchIn.parse({ milestoneId: null })).to.deep.equal({ milestoneId: null });
  });
  it('a feed cursor is what the server hands out; limits are bounded', () => {
    expect(FeedQuery.safeParse({ cursor: '42', limit: '10' }).success).to.equal(true);
    expect(FeedQuery.safeParse({ cursor: 'abc' }).success).to.equal(false);
    expect(FeedQuery.safeParse({ limit: String(Limits.feedPageMax + 1) }).success).to.equal(false);
    expect(FeedQuery.safeParse({ limit: '0' }).success).to.equal(false);
  });
});
