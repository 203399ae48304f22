import { AppError } from '../../shared/errors.js';
import type { Strength } from './hash-pool.js';

/** Least zxcvbn score (0–4) a new password needs: 3 is "safely unguessable" against an online attack with throttling. */
export const MIN_PASSWORD_SCORE = 3;

/** zxcvbn rates the first this many characters: it costs up to ~0.5 s of CPU at 64, and more grows worse quickly. */
export const STRENGTH_CHECK_CHARS = 64;

/** The words of the user themselves, which make a password guessable for whoever knows them. */
export function userInputsFor(who: { email: string; displayName: string }): string[] {
  const email = who.email.toLowerCase();
  const local = email.split('@')[0] ?? '';
  const words = [email, local, who.displayName, ...`${local} ${who.displayName}`.split(/[^\p{L}\p{N}]+/u)];
  return [...new Set(words.map((w) => w.trim()).filter((w) => w.length > 0))];
}

/** Why, in words, for the warnings zxcvbn gives most (its keys, e.g. `topTen`); anything else gets the general reason. */
const REASONS: Record<string, string> = {
  topTen: 'it is one of the most common passwords',
  topHundred: 'it is one of the most common passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is close to a commonly used password',
  userInputs: 'it contains your email or name',
  simpleRepeat: 'it repeats the same characters',
  extendedRepeat: 'it repeats the same pattern',
  sequences: 'it is a sequence such as 12345 or abcde',
  straightRow: 'it is a row of keys on the keyboard',
  keyPattern: 'it is a pattern of keys on the keyboard',
  recentYears: 'it is built on a recent year',
  dates: 'it is built on a date',
  wordByItself: 'it is a single word',
  namesByThemselves: 'it is a name',
};

/** Throws INVALID_INPUT naming the password field when `strength` is below MIN_PASSWORD_SCORE. */
export function assertStrongEnough(strength: Strength, field = 'password'): void {
  if (strength.score >= MIN_PASSWORD_SCORE) return;
  const why = (strength.warning && REASONS[strength.warning]) || 'it is too easy to guess';
  const message = `${field} is too weak: ${why}; use a longer one, for example a few unrelated words`;
  throw new AppError('INVALID_INPUT', message, [{ path: field, message }]);
}
