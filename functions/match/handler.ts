import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, SQSRecord } from 'aws-lambda';
import { BookingSubmissionSchema, type BookingSubmission } from '#core/schemas';
import { IDEMPOTENCY_EXPIRY_SECONDS } from '#functions/definitions';
import { dynamoClient } from '#runtime/clients';
import { resources } from '#runtime/read-environment';
import { logger, metrics, tracer } from '#runtime/powertools';
import { PoisonMessageError, parseJsonBody, sqsBatchHandler } from '#runtime/sqs-batch';
import { dynamoGalleryReader } from '#adapters/gallery-store';
import { sendJson } from '#adapters/queue-sender';
import { PHASES, timePhase } from '#runtime/phase-timer';
import { searchBooking } from './search-booking';

/** What the idempotency table keeps of a finished search: no biometric or personal data. */
interface SearchSummary {
  outcome: string;
  candidatesVerified: number;
}

/** One booking: a 1:N search of the gallery, then its match result to the decisions queue. */
async function searchAndForward(booking: BookingSubmission): Promise<SearchSummary> {
  let bytesRead = 0;
  const reader = dynamoGalleryReader(resources.galleryTableName(), { onRead: ({ bytes }) => (bytesRead += bytes) });
  const match = await searchBooking(booking, reader);
  await timePhase(PHASES.decisionsQueue, () => sendJson(resources.decisionsQueueUrl(), match, booking.submissionId));

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
  return { outcome: match.outcome, candidatesVerified: match.search.candidatesVerified };
}

/**
 * Idempotency on the business key, with Powertools' DynamoDB persistence layer rather than the
 * conditional writes the decide step relies on: this step's effect is a message, which cannot be
 * written conditionally, and its work is the expensive part of the pipeline (a search reads megabytes
 * of index). A redelivered booking whose search finished is answered from the stored summary, with
 * no second search and no second match result; one whose search is running (a copy delivered in the
 * same batch, or after the visibility timeout) fails with IdempotencyAlreadyInProgressError and comes
 * back later. The lock expires with the function's remaining time (registerLambdaContext), so a
 * crashed or timed-out attempt does not block the booking.
 */
let idempotent:
  { config: IdempotencyConfig; search: (booking: BookingSubmission) => Promise<SearchSummary> } | undefined;

function idempotentSearch(): NonNullable<typeof idempotent> {
  if (!idempotent) {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'submissionId',
      expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
    });
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: resources.idempotencyTableName(),
      awsSdkV3Client: dynamoClient(),
    });
    idempotent = { config, search: makeIdempotent(searchAndForward, { persistenceStore, config }) };
  }
  return idempotent;
}

export async function matchBooking(record: SQSRecord, context: Context): Promise<void> {
  const parsed = BookingSubmissionSchema.safeParse(parseJsonBody(record));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid booking`, fields);
  }
  const { config, search } = idempotentSearch();
  config.registerLambdaContext(context);
  await search(parsed.data);
}

export const handler = middy(
  sqsBatchHandler(matchBooking, {
    deadLetters: () => resources.deadLetters('bookings'),
    keepOnLastReceive: (error) => error instanceof IdempotencyAlreadyInProgressError,
  }),
)
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger, { clearState: true }));
