import type { Clock } from '../../server/domain/clock.js';

/** A clock that runs with the wall clock plus an offset the test moves forward (issue 19). */
export function drivenClock(): { clock: Clock; advance(ms: number): void } {
  let offset = 0;
  return {
    clock: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}

/** A clock that stands still until the test sets or advances it (issue 15's reminders). */
export function manualClock(at: Date = new Date()): { clock: Clock; now(): Date; set(at: Date | string): void; advance(ms: number): void } {
  let ms = at.getTime();
  return {
    clock: () => ms,
    now: () => new Date(ms),
    set(to: Date | string) {
      ms = new Date(to).getTime();
    },
    advance(by: number) {
      ms += by;
    },
  };
}
