import './powertools-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '#runtime/environment-variables';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from './emulators/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, useLocalCredentials } from './emulators/local-credentials';
import { startSqsLocal, type RunningSqsLocal } from './emulators/sqs-local';
import { emptyEventSourceStats, startEventSource, type EventSourceStats } from './event-source';
import { faultInjector, type FaultInjector } from './harness/faults/fault-injector';
import { FAULTS_CHANNEL, faultChannel } from './harness/faults/faults-in-environment';
import { startHttpServer } from './http-server';
import type { InvocationListener } from './lambda-context';
import { EnvironmentPool, type ChannelHandler } from './environments/environment-pool';
import { environmentVariables, localVariables } from './environments/environment-variables';
import { FUNCTION_KEYS, functionSpecs, type FunctionKey } from './environments/functions';
import { handlerUrls, type HandlerSource } from './environments/handler-source';
import { statusRoutes } from './harness/status/status-page';
import { createLocalResources, type LocalResources } from './provision';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export interface LocalPipelineOptions {
  /** Prefix of table and queue names. @default 'sc-local' */
  prefix?: string;
  /** Use a running DynamoDB(-compatible) endpoint instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  /** Use a running SQS(-compatible) endpoint instead of starting fauxqs. */
  sqsEndpoint?: string;
  /** Port of the local API. @default 0 (any free port) */
  apiPort?: number;
  /**
   * Log level of the handlers (Powertools Logger). The Logger reads POWERTOOLS_LOG_LEVEL when it is
   * built, so this applies only if no handler module was loaded before; otherwise set the variable.
   * @default POWERTOOLS_LOG_LEVEL, else 'WARN'
   */
  logLevel?: LogLevel;
  /** Seconds before a failed record is retried locally. @default 1 */
  retryDelaySeconds?: number;
  /**
   * Concurrent invocations of each queue consumer (pollers, and execution environments at most).
   * @default the event-source mapping's maxConcurrency, bounded by the machine's cores for the search
   */
  concurrency?: number;
  /**
   * What the execution environments run: the TypeScript sources, or the bundles `cdk synth` builds
   * (cdk.out, built if missing), as deployed. @default 'sources'
   */
  handlers?: HandlerSource;
  /**
   * Modules each execution environment runs before its handler is loaded (file URLs exporting
   * `setupEnvironment`), with the main-thread handlers of the channels they open: for benchmarks'
   * instruments. The fault injector and the audit stand-in are always set up.
   */
  environmentSetup?: { urls: string[]; channels: Record<string, ChannelHandler> };
  /** Pins a decision policy (else the one in force on the booking date). */
  policyId?: string;
  /** Start the SQS event sources; off, messages stay in the queues (for tests of the API alone). @default true */
  consumers?: boolean;
  /**
   * Function timeout the handlers see in their context, in seconds (the idempotency lock of a search
   * expires with it). Keep it below retryDelaySeconds, as the stack keeps it below the visibility
   * timeout, when faults can leave a lock behind. @default the stack's (functions/definitions.ts)
   */
  functionTimeoutSeconds?: number;
  /** Visibility timeout of the queues, for tests of slow handlers. @default the stack's (6x the function timeout) */
  visibilityTimeoutSeconds?: number;
  /** Told of every handler invocation (API and queue consumers) and its duration, for benchmarks. */
  onInvocation?: InvocationListener;
}

export interface LocalPipeline {
  apiUrl: string;
  resources: LocalResources;
  endpoints: { dynamodb: string; sqs: string };
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient };
  /** Errors the pollers met (receive/delete failures, a handler that threw), for tests to inspect. */
  pollerErrors: Error[];
  /** Fault injection into the handlers' AWS calls and invocations: off until a plan is set. */
  faults: FaultInjector;
  /** What each event source received (receives, redeliveries, invocations). */
  stats: { match: EventSourceStats; decide: EventSourceStats };
  /** Each function's execution environments: cold starts with their init durations, live and busy. */
  environments: Record<FunctionKey, EnvironmentPool>;
  /** Process id of the DynamoDB Local JVM when this pipeline started it (fauxqs runs in this process). */
  dynamodbLocalPid?: number;
  stop(): Promise<void>;
}

let running = false;

/**
 * The search's environments yield the cores to everything else when both are wanted: the API keeps
 * answering within milliseconds while the searches saturate the machine, and the searches still
 * take every cycle nothing else needs.
 */
const CPU_BOUND_NICE = 10;

/**
 * Starts the whole pipeline on this machine: emulators (unless endpoints are given), the tables and
 * queues of functions/definitions.ts, each function in execution environments of its own (worker threads,
 * with the variables the stack gives it), the match and decide functions behind SQS event sources,
 * and the API, which stays on this thread and only forwards requests. One pipeline per process.
 */
