/**
 * End-to-end load on the local runtime (issue 7): bookings offered at fixed rates, open loop, through
 * the API; ingest-to-record latency and throughput per rate; the saturation point and the component
 * that saturates, measured (CPU of each process, a profile of Node's main thread, queue backlogs);
 * and the AWS units each booking cost, counted from the same run (cost.ts).
 *
 * Latency is from the moment the POST is sent (on the load generator's thread) to the record's
 * `decidedAt` (the decide handler's clock, just before the record's transaction): both are this
 * machine's wall clock. Records are seen through the queue that stands in for the EventBridge bus,
 * which carries every record with its decidedAt, so no GET polling loads the pipeline's thread.
 */
import { cpus, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { seedGallery } from '../../functions/commons/adapters/gallery-seeder';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '../../functions/core/seeding/synthetic-bookings';
import { RECORDS_TABLE } from '../../lib/definitions';
import { postBooking } from '../../local/api-client';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-credentials';
import type { InvocationTiming } from '../../local/lambda-context';
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '../../local/runtime';
import { CallCounter, addCounts, diffCounts } from './cost-counter';
import {
  costMarkdown,
  costModel,
  emptyInvocationCounts,
  FUNCTION_MEMORY_MB,
  programVolumes,
  type CostModel,
  type FunctionName,
  type InvocationCounts,
  type RunCounts,
  type StoragePerBooking,
} from './cost';
import type { GeneratorInput, GeneratorOutput } from './load-generator';
import { LogCounter, measureStorage, queueBacklog, startProfile, watch, type Sample } from './load-probes';
import {
  bottleneckOf,
  distribution,
  levelRates,
  otherProcesses,
  percentile,
  saturationOf,
  verdictOf,
  type Bottleneck,
  type CpuUse,
  type Distribution,
  type LevelRates,
  type Saturation,
  type Verdict,
} from './load-stats';
import { PRICES } from './prices';

export interface LoadOptions {
  /** Identities in the gallery. @default 2000 */
  gallerySize: number;
  /** Offered rates, bookings per second. @default [10, 50, 200] */
  levels: number[];
  /** Bookings each level offers. @default 300 */
  bookingsPerLevel: number;
  /** Lower rates that find the saturation point. @default [1, 2, 3, 4, 6] */
  ramp: number[];
  /** Bookings each ramp rate offers. @default max(10, bookingsPerLevel / 5) */
  rampBookingsPerLevel?: number;
  /** Bookings submitted one by one and waited for before measuring (JIT, connections, first writes). @default 5 */
  warmupBookings: number;
  /** Seed of the gallery and the bookings. @default 7 */
  seed: number;
  /** Seconds a level may take to the last record. @default 120 + 2 per booking */
  levelTimeoutSeconds?: number;
  /** Profile Node's main thread (V8 sampling profiler). @default true */
  profile: boolean;
  /** @default 5000 */
  profileIntervalMicros: number;
  /** @default 1000 */
  sampleIntervalMs: number;
  /** Options of the local pipeline (pollers per queue, ...). */
  pipeline?: Omit<LocalPipelineOptions, 'onInvocation'>;
  onProgress?: (line: string) => void;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  gallerySize: 2000,
  levels: [10, 50, 200],
  bookingsPerLevel: 300,
  ramp: [1, 2, 3, 4, 6],
  warmupBookings: 5,
  seed: 7,
  profile: true,
  profileIntervalMicros: 5000,
  sampleIntervalMs: 1000,
};

export interface LevelResult {
  phase: 'ramp' | 'level';
  offeredPerSecond: number;
  bookings: number;
  /** Answered 202. */
  accepted: number;
  /** Other answers by HTTP status (0: no answer). */
  rejected: Record<string, number>;
  records: number;
  /** Accepted bookings without a record when the level timed out. */
  missing: number;
  /** How late the open-loop schedule fired, ms (the generator's own thread). */
  schedulerLateMs: { p99: number; max: number };
  rates: LevelRates;
  /** POST sent to the record's event seen by the benchmark (adds the event publication and the drain's polling). */
  eventSeenLatencyMs: Distribution;
  /** POST sent to its 202, ms. */
  ingestAnswerMs: Distribution;
  verdict: Verdict;
  /** Over the whole level (first POST to the last queue emptied). */
  cpu: CpuUse;
  /** Over the samples with a backlog in a queue (the pipeline busy); null when there were none. */
  cpuLoaded: CpuUse | null;
  /** Share of the main thread's profile samples per category. */
  profile?: Record<string, number>;
  backlog: { maxBookings: number; maxDecisions: number; samples: Array<[number, number, number]> };
  counts: RunCounts;
  seconds: number;
}

export interface LoadReport {
  startedAt: string;
  options: Omit<LoadOptions, 'onProgress' | 'pipeline'> & { rampBookingsPerLevel: number; pollersPerQueue: number };
  machine: { cpuModel: string; cores: number; memoryGb: number; node: string };
  gallery: { identities: number; seedSeconds: number };
  levels: LevelResult[];
  saturation: Saturation & { bottleneck: Bottleneck; bottleneckLevel: number | null };
  /** The cost model from the sustained levels (least contention), or every level if none was sustained. */
  cost: CostModel;
  costBasis: string;
  /** $ per million bookings of each level, to show how contention moves the Lambda line. */
  costByLevel: Array<{
    offeredPerSecond: number;
    phase: string;
    records: number;
    usdPerMillion: number;
    lambdaGbSecondsPerBooking: number;
  }>;
  storage?: StoragePerBooking;
  wallSeconds: number;
}

interface SeenRecord {
  decidedAt: number;
  seenAt: number;
}

/**
 * Drains the queue that stands in for the EventBridge bus, in the background, keeping each record's
 * decidedAt and when it was seen. Its own SQS client: not counted as pipeline traffic.
 */
class RecordCollector {
  readonly seen = new Map<string, SeenRecord>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const received = await this.sqs
          .send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))
          .catch(async () => {
            // The emulator stopping under us: do not spin.
            await new Promise((resolve) => setTimeout(resolve, 200));
            return { Messages: [] };
          });
        const messages = received.Messages ?? [];
        const seenAt = Date.now();
        for (const message of messages) {
          const event = JSON.parse(message.Body ?? '{}') as { detail?: { submissionId?: string; decidedAt?: string } };
          const id = event.detail?.submissionId;
          const decidedAt = Date.parse(event.detail?.decidedAt ?? '');
          if (!id || !Number.isFinite(decidedAt)) continue;
          // An event published twice (the outbox is at least once) keeps its first sighting.
          if (!this.seen.has(id)) this.seen.set(id, { decidedAt, seenAt });
        }
        if (messages.length > 0) {
          await this.sqs
            .send(
              new DeleteMessageBatchCommand({
                QueueUrl: this.queueUrl,
                Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
              }),
            )
            .catch(() => undefined);
        }
      }
    })();
  }

  async waitFor(ids: readonly string[], deadline: number): Promise<void> {
    while (ids.some((id) => !this.seen.has(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** The load generator on its own thread, loaded through tsx (the worker does not inherit its loader). */
async function runGenerator(input: GeneratorInput, onReady: () => Promise<void>): Promise<GeneratorOutput> {
  const target = new URL('./load-generator.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`;
  const worker = new Worker(code, { eval: true, workerData: { loadGenerator: true } });
  try {
    return await new Promise<GeneratorOutput>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`The load generator exited (${code}) before answering`)));
      worker.on('message', (message: { ready?: boolean; output?: GeneratorOutput; error?: string }) => {
        if (message.ready) {
          void onReady().then(() => worker.postMessage(input), reject);
        } else if (message.output) resolve(message.output);
        else reject(new Error(`The load generator failed: ${message.error ?? 'no answer'}`));
      });
    });
  } finally {
    await worker.terminate();
  }
}

