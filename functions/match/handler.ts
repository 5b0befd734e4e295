import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { SQSRecord } from 'aws-lambda';
import { BookingSubmissionSchema } from '../core/schemas';
import { resources } from '../commons/config';
import { logger, metrics, tracer } from '../commons/powertools';
import { PoisonMessageError, parseJsonBody, sqsBatchHandler } from '../commons/sqs-batch';
import { dynamoGalleryReader } from '../commons/adapters/gallery-store';
import { sendJson } from '../commons/adapters/queue-sender';
import { searchBooking } from './match-result';

/** One booking: a 1:N search of the gallery, then its match result to the decisions queue. */
export async function matchBooking(record: SQSRecord): Promise<void> {
  const parsed = BookingSubmissionSchema.safeParse(parseJsonBody(record));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid booking`, fields);
  }
  const booking = parsed.data;
  let bytesRead = 0;
  const reader = dynamoGalleryReader(resources.galleryTableName(), { onRead: ({ bytes }) => (bytesRead += bytes) });
  const match = await searchBooking(booking, reader);
  await sendJson(resources.decisionsQueueUrl(), match, booking.submissionId);

  metrics.addMetric('SearchLatency', MetricUnit.Milliseconds, match.search.latencyMs);
  metrics.addMetric('CandidatesPerSearch', MetricUnit.Count, match.search.candidatesVerified);
  metrics.addMetric('GalleryBytesReadPerSearch', MetricUnit.Bytes, bytesRead);
  const outcomeMetric = metrics.singleMetric();
  outcomeMetric.addDimension('outcome', match.outcome);
  outcomeMetric.addMetric('MatchOutcomes', MetricUnit.Count, 1);
  logger.info('Search done', {
    submissionId: booking.submissionId,
    outcome: match.outcome,
    candidatesVerified: match.search.candidatesVerified,
    galleryBytesRead: bytesRead,
    latencyMs: Math.round(match.search.latencyMs),
  });
}

export const handler = middy(sqsBatchHandler(matchBooking))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }));
