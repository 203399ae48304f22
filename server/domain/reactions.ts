/** Message reactions (DESIGN §3 Message): a pure rule every Store adapter applies inside its write. */
import { AppError } from '../../shared/errors.js';

/**
 * Pure: the reactions map after one user's toggle. Keeps at most `maxEmoji` distinct emoji.
 * Works on a Map, so an emoji that names an Object.prototype member (`__proto__`, `toString`)
 * is just a key; Object.fromEntries defines own properties, never the prototype.
 */
export function applyReaction(
  reactions: Record<string, string[]>,
  userId: string,
  emoji: string,
  on: boolean,
  maxEmoji: number,
): Record<string, string[]> {
  const next = new Map(Object.entries(reactions));
  const users = new Set(next.get(emoji) ?? []);
  if (on) {
    if (!next.has(emoji) && next.size >= maxEmoji) {
      throw new AppError('INVALID_INPUT', `a message holds at most ${maxEmoji} distinct reactions`);
    }
    users.add(userId);
  } else {
    users.delete(userId);
  }
  if (users.size === 0) next.delete(emoji);
  else next.set(emoji, [...users]);
  return Object.fromEntries(next);
}