function cpuOf(samples: Sample[], cores: number): CpuUse | null {
  const loaded = samples.filter((s) => s.bookingsBacklog + s.decisionsBacklog > 0);
  if (loaded.length === 0) return null;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const known = (values: Array<number | null>) => values.filter((v): v is number => v !== null);
  const jvm = known(loaded.map((s) => s.dynamodbLocal));
  const machine = known(loaded.map((s) => s.machine));
  return {
    nodeMainThread: mean(loaded.map((s) => s.nodeMainThread)),
    nodeProcess: mean(loaded.map((s) => s.nodeProcess)),
    dynamodbLocal: jvm.length > 0 ? mean(jvm) : null,
    machine: machine.length > 0 ? mean(machine) : null,
    cores,
  };
}

function addInvocations(
  a: Partial<Record<FunctionName, InvocationCounts>>,
  b: Partial<Record<FunctionName, InvocationCounts>>,
  sign = 1,
): Partial<Record<FunctionName, InvocationCounts>> {
  const out: Partial<Record<FunctionName, InvocationCounts>> = {};
  for (const name of Object.keys(FUNCTION_MEMORY_MB) as FunctionName[]) {
    const x = a[name] ?? emptyInvocationCounts();
    const y = b[name] ?? emptyInvocationCounts();
    const sum = {
      invocations: x.invocations + sign * y.invocations,
      records: x.records + sign * y.records,
      durationMs: x.durationMs + sign * y.durationMs,
      billedMs: x.billedMs + sign * y.billedMs,
    };
    if (sum.invocations !== 0) out[name] = sum;
  }
  return out;
}

