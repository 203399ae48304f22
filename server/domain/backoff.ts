/** Retry timing for the webhook outbox (issue 15), pure. */

/**
 * Exponential backoff with jitter for webhook retries: attempt n waits between half and all of
 * base·2^(n-1), capped at `maxMs` (a day), so a long outage is retried at most daily.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs = 86_400_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
