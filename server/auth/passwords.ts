import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HashPool } from './hash-pool.js';
import { assertStrongEnough, STRENGTH_CHECK_CHARS, userInputsFor } from './password-rules.js';

/** scrypt cost: N=2^15, r=8, p=1 (OWASP's minimum is 2^17 with p=1 at 64 MiB; this is ~32 MiB, ~50 ms). */
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LEN = 32;
const MAX_MEM = 64 * 1024 * 1024;
/** Bounds on the parameters of a stored hash: anything outside is malformed, not worth a worker's memory. */
const MAX_N = 1 << 20;

/**
 * Password hashing and checking on the HashPool's worker threads. Format (unchanged, so existing
 * hashes verify): scrypt$N$r$p$salt$hash, salt and hash base64url.
 */
export class Passwords {
  /**
   * What an unknown email is checked against so timing does not reveal which emails exist: the
   * same parameters as a real hash (so the same work), with a random key no password derives.
   */
  private readonly dummy = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, randomBytes(16).toString('base64url'), randomBytes(KEY_LEN).toString('base64url')].join('$');

  constructor(private readonly pool: HashPool) {}

  /** A new hash; throws AppError RATE_LIMITED when the pool's queue is full. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.pool.derive({ password: password.normalize('NFKC'), salt, keyLen: KEY_LEN, ...PARAMS, maxmem: MAX_MEM });
    return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Throws INVALID_INPUT (naming `field`) for a common or trivial password, or one built on the user's email or name. */
  async assertAcceptable(password: string, who: { email: string; displayName: string }, field = 'password'): Promise<void> {
    assertStrongEnough(await this.pool.strength(password.slice(0, STRENGTH_CHECK_CHARS), userInputsFor(who)), field);
  }

  /** Constant-time check against `stored` (or the dummy when there is none); false for a malformed hash rather than a throw. */
  async verify(password: string, stored: string | undefined): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = (stored ?? this.dummy).split('$');
    const N = Number(n);
    const R = Number(r);
    const P = Number(p);
    if (scheme !== 'scrypt' || !salt || !hash || !isPow2(N) || N > MAX_N || !inRange(R, 1, 32) || !inRange(P, 1, 16)) return false;
    const expected = Buffer.from(hash, 'base64url');
    const key = await this.pool.derive({ password: password.normalize('NFKC'), salt: Buffer.from(salt, 'base64url'), keyLen: KEY_LEN, N, r: R, p: P, maxmem: MAX_MEM * 2 });
    return stored !== undefined && key.length === expected.length && timingSafeEqual(key, expected);
  }
}

const isPow2 = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
const inRange = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;
