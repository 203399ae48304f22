import type { Limiter, LimiterFactory, LimitResult } from '../rate/limiter.js';

/** Failed logins allowed per (email, client IP) and per client IP within `windowSec`. */
export interface LoginThrottleLimits {
  perEmailAndIp: number;
  perIp: number;
  windowSec: number;
}

export const defaultLoginLimits: LoginThrottleLimits = { perEmailAndIp: 10, perIp: 20, windowSec: 15 * 60 };

/**
 * Slows password guessing without letting a guesser lock the owner out (issue 13). Failures are
 * counted per (email, client IP) — guessing one account from one client stops after
 * `perEmailAndIp` — and per client IP — spraying many emails from one client stops after `perIp`.
 * A client that has not failed is never refused, so the owner logging in from their own device
 * gets in while someone else is locked out of guessing. Counted on every node alike (the
 * limiters are Redis-shared in cluster mode), so N nodes allow no more guesses than one.
 *
 * An attempt is counted before its password is checked (`reserve`) and given back when it was
 * right (`succeeded`): concurrent guesses cannot all pass a check made before the slow hash.
 */
export class LoginThrottle {
  private readonly byEmailAndIp: Limiter;
  private readonly byIp: Limiter;

  constructor(limiters: LimiterFactory, limits: LoginThrottleLimits = defaultLoginLimits) {
    this.byEmailAndIp = limiters({ name: 'login-email-ip', points: limits.perEmailAndIp, durationSec: limits.windowSec });
    this.byIp = limiters({ name: 'login-ip', points: limits.perIp, durationSec: limits.windowSec });
  }

  /** Counts an attempt for (email, ip); refused (nothing counted) when either allowance is spent. */
  async reserve(email: string, ip: string): Promise<LimitResult> {
    const pair = await this.byEmailAndIp.consume(pairKey(email, ip));
    if (!pair.ok) return pair;
    const client = await this.byIp.consume(ip);
    if (!client.ok) await this.byEmailAndIp.reward(pairKey(email, ip));
    return client;
  }

  /** An attempt that never checked its password (the hash queue was full): its points go back, nothing is forgotten. */
  async release(email: string, ip: string): Promise<void> {
    await Promise.all([this.byEmailAndIp.reward(pairKey(email, ip)), this.byIp.reward(ip)]);
  }

  /** A right password: the pair's failures are forgotten and the IP gets its point back. */
  async succeeded(email: string, ip: string): Promise<void> {
    await Promise.all([this.byEmailAndIp.reset(pairKey(email, ip)), this.byIp.reward(ip)]);
  }
}

const pairKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;
