import { describe, expect, it } from 'vitest';
import { niceMax } from '#bench/common/bar-chart';
import { compositionPartOf } from '#bench/pipeline/bundles';
import { POSTING_BYTES, searchesPerSecondCap, type IndexKeyLoad } from '#bench/pipeline/index-hot-keys';
import {
  memoryOption,
  recommendBatchSize,
  recommendMemory,
  scalingModel,
  type StepCost,
} from '#bench/pipeline/scaling';

const cpuBound: StepCost = { cpuMs: 300, wallMs: 330, cpuMsP99: 400 };
const ioBound: StepCost = { cpuMs: 10, wallMs: 40, cpuMsP99: 16 };

describe('memoryOption', () => {
  it('scales CPU time by the vCPU share below 1,769 MB and adds the I/O wait', () => {
    // Act
    const half = memoryOption(cpuBound, 1769 / 2);
    const full = memoryOption(cpuBound, 1769);
    const more = memoryOption(cpuBound, 3538);

    // Assess
    expect(half.msPerBooking).toBeCloseTo(600 + 30);
    expect(full.msPerBooking).toBeCloseTo(330);
    expect(more.msPerBooking).toBeCloseTo(330);
    expect(full.gbSecondsPerBooking).toBeCloseTo((1769 / 1024) * 0.33);
    expect(full.bookingsPerSecondPerExecution).toBeCloseTo(1000 / 330);
  });
});

describe('recommendMemory', () => {
  it('gives CPU-bound work a full vCPU and I/O-bound work little memory', () => {
    expect(recommendMemory(cpuBound).memoryMb).toBe(1769);
    expect(recommendMemory(ioBound).memoryMb).toBeLessThanOrEqual(512);
  });
});

describe('recommendBatchSize', () => {
  it('keeps the worst batch within a third of the timeout, between 1 and 10', () => {
    // 400 ms p99 + 30 ms wait at a full vCPU: 10 s / 430 ms = 23 -> capped at 10.
    expect(recommendBatchSize(cpuBound, 1769, 30)).toBe(10);
    // At a quarter of a vCPU: 1,600 + 30 ms; 10 s / 1.63 s = 6.
    expect(recommendBatchSize(cpuBound, 1769 / 4, 30)).toBe(6);
    expect(recommendBatchSize({ cpuMs: 50_000, wallMs: 50_000, cpuMsP99: 50_000 }, 1769, 30)).toBe(1);
  });
});

const indexKeys: IndexKeyLoad = {
  gallerySize: 1000,
  searches: 100,
  distinctKeysEnrolled: 5000,
  meanKeysPerSearch: 600,
  meanPostingsPerKey: 40,
  hottest: [{ rank: 1, position: 2, readShare: 0.5, postings: 1000 }],
  largest: { rank: 1, position: 2, readShare: 0.5, postings: 1000 },
};

describe('searchesPerSecondCap', () => {
  it('divides a partition’s 3,000 read units by the read units the key costs a second', () => {
    // 1,000 postings x 2 bytes = 2 KB: one eventually consistent read, 0.5 unit, by half the searches.
    expect(searchesPerSecondCap(indexKeys.hottest[0]!, 1000, 1000)).toBeCloseTo(3000 / (0.5 * 0.5));
    // At 100x the gallery: 200 KB -> ceil(200,000 / 4,096) = 49 units / 2.
    const units = Math.ceil((1000 * 100 * POSTING_BYTES) / 4096) / 2;
    expect(searchesPerSecondCap(indexKeys.hottest[0]!, 1000, 100_000)).toBeCloseTo(3000 / (units * 0.5));
  });
});

describe('scalingModel', () => {
  it('recommends settings from the step costs and lists what caps the stack', () => {
    // Act
    const model = scalingModel({
      match: cpuBound,
      decide: ioBound,
      galleryReadUnitsPerBooking: 400,
      recordsWriteUnitsPerBooking: 25,
      indexWriteUnitsPerBookingPerIndex: 4,
      indexKeys,
      apiRateLimit: 50,
    });

    // Assess
    expect(model.match.memory.memoryMb).toBe(1769);
    // Busy hour: 350,000 / 86,400 x 3 = 12.15 a second; twice that over 1000 / 330 per execution = 8.02 -> 9.
    expect(model.program.peakPerSecond).toBeCloseTo((350_000 / 86_400) * 3);
    expect(model.match.maxConcurrency).toBe(9);
    expect(model.decide.maxConcurrency).toBeGreaterThanOrEqual(2);
    const caps = Object.fromEntries(model.ceilings.map((c) => [c.part, c.bookingsPerSecond]));
    expect(caps['API stage throttle']).toBe(50);
    expect(caps['gallery table, new on-demand']).toBeCloseTo(12_000 / 400);
    expect(caps['records table, new on-demand']).toBeCloseTo(4_000 / 25);
    expect(caps['records GSI byTypeAndStatus, one key']).toBeCloseTo(1_000 / 4);
  });
});

describe('report helpers', () => {
  it('rounds an axis up to a nearby round number', () => {
    expect(niceMax(309)).toBe(400);
    expect(niceMax(603)).toBe(800);
    expect(niceMax(141)).toBe(150);
    expect(niceMax(0)).toBe(1);
  });

  it('sorts a bundle’s inputs into its parts', () => {
    expect(compositionPartOf('node_modules/@smithy/core/dist-es/index.js')).toBe('AWS SDK');
    expect(compositionPartOf('node_modules/aws-xray-sdk-core/dist/lib/aws-xray.js')).toBe('X-Ray SDK (Tracer)');
    expect(compositionPartOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(compositionPartOf('node_modules/@aws-lambda-powertools/logger/lib/esm/Logger.js')).toBe('Powertools');
    expect(compositionPartOf('functions/ingest/handler.ts')).toBe('pipeline code');
    expect(compositionPartOf('node_modules/mnemonist/lru-cache.js')).toBe('other');
  });
});
