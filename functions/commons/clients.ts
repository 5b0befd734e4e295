import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from './env';
import { optionalEnv } from './config';
import { tracer } from './powertools';

/**
 * SDK clients, one of each per process (reused across warm invocations). The SDK's standard retry
 * strategy with backoff and jitter handles throttling; locally the endpoints point at the emulators.
 */
const MAX_ATTEMPTS = 5;

let dynamo: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (!dynamo) {
    const endpoint = optionalEnv(ENV.dynamodbEndpoint);
    const client = tracer.captureAWSv3Client(
      new DynamoDBClient({ maxAttempts: MAX_ATTEMPTS, ...(endpoint ? { endpoint } : {}) }),
    );
    dynamo = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }
  return dynamo;
}

export function sqsClient(): SQSClient {
  if (!sqs) {
    const endpoint = optionalEnv(ENV.sqsEndpoint);
    // fauxqs names queue hosts that do not resolve: send every call to the configured endpoint.
    sqs = tracer.captureAWSv3Client(
      new SQSClient({ maxAttempts: MAX_ATTEMPTS, ...(endpoint ? { endpoint, useQueueUrlAsEndpoint: false } : {}) }),
    );
  }
  return sqs;
}

export function eventBridgeClient(): EventBridgeClient {
  if (!eventBridge) {
    eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({ maxAttempts: MAX_ATTEMPTS }));
  }
  return eventBridge;
}
