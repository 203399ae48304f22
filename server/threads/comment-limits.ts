/**
 * How many comments a user may post: a per-user rate behind one function, so the cluster's shared
 * limiter (Redis) can take its place without touching the thread service.
 */
import { ServerLimits } from '../limits.js';
import { KeyedTokenBuckets } from '../rate/token-bucket.js';

/** True when `userId` may post one more comment now (takes a token). */
export type CommentRate = (userId: string) => boolean;

/** The in-process limit: `commentsPerUserPerMinute`, as a burst that refills evenly over the minute. */
export function localCommentRate(perMinute = ServerLimits.commentsPerUserPerMinute): CommentRate {
  const buckets = new KeyedTokenBuckets(perMinute / 60, perMinute);
  return (userId) => buckets.take(userId);
}
