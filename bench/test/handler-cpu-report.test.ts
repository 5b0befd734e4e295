import { describe, expect, it } from 'vitest';
import { handlerCpuChartSvg } from '#bench/pipeline/handler-cpu-chart';
import {
  cpuByGroup,
  groupCpuMs,
  handlerCpuFindings,
  handlerCpuMarkdown,
  summarise,
  type BookingSample,
  type HandlerCpuReport,
  type StepSample,
} from '#bench/pipeline/handler-cpu-report';

/** A step sample from CPU microseconds by phase (entries 1 unless given) and the total. */
function step(cpuMicros: number, wallMs: number, phases: Record<string, number | [number, number]>): StepSample {
  return {
    cpuMicros,
    wallMs,
    phases: Object.fromEntries(
      Object.entries(phases).map(([name, value]) => {
        const [cpu, entries] = Array.isArray(value) ? value : [value, 1];
        return [name, { cpuMicros: cpu, wallMs: cpu / 500, entries }];
      }),
    ),
  };
}

/*
 * Three bookings, hand-computed (ms):
 *                 match: total  search  verification  io    overhead | decide: total  decision  io   overhead
 *   A mated              10      2       3             4.5   0.5      |         4      1         2    1
 *   B unmated           100      1      90             8.5   0.5      |         3      0.5       2    0.5
 *   C unmated            50      1      40             8.5   0.5      |         3      0.5       2    0.5
 */
const A: BookingSample = {
  mated: true,
  outcome: 'match',
  candidatesVerified: 20,
  match: step(10_000, 20, { search: 2000, verification: 3000, 'io.gallery': [4000, 3], 'io.dynamodb.PutItem': 500 }),
  decide: step(4000, 8, { decision: 1000, 'io.records': [2000, 3] }),
};
const B: BookingSample = {
  mated: false,
  outcome: 'no-match',
  candidatesVerified: 200,
  match: step(100_000, 125, {
    search: 1000,
    verification: 90_000,
    'io.gallery': [8000, 2],
    'io.dynamodb.PutItem': 500,
  }),
  decide: step(3000, 10, { decision: 500, 'io.records': [2000, 3] }),
};
const C: BookingSample = {
  ...B,
  match: step(50_000, 75, { search: 1000, verification: 40_000, 'io.gallery': [8000, 2], 'io.dynamodb.PutItem': 500 }),
};

function report(samples: BookingSample[]): HandlerCpuReport {
  return {
    options: { gallerySize: 300, bookings: samples.length, warmup: 2, seed: 1, sqsEmulator: 'child-process' },
    matedShare: 0.066,
    gallery: { identities: 300, seedSeconds: 1.5 },
    samples,
    powertools: { logLevel: 'WARN', metrics: false },
    machine: { cpu: 'test CPU', cores: 2, node: 'v20.0.0', loadBefore: [0.5, 0.5, 0.5], loadAfter: [1, 1, 1] },
    seconds: 12,
  };
}

describe('cpuByGroup', () => {
  it('adds io.* phases into I/O and leaves the rest of the total to overhead', () => {
    expect(cpuByGroup(A.match)).toEqual({ search: 2000, verification: 3000, io: 4500, overhead: 500 });
    expect(cpuByGroup(A.decide)).toEqual({ decision: 1000, io: 2000, overhead: 1000 });
  });

  it('never gives a negative overhead', () => {
    expect(cpuByGroup(step(90, 1, { search: 100 })).overhead).toBe(0);
  });
});

describe('summarise', () => {
  it('gives the mean and nearest-rank p50 and p95', () => {
    expect(summarise([3, 1, 2, 10])).toEqual({ n: 4, mean: 4, p50: 2, p95: 10 });
  });

  it('gives NaN for no values', () => {
    expect(summarise([])).toEqual({ n: 0, mean: NaN, p50: NaN, p95: NaN });
  });
});

describe('groupCpuMs', () => {
  it('summarises a phase group or the whole step in ms per booking', () => {
    expect(groupCpuMs([A, B, C], 'match', 'verification')).toEqual({ n: 3, mean: 133 / 3, p50: 40, p95: 90 });
    expect(groupCpuMs([B, C], 'match', 'total').mean).toBe(75);
    expect(groupCpuMs([A], 'decide', 'search').mean).toBe(0);
  });
});

