import { describe, expect, it } from 'vitest';
import { FUNCTION_MEMORY_MB } from '#functions/definitions';
import { emptyOperationCounts, type CallCounts, type OperationCounts } from '#bench/pipeline/cost-counter';
import {
  PROGRAM,
  costMarkdown,
  costModel,
  programScale,
  programVolumes,
  type CostLine,
  type RunCounts,
} from '#bench/pipeline/cost';
import { PRICES, PRICES_AS_OF, priceOf } from '#bench/pipeline/prices';

const op = (fields: Partial<OperationCounts>): OperationCounts => ({ ...emptyOperationCounts(), ...fields });
const GB = 1024 ** 3;

/** Ten bookings' worth of hand-made counts: every figure below is worked out from these. */
function tenBookings(): RunCounts {
  const calls: CallCounts = {
    'dynamodb.PutItem': op({ calls: 20, attempts: 20, billed: 20, writeUnits: 100, indexWriteUnits: 20 }),
    'dynamodb.BatchGetItem': op({ calls: 10, attempts: 10, billed: 10, readUnits: 40 }),
    'sqs.SendMessage': op({ calls: 20, attempts: 20, billed: 30, items: 20, bytes: 1_000_000 }),
    'sqs-poller.ReceiveMessage': op({ calls: 25, attempts: 25, billed: 25, items: 20, emptyReceives: 5 }),
    'sqs-poller.DeleteMessageBatch': op({ calls: 5, attempts: 5, billed: 5 }),
    'eventbridge.PutEvents': op({ calls: 10, attempts: 10, billed: 10, items: 10, bytes: 10 * 1024 }),
    'logs.PutLogEvents': op({ calls: 10, attempts: 10, billed: 10, items: 10, bytes: 10 * 512 }),
  };
  return {
    calls,
    invocations: {
      ingest: { invocations: 10, records: 10, durationMs: 499.2, billedMs: 500 },
      match: { invocations: 5, records: 10, durationMs: 2999.5, billedMs: 3000 },
      decide: { invocations: 5, records: 10, durationMs: 999.1, billedMs: 1000 },
    },
    logs: { lines: 80, bytes: 10 * 2048, level: 'INFO' },
    seconds: 20,
  };
}

function lineOf(lines: CostLine[], item: string): CostLine {
  const found = lines.find((l) => l.item.startsWith(item));
  if (!found) throw new Error(`no line ${item}`);
  return found;
}

describe('costModel', () => {
  const model = costModel(tenBookings(), 10);

  it('turns units per booking into dollars per million bookings at the table prices', () => {
    expect(lineOf(model.lines, 'HTTP API requests')).toMatchObject({ unitsPerBooking: 1, usdPerMillionBookings: 1 });
    expect(lineOf(model.lines, 'Lambda requests')).toMatchObject({ unitsPerBooking: 2 });
    expect(lineOf(model.lines, 'Lambda requests').usdPerMillionBookings).toBeCloseTo(0.4, 10);
    // 3000 billed ms x the match function's memory / 10 bookings; 500 ms x 0.5 GB / 10 = 0.025; 1000 x 0.5 / 10 = 0.05.
    const matchGbSeconds = (3 * FUNCTION_MEMORY_MB.match) / 1024 / 10;
    expect(lineOf(model.lines, 'Lambda match').unitsPerBooking).toBeCloseTo(matchGbSeconds, 12);
    expect(lineOf(model.lines, 'Lambda match').usdPerMillionBookings).toBeCloseTo(
      matchGbSeconds * 0.0000133334 * 1e6,
      6,
    );
    expect(lineOf(model.lines, 'Lambda ingest').unitsPerBooking).toBeCloseTo(0.025, 12);
    expect(lineOf(model.lines, 'Lambda decide').unitsPerBooking).toBeCloseTo(0.05, 12);
    expect(lineOf(model.lines, 'DynamoDB write').unitsPerBooking).toBe(10);
    expect(lineOf(model.lines, 'DynamoDB write').usdPerMillionBookings).toBeCloseTo(6.25, 10);
    expect(lineOf(model.lines, 'DynamoDB read').unitsPerBooking).toBe(4);
    expect(lineOf(model.lines, 'DynamoDB read').usdPerMillionBookings).toBeCloseTo(0.5, 10);
    expect(lineOf(model.lines, 'EventBridge events').usdPerMillionBookings).toBeCloseTo(1, 10);
    expect(lineOf(model.lines, 'EventBridge archive').unitsPerBooking).toBeCloseTo(1024 / GB, 15);
    expect(lineOf(model.lines, 'CloudWatch Logs: audit').usdPerMillionBookings).toBeCloseTo((512 / GB) * 0.5 * 1e6, 8);
    expect(lineOf(model.lines, 'CloudWatch Logs: handler').usdPerMillionBookings).toBeCloseTo(
      (2048 / GB) * 0.5 * 1e6,
      8,
    );
  });

  it('bills SQS in the chunks counted and leaves empty receives out of the per-booking lines', () => {
    expect(lineOf(model.lines, 'SQS requests by the handlers').unitsPerBooking).toBe(3);
    // 25 + 5 billed by the pollers, less 5 empty receives.
    expect(lineOf(model.lines, 'SQS requests by the event sources').unitsPerBooking).toBe(2.5);
    expect(lineOf(model.lines, 'SQS requests by the event sources').usdPerMillionBookings).toBeCloseTo(1, 10);
    expect(model.idlePolling.localEmptyReceives).toBe(5);
    expect(model.idlePolling.localEmptyReceivesPerSecond).toBe(0.25);
    expect(model.idlePolling.awsUsdPerMonth).toBeCloseTo(priceOf(PRICES.sqsStandardRequest, 2 * 648_000), 10);
  });

  it('keeps the estimated X-Ray line out of the counted total', () => {
    const xray = lineOf(model.lines, 'X-Ray');
    expect(xray).toMatchObject({ basis: 'estimated', unitsPerBooking: 2, usdPerMillionBookings: 10 });
    const counted = model.lines.filter((l) => l.basis === 'counted').reduce((a, l) => a + l.usdPerMillionBookings, 0);
    expect(model.countedUsdPerMillion).toBeCloseTo(counted, 10);
    expect(model.totalUsdPerMillion).toBeCloseTo(counted + 10, 10);
  });

  it('lists calls and units per booking by operation', () => {
    expect(model.operations.find((o) => o.key === 'dynamodb.PutItem')).toMatchObject({
      calls: 2,
      writeUnits: 10,
      indexWriteUnits: 2,
    });
  });

  it('prices storage per million bookings kept', () => {
    const withStorage = costModel(tenBookings(), 10, PRICES, { bookings: 4, tableBytes: 3000, indexBytes: 1000 });
    expect(withStorage.storage?.bytesPerBooking).toBe(1000);
    expect(withStorage.storage?.usdPerMillionBookingsPerMonth).toBeCloseTo((1e9 / GB) * (0.25 + 0.2), 10);
    expect(withStorage.programStorage?.gigabytes).toBeCloseTo((1000 * 9_108_703) / GB, 10);
  });

  it('refuses a run without bookings', () => {
    expect(() => costModel(tenBookings(), 0)).toThrow();
  });
});

