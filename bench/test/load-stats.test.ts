import { describe, expect, it } from 'vitest';
import {
  bottleneckOf,
  distribution,
  levelRates,
  percentile,
  profileCategory,
  profileShares,
  rateOf,
  saturationOf,
  slope,
  verdictOf,
  type CpuUse,
} from '#bench/pipeline/load-stats';

describe('percentiles', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('takes the nearest rank', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([7, 1, 4], 50)).toBe(4);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises a distribution', () => {
    expect(distribution([1, 2, 3, 4])).toEqual({ count: 4, mean: 2.5, p50: 2, p95: 4, p99: 4, max: 4 });
  });
});

describe('rates and slope', () => {
  it('fits a least-squares slope', () => {
    const xs = [0, 1, 2, 3, 4];
    expect(
      slope(
        xs,
        xs.map((x) => 2 * x + 1),
      ),
    ).toBeCloseTo(2, 12);
    expect(slope([1], [1])).toBe(0);
    expect(slope([2, 2], [1, 3])).toBe(0);
  });

  it('counts (n - 1) events over their span', () => {
    expect(rateOf([0, 250, 500, 750, 1000])).toBe(4);
    expect(rateOf([10])).toBeNaN();
  });

  it('measures a level that keeps up: flat latency, records at the offered rate', () => {
    // 1 a second for 60 s, each decided 500 ms after its POST.
    const sent = Array.from({ length: 60 }, (_, i) => 1_000_000 + i * 1000);
    const rates = levelRates(
      sent,
      sent.map((s) => ({ sentAt: s, decidedAt: s + 500 })),
    );
    expect(rates.submitPerSecond).toBeCloseTo(1, 12);
    expect(rates.completionPerSecond).toBeCloseTo(1, 12);
    expect(rates.throughputPerSecond).toBeCloseTo(60 / 59.5, 12);
    expect(rates.latencyMs.p50).toBe(500);
    expect(rates.latencySlope).toBeCloseTo(0, 12);
    expect(verdictOf(1, rates)).toEqual({ sustained: true, reason: 'kept up, latency flat' });
  });

  it('measures an overloaded level: latency grows at offered / capacity - 1', () => {
    // Offered 4 a second, served 3 a second: booking i is sent at i/4 s and decided at i/3 s + 0.3 s.
    const n = 120;
    const sent = Array.from({ length: n }, (_, i) => (i * 1000) / 4);
    const completions = sent.map((s, i) => ({ sentAt: s, decidedAt: (i * 1000) / 3 + 300 }));
    const rates = levelRates(sent, completions);
    expect(rates.completionPerSecond).toBeCloseTo(3, 9);
    expect(rates.latencySlope).toBeCloseTo(4 / 3 - 1, 9);
    const verdict = verdictOf(4, rates);
    expect(verdict.sustained).toBe(false);
    expect(verdict.reason).toContain('75% of the offered rate');
    expect(verdict.reason).toContain('latency growing 0.33 s/s');
  });

  it('needs both: the rate and flat latency', () => {
    expect(verdictOf(10, { completionPerSecond: 9.6, latencySlope: 0.01 }).sustained).toBe(true);
    expect(verdictOf(10, { completionPerSecond: 9.4, latencySlope: 0.01 }).sustained).toBe(false);
    expect(verdictOf(10, { completionPerSecond: 10, latencySlope: 0.06 }).sustained).toBe(false);
    expect(verdictOf(10, { completionPerSecond: Number.NaN, latencySlope: 0 }).sustained).toBe(false);
  });
});

describe('saturationOf', () => {
  it('is the highest rate sustained with every lower one sustained, and the peak completion rate', () => {
    const levels = [
      { offeredPerSecond: 4, completionPerSecond: 3.1, sustained: false },
      { offeredPerSecond: 1, completionPerSecond: 1, sustained: true },
      { offeredPerSecond: 3, completionPerSecond: 2.95, sustained: true },
      { offeredPerSecond: 2, completionPerSecond: 2, sustained: true },
      { offeredPerSecond: 50, completionPerSecond: 3.2, sustained: false },
    ];
    expect(saturationOf(levels)).toEqual({
      sustainedPerSecond: 3,
      firstUnsustainedPerSecond: 4,
      peakCompletionPerSecond: 3.2,
    });
  });

  it('does not trust a sustained rate above one that was not', () => {
    const levels = [
      { offeredPerSecond: 1, completionPerSecond: 1, sustained: true },
      { offeredPerSecond: 2, completionPerSecond: 1.5, sustained: false },
      { offeredPerSecond: 3, completionPerSecond: 2.9, sustained: true },
    ];
    expect(saturationOf(levels)).toMatchObject({ sustainedPerSecond: 1, firstUnsustainedPerSecond: 2 });
    expect(saturationOf([{ offeredPerSecond: 10, completionPerSecond: 3, sustained: false }])).toMatchObject({
      sustainedPerSecond: null,
      firstUnsustainedPerSecond: 10,
    });
  });
});

