/**
 * An open-loop schedule: submission i is due at start + i / rate, whether or not earlier ones have
 * been answered. A closed loop (send the next when one returns) would slow down with the pipeline and
 * hide the queueing the benchmark is there to measure.
 */

export interface SchedulerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: SchedulerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Shot {
  index: number;
  /** When it was due and when it was fired, ms after the start. */
  dueMs: number;
  firedMs: number;
}

/**
 * Fires `count` shots at `ratePerSecond`. `fire` is called and not awaited: what it starts runs on
 * while later shots fire. A shot that falls behind (a busy thread) fires as soon as it can, and the
 * ones after it keep their own due times, so lateness never accumulates into a lower rate.
 */
export async function runOpenLoop(
  count: number,
  ratePerSecond: number,
  fire: (index: number) => void,
  clock: SchedulerClock = realClock,
): Promise<Shot[]> {
  if (!(ratePerSecond > 0)) throw new Error(`The offered rate must be positive (got ${ratePerSecond})`);
  const shots: Shot[] = [];
  const start = clock.now();
  for (let index = 0; index < count; index++) {
    const dueMs = (index * 1000) / ratePerSecond;
    let now = clock.now() - start;
    if (now < dueMs) {
      await clock.sleep(dueMs - now);
      now = clock.now() - start;
    }
    fire(index);
    shots.push({ index, dueMs, firedMs: now });
  }
  return shots;
}
