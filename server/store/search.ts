/**
 * Mentor-search helpers every Store adapter shares, so "what matches" and the cursor format are
 * the same whichever database is behind the port.
 */
import { AppError } from '../../shared/errors.js';

/** At most this many words of a query are used: more only slows the search down. */
export const MAX_SEARCH_WORDS = 8;

/**
 * The words of a search query: lower-cased runs of letters, marks and digits, deduplicated.
 * Each must prefix-match a word of the mentor's name, bio or tags.
 */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  const words = q.toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/** A tag as it is matched: trimmed and lower-cased (tags are stored lower-cased too). */
export const normalTag = (tag: string): string => tag.trim().toLowerCase();

/** Where a page ends in the (createdAt, id) order: createdAt never changes, so paging is stable. */
export interface SearchPosition {
  createdAt: string;
  id: string;
}

export const encodeCursor = (p: SearchPosition): string => Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');

/** Throws INVALID_INPUT for anything that is not a cursor this module made. */
export function decodeCursor(cursor: string): SearchPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    /* fall through: not JSON */
  }
  throw new AppError('INVALID_INPUT', 'cursor is not valid; use the nextCursor of a previous page');
}
