/**
 * The cost model: the units a run counted (cost-counter.ts, the local runtime's invocation timings,
 * the handlers' log bytes, the records table's size) divided by the bookings it decided, times the
 * list prices of prices.ts; then dollars per million bookings and at the real program's scale.
 */
import { FUNCTION_MEMORY_MB } from '#functions/definitions';
import { totalOf, type CallCounts, type OperationCounts } from './cost-counter';
import { PRICES, PRICES_AS_OF, PRICES_PROVENANCE, priceOf, type PriceKey, type PriceTable } from './prices';

/** The counting middleware lives in cost-counter.ts; exported here too, as the cost model's input. */
export { CallCounter, type CallCounts } from './cost-counter';

/** Memory of each function, as the stack gives it (functions/definitions.ts): Lambda bills duration x memory. */
export { FUNCTION_MEMORY_MB };
export type FunctionName = keyof typeof FUNCTION_MEMORY_MB;

export interface InvocationCounts {
  invocations: number;
  /** Records in the events (SQS batch sizes summed); 1 per API request. */
  records: number;
  /** Sum of durations, ms, as measured. */
  durationMs: number;
  /** Sum of durations rounded up to the next ms per invocation, as Lambda bills them. */
  billedMs: number;
}

export function emptyInvocationCounts(): InvocationCounts {
  return { invocations: 0, records: 0, durationMs: 0, billedMs: 0 };
}

/** Everything a run counted. */
export interface RunCounts {
  calls: CallCounts;
  invocations: Partial<Record<FunctionName, InvocationCounts>>;
  /** Handler log lines written (JSON lines on stdout/stderr), at the log level in force. */
  logs: { lines: number; bytes: number; level: string };
  /** Wall time the counts cover, seconds (for the idle polling rate). */
  seconds: number;
}

/** The records table's size per booking, measured by reading it back (table items plus index entries). */
export interface StoragePerBooking {
  bookings: number;
  tableBytes: number;
  indexBytes: number;
}

export type CostBasis = 'counted' | 'estimated';

export interface CostLine {
  service: string;
  item: string;
  priceKey: PriceKey;
  /** Billed units per booking. */
  unitsPerBooking: number;
  unit: string;
  usdPerMillionBookings: number;
  basis: CostBasis;
  note?: string;
}

export interface ProgramScale {
  label: string;
  bookingsPerDay: number;
  bookingsPerMonth: number;
  /** At list prices, no free tier. */
  usdPerDay: number;
  usdPerMonth: number;
  /** With the always-free monthly allowances of prices.ts taken off each line. */
  usdPerMonthAfterFreeTier: number;
}

/** One operation's calls and units per booking: where the lines above come from. */
export interface OperationPerBooking {
  /** `<service>.<operation>`, as cost-counter.ts keys them. */
  key: string;
  calls: number;
  billed: number;
  readUnits: number;
  writeUnits: number;
  indexWriteUnits: number;
  payloadKb: number;
  /** Calls that failed, in the whole sample (not per booking). */
  failedCalls: number;
}

export interface CostModel {
  bookings: number;
  pricesAsOf: string;
  provenance: string;
  lines: CostLine[];
  operations: OperationPerBooking[];
  /** Sum of the counted lines, $ per million bookings. */
  countedUsdPerMillion: number;
  /** Counted plus estimated lines. */
  totalUsdPerMillion: number;
  /** Receives that found nothing: paid by time, not by booking (AWS's pollers poll an idle queue too). */
  idlePolling: {
    localEmptyReceives: number;
    localEmptyReceivesPerSecond: number;
    /** The event-source mapping's pollers on AWS, two queues, idle all month (an estimate). */
    awsRequestsPerMonth: number;
    awsUsdPerMonth: number;
  };
  storage?: {
    bytesPerBooking: number;
    /** Storage plus point-in-time recovery, per million bookings kept, per month. */
    usdPerMillionBookingsPerMonth: number;
  };
  program: ProgramScale[];
  /** Storage after the national program's 32 months, when storage was measured. */
  programStorage?: { bookings: number; gigabytes: number; usdPerMonth: number };
  logLevel: string;
}

/**
 * The real program's volumes. Secure Communities: 9,108,703 submissions from 11/2008 to 6/2011
 * (docs/domain.md §5), 32 months, 972 days. IDENT: 350,000 transactions per weekday (DHS OBIM's published IDENT load), priced as
 * if each were a booking through this pipeline; a month has 261/12 = 21.75 weekdays.
 */
export const PROGRAM = {
  secureCommunities: { submissions: 9_108_703, months: 32, days: 972 },
  ident: { perWeekday: 350_000, weekdaysPerMonth: 261 / 12 },
} as const;

