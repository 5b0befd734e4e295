import { describe, expect, it } from 'vitest';
import { costModel, type RunCounts } from '#bench/pipeline/cost';
import { emptyOperationCounts } from '#bench/pipeline/cost-counter';
import { logRange, logTicks } from '#bench/pipeline/load-chart';
import { loadChartSvg } from '#bench/pipeline/load-chart';
import { loadMarkdown, loadTargets, type LevelResult, type LoadReport } from '#bench/pipeline/load-report';
import { bottleneckOf, distribution, levelRates, saturationOf, verdictOf } from '#bench/pipeline/load-stats';

const counts: RunCounts = {
  calls: { 'dynamodb.PutItem': { ...emptyOperationCounts(), calls: 2, attempts: 2, billed: 2, writeUnits: 4 } },
  invocations: { ingest: { invocations: 2, records: 2, durationMs: 80, billedMs: 81 } },
  logs: { lines: 10, bytes: 2000, level: 'INFO' },
  seconds: 10,
};

/** A level offered `rate` a second against a pipeline that serves `capacity` a second. */
function level(phase: 'ramp' | 'level', rate: number, capacity: number): LevelResult {
  const n = 20;
  const served = Math.min(rate, capacity);
  const sent = Array.from({ length: n }, (_, i) => 1e6 + (i * 1000) / rate);
  const completions = sent.map((s, i) => ({
    sentAt: s,
    decidedAt: Math.max(s + 400, 1e6 + (i * 1000) / served + 400),
  }));
  const rates = levelRates(sent, completions);
  const cpu = {
    nodeMainThread: served / capacity,
    nodeProcess: served / capacity,
    functions: { ingest: 0.02, 'get-booking': 0, match: (1.5 * served) / capacity, decide: 0.05 },
    dynamodbLocal: 0.3,
    machine: 1.2,
    cores: 2,
  };
  return {
    phase,
    offeredPerSecond: rate,
    bookings: n,
    accepted: n,
    rejected: rate > 40 ? { '503': 1 } : {},
    records: n,
    missing: 0,
    schedulerLateMs: { p99: 1, max: 2 },
    rates,
    eventSeenLatencyMs: distribution([500]),
    ingestAnswerMs: distribution([20, 30, 1250]),
    connectionErrors: rate > 40 ? 2 : 0,
    retriedAnswers: rate > 40 ? 1 : 0,
    retriedSubmissions: rate > 40 ? 3 : 0,
    retriedCauses: rate > 40 ? { ECONNRESET: 2, 'HTTP 503': 1 } : {},
    verdict: verdictOf(rate, rates),
    cpu,
    cpuLoaded: cpu,
    profile: { 'SQS emulator (fauxqs and its HTTP server)': 0.5, 'AWS SDK': 0.3, idle: 0.2 },
    backlog: { maxBookings: rate > capacity ? 10 : 0, maxDecisions: 1, samples: [[1, 0, 0]] },
    counts,
    seconds: 10,
  };
}

function report(): LoadReport {
  const levels = [
    level('ramp', 1, 3),
    level('ramp', 2, 3),
    level('ramp', 4, 3),
    level('level', 10, 3),
    level('level', 50, 3),
  ];
  const saturation = saturationOf(
    levels.map((l) => ({
      offeredPerSecond: l.offeredPerSecond,
      completionPerSecond: l.rates.completionPerSecond,
      sustained: l.verdict.sustained,
    })),
  );
  const probe = levels[2] as LevelResult;
  return {
    startedAt: '2026-11-24T12:00:00.000Z',
    options: {
      gallerySize: 300,
      levels: [10, 50],
      bookingsPerLevel: 20,
      ramp: [1, 2, 4],
      rampBookingsPerLevel: 20,
      warmupBookings: 5,
      seed: 7,
      profile: true,
      profileIntervalMicros: 5000,
      sampleIntervalMs: 1000,
      pollersPerQueue: { match: 2, decide: 2 },
    },
    machine: { cpuModel: 'test', cores: 2, memoryGb: 8, node: 'v20' },
    gallery: { identities: 300, seedSeconds: 1 },
    levels,
    saturation: {
      ...saturation,
      bottleneck: bottleneckOf({ ...probe.cpu, machine: 1.95 }, probe.profile, { match: 2 }),
      bottleneckLevel: 4,
    },
    cost: costModel(counts, 2),
    costBasis: 'the test levels',
    costByLevel: levels.map((l) => ({
      offeredPerSecond: l.offeredPerSecond,
      phase: l.phase,
      records: l.records,
      usdPerMillion: 1,
      lambdaGbSecondsPerBooking: 0.1,
    })),
    environments: [
      {
        function: 'ingest',
        maxEnvironments: 4,
        coldStarts: 2,
        initP50Ms: 410,
        initMaxMs: 530,
        ended: 0,
        invocations: 105,
        busySeconds: 1.2,
      },
      {
        function: 'match',
        maxEnvironments: 2,
        coldStarts: 3,
        initP50Ms: 820,
        initMaxMs: 905.4,
        ended: 1,
        invocations: 40,
        busySeconds: 60.5,
      },
    ],
    wallSeconds: 60,
  };
}

