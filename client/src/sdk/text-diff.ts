/**
 * Minimal text edits for binding a plain text field to a shared text (Y.Text): turn "the field
 * now reads X" into one splice, and move a caret through edits made by someone else. Pure.
 */

/** One splice: at `index`, remove `remove` characters, then insert `insert`. */
export interface Splice {
  index: number;
  remove: number;
  insert: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The single splice that turns `before` into `after`: the common prefix and suffix stay, only
 * the middle changes. Null when the texts are equal. Typing one character, deleting a selection
 * or pasting over it each give one small splice, so a concurrent edit elsewhere in the text is
 * kept (replacing the whole text would drop it). Never splits a surrogate pair (an emoji).
 */
export function diffText(before: string, after: string): Splice | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Do not end the prefix between the two halves of a pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  // Nor start the suffix on a low surrogate.
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** Applies a splice to a string (what the shared text does with it). */
export const applySplice = (text: string, s: Splice): string => text.slice(0, s.index) + s.insert + text.slice(s.index + s.remove);

/** A Yjs-style delta: retain / insert / delete operations from the start of the text. */
export type TextDelta = ReadonlyArray<{ retain?: number; insert?: unknown; delete?: number }>;

/**
 * Where a caret at `pos` ends up after someone else's change `delta`: text inserted before it
 * pushes it right, text deleted before it pulls it left (a caret inside a deleted range lands at
 * its start). Text inserted exactly at the caret stays after it (someone else's insert there
 * should not move where I am typing), unless `stickToEnd`: then the caret moves past it, as the
 * end of a selection should, so the selection grows around the insert.
 */
export function transformPosition(pos: number, delta: TextDelta, stickToEnd = false): number {
  let index = 0; // position in the old text
  let shift = 0;
  for (const op of delta) {
    if (index > pos || (index === pos && !stickToEnd && op.insert !== undefined)) break;
    if (op.retain !== undefined) index += op.retain;
    else if (op.insert !== undefined) shift += typeof op.insert === 'string' ? op.insert.length : 1;
    else if (op.delete !== undefined) {
      const removedBefore = Math.min(op.delete, pos - index);
      shift -= removedBefore;
      index += op.delete;
    }
  }
  return Math.max(0, pos + shift);
}
