import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { SQSRecord } from 'aws-lambda';
import { baselineMatcher } from '../core/biometrics/matcher';
import { DEFAULT_THRESHOLDS } from '../core/biometrics/fusion';
import { searchGallery } from '../core/biometrics/search';
import { BookingSubmissionSchema, type CapturedFinger, type MatchResult } from '../core/schemas';
import { resources } from '../commons/config';
import { logger, metrics, tracer } from '../commons/powertools';
import { PoisonMessageError, parseJsonBody, sqsBatchHandler } from '../commons/sqs-batch';
import { dynamoGalleryReader } from '../commons/adapters/gallery-store';
import { sendJson } from '../commons/adapters/queue-sender';

/** One booking: a 1:N search of the gallery, then its match result to the decisions queue. */
export async function matchBooking(record: SQSRecord): Promise<void> {
  const parsed = BookingSubmissionSchema.safeParse(parseJsonBody(record));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid booking`, fields);
  }
  const booking = parsed.data;
  const started = performance.now();
  const probe = booking.fingers.filter((finger): finger is CapturedFinger => finger.status === 'captured');
  const search = await searchGallery(probe, dynamoGalleryReader(resources.galleryTableName()), {
    matcher: baselineMatcher,
    thresholds: DEFAULT_THRESHOLDS,
  });
  const latencyMs = performance.now() - started;

  const match: MatchResult = {
    booking: {
      submissionId: booking.submissionId,
      ori: booking.ori,
      bookingNumber: booking.bookingNumber,
      bookedAt: booking.bookedAt,
      charges: booking.charges,
    },
    outcome: search.outcome,
    candidates: search.candidates,
    identity: search.identity,
    matcher: { algorithm: baselineMatcher.algorithm, version: baselineMatcher.version, thresholds: DEFAULT_THRESHOLDS },
    search: { ...search.stats, latencyMs: Math.round(latencyMs * 10) / 10 },
    matchedAt: new Date().toISOString(),
  };
  await sendJson(resources.decisionsQueueUrl(), match, booking.submissionId);

  metrics.addMetric('SearchLatency', MetricUnit.Milliseconds, latencyMs);
  metrics.addMetric('CandidatesPerSearch', MetricUnit.Count, search.stats.candidatesVerified);
  const outcomeMetric = metrics.singleMetric();
  outcomeMetric.addDimension('outcome', search.outcome);
  outcomeMetric.addMetric('MatchOutcomes', MetricUnit.Count, 1);
  logger.info('Search done', {
    submissionId: booking.submissionId,
    outcome: search.outcome,
    candidatesVerified: search.stats.candidatesVerified,
    latencyMs: Math.round(latencyMs),
  });
}

export const handler = middy(sqsBatchHandler(matchBooking))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }));
