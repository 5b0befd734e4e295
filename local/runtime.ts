import './powertools-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../functions/commons/env';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from './emulators/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, useLocalCredentials } from './emulators/local-credentials';
import { startSqsLocal, type RunningSqsLocal } from './emulators/sqs-local';
import { emptyEventSourceStats, startEventSource, type EventSourceStats, type SqsHandler } from './event-source';
import { faultInjector, type FaultInjector } from './faults/fault-injector';
import { startHttpServer, type HttpHandler } from './http-server';
import type { InvocationListener } from './lambda-context';
import { statusRoutes } from './status/status-page';
import { createLocalResources, type LocalResources } from './resources';

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
  /** Pollers per queue, like concurrent invocations of an event-source mapping. @default 2 */
  concurrency?: number;
  /** Pins a decision policy (else the one in force on the booking date). */
  policyId?: string;
  /** Start the SQS event sources; off, messages stay in the queues (for tests of the API alone). @default true */
  consumers?: boolean;
  /**
   * Function timeout the handlers see in their context, in seconds (the idempotency lock of a search
   * expires with it). Keep it below retryDelaySeconds, as the stack keeps it below the visibility
   * timeout, when faults can leave a lock behind. @default the stack's (lib/definitions.ts)
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
  /** Process id of the DynamoDB Local JVM when this pipeline started it (fauxqs runs in this process). */
  dynamodbLocalPid?: number;
  stop(): Promise<void>;
}

let running = false;
let clientsInstrumented = false;

/**
 * Starts the whole pipeline on this machine: emulators (unless endpoints are given), the tables and
 * queues of lib/definitions.ts, the match and decide handlers behind SQS event sources, and the API.
 * The handlers are the Lambda handlers, imported after the environment is set as the stack sets it.
 * One pipeline per process: the handlers read their configuration from process.env.
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

    configureEnvironment({ options, resources, dynamodbEndpoint, sqsEndpoint });
    faultInjector.clear();
    faultInjector.resetCounts();
    if (!clientsInstrumented) {
      // Imported here, not at the top: it loads the Powertools Logger, which reads the environment.
      const { onClientCreated } = await import('../functions/commons/clients');
      onClientCreated((client, service) => faultInjector.instrument(client, service));
      const { registerLocalAuditSink } = await import('../functions/commons/adapters/audit-trail');
      const { auditQueueSink } = await import('./audit-queue-sink');
      registerLocalAuditSink(auditQueueSink);
      clientsInstrumented = true;
    }
    const [ingest, getBooking, match, decide] = await Promise.all([
      import('../functions/ingest/handler'),
      import('../functions/get-booking/handler'),
      import('../functions/match/handler'),
      import('../functions/decide/handler'),
    ]);

    const pollerErrors: Error[] = [];
    const onError = (error: Error) => pollerErrors.push(error);
    // Each queue feeds its function, as the stack's event-source mappings do.
    const stats = { match: emptyEventSourceStats(), decide: emptyEventSourceStats() };
    const mappings = [
      { name: 'match' as const, queue: resources.queues.bookings, handler: match.handler },
      { name: 'decide' as const, queue: resources.queues.decisions, handler: decide.handler },
    ];
    const sources =
      options.consumers === false
        ? []
        : mappings.map(({ name, queue, handler }) =>
            startEventSource({
              functionName: `${prefix}-${name}`,
              queueUrl: queue.url,
              queueArn: queue.arn,
              sqs: clients.sqs,
              handler: handler as unknown as SqsHandler,
              consumer: {
                ...queue.definition.consumer,
                functionTimeoutSeconds:
                  options.functionTimeoutSeconds ?? queue.definition.consumer.functionTimeoutSeconds,
              },
              retryDelaySeconds: options.retryDelaySeconds ?? 1,
              concurrency: options.concurrency ?? 2,
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
        {
          method: 'POST',
          path: '/bookings',
          functionName: `${prefix}-ingest`,
          handler: ingest.handler as unknown as HttpHandler,
        },
        {
          method: 'GET',
          path: '/bookings/{submissionId}',
          functionName: `${prefix}-get-booking`,
          handler: getBooking.handler as unknown as HttpHandler,
        },
        // Local only: the status page (the stack has the CloudWatch dashboard instead).
        ...statusRoutes(clients, resources),
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
      ...(dynamoDbLocal?.pid === undefined ? {} : { dynamodbLocalPid: dynamoDbLocal.pid }),
      stop: async () => {
        for (const stop of stops) await stop();
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
    [ENV.galleryTableName]: resources.tables.gallery,
    [ENV.recordsTableName]: resources.tables.records,
    [ENV.bookingsQueueUrl]: resources.queues.bookings.url,
    [ENV.decisionsQueueUrl]: resources.queues.decisions.url,
    [ENV.idempotencyTableName]: resources.tables.idempotency,
    [ENV.bookingsDlqUrl]: resources.queues.bookings.dlqUrl,
    [ENV.bookingsMaxReceiveCount]: String(resources.queues.bookings.definition.maxReceiveCount),
    [ENV.decisionsDlqUrl]: resources.queues.decisions.dlqUrl,
    [ENV.decisionsMaxReceiveCount]: String(resources.queues.decisions.definition.maxReceiveCount),
    [ENV.localEventsQueueUrl]: resources.eventsQueueUrl,
    [ENV.localAuditQueueUrl]: resources.auditQueueUrl,
    [ENV.dynamodbEndpoint]: input.dynamodbEndpoint,
    [ENV.sqsEndpoint]: input.sqsEndpoint,
    [ENV.policyId]: options.policyId,
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
