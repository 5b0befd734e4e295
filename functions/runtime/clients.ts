import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from './environment-variables';
import { optionalEnv } from './read-environment';
import { tracer } from './powertools';

/**
 * SDK clients, one of each per process (reused across warm invocations). The SDK's standard retry
 * strategy (exponential backoff with full jitter, a retry quota) handles throttling, 5xx and
 * timeouts: up to MAX_ATTEMPTS attempts per call. Locally the endpoints point at the emulators.
 */
export const MAX_ATTEMPTS = 5;

export type ServiceName = 'dynamodb' | 'sqs' | 'eventbridge' | 'logs';
type AnyClient = DynamoDBClient | SQSClient | EventBridgeClient | CloudWatchLogsClient;

/**
 * Called with every client this module builds. Nothing registers one in Lambda; the local runtime
 * registers its fault injector and call counters here, so no fault code is in a deployed bundle.
 * The list lives on the global object under a registered symbol, so that hooks registered by the
 * local runtime reach the copy of this module inside a built bundle too (`npm run local -- --bundles`).
 */
export type ClientHook = (client: AnyClient, service: ServiceName) => void;
const HOOKS = Symbol.for('sc-pipeline.client-hooks');
const hooks: ClientHook[] = ((globalThis as { [HOOKS]?: ClientHook[] })[HOOKS] ??= []);

export function onClientCreated(hook: ClientHook): void {
  hooks.push(hook);
}

function built<T extends AnyClient>(client: T, service: ServiceName): T {
  for (const hook of hooks) hook(client, service);
  return tracer.captureAWSv3Client(client);
}

let dynamo: DynamoDBClient | undefined;
let dynamoDocument: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let logs: CloudWatchLogsClient | undefined;

/** The low-level client, for libraries that take one (Powertools idempotency). */
export function dynamoClient(): DynamoDBClient {
  if (!dynamo) {
    const endpoint = optionalEnv(ENV.dynamodbEndpoint);
    dynamo = built(new DynamoDBClient({ maxAttempts: MAX_ATTEMPTS, ...(endpoint ? { endpoint } : {}) }), 'dynamodb');
  }
  return dynamo;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamoDocument ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamoDocument;
}

export function sqsClient(): SQSClient {
  if (!sqs) {
    const endpoint = optionalEnv(ENV.sqsEndpoint);
    // fauxqs names queue hosts that do not resolve: send every call to the configured endpoint.
    sqs = built(
      new SQSClient({ maxAttempts: MAX_ATTEMPTS, ...(endpoint ? { endpoint, useQueueUrlAsEndpoint: false } : {}) }),
      'sqs',
    );
  }
  return sqs;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= built(new EventBridgeClient({ maxAttempts: MAX_ATTEMPTS }), 'eventbridge');
  return eventBridge;
}

export function cloudWatchLogsClient(): CloudWatchLogsClient {
  logs ??= built(new CloudWatchLogsClient({ maxAttempts: MAX_ATTEMPTS }), 'logs');
  return logs;
}
