/**
 * CPU time per booking of the match and decide Lambda handlers, in-process and warm, split into
 * search, verification, decision, I/O and handler overhead.
 *
 *   npx tsx bench/pipeline/handler-cpu-cli.ts [--gallery 2000] [--bookings 200]
 *
 * Starts the local pipeline without its pollers (DynamoDB Local, fauxqs, tables and queues), seeds
 * the gallery, then calls the real handlers one booking at a time: match with an SQS event built from
 * the booking, decide with the match result match sent, read off the decisions queue. Each invocation
 * is measured with process.cpuUsage() and performance.now(), and its phases with the phase timer
 * (bench/common/phase-timer.ts) from outside the handlers: they are built over timed ports and a
 * step timer (handler-cpu-ports.ts), and the SDK calls no port covers are timed by a client middleware.
 *
 * fauxqs runs in a child process by default: in this one, its CPU serving the handlers' SQS calls
 * would be counted as theirs.
 */
import '#local/powertools-env';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { activePhase, IO_PHASE_PREFIX, startPhaseRecording, timePhase } from '#bench/common/phase-timer';
import type { MatchResult } from '#core/schemas';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '#simulation/synthetic-bookings';
import { toSqsRecord } from '#local/event-source';
import { lambdaContext } from '#local/lambda-context';
import { startLocalPipeline, type LocalPipeline } from '#local/local-pipeline';
import type { BookingSample, HandlerCpuOptions, HandlerCpuReport, StepSample } from './handler-cpu-report';
import { middlewareStackOf } from '#local/sdk-middleware';
import { timedDecidePorts, timedMatchPorts, timeStep } from './handler-cpu-ports';

export { handlerCpuMarkdown } from './handler-cpu-report';
export type { BookingSample, HandlerCpuOptions, HandlerCpuReport, StepSample } from './handler-cpu-report';
export { handlerCpuChartSvg } from './handler-cpu-chart';

export const DEFAULT_HANDLER_CPU_OPTIONS: Required<HandlerCpuOptions> = {
  gallerySize: 2000,
  bookings: 200,
  warmup: 20,
  seed: 1,
  sqsEmulator: 'child-process',
};

/** A queue consumer's handler, called in this process (the benchmark times its phases here). */
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PREFIX = 'sc-cpu';
/** Warm-up bookings come half mated, so the match and every decision path are compiled before measuring. */
const WARMUP_MATED_SHARE = 0.5;