describe('loadMarkdown', () => {
  it('reports the levels, the saturation point and the cost', () => {
    const text = loadMarkdown(report());
    expect(text).toContain('Sustained up to **2 bookings/s** offered; not at 4/s');
    expect(text).toContain(
      "the biometric search in the match environments (2 worker threads) on the machine's 2 cores",
    );
    expect(text).toContain('execution environments per consumer: match 2, decide 2 (one poller each)');
    expect(text).toContain('1 x 503');
    expect(text).toContain('| ramp | 1 | 20 | 20 | 20 |');
    expect(text).toContain('$ per million bookings');
    expect(text).not.toContain('NaN');
    expect(text).not.toMatch(/shared event loop|handlers queue/);
  });

  it('shows POST answer latency, retried connection errors and answers, and busy cores per function', () => {
    const text = loadMarkdown(report());
    expect(text).toContain(
      '| POST answer p50 ms | POST answer p99 ms | retried: connection errors | retried: 5xx/429 |',
    );
    // Level 50/s: POST answers 20, 30, 1250 ms; 2 connection errors and a 503 retried; match at 1.5 cores.
    expect(text).toMatch(
      /\| level \| 50 \|[^\n]*\| 30 \| 1250 \| 2 \| 1 \| [^|]+ \| 0\.02 \/ 0\.00 \/ 1\.50 \/ 0\.05 \|/,
    );
    expect(text).toContain(
      "At 50/s (level): answers other than 202: 1 x 503; retried by the jails' client: 2 connection error(s) and 1 answer(s) 5xx/429 over 3 submission(s) (2 x ECONNRESET, 1 x HTTP 503).",
    );
  });

  it("tables each function's execution environments: cold starts and init durations", () => {
    const text = loadMarkdown(report());
    expect(text).toContain('### Execution environments');
    expect(text).toContain('A cold start is one new environment');
    expect(text).toContain('| match | 2 | 3 | 820 | 905 | 1 | 40 | 60.5 |');
  });

  it('still renders a report from before the execution environments', () => {
    const old = report();
    old.options.pollersPerQueue = 2;
    delete old.environments;
    for (const l of old.levels) {
      delete l.connectionErrors;
      delete l.retriedAnswers;
    }
    const text = loadMarkdown(old);
    expect(text).toContain('2 pollers per queue');
    expect(text).not.toContain('### Execution environments');
    expect(text).not.toContain('undefined');
  });
});

describe('loadChartSvg', () => {
  it('draws both panels', () => {
    const svg = loadChartSvg(report());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Throughput');
    expect(svg).toContain('Latency');
    expect(svg).not.toContain('NaN');
  });

  it('picks 1-2-5 log ticks and a range around the values', () => {
    expect(logTicks(1, 200)).toEqual([1, 2, 5, 10, 20, 50, 100, 200]);
    expect(logRange([1.3, 180])).toEqual({ min: 1, max: 200 });
    expect(logRange([0.24, 3])).toEqual({ min: 0.2, max: 5 });
  });
});

describe('loadTargets', () => {
  it('holds capacity, POST latency at 10/s and connection errors to their targets', () => {
    // Prepare: a pipeline that serves 3 a second (under twice the one-thread runtime's 3.39).
    const withTop = { ...report(), levels: [...report().levels, level('level', 200, 3)] };

    // Act
    const rows = loadTargets(withTop);

    // Assess
    const met = Object.fromEntries(rows.map(([target, , ok]) => [target.split(' ')[0] ?? target, ok]));
    expect(rows.map(([target]) => target)).toEqual([
      expect.stringContaining('local capacity'),
      expect.stringContaining('POST answer p99 at 10 bookings/s'),
      expect.stringContaining('connection errors at 200 bookings/s'),
      expect.stringContaining('latency p99 at the levels'),
    ]);
    expect(met.local).toBe(false);
    // The 10/s level answered its POSTs in 20-1,250 ms: p99 over 250 ms.
    expect(met.POST).toBe(false);
    // At 200/s the test level met 2 connection errors.
    expect(met.connection).toBe(false);
  });
});