describe('program scale', () => {
  it('spreads the national submissions over 32 months and 972 days, and IDENT over 21.75 weekdays a month', () => {
    const [sc, ident] = programVolumes();
    expect(sc?.bookingsPerMonth).toBeCloseTo(9_108_703 / 32, 6);
    expect(Math.round(sc?.bookingsPerMonth ?? 0)).toBe(284_647);
    expect(Math.round(sc?.bookingsPerDay ?? 0)).toBe(9_371);
    expect(ident?.bookingsPerDay).toBe(350_000);
    expect(ident?.bookingsPerMonth).toBeCloseTo(7_612_500, 6);
    expect(PROGRAM.secureCommunities.days).toBe(30 + 31 + 365 + 365 + 181);
  });

  it('multiplies the cost per booking by the volumes, and takes a shared free allowance off once', () => {
    const line = (priceKey: CostLine['priceKey'], unitsPerBooking: number): CostLine => ({
      service: '',
      item: '',
      priceKey,
      unitsPerBooking,
      unit: '',
      usdPerMillionBookings: priceOf(PRICES[priceKey], unitsPerBooking * 1e6),
      basis: 'counted',
    });
    const lines = [
      line('sqsStandardRequest', 3),
      line('sqsStandardRequest', 2.5),
      line('dynamodbWriteRequestUnit', 10),
    ];
    const [sc] = programScale(lines);
    const volume = 9_108_703 / 32;
    const perBooking = (5.5 * 0.4) / 1e6 + (10 * 0.625) / 1e6;
    expect(sc?.usdPerMonth).toBeCloseTo(perBooking * volume, 8);
    expect(sc?.usdPerDay).toBeCloseTo(perBooking * (9_108_703 / 972), 8);
    // SQS: one million requests a month free, for both SQS lines together; DynamoDB on-demand: none.
    expect(sc?.usdPerMonthAfterFreeTier).toBeCloseTo(
      ((5.5 * volume - 1e6) * 0.4) / 1e6 + (10 * volume * 0.625) / 1e6,
      8,
    );
  });
});

describe('costMarkdown', () => {
  it('names the price date and the source of every price', () => {
    const text = costMarkdown(costModel(tenBookings(), 10));
    expect(text).toContain(PRICES_AS_OF);
    for (const price of Object.values(PRICES)) expect(text).toContain(price.source);
    expect(text).toContain('Secure Communities');
    expect(text).toContain('IDENT');
  });
});
