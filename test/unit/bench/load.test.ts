import { describe, expect, it } from 'vitest';
import { costModel, type RunCounts } from '../../../scripts/bench/cost';
import { emptyOperationCounts } from '../../../scripts/bench/cost-counter';
import { logRange, logTicks } from '../../../scripts/bench/load-chart';
import { loadChartSvg } from '../../../scripts/bench/load-chart';
import { loadMarkdown, type LevelResult, type LoadReport } from '../../../scripts/bench/load-report';
import { bottleneckOf, distribution, levelRates, saturationOf, verdictOf } from '../../../scripts/bench/load-stats';

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
    ingestAnswerMs: distribution([20]),
    verdict: verdictOf(rate, rates),
    cpu,
    cpuLoaded: cpu,
    profile: { 'biometric search (functions/core/biometrics)': 0.8, idle: 0.2 },
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
      pollersPerQueue: 2,
    },
    machine: { cpuModel: 'test', cores: 2, memoryGb: 8, node: 'v20' },
    gallery: { identities: 300, seedSeconds: 1 },
    levels,
    saturation: { ...saturation, bottleneck: bottleneckOf(probe.cpu, probe.profile), bottleneckLevel: 4 },
    cost: costModel(counts, 2),
    costBasis: 'the test levels',
    costByLevel: levels.map((l) => ({
      offeredPerSecond: l.offeredPerSecond,
      phase: l.phase,
      records: l.records,
      usdPerMillion: 1,
      lambdaGbSecondsPerBooking: 0.1,
    })),
    wallSeconds: 60,
  };
}

describe('loadMarkdown', () => {
  it('reports the levels, the saturation point and the cost', () => {
    const text = loadMarkdown(report());
    expect(text).toContain('Sustained up to **2 bookings/s** offered; not at 4/s');
    expect(text).toContain('handler CPU (Node main thread)');
    expect(text).toContain('1 x 503');
    expect(text).toContain('| ramp | 1 | 20 | 20 | 20 |');
    expect(text).toContain('$ per million bookings');
    expect(text).not.toContain('NaN');
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
