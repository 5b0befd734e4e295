import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { functionEnvironment } from '#runtime/read-environment';
import { logger, metrics, tracer } from '#runtime/powertools';
import { sqsQueue } from '#adapters/queue-sender';
import { dynamoSubmissionStore } from '#adapters/submission-store';
import { ingestBooking, type IngestPorts } from './ingest-booking';

/** The ingest step's ports on AWS (or the local runtime), from the environment of the invocation. */
export function ingestPortsFromEnvironment(): IngestPorts {
  return {
    submissions: dynamoSubmissionStore(functionEnvironment.recordsTableName()),
    bookings: sqsQueue(functionEnvironment.bookingsQueueUrl()),
  };
}

/** POST /bookings over the given ports (built per invocation: the local runtime may set the environment late). */
export function createIngestHandler(ports: () => IngestPorts = ingestPortsFromEnvironment) {
  return middy((event: APIGatewayProxyEventV2) => ingestBooking(event, ports()))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { clearState: true }));
}

export const handler = createIngestHandler();
