import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SubmissionIdSchema } from '../core/schemas';
import { resources } from '../commons/config';
import { badRequest, fieldErrors, json } from '../commons/http';
import { logger, metrics, tracer } from '../commons/powertools';
import { getLatestRecord } from '../commons/adapters/record-store';
import { submissionExists } from '../commons/adapters/submission-store';

/** GET /bookings/{submissionId}: 200 with the record, 202 while pending, 404 when unknown. */
export async function getBooking(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = SubmissionIdSchema.safeParse(event.pathParameters?.submissionId);
  if (!parsed.success) {
    metrics.addMetric('BookingStatusReadsRejected', MetricUnit.Count, 1);
    return badRequest(
      'The submissionId in the path is invalid',
      fieldErrors(parsed.error).map((e) => ({ ...e, path: 'submissionId' })),
    );
  }
  const submissionId = parsed.data;
  logger.appendKeys({ submissionId });
  metrics.addMetric('BookingStatusReads', MetricUnit.Count, 1);
  const tableName = resources.recordsTableName();

  const [latest, submitted] = await Promise.all([
    getLatestRecord(tableName, submissionId),
    submissionExists(tableName, submissionId),
  ]);
  if (latest) return json(200, { submissionId, status: 'decided', record: latest.record });
  if (submitted) return json(202, { submissionId, status: 'pending' });
  return json(404, { error: 'not-found', message: 'No booking with this submissionId', submissionId });
}

export const handler = middy(getBooking)
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(injectLambdaContext(logger, { clearState: true }));
