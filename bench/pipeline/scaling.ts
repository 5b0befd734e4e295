/**
 * Scaling on AWS, on paper: the measured cost of a booking (CPU and I/O time per step, read and
 * write units) carried to Lambda's and DynamoDB's published limits, and the consumer settings that
 * follow from it. Every figure here is derived from the run's measurements and the constants below;
 * none is measured on AWS.
 */
import { BOOKINGS_QUEUE, DECISIONS_QUEUE, FUNCTION_MEMORY_MB } from '#functions/definitions';
import { POSTING_BYTES, searchesPerSecondCap, type IndexKeyLoad } from './index-hot-keys';

/** Published AWS limits and facts the model rests on (Lambda and DynamoDB developer guides). */
export const AWS_LIMITS = {
  /** Lambda gives a function one full vCPU at 1,769 MB, in proportion below. */
  mbPerVcpu: 1769,
  /** SQS event-source mapping: up to 300 more concurrent executions a minute, at most 1,250 per mapping. */
  esmScaleUpPerMinute: 300,
  esmMaxConcurrency: 1250,
  /** Default concurrent executions per account and region (a soft quota). */
  accountConcurrency: 1000,
  /** DynamoDB, per partition: read and write units a second. */
  partitionReadUnits: 3000,
  partitionWriteUnits: 1000,
  /** A new on-demand table serves up to this many units a second before it has seen a higher peak. */
  onDemandInitialReadUnits: 12000,
  onDemandInitialWriteUnits: 4000,
} as const;

/** The real program's scale (docs/domain.md §5). */
export const PROGRAM_SCALE = {
  submissions: 9_100_000,
  months: 32,
  identTransactionsPerWeekday: 350_000,
  /** Bookings bunch in the day; the busiest hour carries this multiple of the day's mean rate (assumed, stated). */
  peakHourFactor: 3,
} as const;

export interface StepCost {
  /** CPU milliseconds per booking on this machine (one core, Node single-threaded). */
  cpuMs: number;
  /** Wall milliseconds per booking in-process, one at a time (CPU plus waiting on the emulators). */
  wallMs: number;
  /** CPU milliseconds of the slowest bookings (p99), for batch timing. */
  cpuMsP99: number;
}

export interface ScalingInputs {
  match: StepCost;
  decide: StepCost;
  /** Read units of the gallery and write units of the records table, per booking (counted in the run). */
  galleryReadUnitsPerBooking: number;
  recordsWriteUnitsPerBooking: number;
  /** Write units per booking that go to one of the records table's two GSIs (counted in the run). */
  indexWriteUnitsPerBookingPerIndex: number;
  indexKeys: IndexKeyLoad;
  /** The API stage's steady-state rate limit (requests a second). */
  apiRateLimit: number;
}

export interface MemoryOption {
  memoryMb: number;
  /** Milliseconds per booking: CPU time scaled to the vCPU share, plus the I/O wait. */
  msPerBooking: number;
  gbSecondsPerBooking: number;
  bookingsPerSecondPerExecution: number;
}

/** Duration of a booking at `memoryMb`: single-threaded CPU work runs at min(1, memory / 1,769 MB) of a core. */
export function memoryOption(step: StepCost, memoryMb: number): MemoryOption {
  const share = Math.min(1, memoryMb / AWS_LIMITS.mbPerVcpu);
  const ioMs = Math.max(0, step.wallMs - step.cpuMs);
  const msPerBooking = step.cpuMs / share + ioMs;
  return {
    memoryMb,
    msPerBooking,
    gbSecondsPerBooking: (memoryMb / 1024) * (msPerBooking / 1000),
    bookingsPerSecondPerExecution: 1000 / msPerBooking,
  };
}

export const MEMORY_CHOICES = [256, 512, 1024, 1769, 3008] as const;

/**
 * The memory to run a step at: the fastest choice whose GB-seconds per booking stay within
 * `costSlack` of the cheapest (CPU-bound work costs about the same GB-seconds at any memory up to
 * one vCPU, and more above it, where a single thread gets no faster).
 */
export function recommendMemory(step: StepCost, costSlack = 1.25): MemoryOption {
  const options = MEMORY_CHOICES.map((mb) => memoryOption(step, mb));
  const cheapest = Math.min(...options.map((o) => o.gbSecondsPerBooking));
  const affordable = options.filter((o) => o.gbSecondsPerBooking <= cheapest * costSlack);
  return affordable.reduce((best, o) => (o.msPerBooking < best.msPerBooking ? o : best));
}

