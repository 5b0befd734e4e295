/**
 * End-to-end load on the local runtime: bookings offered at fixed rates, open loop, through
 * the API; ingest-to-record latency and throughput per rate; the saturation point and the component
 * that saturates, measured (CPU of each process, busy cores of each function's execution
 * environments, a profile of Node's main thread, queue backlogs); cold starts per function; and the
 * AWS units each booking cost, counted from the same run (cost.ts), inside the environments where
 * the handlers' clients are (cost-counter-in-environment.ts).
 *
 * Latency is from the moment the POST is sent (on the load generator's thread) to the record's
 * `decidedAt` (the decide handler's clock, just before the record's transaction): both are this
 * machine's wall clock. Records are seen through the queue that stands in for the EventBridge bus,
 * which carries every record with its decidedAt, so no GET polling loads the API or get-booking.
 */
import { cpus, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { seedGallery } from '#simulation/gallery-seeder';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '#simulation/synthetic-bookings';
import { RECORDS_TABLE } from '#functions/definitions';
import { postBooking } from '#local/harness/api-client';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/emulators/local-credentials';
import { FUNCTION_KEYS, functionSpecs, type FunctionKey } from '#local/environments/functions';
import type { InvocationTiming } from '#local/lambda-context';
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '#local/local-pipeline';
import { CallCounter, addCounts, diffCounts } from './cost-counter';
import { COUNTER_CHANNEL, COUNTER_SETUP_URL, EnvironmentCounters } from './cost-counter-in-environment';
import {
  costModel,
  emptyInvocationCounts,
  FUNCTION_MEMORY_MB,
  type FunctionName,
  type InvocationCounts,
  type RunCounts,
} from './cost';
import type { GeneratorInput, GeneratorOutput } from './load-generator';
import { LogCounter, measureStorage, queueBacklog, startProfile, watch, type Sample } from './load-probes';
import { bottleneckOf, distribution, levelRates, percentile, saturationOf, verdictOf, type CpuUse } from './load-stats';
import { PRICES } from './prices';
import type { EnvironmentResult, LevelResult, LoadReport } from './load-report';

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
  /** Options of the local pipeline (concurrency: pollers and environments per consumer, ...). */
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
  const withFunctions = loaded.filter((s) => s.functions !== undefined);
  const functions =
    withFunctions.length === 0
      ? undefined
      : Object.fromEntries(
          Object.keys(withFunctions[0]?.functions ?? {}).map((name) => [
            name,
            mean(withFunctions.map((s) => s.functions?.[name] ?? 0)),
          ]),
        );
  return {
    nodeMainThread: mean(loaded.map((s) => s.nodeMainThread)),
    nodeProcess: mean(loaded.map((s) => s.nodeProcess)),
    ...(functions ? { functions } : {}),
    dynamodbLocal: jvm.length > 0 ? mean(jvm) : null,
    machine: machine.length > 0 ? mean(machine) : null,
    cores,
  };
}

/** How many times each value occurs. */
function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
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

  // The handlers' calls are counted inside their environments; the pollers' here (their client is this thread's).
  const pollerCounter = new CallCounter();
  const counter = new EnvironmentCounters(pollerCounter);
  const setup = options.pipeline?.environmentSetup;
  progress('Starting the local pipeline (DynamoDB Local, fauxqs, execution environments, API)...');
  const pipeline = await startLocalPipeline({
    ...options.pipeline,
    onInvocation,
    environmentSetup: {
      urls: [...(setup?.urls ?? []), COUNTER_SETUP_URL],
      channels: { ...setup?.channels, [COUNTER_CHANNEL]: counter.channel },
    },
  });
  counter.attach(FUNCTION_KEYS.map((key) => pipeline.environments[key]));
  pollerCounter.instrument(pipeline.clients.sqs, 'sqs-poller');
  const perFunction = environmentsPerFunction(options.pipeline?.concurrency);
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
    await counter.setEnabled(true);
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
      await counter.setEnabled(false);
    }
    const environments = environmentResults(pipeline, perFunction);

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
      ? bottleneckOf(probe.cpuLoaded ?? probe.cpu, probe.profile, perFunction)
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
        pollersPerQueue: { match: perFunction.match, decide: perFunction.decide },
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
          ? `the ${sustainedLevels.length} sustained level(s) (${sustainedLevels.map((l) => `${l.offeredPerSecond}/s`).join(', ')}; ${basisRecords} bookings), where the environments' threads least waited for the machine's cores`
          : `every level (${basisRecords} bookings): none was sustained, so Lambda durations include time the environments' threads waited for the machine's cores and for the emulators`,
      costByLevel: levels.map((l) => ({
        offeredPerSecond: l.offeredPerSecond,
        phase: l.phase,
        records: l.records,
        usdPerMillion: costModel(l.counts, Math.max(1, l.records)).countedUsdPerMillion,
        lambdaGbSecondsPerBooking: lambdaGbSeconds(l.counts) / Math.max(1, l.records),
      })),
      environments,
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

/**
 * Execution environments each function may run at once, as the runtime sizes its pools: a consumer's
 * `concurrency` when one is given (it sets the pollers too), else the function's own (functions.ts).
 */
function environmentsPerFunction(concurrency: number | undefined): Record<FunctionKey, number> {
  const specs = functionSpecs();
  return Object.fromEntries(
    FUNCTION_KEYS.map((key) => [key, (specs[key].consumer && concurrency) || specs[key].maxEnvironments]),
  ) as Record<FunctionKey, number>;
}

/** Each function's environments over the run (warm-up included): cold starts, their init, ends, invocations. */
function environmentResults(pipeline: LocalPipeline, perFunction: Record<FunctionKey, number>): EnvironmentResult[] {
  return FUNCTION_KEYS.map((key) => {
    const pool = pipeline.environments[key];
    const { coldStarts, initDurationsMs, ended, invocations } = pool.stats;
    return {
      function: key,
      maxEnvironments: perFunction[key],
      coldStarts,
      initP50Ms: percentile(initDurationsMs, 50),
      initMaxMs: initDurationsMs.length > 0 ? Math.max(...initDurationsMs) : Number.NaN,
      ended,
      invocations,
      busySeconds: pool.busyMs() / 1000,
    };
  });
}

async function runLevel(input: {
  pipeline: LocalPipeline;
  own: { sqs: SQSClient };
  collector: RecordCollector;
  counter: EnvironmentCounters;
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
  const callsBefore = await counter.snapshot();
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
        functionsBusyMs: () =>
          Object.fromEntries(FUNCTION_KEYS.map((key) => [key, pipeline.environments[key].busyMs()])),
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
  // What the jails' client retried: connection errors (by code) and answers 5xx or 429.
  const retried = output.submissions.flatMap((s) => s.retried);
  const counts: RunCounts = {
    calls: diffCounts(await counter.snapshot(), callsBefore),
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
    connectionErrors: retried.filter((r) => !r.startsWith('HTTP ')).length,
    retriedAnswers: retried.filter((r) => /^HTTP (5\d\d|429)$/.test(r)).length,
    retriedSubmissions: output.submissions.filter((s) => s.retried.length > 0).length,
    retriedCauses: tally(retried),
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

export { loadMarkdown } from './load-report';
export type { LevelResult, LoadReport } from './load-report';
export { loadChartSvg } from './load-chart';
