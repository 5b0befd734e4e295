import { describe, expect, it } from 'vitest';
import { runOpenLoop, type SchedulerClock } from '#bench/pipeline/load-schedule';

/** A clock that moves only when slept on; `overshoot` makes the n-th sleep late, as a busy thread would. */
function fakeClock(overshoot: Record<number, number> = {}): SchedulerClock & { sleeps: number[] } {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms + (overshoot[sleeps.length - 1] ?? 0);
    },
  };
}

describe('runOpenLoop', () => {
  it('fires shot i at i / rate, on time', async () => {
    const clock = fakeClock();
    const fired: number[] = [];
    const shots = await runOpenLoop(5, 4, () => fired.push(clock.now() - 1_000), clock);
    expect(fired).toEqual([0, 250, 500, 750, 1000]);
    expect(shots.map((s) => s.dueMs)).toEqual([0, 250, 500, 750, 1000]);
    expect(shots.map((s) => s.firedMs - s.dueMs)).toEqual([0, 0, 0, 0, 0]);
  });

  it('does not wait for what a shot started (open loop)', async () => {
    const clock = fakeClock();
    const pending: Array<Promise<never>> = [];
    const shots = await runOpenLoop(
      3,
      10,
      () => {
        pending.push(new Promise<never>(() => undefined));
      },
      clock,
    );
    expect(shots).toHaveLength(3);
    expect(pending).toHaveLength(3);
  });

  it('catches up after a late wake-up without shifting the later shots', async () => {
    // 10 a second; the second sleep (before shot 2, due at 200 ms) wakes 350 ms late, at 550 ms.
    const clock = fakeClock({ 1: 350 });
    const shots = await runOpenLoop(8, 10, () => undefined, clock);
    expect(shots.map((s) => s.firedMs)).toEqual([0, 100, 550, 550, 550, 550, 600, 700]);
    expect(shots.map((s) => s.dueMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
    // Shots 3 to 5 were already due: fired at once, no sleep.
    expect(clock.sleeps).toEqual([100, 100, 50, 100]);
  });

  it('refuses a rate that is not positive', async () => {
    await expect(runOpenLoop(1, 0, () => undefined, fakeClock())).rejects.toThrow('positive');
  });
});
