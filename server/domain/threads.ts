/**
 * Pure rules about growth-thread content: what an entry may link to, which entries are
 * highlights, and their excerpts. No I/O: callers pass the room (and its contract) in.
 */
import { AppError } from '../../shared/errors.js';
import type { EntryKind, Room, ThreadVisibility } from '../../shared/types.js';

/** Characters of an entry body kept in a highlight's excerpt. */
export const EXCERPT_CHARS = 280;

/** INVALID_INPUT about one field, with details in the shape schema failures use (`[{ path, message }]`). */
export const invalidField = (path: string, message: string): AppError => new AppError('INVALID_INPUT', message, [{ path, message }]);

/** What an entry asks to link to, and the thread it is in. */
export interface LinkRequest {
  thread: { roomId?: string; visibility: ThreadVisibility };
  milestoneId?: string | undefined;
  goalId?: string | undefined;
}

/**
 * Checks an entry's links against its thread and room (the milestone's existence is the
 * roadmap's to answer, after this). Throws INVALID_INPUT:
 * - a goal or milestone on a thread that is not tied to a room;
 * - a goal that is not in the room's current contract;
 * - a milestone on a private thread: evidence sits in the roadmap both members read, so it must
 *   be an entry the mentor can open.
 */
export function assertLinksAllowed(req: LinkRequest, room: Pick<Room, 'contract'> | null): void {
  if (req.milestoneId === undefined && req.goalId === undefined) return;
  if (req.thread.roomId === undefined || room === null) {
    throw invalidField(req.goalId !== undefined ? 'goalId' : 'milestoneId', 'only entries of a thread tied to a room may name a milestone or goal');
  }
  if (req.goalId !== undefined && !(room.contract?.goals ?? []).some((g) => g.id === req.goalId)) {
    throw invalidField('goalId', "goalId is not a goal of this room's contract");
  }
  if (req.milestoneId !== undefined && req.thread.visibility === 'private') {
    throw invalidField('milestoneId', 'a private entry cannot be milestone evidence: make the thread room or public first');
  }
}

/**
 * A thread with entries linked as evidence may not turn private (the roadmap would point at
 * entries the mentor cannot open): unlink them first.
 */
export function assertVisibilityChange(to: ThreadVisibility, hasRoom: boolean, linkedEntries: number): void {
  if (to === 'room' && !hasRoom) throw invalidField('visibility', "visibility 'room' needs a thread tied to a room");
  if (to === 'private' && linkedEntries > 0) {
    throw new AppError('GUARD_FAILED', `${linkedEntries} entries are milestone evidence; unlink them before making the thread private`, {
      guard: 'evidence-visible',
    });
  }
}

/**
 * Which threads' entries the public feed shows. Adapters filter with these constants (in SQL, in a
 * MongoDB query) instead of repeating the rule.
 */
export const FEED_VISIBILITY: ThreadVisibility = 'public';
export const inFeed = (thread: { visibility: ThreadVisibility }): boolean => thread.visibility === FEED_VISIBILITY;

/** The visibilities whose entries may be highlights of a room's record (never private ones). */
export const HIGHLIGHT_VISIBILITIES: readonly ThreadVisibility[] = ['room', 'public'];
/** The entry kind that is always a highlight (linked evidence is the other case: isHighlight). */
export const HIGHLIGHT_KIND: EntryKind = 'breakthrough';

/** Is this entry a highlight of the record of achievement? Breakthroughs and linked evidence. */
export const isHighlight = (e: { kind: EntryKind; milestoneId?: string | undefined }): boolean =>
  e.kind === HIGHLIGHT_KIND || e.milestoneId !== undefined;

/**
 * Plain text of a Markdown body, roughly: link and image targets, heading, quote and list markers,
 * emphasis and code ticks dropped. Enough for an excerpt; not a Markdown renderer.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|`+|~~)/g, '');
}

/** The start of a Markdown body as plain text, whitespace collapsed, cut at a word boundary with an ellipsis. */
export function excerptOf(body: string, max = EXCERPT_CHARS): string {
  const flat = plainText(body).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const atSpace = cut.lastIndexOf(' ');
  return `${(atSpace > max / 2 ? cut.slice(0, atSpace) : cut).trimEnd()}…`;
}
