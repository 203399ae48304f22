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
  return linkLabels(markdown)
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|`+|~~)/g, '');
}

/**
 * `[label](target)` and `![label](target)` replaced by their label, as the regex
 * `/!?\[([^\]]*)\]\([^)]*\)/g` would, in one pass. That regex is quadratic on hostile input (every
 * `[` of `'['.repeat(20000)` scans to the end; issue 13); this scanner never looks at a character
 * twice: a `[` whose label ends at a `]` not followed by `(` fails for every `[` before that `]`
 * too, and with no `]` or no `)` left nothing after can match.
 */
export function linkLabels(text: string): string {
  let out = '';
  let last = 0; // text before this index is already in `out` (or dropped)
  let i = text.indexOf('[');
  while (i !== -1) {
    const close = text.indexOf(']', i + 1);
    if (close === -1) break;
    if (text[close + 1] !== '(') {
      i = text.indexOf('[', close + 1);
      continue;
    }
    const end = text.indexOf(')', close + 2);
    if (end === -1) break;
    const start = i > last && text[i - 1] === '!' ? i - 1 : i;
    out += text.slice(last, start) + text.slice(i + 1, close);
    last = end + 1;
    i = text.indexOf('[', last);
  }
  return out + text.slice(last);
}

/** The start of a Markdown body as plain text, whitespace collapsed, cut at a word boundary with an ellipsis. */
export function excerptOf(body: string, max = EXCERPT_CHARS): string {
  const flat = plainText(body).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const atSpace = cut.lastIndexOf(' ');
  return `${(atSpace > max / 2 ? cut.slice(0, atSpace) : cut).trimEnd()}…`;
}