export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  if (running) throw new Error('A local pipeline is already running in this process');
  running = true;
  const stops: Array<() => Promise<void>> = [];
  try {
    useLocalCredentials();
    let dynamoDbLocal: RunningDynamoDbLocal | undefined;
    let sqsLocal: RunningSqsLocal | undefined;
    const [dynamodbEndpoint, sqsEndpoint] = await Promise.all([
      options.dynamodbEndpoint ??
        startDynamoDbLocal().then((started) => {
          dynamoDbLocal = started;
          return started.endpoint;
        }),
      options.sqsEndpoint ??
        startSqsLocal().then((started) => {
          sqsLocal = started;
          return started.endpoint;
        }),
    ]);
    if (dynamoDbLocal) stops.push(dynamoDbLocal.stop);
    if (sqsLocal) stops.push(sqsLocal.stop);

    const clients = {
      dynamodb: new DynamoDBClient({
        endpoint: dynamodbEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
      sqs: new SQSClient({
        endpoint: sqsEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        useQueueUrlAsEndpoint: false,
      }),
    };
    const prefix = options.prefix ?? 'sc-local';
    const resources = await createLocalResources(clients, prefix, {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    });

    // This process's own tools (seeder, review runner) reach the emulators through the commons clients.
    configureEnvironment({ options, resources, dynamodbEndpoint, sqsEndpoint });
    faultInjector.clear();
    faultInjector.resetCounts();

    const specs = functionSpecs();
    const urls = handlerUrls(options.handlers ?? 'sources');
    const channels: Record<string, ChannelHandler> = {
      [FAULTS_CHANNEL]: faultChannel(faultInjector),
      ...options.environmentSetup?.channels,
    };
    const setupUrls = [
      new URL('./harness/faults/faults-in-environment.ts', import.meta.url).href,
      new URL('./environments/local-stand-ins.ts', import.meta.url).href,
      ...(options.environmentSetup?.urls ?? []),
    ];
    const logLevel = options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL;
    const environments = Object.fromEntries(
      FUNCTION_KEYS.map((key) => {
        const spec = specs[key];
        const functionName = `${prefix}-${key}`;
        const timeoutSeconds =
          spec.consumer && options.functionTimeoutSeconds !== undefined
            ? options.functionTimeoutSeconds
            : spec.timeoutSeconds;
        const pool = new EnvironmentPool({
          functionName,
          handlerUrl: urls[key],
          memoryMb: spec.memoryMb,
          timeoutSeconds,
          maxEnvironments: (spec.consumer && options.concurrency) || spec.maxEnvironments,
          nice: spec.cpuBound ? CPU_BOUND_NICE : 0,
          env: environmentVariables(spec, {
            resources,
            endpoints: { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint },
            functionName,
            ...(options.policyId ? { policyId: options.policyId } : {}),
            ...(logLevel ? { logLevel } : {}),
          }),
          setupUrls,
          channels,
        });
        return [key, pool];
      }),
    ) as Record<FunctionKey, EnvironmentPool>;
    stops.push(async () => {
      await Promise.all(Object.values(environments).map((pool) => pool.stop()));
    });
    faultInjector.onChange = (active) => {
      for (const pool of Object.values(environments)) void pool.broadcast(FAULTS_CHANNEL, { active });
    };

    const pollerErrors: Error[] = [];
    const onError = (error: Error) => pollerErrors.push(error);
    // Each queue feeds its function, as the stack's event-source mappings do.
    const stats = { match: emptyEventSourceStats(), decide: emptyEventSourceStats() };
    const mappings = [
      { name: 'match' as const, queue: resources.queues.bookings },
      { name: 'decide' as const, queue: resources.queues.decisions },
    ];
    const sources =
      options.consumers === false
        ? []
        : mappings.map(({ name, queue }) =>
            startEventSource({
              functionName: `${prefix}-${name}`,
              queueUrl: queue.url,
              queueArn: queue.arn,
              sqs: clients.sqs,
              environments: environments[name],
              consumer: queue.definition.consumer,
              retryDelaySeconds: options.retryDelaySeconds ?? 1,
              // One poller per environment the function may run, so that all of them can be busy.
              concurrency: environments[name].maxEnvironments,
              onError,
              faults: { injector: faultInjector, key: name },
              stats: stats[name],
              onInvocation: options.onInvocation,
            }),
          );
    stops.unshift(async () => {
      await Promise.all(sources.map((source) => source.stop()));
    });

    const api = await startHttpServer(
      [
        { method: 'POST', path: '/bookings', environments: environments.ingest },
        { method: 'GET', path: '/bookings/{submissionId}', environments: environments['get-booking'] },
        // Local only: the status page (the stack has the CloudWatch dashboard instead).
        ...statusRoutes(clients, resources, environments),
      ],
      options.apiPort ?? 0,
      { onInvocation: options.onInvocation },
    );
    stops.unshift(api.stop);

    return {
      apiUrl: api.url,
      resources,
      endpoints: { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint },
      clients,
      pollerErrors,
      faults: faultInjector,
      stats,
      environments,
      ...(dynamoDbLocal?.pid === undefined ? {} : { dynamodbLocalPid: dynamoDbLocal.pid }),
      stop: async () => {
        for (const stop of stops) await stop();
        faultInjector.onChange = undefined;
        faultInjector.clear();
        clients.dynamodb.destroy();
        clients.sqs.destroy();
        running = false;
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    running = false;
    throw error;
  }
}

function configureEnvironment(input: {
  options: LocalPipelineOptions;
  resources: LocalResources;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}): void {
  const { options, resources } = input;
  const env: Record<string, string | undefined> = {
    ...localVariables(resources, options.policyId),
    [ENV.dynamodbEndpoint]: input.dynamodbEndpoint,
    [ENV.sqsEndpoint]: input.sqsEndpoint,
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL,
  };
  // Locally there is no bus and no log group: the handlers use the stand-in queues instead.
  delete process.env[ENV.eventBusName];
  delete process.env[ENV.auditLogGroupName];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
