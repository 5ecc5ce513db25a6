import type { Clock } from "../../lib/readiness";

export interface FakeClock extends Clock {
  /** The time, in ms. */
  t: number;
  /** Every pause asked for, in order. */
  readonly sleeps: number[];
}

/**
 * A clock whose sleeps take no wall time: each is recorded, and ends on the next turn of the event
 * loop, moving the time on by its length. Ending a turn later (not at once) lets an answer that is
 * already on its way win a race against a timeout, as it would in real time.
 */
export function fakeClock(start = 1_000_000): FakeClock {
  const clock: FakeClock = {
    t: start,
    sleeps: [],
    now: () => clock.t,
    sleep: (ms) => {
      clock.sleeps.push(ms);
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          clock.t += ms;
          resolve();
        }),
      );
    },
  };
  return clock;
}
