/**
 * Exact percentiles over every recorded sample (no bucketing): the samples are sorted once and
 * read by nearest rank, which is what HdrHistogram approximates. A step holds at most a few
 * hundred thousand samples, so sorting costs milliseconds.
 */

/** Latency summary of one step, in milliseconds. `Infinity` stands for a sample that never arrived. */
export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank percentile (`q` in 0..1) of an ascending array: the smallest value with at least q of the samples at or below it. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Sorts a copy of the samples and reads the usual percentiles. */
export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
