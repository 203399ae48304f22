import { randomFillSync } from 'node:crypto';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one call into the CSPRNG per 256 ids
 * instead of one per id (issue 17: ids were ~1.5% of the chat path's CPU).
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function take(n: number): number {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}

/** A new random id: 128 bits, url-safe base64 (22 chars). */
export const newId = (): string => {
  const at = take(16);
  return pool.toString('base64url', at, at + 16);
};

/** The 64 id characters in ascending byte order, so ids compare (SQLite BINARY, JS <) as their bits do. */
const SORTED = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * A new time-ordered id (22 chars of the url-safe alphabet): 48 bits of milliseconds since the
 * epoch, then 84 random bits. Ids made later sort after earlier ones (to the millisecond), so an
 * index on them takes each insert at its right edge, in a page already in cache and already
 * dirty in this batch, instead of at a random page (issue 17: bytes written per message). It
 * reveals its creation time, so it is for rows whose time is public anyway (messages).
 */
export const newSortableId = (): string => {
  let ms = Date.now();
  // 8 chars × 6 bits = 48 bits of time, most significant first (no bitwise ops: ms exceeds 2^32).
  const time = new Array<string>(8);
  for (let i = 7; i >= 0; i--) {
    time[i] = SORTED[ms % 64]!;
    ms = Math.floor(ms / 64);
  }
  let out = time.join('');
  const at = take(14);
  for (let i = 0; i < 14; i++) out += SORTED[pool[at + i]! & 63]!;
  return out;
};

/** The current time as an ISO-8601 UTC string (the one format every stored time uses). */
export const nowIso = (): string => new Date().toISOString();