describe('handlerCpuFindings', () => {
  it('names the larger step, the largest phase and the mated / unmated difference from the numbers', () => {
    // Act
    const text = handlerCpuFindings(report([A, B, C])).join(' ');

    // Assess: match 53.3 ms against decide 3.33 ms; verification 44.3 of 53.3 ms
    expect(text).toContain('Per booking, match takes 16.0x the CPU of decide (53.3 ms against 3.33 ms');
    expect(text).toContain('in match, verification is the largest part (83%)');
    expect(text).toContain(
      "An unmated booking's match costs 75.0 ms of CPU (200 candidates verified, verification 87%)",
    );
    expect(text).toContain('against 10.0 ms for a mated one (20 verified)');
    expect(text).toContain('In decide, I/O is the largest part (60%)');
    // CPU / wall: match 53.3 of 73.3 ms, decide 3.33 of 9.33 ms
    expect(text).toContain('on CPU for 73% (match) and 36% (decide) of their wall time');
  });

  it('follows the numbers when decide costs more, and leaves out the comparison without mated bookings', () => {
    // Arrange
    const cheapMatch: BookingSample = { ...B, match: step(2000, 5, { search: 1500 }) };

    // Act
    const text = handlerCpuFindings(report([cheapMatch])).join(' ');

    // Assess
    expect(text).toContain('Per booking, decide takes 1.5x the CPU of match (2.00 ms against 3.00 ms');
    expect(text).toContain('in match, search is the largest part (75%)');
    expect(text).not.toContain('unmated booking');
  });
});

describe('handlerCpuMarkdown', () => {
  const markdown = handlerCpuMarkdown(report([A, B, C]));

  it('has a row per step and group of bookings with CPU and wall figures', () => {
    expect(markdown).toContain('| match, unmated | 2 | 75.0 | 50.0 | 100 | 100 | 75.0 | 125 | 75% |');
    expect(markdown).toContain('| decide, mated | 1 | 4.00 | 4.00 | 4.00 | 8.00 | 8.00 | 8.00 | 50% |');
  });

  it('has a phase table per step, with shares of the total', () => {
    expect(markdown).toContain(
      '| verification (matcher comparisons) | 3.00 | 3.00 | 3.00 | 65.0 | 40.0 | 90.0 | 44.3 | 40.0 | 90.0 | 83% |',
    );
    expect(markdown).toContain(
      '| handler overhead (parsing, middy, Powertools) | 1.00 | 1.00 | 1.00 | 0.50 | 0.50 | 0.50 | 0.67 | 0.50 | 1.00 | 20% |',
    );
    expect(markdown).toContain('| **total** | 10.0 | 10.0 | 10.0 | 75.0 | 50.0 | 100 | 53.3 | 50.0 | 100 | 100% |');
  });

  it('lists I/O by call site, with calls per booking', () => {
    expect(markdown).toContain('| match | `io.gallery` | gallery reads, decoding included | 2.33 | 6.67 | 13.3 |');
    expect(markdown).toContain('| match | `io.dynamodb.PutItem` | other SDK call | 1.00 | 0.50 | 1.00 |');
    expect(markdown).toContain(
      '| decide | `io.records` | records table: transaction, outbox marks | 3.00 | 2.00 | 4.00 |',
    );
  });

  it('shows a dash for a group without bookings', () => {
    expect(handlerCpuMarkdown(report([B, C]))).toContain('| match, mated | 0 | - | - | - | - | - | - | - |');
  });
});

describe('handlerCpuChartSvg', () => {
  it('draws a bar per step and group of bookings, with the number of bookings in each', () => {
    // Act
    const svg = handlerCpuChartSvg(report([B, C]));

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const label of [
      'match, mated (n 0)',
      'match, unmated (n 2)',
      'decide, mated (n 0)',
      'decide, unmated (n 2)',
    ]) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg).toContain('>75.0 ms</text>');
  });
});
