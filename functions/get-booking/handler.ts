import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { functionEnvironment } from '#runtime/read-environment';
import { logger, metrics, tracer } from '#runtime/powertools';
import { cloudWatchAuditTrail } from '#adapters/audit-trail';
import { getLatestRecord } from '#adapters/record-store';
import { submissionExists } from '#adapters/submission-store';
import { getBooking, type GetBookingPorts } from './get-booking';

/**
 * The status read's ports on AWS (or the local runtime), from the environment of the invocation:
 * only the reads it makes, so that the bundle holds none of the writes.
 */
export function getBookingPortsFromEnvironment(): GetBookingPorts {
  const tableName = functionEnvironment.recordsTableName();
  return {
    records: { getLatestRecord: (submissionId) => getLatestRecord(tableName, submissionId) },
    submissions: { exists: (submissionId) => submissionExists(tableName, submissionId) },
    audit: cloudWatchAuditTrail,
  };
}

/** GET /bookings/{submissionId} over the given ports (built per invocation: the local runtime may set the environment late). */
export function createGetBookingHandler(ports: () => GetBookingPorts = getBookingPortsFromEnvironment) {
  return middy((event: APIGatewayProxyEventV2, context: Context) => getBooking(event, context, ports()))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .use(injectLambdaContext(logger, { clearState: true }));
}

export const handler = createGetBookingHandler();
