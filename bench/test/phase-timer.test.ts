import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activePhase,
  startPhaseRecording,
  timePhase,
  type PhaseClock,
  type PhaseRecording,
} from '#bench/common/phase-timer';

/** A clock that moves only when told: `spend(micros)` advances the CPU clock, and the wall clock by twice as many ms. */
function fakeClock(): PhaseClock & { spend(micros: number): void } {
  let cpu = 0;
  return {
    cpuMicros: () => cpu,
    wallMs: () => cpu * 2,
    spend: (micros) => {
      cpu += micros;
    },
  };
}

const cpuOf = (totals: ReturnType<PhaseRecording['stop']>) =>
  Object.fromEntries([...totals].map(([name, total]) => [name, total.cpuMicros]));

let running: PhaseRecording | undefined;
afterEach(() => {
  running?.stop();
  running = undefined;
  vi.restoreAllMocks();
});

describe('timePhase without a recording', () => {
  it('runs the function and hands back its result untouched, reading no clock', async () => {
    // Arrange
    const cpuUsage = vi.spyOn(process, 'cpuUsage');
    const now = vi.spyOn(performance, 'now');
    const promise = Promise.resolve(42);

    // Act
    const sync = timePhase('search', () => 'done');
    const async = timePhase('io.gallery', () => promise);

    // Assess
    expect(sync).toBe('done');
    expect(async).toBe(promise); // not wrapped in another promise
    await expect(async).resolves.toBe(42);
    expect(cpuUsage).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    expect(activePhase()).toBeUndefined();
  });

  it('lets errors through', () => {
    expect(() =>
      timePhase('search', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
  });
});

describe('timePhase with a recording', () => {
  it('charges a synchronous phase the time spent inside it, and nothing outside it', () => {
    // Arrange
    const clock = fakeClock();
    running = startPhaseRecording(clock);

    // Act
    clock.spend(100); // outside any phase
    timePhase('decision', () => clock.spend(250));
    clock.spend(50);
    const totals = running.stop();

    // Assess
    expect(cpuOf(totals)).toEqual({ decision: 250 });
    expect(totals.get('decision')).toMatchObject({ entries: 1, wallMs: 500 });
  });

  it('keeps an async phase active until its promise settles', async () => {
    // Arrange
    const clock = fakeClock();
    running = startPhaseRecording(clock);

    // Act
    await timePhase('io.records', async () => {
      clock.spend(10);
      await new Promise((resolve) => setTimeout(resolve, 1));
      clock.spend(30); // the response parsed after the await
    });
    clock.spend(1000);

    // Assess
    expect(cpuOf(running.stop())).toEqual({ 'io.records': 40 });
  });

  it('charges nested phases to the innermost one, so each figure excludes the phases inside it', async () => {
    // Arrange
    const clock = fakeClock();
    running = startPhaseRecording(clock);

    // Act
    await timePhase('search', async () => {
      clock.spend(5); // index keys
      await timePhase('io.gallery', async () => clock.spend(20));
      clock.spend(7); // vote
      for (let round = 0; round < 2; round++) {
        await timePhase('io.gallery', async () => clock.spend(3));
        timePhase('verification', () => {
          expect(activePhase()).toBe('verification');
          clock.spend(100);
        });
      }
      clock.spend(1); // ranking
    });

    // Assess
    const totals = running.stop();
    expect(cpuOf(totals)).toEqual({ search: 13, 'io.gallery': 26, verification: 200 });
    expect(totals.get('io.gallery')?.entries).toBe(3);
    expect(totals.get('verification')?.entries).toBe(2);
  });

  it('ends a phase that throws or rejects', async () => {
    // Arrange
    const clock = fakeClock();
    running = startPhaseRecording(clock);

    // Act
    expect(() =>
      timePhase('decision', () => {
        clock.spend(5);
        throw new Error('sync');
      }),
    ).toThrow('sync');
    await expect(
      timePhase('io.events', async () => {
        clock.spend(8);
        throw new Error('async');
      }),
    ).rejects.toThrow('async');
    clock.spend(500);

    // Assess
    expect(activePhase()).toBeUndefined();
    expect(cpuOf(running.stop())).toEqual({ decision: 5, 'io.events': 8 });
  });

  it('charges the later of two overlapping phases while both run, whichever ends first', async () => {
    // Arrange
    const clock = fakeClock();
    running = startPhaseRecording(clock);
    let endFirst = () => undefined as void;

    // Act
    const first = timePhase('io.audit', () => new Promise<void>((resolve) => (endFirst = resolve)));
    clock.spend(10);
    const second = timePhase('io.events', async () => {
      clock.spend(20);
      endFirst();
      await first;
      clock.spend(30); // io.audit has ended: io.events is the only phase left
    });
    await Promise.all([first, second]);

    // Assess
    expect(cpuOf(running.stop())).toEqual({ 'io.audit': 10, 'io.events': 50 });
  });

  it('stops recording on stop(): one recording at a time, nothing charged after', () => {
    // Arrange
    const clock = fakeClock();
    const recording = startPhaseRecording(clock);
    expect(() => startPhaseRecording(clock)).toThrow(/already running/);

    // Act
    timePhase('search', () => clock.spend(1));
    const totals = recording.stop();
    timePhase('search', () => clock.spend(1000));

    // Assess
    expect(cpuOf(totals)).toEqual({ search: 1 });
    expect(recording.stop()).toBe(totals);
    running = startPhaseRecording(clock); // a new one may start
  });

  it('reads the process clock by default', () => {
    // Arrange
    const cpuUsage = vi.spyOn(process, 'cpuUsage');
    running = startPhaseRecording();

    // Act
    timePhase('search', () => undefined);

    // Assess: at the start, entering and leaving
    expect(cpuUsage).toHaveBeenCalledTimes(3);
  });
});