/** fauxqs in a child process; it exits when this process closes its stdin (or dies). */
async function startFauxqsProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const script = [
    "const { startFauxqs } = await import('fauxqs');",
    'const server = await startFauxqs({ port: 0, logger: false });',
    'process.stdout.write(`${server.port}\\n`);',
    "process.stdin.on('end', () => server.stop().finally(() => process.exit(0)));",
    'process.stdin.resume();',
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const port = await new Promise<number>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) done(Number(out.trim()));
    });
    child.once('error', fail);
    void exited.then(([code]) => fail(new Error(`fauxqs exited early (code ${String(code)})`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Times every SDK call made outside an I/O phase of the timed ports (in match: the idempotency
 * table's) as `io.<service>.<operation>`. Outermost middleware, so retries and (un)marshalling are in.
 */
function timeSdkCalls(client: object, service: string): void {
  middlewareStackOf(client).add(
    (next, context) => (args) =>
      activePhase()?.startsWith(IO_PHASE_PREFIX)
        ? next(args)
        : timePhase(`${IO_PHASE_PREFIX}${service}.${(context.commandName ?? 'call').replace(/Command$/, '')}`, () =>
            next(args),
          ),
    { step: 'initialize', priority: 'high', name: 'benchPhaseTimer' },
  );
}

/**
 * One invocation, measured. The process runs nothing else meanwhile (no pollers, one booking at a
 * time), and Node runs JavaScript on one thread, so the CPU the process spends between the two
 * readings is this invocation's, and each phase's share is charged as it runs.
 */
async function invoke(handler: SqsHandler, record: SQSRecord, context: Context, what: string): Promise<StepSample> {
  const recording = startPhaseRecording();
  try {
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const response = await handler({ Records: [record] }, context);
    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    const phases = Object.fromEntries(recording.stop());
    if (response.batchItemFailures.length > 0) throw new Error(`${what}: the handler reported the record failed`);
    return { cpuMicros: cpu.user + cpu.system, wallMs, phases };
  } finally {
    recording.stop();
  }
}

async function receiveMatchResult(pipeline: LocalPipeline): Promise<Message> {
  const queueUrl = pipeline.resources.queues.decisions.url;
  for (let attempt = 0; attempt < 10; attempt++) {
    const { Messages } = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const message = Messages?.[0];
    if (message) {
      await pipeline.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      return message;
    }
  }
  throw new Error('match sent no match result to the decisions queue');
}

export async function benchHandlerCpu(
  input: Partial<HandlerCpuOptions> = {},
  log: (line: string) => void = () => undefined,
): Promise<HandlerCpuReport> {
  const options = { ...DEFAULT_HANDLER_CPU_OPTIONS, ...input };
  const started = performance.now();
  const loadBefore = loadavg();
  const fauxqs = options.sqsEmulator === 'child-process' ? await startFauxqsProcess() : undefined;
  let pipeline: LocalPipeline | undefined;
  try {
    log('starting DynamoDB Local and fauxqs ...');
    pipeline = await startLocalPipeline({
      prefix: PREFIX,
      consumers: false,
      ...(fauxqs ? { sqsEndpoint: fauxqs.endpoint } : {}),
    });
    // Before any handler builds its clients (they are built on first use, below).
    const { onClientCreated } = await import('#runtime/clients');
    onClientCreated(timeSdkCalls);
    // The handlers run in this process, not in the runtime's environments: the audit trail's local
    // stand-in is registered here, as each environment registers it.
    const { setupEnvironment: setupStandIns } = await import('#local/environments/local-stand-ins');
    await setupStandIns(() => {
      throw new Error('the audit stand-in opens no channel');
    });
    const [{ seedGallery }, matchModule, decideModule] = await Promise.all([
      import('#simulation/gallery-seeder'),
      import('#functions/match/handler'),
      import('#functions/decide/handler'),
    ]);
    const matchHandler = matchModule.createMatchHandler({
      ports: () => timedMatchPorts(matchModule.matchPortsFromEnvironment()),
      timeStep,
    }) as unknown as SqsHandler;
    const decideHandler = decideModule.createDecideHandler({
      ports: () => timedDecidePorts(decideModule.decidePortsFromEnvironment()),
      timeStep,
    }) as unknown as SqsHandler;

    log(`seeding ${options.gallerySize} identities ...`);
    const seeded = await seedGallery({
      tableName: pipeline.resources.tables.gallery,
      count: options.gallerySize,
      seed: options.seed,
    });

    const { bookings: bookingsQueue, decisions: decisionsQueue } = pipeline.resources.queues;
    const timeoutSeconds = bookingsQueue.definition.consumer.functionTimeoutSeconds;
    const run = async (booking: ReturnType<typeof syntheticBooking>, what: string) => {
      const { submissionId } = booking.booking;
      const bookingMessage: Message = {
        MessageId: randomUUID(),
        Body: JSON.stringify(booking.booking),
        Attributes: { ApproximateReceiveCount: '1' },
        MessageAttributes: { submissionId: { DataType: 'String', StringValue: submissionId } },
      };
      const matchSample = await invoke(
        matchHandler,
        toSqsRecord(bookingMessage, bookingsQueue.arn),
        lambdaContext(`${PREFIX}-match`, timeoutSeconds),
        `match, ${what}`,
      );
      if (!Object.keys(matchSample.phases).some((phase) => phase.startsWith(`${IO_PHASE_PREFIX}dynamodb.`))) {
        throw new Error("match's idempotency calls were not timed: an SDK client was built before the timing hook");
      }
      const message = await receiveMatchResult(pipeline!);
      const result = JSON.parse(message.Body ?? '{}') as MatchResult;
      const decideSample = await invoke(
        decideHandler,
        toSqsRecord(message, decisionsQueue.arn),
        lambdaContext(`${PREFIX}-decide`, decisionsQueue.definition.consumer.functionTimeoutSeconds),
        `decide, ${what}`,
      );
      return {
        mated: booking.truth.galleryIndex !== null,
        outcome: result.outcome,
        candidatesVerified: result.search.candidatesVerified,
        match: matchSample,
        decide: decideSample,
      } satisfies BookingSample;
    };
    const stream = (seed: number, matedShare: number) => (index: number) =>
      syntheticBooking({ seed, gallerySeed: options.seed, gallerySize: options.gallerySize, matedShare }, index);

    log(`warming up with ${options.warmup} bookings ...`);
    const warmupBooking = stream(options.seed + 2, WARMUP_MATED_SHARE);
    for (let i = 0; i < options.warmup; i++) await run(warmupBooking(i), `warm-up booking ${i}`);

    log(`measuring ${options.bookings} bookings ...`);
    const booking = stream(options.seed + 1, NATIONAL_MATCH_SHARE);
    const samples: BookingSample[] = [];
    for (let i = 0; i < options.bookings; i++) {
      samples.push(await run(booking(i), `booking ${i}`));
      if ((i + 1) % 20 === 0) log(`  ${i + 1}/${options.bookings}`);
    }

    return {
      options,
      matedShare: NATIONAL_MATCH_SHARE,
      gallery: { identities: seeded.identities, seedSeconds: seeded.seconds },
      samples,
      powertools: {
        logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
        metrics: process.env.POWERTOOLS_METRICS_DISABLED !== 'true',
      },
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        cores: cpus().length,
        node: process.version,
        loadBefore,
        loadAfter: loadavg(),
      },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await pipeline?.stop();
    await fauxqs?.stop();
  }
}