/**
 * The largest batch (1 to 10) whose slowest case, every record as slow as the p99 one and run one
 * after the other (CPU-bound records do not overlap in one Node thread), stays within a third of the
 * function timeout: room for the SDK's retries inside the invocation.
 */
export function recommendBatchSize(step: StepCost, memoryMb: number, functionTimeoutSeconds: number): number {
  const share = Math.min(1, memoryMb / AWS_LIMITS.mbPerVcpu);
  const worstMs = step.cpuMsP99 / share + Math.max(0, step.wallMs - step.cpuMs);
  const fits = Math.floor((functionTimeoutSeconds * 1000) / 3 / worstMs);
  return Math.max(1, Math.min(10, fits));
}

export interface ScalingModel {
  inputs: ScalingInputs;
  match: { memory: MemoryOption; batchSize: number; maxConcurrency: number; options: MemoryOption[] };
  decide: { memory: MemoryOption; batchSize: number; maxConcurrency: number; options: MemoryOption[] };
  program: { perWeekday: number; meanPerSecond: number; peakPerSecond: number; monthlyFromNineMillion: number };
  /** Bookings a second each part sustains at the recommended settings. */
  ceilings: Array<{ part: string; bookingsPerSecond: number; why: string }>;
}

/** Concurrency for the program's peak with twice the headroom, at least 2 (the mapping's minimum). */
function concurrencyFor(peakPerSecond: number, perExecution: number): number {
  return Math.max(2, Math.ceil((2 * peakPerSecond) / perExecution));
}

export function scalingModel(inputs: ScalingInputs): ScalingModel {
  const perWeekday = PROGRAM_SCALE.identTransactionsPerWeekday;
  const meanPerSecond = perWeekday / 86_400;
  const peakPerSecond = meanPerSecond * PROGRAM_SCALE.peakHourFactor;

  const matchMemory = recommendMemory(inputs.match);
  const decideMemory = recommendMemory(inputs.decide);
  const match = {
    memory: matchMemory,
    batchSize: recommendBatchSize(inputs.match, matchMemory.memoryMb, BOOKINGS_QUEUE.consumer.functionTimeoutSeconds),
    maxConcurrency: concurrencyFor(peakPerSecond, matchMemory.bookingsPerSecondPerExecution),
    options: MEMORY_CHOICES.map((mb) => memoryOption(inputs.match, mb)),
  };
  const decide = {
    memory: decideMemory,
    batchSize: recommendBatchSize(
      inputs.decide,
      decideMemory.memoryMb,
      DECISIONS_QUEUE.consumer.functionTimeoutSeconds,
    ),
    maxConcurrency: concurrencyFor(peakPerSecond, decideMemory.bookingsPerSecondPerExecution),
    options: MEMORY_CHOICES.map((mb) => memoryOption(inputs.decide, mb)),
  };

  const hottest = inputs.indexKeys.hottest[0];
  const lambdaCap = Math.min(AWS_LIMITS.esmMaxConcurrency, AWS_LIMITS.accountConcurrency);
  const ceilings: ScalingModel['ceilings'] = [
    {
      part: 'API stage throttle',
      bookingsPerSecond: inputs.apiRateLimit,
      why: 'the stack’s default steady-state rate (apiRateLimit); raise it with -c apiRateLimit=',
    },
    {
      part: `match at maxConcurrency ${match.maxConcurrency}`,
      bookingsPerSecond: match.maxConcurrency * matchMemory.bookingsPerSecondPerExecution,
      why: `${matchMemory.bookingsPerSecondPerExecution.toFixed(1)} bookings/s per execution at ${matchMemory.memoryMb} MB`,
    },
    {
      part: `match at ${lambdaCap} executions`,
      bookingsPerSecond: lambdaCap * matchMemory.bookingsPerSecondPerExecution,
      why: `the account's default concurrency (${AWS_LIMITS.accountConcurrency}) under the mapping's ${AWS_LIMITS.esmMaxConcurrency}, reached after ${Math.ceil(lambdaCap / AWS_LIMITS.esmScaleUpPerMinute)} minutes of scaling`,
    },
    {
      part: 'gallery table, new on-demand',
      bookingsPerSecond: AWS_LIMITS.onDemandInitialReadUnits / inputs.galleryReadUnitsPerBooking,
      why: `${inputs.galleryReadUnitsPerBooking.toFixed(0)} read units per booking against ${AWS_LIMITS.onDemandInitialReadUnits.toLocaleString('en-US')} units/s before the table has seen a higher peak`,
    },
    {
      part: 'records table, new on-demand',
      bookingsPerSecond: AWS_LIMITS.onDemandInitialWriteUnits / inputs.recordsWriteUnitsPerBooking,
      why: `${inputs.recordsWriteUnitsPerBooking.toFixed(1)} write units per booking`,
    },
  ];
  ceilings.push({
    part: 'records GSI byTypeAndStatus, one key',
    bookingsPerSecond: AWS_LIMITS.partitionWriteUnits / inputs.indexWriteUnitsPerBookingPerIndex,
    why: `every no-action record (most of them) is under one partition key (no-action#active); ${inputs.indexWriteUnitsPerBookingPerIndex.toFixed(1)} of its write units per booking (the record, its outbox marks)`,
  });
  if (hottest) {
    ceilings.push({
      part: `hottest index key, gallery ${inputs.indexKeys.gallerySize.toLocaleString('en-US')}`,
      bookingsPerSecond: searchesPerSecondCap(hottest, inputs.indexKeys.gallerySize, inputs.indexKeys.gallerySize),
      why: `read by ${(hottest.readShare * 100).toFixed(0)}% of searches; one item, one partition (${AWS_LIMITS.partitionReadUnits} units/s)`,
    });
  }
  return {
    inputs,
    match,
    decide,
    program: {
      perWeekday,
      meanPerSecond,
      peakPerSecond,
      monthlyFromNineMillion: PROGRAM_SCALE.submissions / PROGRAM_SCALE.months,
    },
    ceilings,
  };
}

