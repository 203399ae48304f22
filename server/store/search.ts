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

/** The parts of a cursor: the sort key of the last row of a page, in the adapter's own order. */
export type CursorParts = Array<string | number>;

/** An opaque, url-safe cursor for the page after the row whose sort key is `parts`. */
export const encodeCursor = (parts: CursorParts): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

/**
 * The sort key inside a cursor, checked against the types the adapter expects; anything else
 * (a forged or truncated cursor, one from another adapter) is INVALID_INPUT.
 */
export function decodeCursor(cursor: string, shape: ReadonlyArray<'string' | 'number'>): CursorParts {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === shape.length && value.every((v, i) => typeof v === shape[i] && (typeof v !== 'number' || Number.isSafeInteger(v)))) {
      return value as CursorParts;
    }
  } catch {
    /* fall through: not JSON */
  }
  throw new AppError('INVALID_INPUT', 'cursor is not valid; use the nextCursor of a previous page');
}

/**
 * A word as matched without case or diacritics (what SQLite's `unicode61 remove_diacritics 2`
 * tokenizer does): decomposed, combining marks dropped, lower-cased. "Ngọc" → "ngoc".
 */
export const foldWord = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The query words, folded, for adapters that match folded words (MongoDB). Empty words are dropped. */
export const foldedSearchWords = (q: string | undefined): string[] => [...new Set(searchWords(q).map(foldWord).filter(Boolean))];

/**
 * The folded words of a mentor's name, bio and tags, split as query words are: a query word
 * matches when it is a prefix of one of these.
 */
export function indexWords(displayName: string, bio: string, tags: readonly string[]): string[] {
  const text = [displayName, bio, ...tags].join(' ');
  return [...new Set(text.split(/[^\p{L}\p{M}\p{N}]+/u).map(foldWord).filter(Boolean))];
}