function mergeCounts(runs: RunCounts[]): RunCounts {
  return runs.reduce<RunCounts>(
    (total, run) => ({
      calls: addCounts(total.calls, run.calls),
      invocations: addInvocations(total.invocations, run.invocations),
      logs: {
        lines: total.logs.lines + run.logs.lines,
        bytes: total.logs.bytes + run.logs.bytes,
        level: run.logs.level,
      },
      seconds: total.seconds + run.seconds,
    }),
    { calls: {}, invocations: {}, logs: { lines: 0, bytes: 0, level: runs[0]?.logs.level ?? '-' }, seconds: 0 },
  );
}

function lambdaGbSeconds(counts: RunCounts): number {
  let total = 0;
  for (const name of Object.keys(FUNCTION_MEMORY_MB) as FunctionName[]) {
    total += ((counts.invocations[name]?.billedMs ?? 0) / 1000) * (FUNCTION_MEMORY_MB[name] / 1024);
  }
  return total;
}

/** Runs the load benchmark on a local pipeline it starts and stops. */
export async function benchLoad(partial: Partial<LoadOptions> = {}): Promise<LoadReport> {
  const options: LoadOptions = { ...DEFAULT_LOAD_OPTIONS, ...partial };
  const rampBookings = options.rampBookingsPerLevel ?? Math.max(10, Math.round(options.bookingsPerLevel / 5));
  const progress = options.onProgress ?? (() => undefined);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const cores = cpus().length;

  const invocations: Partial<Record<FunctionName, InvocationCounts>> = {};
  const prefix = options.pipeline?.prefix ?? 'sc-local';
  const onInvocation = (timing: InvocationTiming) => {
    const name = timing.functionName.slice(prefix.length + 1) as FunctionName;
    const counts = (invocations[name] ??= emptyInvocationCounts());
    counts.invocations++;
    counts.records += timing.records;
    counts.durationMs += timing.durationMs;
    counts.billedMs += Math.ceil(timing.durationMs);
  };

  progress('Starting the local pipeline (DynamoDB Local, fauxqs, handlers, API)...');
  const pipeline = await startLocalPipeline({ ...options.pipeline, onInvocation });
  const counter = new CallCounter({
    eventsQueueUrl: pipeline.resources.eventsQueueUrl,
    auditQueueUrl: pipeline.resources.auditQueueUrl,
  });
  const logCounter = new LogCounter();
  const own = {
    sqs: new SQSClient({
      endpoint: pipeline.endpoints.sqs,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      useQueueUrlAsEndpoint: false,
    }),
    dynamodb: new DynamoDBClient({
      endpoint: pipeline.endpoints.dynamodb,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  };
  const collector = new RecordCollector(own.sqs, pipeline.resources.eventsQueueUrl);
  // From the start, so that warm-up and seeding lines stay off the terminal too; levels count by difference.
  logCounter.start();
  try {
    await instrument(pipeline, counter);
    collector.start();

    progress(`Seeding a gallery of ${options.gallerySize} identities...`);
    const seeded = await seedGallery({
      tableName: pipeline.resources.tables.gallery,
      count: options.gallerySize,
      seed: options.seed,
    });

    let nextIndex = 0;
    const bookingsFrom = (count: number) =>
      Array.from(
        { length: count },
        () =>
          syntheticBooking(
            {
              seed: options.seed + 1,
              gallerySeed: options.seed,
              gallerySize: options.gallerySize,
              matedShare: NATIONAL_MATCH_SHARE,
            },
            nextIndex++,
          ).booking,
      );

    if (options.warmupBookings > 0) {
      progress(`Warming up with ${options.warmupBookings} bookings...`);
      const warmup = bookingsFrom(options.warmupBookings);
      for (const booking of warmup) await postBooking(pipeline.apiUrl, booking);
      await collector.waitFor(
        warmup.map((b) => b.submissionId),
        Date.now() + 120_000,
      );
    }

    const logLevel = process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN';
    const plan = [
      ...options.ramp.map((rate) => ({ phase: 'ramp' as const, rate, count: rampBookings })),
      ...options.levels.map((rate) => ({ phase: 'level' as const, rate, count: options.bookingsPerLevel })),
    ];
    const levels: LevelResult[] = [];
    counter.enabled = true;
    try {
      for (const step of plan) {
        progress(`Offering ${step.count} bookings at ${step.rate}/s (${step.phase})...`);
        const level = await runLevel({
          pipeline,
          own,
          collector,
          counter,
          logCounter,
          invocations,
          options,
          cores,
          logLevel,
          phase: step.phase,
          rate: step.rate,
          bookings: bookingsFrom(step.count),
        });
        levels.push(level);
        progress(
          `  ${level.records}/${level.accepted} records, ${level.rates.completionPerSecond.toFixed(2)}/s, ` +
            `p50 ${(level.rates.latencyMs.p50 / 1000).toFixed(2)} s, p99 ${(level.rates.latencyMs.p99 / 1000).toFixed(2)} s, ` +
            `${level.verdict.sustained ? 'sustained' : `not sustained (${level.verdict.reason})`}`,
        );
      }
    } finally {
      counter.enabled = false;
    }

    progress('Measuring the records table...');
    const storage = await measureStorage(own.dynamodb, pipeline.resources.tables.records, RECORDS_TABLE);

    const saturation = saturationOf(
      levels.map((l) => ({
        offeredPerSecond: l.offeredPerSecond,
        completionPerSecond: l.rates.completionPerSecond,
        sustained: l.verdict.sustained,
      })),
    );
    // The bottleneck is read where the pipeline was over its capacity: the lowest unsustained rate.
    const overloaded = levels
      .filter((l) => !l.verdict.sustained)
      .sort((a, b) => a.offeredPerSecond - b.offeredPerSecond)[0];
    const probe = overloaded ?? levels.at(-1);
    const bottleneck = probe
      ? bottleneckOf(probe.cpuLoaded ?? probe.cpu, probe.profile)
      : { component: 'not measured', evidence: 'no level ran' };

    const sustainedLevels = levels.filter((l) => l.verdict.sustained);
    const basisLevels = sustainedLevels.length > 0 ? sustainedLevels : levels;
    const basisCounts = mergeCounts(basisLevels.map((l) => l.counts));
    const basisRecords = basisLevels.reduce((a, l) => a + l.records, 0);
    const cost = costModel(basisCounts, Math.max(1, basisRecords), PRICES, storage);

    return {
      startedAt,
      options: {
        gallerySize: options.gallerySize,
        levels: options.levels,
        bookingsPerLevel: options.bookingsPerLevel,
        ramp: options.ramp,
        rampBookingsPerLevel: rampBookings,
        warmupBookings: options.warmupBookings,
        seed: options.seed,
        ...(options.levelTimeoutSeconds === undefined ? {} : { levelTimeoutSeconds: options.levelTimeoutSeconds }),
        profile: options.profile,
        profileIntervalMicros: options.profileIntervalMicros,
        sampleIntervalMs: options.sampleIntervalMs,
        pollersPerQueue: options.pipeline?.concurrency ?? 2,
      },
      machine: {
        cpuModel: cpus()[0]?.model ?? 'unknown',
        cores,
        memoryGb: totalmem() / 1024 ** 3,
        node: process.version,
      },
      gallery: { identities: seeded.identities, seedSeconds: seeded.seconds },
      levels,
      saturation: {
        ...saturation,
        bottleneck,
        bottleneckLevel: probe?.offeredPerSecond ?? null,
      },
      cost,
      costBasis:
        sustainedLevels.length > 0
          ? `the ${sustainedLevels.length} sustained level(s) (${sustainedLevels.map((l) => `${l.offeredPerSecond}/s`).join(', ')}; ${basisRecords} bookings), where handlers did not queue behind each other`
          : `every level (${basisRecords} bookings): none was sustained, so Lambda durations include time spent queued on the shared event loop`,
      costByLevel: levels.map((l) => ({
        offeredPerSecond: l.offeredPerSecond,
        phase: l.phase,
        records: l.records,
        usdPerMillion: costModel(l.counts, Math.max(1, l.records)).countedUsdPerMillion,
        lambdaGbSecondsPerBooking: lambdaGbSeconds(l.counts) / Math.max(1, l.records),
      })),
      storage,
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    logCounter.stop();
    await collector.stop();
    await pipeline.stop();
    own.sqs.destroy();
    own.dynamodb.destroy();
  }
}

/** The counting middleware on the handlers' clients (through onClientCreated) and on the pollers' client. */
async function instrument(pipeline: LocalPipeline, counter: CallCounter): Promise<void> {
  const clients = await import('../../functions/commons/clients');
  clients.onClientCreated((client, service) => {
    if (service === 'dynamodb' || service === 'sqs') counter.instrument(client, service);
  });
  // A client built before the hook was registered gets the middleware directly (instrument adds it once).
  counter.instrument(clients.dynamoClient(), 'dynamodb');
  counter.instrument(clients.sqsClient(), 'sqs');
  counter.instrument(pipeline.clients.sqs, 'sqs-poller');
}

async function runLevel(input: {
  pipeline: LocalPipeline;
  own: { sqs: SQSClient };
  collector: RecordCollector;
  counter: CallCounter;
  logCounter: LogCounter;
  invocations: Partial<Record<FunctionName, InvocationCounts>>;
  options: LoadOptions;
  cores: number;
  logLevel: string;
  phase: 'ramp' | 'level';
  rate: number;
  bookings: Array<{ submissionId: string }>;
}): Promise<LevelResult> {
  const { pipeline, collector, counter, logCounter, options, bookings } = input;
  const callsBefore = counter.snapshot();
  const invocationsBefore = addInvocations({}, input.invocations);
  const logsBefore = { lines: logCounter.lines, bytes: logCounter.bytes };
  const timeoutSeconds = options.levelTimeoutSeconds ?? 120 + 2 * bookings.length;

  let watcher: ReturnType<typeof watch> | undefined;
  let profiler: Awaited<ReturnType<typeof startProfile>> | undefined;
  let wallStart = 0;
  const output = await runGenerator(
    { apiUrl: pipeline.apiUrl, bodies: bookings.map((b) => JSON.stringify(b)), ratePerSecond: input.rate },
    async () => {
      wallStart = performance.now();
      watcher = watch({
        sqs: input.own.sqs,
        queues: {
          bookings: pipeline.resources.queues.bookings.url,
          decisions: pipeline.resources.queues.decisions.url,
        },
        jvmPid: pipeline.dynamodbLocalPid,
        cores: input.cores,
        intervalMs: options.sampleIntervalMs,
      });
      if (options.profile) profiler = await startProfile(options.profileIntervalMicros);
    },
  );
  const deadline = Date.now() + timeoutSeconds * 1000;
  const acceptedIds = bookings.filter((_, i) => output.submissions[i]?.status === 202).map((b) => b.submissionId);
  await collector.waitFor(acceptedIds, deadline);
  // The last handler returns before its message is deleted: an empty queue means every call is made.
  while (Date.now() < deadline) {
    const [b, d] = await Promise.all([
      queueBacklog(input.own.sqs, pipeline.resources.queues.bookings.url),
      queueBacklog(input.own.sqs, pipeline.resources.queues.decisions.url),
    ]);
    if (b + d === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const profile = await profiler?.stop();
  const watched = await (watcher as NonNullable<typeof watcher>).stop();
  const seconds = (performance.now() - wallStart) / 1000;

  const completions = [];
  const seenLatencies: number[] = [];
  for (const [i, booking] of bookings.entries()) {
    const seen = collector.seen.get(booking.submissionId);
    const submission = output.submissions[i];
    if (!seen || !submission || submission.status !== 202) continue;
    completions.push({ sentAt: submission.sentAt, decidedAt: seen.decidedAt });
    seenLatencies.push(seen.seenAt - submission.sentAt);
  }
  const rejected: Record<string, number> = {};
  for (const submission of output.submissions) {
    if (submission.status !== 202) rejected[String(submission.status)] = (rejected[String(submission.status)] ?? 0) + 1;
  }
  const rates = levelRates(
    output.submissions.map((s) => s.sentAt),
    completions.length > 0 ? completions : [{ sentAt: Number.NaN, decidedAt: Number.NaN }],
  );
  const late = output.shots.map((s) => s.firedMs - s.dueMs);
  const counts: RunCounts = {
    calls: diffCounts(counter.snapshot(), callsBefore),
    invocations: addInvocations(input.invocations, invocationsBefore, -1),
    logs: {
      lines: logCounter.lines - logsBefore.lines,
      bytes: logCounter.bytes - logsBefore.bytes,
      level: input.logLevel,
    },
    seconds,
  };
  return {
    phase: input.phase,
    offeredPerSecond: input.rate,
    bookings: bookings.length,
    accepted: acceptedIds.length,
    rejected,
    records: completions.length,
    missing: acceptedIds.length - completions.length,
    schedulerLateMs: { p99: percentile(late, 99), max: Math.max(...late) },
    rates,
    eventSeenLatencyMs: distribution(seenLatencies),
    ingestAnswerMs: distribution(output.submissions.map((s) => s.answeredAt - s.sentAt)),
    verdict:
      completions.length < 2 ? { sustained: false, reason: 'fewer than two records' } : verdictOf(input.rate, rates),
    cpu: { ...watched.total, cores: input.cores },
    cpuLoaded: cpuOf(watched.samples, input.cores),
    ...(profile ? { profile } : {}),
    backlog: {
      maxBookings: Math.max(0, ...watched.samples.map((s) => s.bookingsBacklog).filter(Number.isFinite)),
      maxDecisions: Math.max(0, ...watched.samples.map((s) => s.decisionsBacklog).filter(Number.isFinite)),
      samples: watched.samples.map((s) => [Number(s.t.toFixed(1)), s.bookingsBacklog, s.decisionsBacklog]),
    },
    counts,
    seconds,
  };
}

/** Lambda gives a function one vCPU at 1,769 MB, and CPU in proportion below it. */
const ONE_VCPU_MB = 1769;

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const seconds = (ms: number) => fixed(ms / 1000, 2);
const pct = (value: number | null) =>
  value === null || !Number.isFinite(value) ? '-' : `${(100 * value).toFixed(0)}%`;

/** The report as Markdown: the levels, the saturation point and its bottleneck, the program comparison, the cost. */
export function loadMarkdown(report: LoadReport): string {
  const out: string[] = [];
  const o = report.options;
  out.push('## Load, end to end on the local runtime');
  out.push('');
  out.push(
    `${report.startedAt.slice(0, 16).replace('T', ' ')} UTC; ${report.machine.cores} cores (${report.machine.cpuModel}), ` +
      `${report.machine.memoryGb.toFixed(0)} GB, Node ${report.machine.node}. Gallery ${report.gallery.identities} identities ` +
      `(seeded in ${report.gallery.seedSeconds.toFixed(1)} s); ${o.pollersPerQueue} pollers per queue; ` +
      `${o.warmupBookings} warm-up bookings; open loop from a worker thread (at most ` +
      `${Math.max(0, ...report.levels.map((l) => l.schedulerLateMs.max)).toFixed(0)} ms behind schedule); ` +
      `wall time ${(report.wallSeconds / 60).toFixed(1)} min.`,
  );
  out.push('');
  out.push(
    "Latency: POST sent -> the record's `decidedAt`. Throughput: records / (last record - first POST). " +
      'Completion rate: (records - 1) / (last record - first record), the rate records came at with the drain tail left out; ' +
      `a level is sustained when it is >= 95% of the offered rate and latency grows by <= 0.05 s per second of the run. ` +
      'CPU: share of one core used while a queue had a backlog (Node main thread: share of time busy, which counts time waiting for a core; ' +
      'fauxqs runs inside the Node process; other processes: the machine is shared).',
  );
  out.push('');
  out.push(
    '| phase | offered /s | bookings | accepted | records | submit /s | throughput /s | completion /s | p50 s | p95 s | p99 s | max s | latency slope | Node main thread | Node process | DynamoDB Local | other processes | machine | max backlog (bookings / decisions) | sustained |',
  );
  out.push(
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const l of report.levels) {
    const cpu = l.cpuLoaded ?? l.cpu;
    out.push(
      `| ${l.phase} | ${l.offeredPerSecond} | ${l.bookings} | ${l.accepted} | ${l.records} | ${fixed(l.rates.submitPerSecond)} | ` +
        `${fixed(l.rates.throughputPerSecond)} | ${fixed(l.rates.completionPerSecond)} | ${seconds(l.rates.latencyMs.p50)} | ` +
        `${seconds(l.rates.latencyMs.p95)} | ${seconds(l.rates.latencyMs.p99)} | ${seconds(l.rates.latencyMs.max)} | ` +
        `${fixed(l.rates.latencySlope, 3)} | ${pct(cpu.nodeMainThread)} | ${pct(cpu.nodeProcess)} | ${pct(cpu.dynamodbLocal)} | ${pct(otherProcesses(cpu))} | ` +
        `${cpu.machine === null ? '-' : `${pct(cpu.machine / cpu.cores)} of ${cpu.cores}`} | ${l.backlog.maxBookings} / ${l.backlog.maxDecisions} | ` +
        `${l.verdict.sustained ? 'yes' : `no: ${l.verdict.reason}`} |`,
    );
  }
  const problems = report.levels.filter((l) => l.missing > 0 || Object.keys(l.rejected).length > 0);
  for (const l of problems) {
    out.push('');
    out.push(
      `At ${l.offeredPerSecond}/s: ${l.missing} accepted bookings without a record in time` +
        (Object.keys(l.rejected).length > 0
          ? `; answers other than 202: ${Object.entries(l.rejected)
              .map(([status, n]) => `${n} x ${status === '0' ? 'no answer' : status}`)
              .join(', ')}`
          : '') +
        '.',
    );
  }
  out.push('');
  const s = report.saturation;
  out.push('### Saturation');
  out.push('');
  out.push(
    `- Sustained up to **${s.sustainedPerSecond === null ? 'none of the rates measured' : `${s.sustainedPerSecond} bookings/s`}** offered` +
      (s.firstUnsustainedPerSecond === null
        ? ' (every rate measured was sustained).'
        : `; not at ${s.firstUnsustainedPerSecond}/s.`) +
      ` The highest completion rate any level reached, the pipeline's capacity on this machine: **${fixed(s.peakCompletionPerSecond)} bookings/s**.`,
  );
  out.push(
    `- Saturating component${s.bottleneckLevel === null ? '' : ` (measured at ${s.bottleneckLevel}/s offered)`}: **${s.bottleneck.component}**. ${s.bottleneck.evidence}.`,
  );
  const probe = report.levels.find((l) => l.offeredPerSecond === s.bottleneckLevel && l.profile);
  if (probe?.profile) {
    out.push('');
    out.push(
      `Node main thread at ${probe.offeredPerSecond}/s, share of profile samples (${o.profileIntervalMicros / 1000} ms sampling):`,
    );
    out.push('');
    out.push('| where | share |');
    out.push('| --- | ---: |');
    for (const [category, share] of Object.entries(probe.profile)) out.push(`| ${category} | ${pct(share)} |`);
  }
  out.push('');
  out.push("At the real program's rates (averaged over the day):");
  out.push('');
  for (const volume of programVolumes()) {
    const perSecond = volume.bookingsPerDay / 86_400;
    out.push(
      `- ${volume.label}: ${perSecond.toFixed(2)} bookings/s, ` +
        `${Number.isFinite(s.peakCompletionPerSecond) ? `${fixed((100 * perSecond) / s.peakCompletionPerSecond, 0)}% of this machine's capacity` : ''}.`,
    );
  }
  out.push('');
  out.push('### Cost per booking, counted from the run');
  out.push('');
  out.push(
    `Counts from ${report.costBasis}. Lambda durations are wall time on this machine's CPU, not on Lambda's arm64 ` +
      `(match at ${FUNCTION_MEMORY_MB.match} MB gets about ${(FUNCTION_MEMORY_MB.match / ONE_VCPU_MB).toFixed(2)} of a vCPU, ` +
      `so its CPU-bound part would take, and bill, about ${(ONE_VCPU_MB / FUNCTION_MEMORY_MB.match).toFixed(1)}x the GB-s counted here ` +
      `if a Graviton core and this machine's core are alike).`,
  );
  out.push('');
  out.push(costMarkdown(report.cost));
  out.push('');
  out.push(
    'By level ($ per million bookings, counted lines; Lambda GB-s grow when handlers queue on the shared event loop):',
  );
  out.push('');
  out.push('| phase | offered /s | records | Lambda GB-s per booking | $ per million bookings |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  for (const c of report.costByLevel) {
    out.push(
      `| ${c.phase} | ${c.offeredPerSecond} | ${c.records} | ${c.lambdaGbSecondsPerBooking.toFixed(3)} | $${c.usdPerMillion.toFixed(0)} |`,
    );
  }
  return out.join('\n');
}

export { loadChartSvg } from './load-chart';