const GALLERY_SIZES = [100_000, 1_000_000, 10_000_000] as const;

/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;

/**
 * Which limit a growing gallery meets first: the largest bucket reaching the item size limit, or
 * the hottest key's partition falling below the busy hour's searches a second.
 */
function hotKeyFinding(model: ScalingModel): string {
  const keys = model.inputs.indexKeys;
  const hottest = keys.hottest[0];
  if (!hottest) return '';
  const itemLimitAt = (MAX_ITEM_BYTES / (keys.largest.postings * POSTING_BYTES)) * keys.gallerySize;
  let partitionLimitAt = keys.gallerySize;
  while (searchesPerSecondCap(hottest, keys.gallerySize, partitionLimitAt) > model.program.peakPerSecond) {
    partitionLimitAt *= 1.1;
  }
  const round = (n: number) => Number(n.toPrecision(2)).toLocaleString('en-US');
  return (
    `The most common minutia pairs are each read by ${(hottest.readShare * 100).toFixed(0)}% or so of all searches. ` +
    `As the gallery grows, the largest bucket reaches DynamoDB’s 400 KB item limit at about ${round(itemLimitAt)} ` +
    `identities, long before the hottest key’s partition would fall below the busy hour’s ` +
    `${model.program.peakPerSecond.toFixed(0)} searches a second (at about ${round(partitionLimitAt)}): the item size ` +
    'binds first, then bytes read per search (docs/biometrics). IDENT’s hundreds of millions of identities need ' +
    'the index the biometrics report names (specific keys, hashed cylinder codes); hot buckets written in several ' +
    'copies (key#0..key#n, one read at random) would spread the read load but not the size.'
  );
}

/** Whether functions/definitions.ts holds the recommended settings when the report is written. */
function defaultsLine(model: ScalingModel): string {
  const current = [
    ['match memory', FUNCTION_MEMORY_MB.match, model.match.memory.memoryMb],
    ['match batch size', BOOKINGS_QUEUE.consumer.batchSize, model.match.batchSize],
    ['match maxConcurrency', BOOKINGS_QUEUE.consumer.maxConcurrency, model.match.maxConcurrency],
    ['decide memory', FUNCTION_MEMORY_MB.decide, model.decide.memory.memoryMb],
    ['decide batch size', DECISIONS_QUEUE.consumer.batchSize, model.decide.batchSize],
    ['decide maxConcurrency', DECISIONS_QUEUE.consumer.maxConcurrency, model.decide.maxConcurrency],
  ] as const;
  const differ = current.filter(([, now, recommended]) => now !== recommended);
  return differ.length === 0
    ? 'functions/definitions.ts holds these settings: they are the stack’s defaults.'
    : `functions/definitions.ts differs: ${differ.map(([name, now, recommended]) => `${name} ${now} (recommended ${recommended})`).join(', ')}.`;
}

