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
