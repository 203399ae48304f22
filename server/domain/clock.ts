/**
 * The clock the time-based rules read (issue 19): epoch milliseconds. Services take one so tests
 * (and the reminder scheduler of issue 15) can drive time; the domain takes `now` as a value.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