describe('profile attribution', () => {
  it('names packages and folders', () => {
    expect(profileCategory('file:///w/node_modules/fauxqs/dist/index.js', 'f')).toContain('SQS emulator');
    expect(profileCategory('file:///w/node_modules/fastify/lib/route.js', 'f')).toContain('SQS emulator');
    expect(profileCategory('file:///w/node_modules/@smithy/core/dist/index.js', 'f')).toBe('AWS SDK');
    expect(profileCategory('file:///w/functions/core/biometrics/matcher.ts', 'f')).toContain('biometric search');
    expect(profileCategory('file:///w/functions/decide/handler.ts', 'f')).toContain('handlers');
    expect(profileCategory('node:internal/http', 'f')).toBeUndefined();
    expect(profileCategory('', '(garbage collector)')).toBe('garbage collection');
    expect(profileCategory('', '(idle)')).toBe('idle');
    expect(profileCategory('', 'parse')).toBeUndefined();
  });

  it('charges a sample to its nearest ancestor with a category', () => {
    const frame = (id: number, url: string, children: number[] = [], functionName = 'f') => ({
      id,
      callFrame: { functionName, url },
      children,
    });
    const profile = {
      nodes: [
        frame(1, '', [2, 5, 6], '(root)'),
        frame(2, 'file:///w/node_modules/fauxqs/dist/server.js', [3]),
        frame(3, 'node:internal/streams', [4]),
        frame(4, '', [], 'JSON.parse'),
        frame(5, 'file:///w/functions/core/biometrics/matcher.ts'),
        frame(6, '', [], '(idle)'),
      ],
      samples: [4, 4, 3, 5, 5, 5, 6, 1],
    };
    const shares = profileShares(profile);
    expect(shares['SQS emulator (fauxqs and its HTTP server)']).toBe(3 / 8);
    expect(shares['biometric search (functions/core/biometrics)']).toBe(3 / 8);
    expect(shares.idle).toBe(1 / 8);
    expect(shares['Node internals (I/O, timers)']).toBe(1 / 8);
  });
});

describe('bottleneckOf', () => {
  const cpu = (fields: Partial<CpuUse>): CpuUse => ({
    nodeMainThread: 0.5,
    nodeProcess: 0.5,
    dynamodbLocal: 0.3,
    machine: 0.9,
    cores: 2,
    ...fields,
  });
  const apiHeavy = {
    'AWS SDK': 0.5,
    'local runtime (local/)': 0.3,
    'event-source pollers (sqs-consumer)': 0.1,
    idle: 0.1,
  };

  it('blames the search in the match environments when they take most of the full cores', () => {
    const verdict = bottleneckOf(
      cpu({
        nodeMainThread: 0.4,
        nodeProcess: 1.8,
        machine: 1.95,
        functions: { ingest: 0.04, 'get-booking': 0, match: 1.62, decide: 0.08 },
      }),
      apiHeavy,
      { ingest: 4, 'get-booking': 4, match: 2, decide: 2 },
    );
    expect(verdict.component).toBe(
      "the biometric search in the match environments (2 worker threads) on the machine's 2 cores",
    );
    expect(verdict.evidence).toContain(
      'execution environments busy (cores): ingest 0.04, get-booking 0.00, match 1.62, decide 0.08',
    );
  });

  it('does not blame the search when the cores are not full, or the match environments are not most of them', () => {
    const idleCores = cpu({ machine: 1.2, functions: { match: 1.6, decide: 0.1 } });
    expect(bottleneckOf(idleCores, undefined).component).toBe('none at its limit');
    const busyElsewhere = cpu({ machine: 1.95, dynamodbLocal: 1.1, functions: { match: 0.7, decide: 0.1 } });
    expect(bottleneckOf(busyElsewhere, undefined).component).toContain("the machine's 2 cores (Node's threads");
  });

  it('blames the main thread (API server, pollers, fauxqs) when it is busy and got its core', () => {
    const verdict = bottleneckOf(
      cpu({ nodeMainThread: 0.97, nodeProcess: 1.3, machine: 1.5, functions: { match: 0.3, decide: 0.05 } }),
      apiHeavy,
    );
    expect(verdict.component).toBe('the Node main thread (API server, pollers, fauxqs)');
    expect(verdict.evidence).toContain('AWS SDK 56%');
    expect(verdict.evidence).toContain('match 0.30');
  });

  it('blames fauxqs when its code kept the main thread busy', () => {
    const verdict = bottleneckOf(cpu({ nodeMainThread: 0.95, nodeProcess: 1 }), {
      'SQS emulator (fauxqs and its HTTP server)': 0.6,
      'AWS SDK': 0.3,
    });
    expect(verdict.component).toContain('SQS emulator');
  });

  it('blames the shared cores when the main thread had work but not a core', () => {
    // The process's 1.25 cores less its environments' 0.7: the main thread got about half a core.
    const verdict = bottleneckOf(
      cpu({
        nodeMainThread: 0.98,
        nodeProcess: 1.25,
        dynamodbLocal: 0.4,
        machine: 1.99,
        functions: { match: 0.6, decide: 0.1 },
      }),
      apiHeavy,
    );
    expect(verdict.component).toContain("machine's 2 cores: Node's main thread had work");
    expect(verdict.evidence).toContain('other processes 34% of a core');
  });

  it('blames DynamoDB Local when the JVM takes the cores, and nothing below the limits', () => {
    expect(bottleneckOf(cpu({ dynamodbLocal: 1.9, machine: 1.95 }), undefined).component).toBe('DynamoDB Local (JVM)');
    expect(bottleneckOf(cpu({}), undefined).component).toBe('none at its limit');
  });
});