export function scalingMarkdown(model: ScalingModel): string {
  const { inputs } = model;
  const memoryRows = (name: string, options: MemoryOption[], chosen: number) =>
    options.map(
      (o) =>
        `| ${name} | ${o.memoryMb}${o.memoryMb === chosen ? ' (recommended)' : ''} | ${o.msPerBooking.toFixed(0)} | ` +
        `${(o.gbSecondsPerBooking * 1000).toFixed(3)} | ${o.bookingsPerSecondPerExecution.toFixed(2)} |`,
    );
  const keys = inputs.indexKeys;
  const hotRows = keys.hottest.map(
    (k) =>
      `| ${k.rank} | ${k.position} | ${(k.readShare * 100).toFixed(1)}% | ${k.postings} | ` +
      GALLERY_SIZES.map((g) => searchesPerSecondCap(k, keys.gallerySize, g).toFixed(0)).join(' | ') +
      ' |',
  );
  return [
    `The program: ${model.program.perWeekday.toLocaleString('en-US')} IDENT transactions a weekday is ` +
      `${model.program.meanPerSecond.toFixed(1)} a second on average and about ${model.program.peakPerSecond.toFixed(0)} ` +
      `in a busy hour (×${PROGRAM_SCALE.peakHourFactor}, assumed); Secure Communities’ 9.1 million submissions in ` +
      `32 months is ${Math.round(model.program.monthlyFromNineMillion).toLocaleString('en-US')} a month ` +
      `(${(model.program.monthlyFromNineMillion / 30 / 86_400).toFixed(2)} a second).`,
    '',
    '**Memory.** Lambda gives one vCPU at 1,769 MB and a share of one below it; the search is single-threaded',
    'CPU work, so its duration falls with memory up to 1,769 MB and its GB-seconds stay nearly flat, then',
    'GB-seconds grow with no gain. Per booking, from this run’s CPU and wall times (this machine’s core taken',
    'as one Lambda vCPU; the I/O wait is the emulators’, not DynamoDB’s):',
    '',
    '| step | memory, MB | ms per booking | GB-ms per booking | bookings/s per execution |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...memoryRows('match', model.match.options, model.match.memory.memoryMb),
    ...memoryRows('decide', model.decide.options, model.decide.memory.memoryMb),
    '',
    `**Settings the benchmark recommends**: match ${model.match.memory.memoryMb} MB, ` +
      `batch size ${model.match.batchSize}, maxConcurrency ${model.match.maxConcurrency}; decide ` +
      `${model.decide.memory.memoryMb} MB, batch size ${model.decide.batchSize}, maxConcurrency ${model.decide.maxConcurrency}. ` +
      'Memory: the fastest option within 25% of the cheapest GB-seconds. Batch size: the largest (up to 10) ' +
      'whose worst case (every record as slow as the p99 one, one after another) fits in a third of the ' +
      'function timeout. maxConcurrency: twice the busy-hour rate over one execution’s rate.',
    '',
    defaultsLine(model),
    '',
    '**What caps the stack** (bookings a second), lowest first:',
    '',
    '| part | bookings/s | why |',
    '| --- | ---: | --- |',
    ...[...model.ceilings]
      .sort((a, b) => a.bookingsPerSecond - b.bookingsPerSecond)
      .map((c) => `| ${c.part} | ${c.bookingsPerSecond.toFixed(0)} | ${c.why} |`),
    '',
    'The event-source mapping adds up to 300 concurrent executions a minute, so from idle the match step',
    `reaches its maxConcurrency of ${model.match.maxConcurrency} within the first minute; a burst above what that`,
    'concurrency drains waits in the queue (the age-of-oldest-message alarm fires at 5 minutes) rather than',
    'failing. The records table’s items are keyed by submissionId and spread evenly; its GSIs are not (see',
    'the byTypeAndStatus row), but even that key allows many times the program’s busy hour.',
    '',
    `**Hot index keys.** ${keys.searches} synthetic searches against the index of ${keys.gallerySize.toLocaleString('en-US')} ` +
      `identities (${keys.distinctKeysEnrolled.toLocaleString('en-US')} keys, ${keys.meanPostingsPerKey.toFixed(0)} postings ` +
      `each on average; a search reads ${keys.meanKeysPerSearch.toFixed(0)} keys). A key is one item, so one partition: the ` +
      'searches a second it allows fall as its bucket grows with the gallery (buckets hold a fixed share of it):',
    '',
    `| rank | finger | searches reading it | postings at ${keys.gallerySize.toLocaleString('en-US')} | ` +
      GALLERY_SIZES.map((g) => `searches/s cap at ${g.toLocaleString('en-US')}`).join(' | ') +
      ' |',
    `| ---: | ---: | ---: | ---: | ${GALLERY_SIZES.map(() => '---:').join(' | ')} |`,
    ...hotRows,
    '',
    hotKeyFinding(model),
  ].join('\n');
}