/**
 * Requests a Lambda event-source mapping makes on an idle standard queue: five pollers long-polling
 * 20 s each, 15 a minute, about 648,000 a month per queue. An estimate from how the mapping is
 * documented to poll, not a count.
 */
export const AWS_IDLE_RECEIVES_PER_QUEUE_MONTH = 5 * 3 * 60 * 24 * 30;
const CONSUMED_QUEUES = 2;

const GB = 1024 ** 3;

function functionCounts(counts: RunCounts, name: FunctionName): InvocationCounts {
  return counts.invocations[name] ?? { invocations: 0, records: 0, durationMs: 0, billedMs: 0 };
}

function line(
  prices: PriceTable,
  priceKey: PriceKey,
  item: string,
  unitsPerBooking: number,
  basis: CostBasis,
  note?: string,
): CostLine {
  const price = prices[priceKey];
  return {
    service: price.service,
    item,
    priceKey,
    unitsPerBooking,
    unit: price.unit,
    usdPerMillionBookings: priceOf(price, unitsPerBooking * 1_000_000),
    basis,
    ...(note ? { note } : {}),
  };
}

/** Per-booking units and $ per million bookings from a run's counts. */
export function costModel(
  counts: RunCounts,
  bookings: number,
  prices: PriceTable = PRICES,
  storage?: StoragePerBooking,
): CostModel {
  if (bookings <= 0) throw new Error('costModel needs at least one booking');
  const per = (units: number) => units / bookings;
  const calls = counts.calls;
  const dynamo = totalOf(calls, (key) => key.startsWith('dynamodb.'));
  const transact = totalOf(calls, (key) => key === 'dynamodb.TransactWriteItems');
  const handlerSqs = totalOf(calls, (key) => key.startsWith('sqs.'));
  const pollerSqs = totalOf(calls, (key) => key.startsWith('sqs-poller.'));
  const emptyReceives = pollerSqs.emptyReceives;
  const events = totalOf(calls, (key) => key.startsWith('eventbridge.'));
  const audit = totalOf(calls, (key) => key.startsWith('logs.'));

  const ingest = functionCounts(counts, 'ingest');
  const invocationsTotal = (['ingest', 'get-booking', 'match', 'decide'] as const).reduce(
    (sum, name) => sum + functionCounts(counts, name).invocations,
    0,
  );
  const lines: CostLine[] = [
    line(prices, 'apiGatewayHttpRequest', 'HTTP API requests (POST /bookings)', per(ingest.invocations), 'counted'),
    line(
      prices,
      'lambdaRequest',
      'Lambda requests (ingest, match, decide invocations)',
      per(invocationsTotal),
      'counted',
    ),
  ];
  for (const name of ['ingest', 'match', 'decide'] as const) {
    const fn = functionCounts(counts, name);
    const memoryGb = FUNCTION_MEMORY_MB[name] / 1024;
    lines.push(
      line(
        prices,
        'lambdaArmGbSecond',
        `Lambda ${name} duration, ${FUNCTION_MEMORY_MB[name]} MB`,
        per((fn.billedMs / 1000) * memoryGb),
        'counted',
        `${fn.invocations} invocations, ${fn.records} records, mean ${fn.invocations > 0 ? (fn.durationMs / fn.invocations).toFixed(0) : '-'} ms on this machine`,
      ),
    );
  }
  lines.push(
    line(
      prices,
      'dynamodbWriteRequestUnit',
      'DynamoDB write request units',
      per(dynamo.writeUnits),
      'counted',
      `as DynamoDB Local reports them; ${shareText(dynamo.indexWriteUnits, dynamo.writeUnits)} to global secondary indexes, ` +
        `${shareText(transact.writeUnits, dynamo.writeUnits)} in transactions, which Local bills at 2 WRU per KB, ` +
        `index updates included (${per(transact.indexWriteUnits).toFixed(2)} WRU per booking; if AWS bills a transaction's ` +
        `index updates at 1x, half of that less)` +
        failedText(dynamo),
    ),
    line(prices, 'dynamodbReadRequestUnit', 'DynamoDB read request units', per(dynamo.readUnits), 'counted'),
    line(
      prices,
      'sqsStandardRequest',
      'SQS requests by the handlers (sends)',
      per(handlerSqs.billed),
      'counted',
      `${handlerSqs.calls} calls, ${per(handlerSqs.bytes / 1024).toFixed(1)} KB payload per booking; 64 KB chunks`,
    ),
    line(
      prices,
      'sqsStandardRequest',
      'SQS requests by the event sources (receives with messages, deletes, visibility changes)',
      per(pollerSqs.billed - emptyReceives),
      'counted',
      `${pollerSqs.calls - emptyReceives} calls; ${emptyReceives} empty receives left out (idle polling, below)`,
    ),
    line(
      prices,
      'eventBridgeCustomEvent',
      'EventBridge events (OutcomeRecordWritten)',
      per(events.billed),
      'counted',
      `${per(events.bytes / 1024).toFixed(1)} KB per booking; 64 KB chunks`,
    ),
    line(prices, 'eventBridgeArchiveGb', 'EventBridge archive, events processed', per(events.bytes / GB), 'counted'),
    line(
      prices,
      'logsIngestionGb',
      'CloudWatch Logs: audit trail',
      per(audit.bytes / GB),
      'counted',
      `${per(audit.items).toFixed(2)} entries per booking, message bytes + 26 each`,
    ),
    line(
      prices,
      'logsIngestionGb',
      `CloudWatch Logs: handler logs at ${counts.logs.level}`,
      per(counts.logs.bytes / GB),
      'counted',
      `${per(counts.logs.lines).toFixed(1)} lines per booking; Lambda's own platform lines not included`,
    ),
    line(
      prices,
      'xrayTraceRecorded',
      'X-Ray traces, if every invocation were sampled',
      per(invocationsTotal),
      'estimated',
      'upper bound: the default sampling rule records 1 a second plus 5% of the rest',
    ),
  );

  const countedUsdPerMillion = sum(lines.filter((l) => l.basis === 'counted').map((l) => l.usdPerMillionBookings));
  const totalUsdPerMillion = sum(lines.map((l) => l.usdPerMillionBookings));
  const awsRequestsPerMonth = AWS_IDLE_RECEIVES_PER_QUEUE_MONTH * CONSUMED_QUEUES;
  const bytesPerBooking = storage ? (storage.tableBytes + storage.indexBytes) / Math.max(1, storage.bookings) : 0;
  const storageUsdPerGbMonth = prices.dynamodbStorageGbMonth.usd + prices.dynamodbPitrGbMonth.usd;

  const model: CostModel = {
    bookings,
    pricesAsOf: PRICES_AS_OF,
    provenance: PRICES_PROVENANCE,
    lines,
    operations: Object.entries(calls)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, c]) => ({
        key,
        calls: per(c.calls),
        billed: per(c.billed),
        readUnits: per(c.readUnits),
        writeUnits: per(c.writeUnits),
        indexWriteUnits: per(c.indexWriteUnits),
        payloadKb: per(c.bytes / 1024),
        failedCalls: c.failed,
      })),
    countedUsdPerMillion,
    totalUsdPerMillion,
    idlePolling: {
      localEmptyReceives: emptyReceives,
      localEmptyReceivesPerSecond: counts.seconds > 0 ? emptyReceives / counts.seconds : 0,
      awsRequestsPerMonth,
      awsUsdPerMonth: priceOf(prices.sqsStandardRequest, awsRequestsPerMonth),
    },
    program: programScale(lines, prices),
    logLevel: counts.logs.level,
  };
  if (storage) {
    model.storage = {
      bytesPerBooking,
      usdPerMillionBookingsPerMonth: ((bytesPerBooking * 1_000_000) / GB) * storageUsdPerGbMonth,
    };
    const kept = PROGRAM.secureCommunities.submissions;
    const gigabytes = (bytesPerBooking * kept) / GB;
    model.programStorage = { bookings: kept, gigabytes, usdPerMonth: gigabytes * storageUsdPerGbMonth };
  }
  return model;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function shareText(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(0)}%` : '0%';
}

function failedText(counts: OperationCounts): string {
  return counts.failed > 0 ? `; ${counts.failed} failed calls (e.g. conditional checks) report no units` : '';
}

/** The two program volumes, per day and per month. */
export function programVolumes(): Array<{ label: string; bookingsPerDay: number; bookingsPerMonth: number }> {
  const sc = PROGRAM.secureCommunities;
  const ident = PROGRAM.ident;
  return [
    {
      label: 'Secure Communities, 11/2008-6/2011 average (9,108,703 submissions in 32 months)',
      bookingsPerDay: sc.submissions / sc.days,
      bookingsPerMonth: sc.submissions / sc.months,
    },
    {
      label: 'IDENT, 350,000 transactions per weekday (weekdays only: 21.75 a month)',
      bookingsPerDay: ident.perWeekday,
      bookingsPerMonth: ident.perWeekday * ident.weekdaysPerMonth,
    },
  ];
}

/** Dollars a day and a month at the program volumes; the monthly free allowances taken off line by line. */
export function programScale(lines: CostLine[], prices: PriceTable = PRICES): ProgramScale[] {
  const perBooking = sum(lines.map((l) => l.usdPerMillionBookings)) / 1_000_000;
  return programVolumes().map((volume) => {
    const freeUsed = new Map<PriceKey, number>();
    let afterFree = 0;
    for (const l of lines) {
      const price = prices[l.priceKey];
      const units = l.unitsPerBooking * volume.bookingsPerMonth;
      // A free allowance is per price, shared by the lines billed at that price.
      const freeLeft = (price.freePerMonth ?? 0) - (freeUsed.get(l.priceKey) ?? 0);
      const free = Math.min(units, Math.max(0, freeLeft));
      freeUsed.set(l.priceKey, (freeUsed.get(l.priceKey) ?? 0) + free);
      afterFree += priceOf(price, units - free);
    }
    return {
      label: volume.label,
      bookingsPerDay: volume.bookingsPerDay,
      bookingsPerMonth: volume.bookingsPerMonth,
      usdPerDay: perBooking * volume.bookingsPerDay,
      usdPerMonth: perBooking * volume.bookingsPerMonth,
      usdPerMonthAfterFreeTier: afterFree,
    };
  });
}

const usd = (value: number) =>
  value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
const units = (value: number) =>
  value === 0 ? '0' : value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3);
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The model as Markdown: the line items, the program scale, the price table with its date and sources. */
export function costMarkdown(model: CostModel, prices: PriceTable = PRICES): string {
  const out: string[] = [];
  out.push(`Per booking, from ${count(model.bookings)} bookings decided; handler logs at ${model.logLevel}.`);
  out.push('');
  out.push('| service | item | units per booking | unit | $ per million bookings | basis | note |');
  out.push('| --- | --- | ---: | --- | ---: | --- | --- |');
  for (const l of model.lines) {
    out.push(
      `| ${l.service} | ${l.item} | ${units(l.unitsPerBooking)} | ${l.unit} | ${usd(l.usdPerMillionBookings)} | ${l.basis} | ${l.note ?? ''} |`,
    );
  }
  out.push(`| **total** | counted lines | | | **${usd(model.countedUsdPerMillion)}** | counted | |`);
  out.push(`| **total** | with the estimated lines | | | **${usd(model.totalUsdPerMillion)}** | | |`);
  out.push('');
  out.push(
    'Calls per booking by operation (sqs-poller: the event sources; eventbridge and logs: the stand-in queues, counted as what they replace):',
  );
  out.push('');
  out.push('| operation | calls | billed requests | RRU | WRU | of which index WRU | payload KB | failed calls |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const o of model.operations) {
    out.push(
      `| ${o.key} | ${units(o.calls)} | ${units(o.billed)} | ${units(o.readUnits)} | ${units(o.writeUnits)} | ` +
        `${units(o.indexWriteUnits)} | ${units(o.payloadKb)} | ${o.failedCalls} |`,
    );
  }
  out.push('');
  const idle = model.idlePolling;
  out.push(
    `Idle polling, paid by time: the local pollers made ${count(idle.localEmptyReceives)} empty receives ` +
      `(${idle.localEmptyReceivesPerSecond.toFixed(2)} a second). On AWS an event-source mapping long-polls an idle queue ` +
      `with five pollers (estimate: ${count(idle.awsRequestsPerMonth)} requests a month for the two queues, ` +
      `${usd(idle.awsUsdPerMonth)} a month), whatever the traffic.`,
  );
  if (model.storage) {
    out.push('');
    out.push(
      `Storage: the records table (items and index entries, 100 bytes overhead each) holds ` +
        `${(model.storage.bytesPerBooking / 1024).toFixed(2)} KB per booking: ` +
        `${usd(model.storage.usdPerMillionBookingsPerMonth)} a month per million bookings kept (storage + PITR).` +
        (model.programStorage
          ? ` The national program's ${count(model.programStorage.bookings)} submissions would hold ` +
            `${model.programStorage.gigabytes.toFixed(1)} GB: ${usd(model.programStorage.usdPerMonth)} a month.`
          : ''),
    );
  }
  out.push('');
  out.push("At the real program's scale (all lines, counted and estimated; storage and idle polling not included):");
  out.push('');
  out.push('| volume | bookings a day | bookings a month | $ a day | $ a month | $ a month after free tiers |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const p of model.program) {
    out.push(
      `| ${p.label} | ${count(p.bookingsPerDay)} | ${count(p.bookingsPerMonth)} | ${usd(p.usdPerDay)} | ${usd(p.usdPerMonth)} | ${usd(p.usdPerMonthAfterFreeTier)} |`,
    );
  }
  out.push('');
  out.push(`Prices (as of ${model.pricesAsOf}; ${model.provenance}):`);
  out.push('');
  out.push('| service | item | price | free a month | source |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const price of Object.values(prices)) {
    const per = price.per === 1 ? price.unit : `${count(price.per)} ${price.unit}s`;
    out.push(
      `| ${price.service} | ${price.item} | $${price.usd} per ${per}${price.note ? ` (${price.note})` : ''} | ` +
        `${price.freePerMonth ? `${count(price.freePerMonth)} ${price.unit}` : '-'} | ${price.source} |`,
    );
  }
  return out.join('\n');
}
