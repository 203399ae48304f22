/**
 * How many comments a user may post: a per-user allowance behind one function, counted by the
 * node's Limiter (in memory on one node, shared through Redis in cluster mode).
 */
import { ServerLimits } from '../limits.js';
import { memoryLimiters, type LimiterFactory } from '../rate/limiter.js';

/** Resolves true when `userId` may post one more comment now (and counts it). */
export type CommentRate = (userId: string) => Promise<boolean>;

/** `perMinute` comments per user per minute, from the node's limiter factory. */
export function commentAllowance(limiters: LimiterFactory = memoryLimiters, perMinute = ServerLimits.commentsPerUserPerMinute): CommentRate {
  const limiter = limiters({ name: 'comments', points: perMinute, durationSec: 60 });
  return async (userId) => (await limiter.consume(userId)).ok;
}
