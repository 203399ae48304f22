import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** A refusal says how long until the key may try again. */
export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * The Limiter port: a fixed allowance of `points` per `durationSec` per key (a user id, an IP,
 * an email+IP), counted across every node when the node has Redis and in this process otherwise.
 * Every per-user or per-IP limit of the server goes through one (server/app.ts builds them).
 */
export interface Limiter {
  /** Takes one point from the key's allowance; refused (nothing taken) when it is spent. */
  consume(key: string): Promise<LimitResult>;
  /** Gives one point back (an attempt that turned out not to count, such as a right password). */
  reward(key: string): Promise<void>;
  /** Forgets the key: its allowance starts again. */
  reset(key: string): Promise<void>;
}

export interface LimiterSpec {
  /** Names the limit's keys (in Redis: `menteo:limit:<name>:<key>`). */
  name: string;
  points: number;
  durationSec: number;
}

/** Builds the node's limiters: in memory, or shared through Redis. */
export type LimiterFactory = (spec: LimiterSpec) => Limiter;

/**
 * Limits on one node: rate-limiter-flexible's in-memory limiter.
 */
export const memoryLimiters: LimiterFactory = (spec) => wrap(new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationSec }));

/**
 * Limits shared by every node through Redis (rate-limiter-flexible's RateLimiterRedis: one atomic
 * INCR+PEXPIRE per call). While Redis is down (`rejectIfRedisNotReady`: no waiting on a dead
 * connection) the insurance limiter counts in this node's memory with the same allowance, so an
 * outage neither stops the node nor lifts its limits.
 */
export function redisLimiters(redis: Redis): LimiterFactory {
  return (spec) =>
    wrap(
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `menteo:limit:${spec.name}`,
        points: spec.points,
        duration: spec.durationSec,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationSec }),
      }),
    );
}

function wrap(limiter: RateLimiterAbstract): Limiter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { ok: true };
      } catch (err) {
        // A RateLimiterRes is a refusal; anything else (both Redis and insurance failed) lets the request through.
        if (err instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, err.msBeforeNext) };
        return { ok: true };
      }
    },
    async reward(key) {
      await limiter.reward(key).catch(() => {});
    },
    async reset(key) {
      await limiter.delete(key).catch(() => {});
    },
  };
}
